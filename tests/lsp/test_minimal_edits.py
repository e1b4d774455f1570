"""Quick-fix edits in diagnostic data are narrowed to the bytes they change: the same text
results, and the range never splits a UTF-8 sequence or a CRLF."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import apply_text_edits, diagnostics_for, edits_of, open_document
from thea_lsp.minimal_edits import narrowed

CASES = [
    # (document, start, end, replacement) -- byte offsets into the UTF-8 document
    ("var x = f(1);", 0, 13, "let x = f(1);"),  # no-var's whole-declaration fix
    ("a == b", 0, 6, "a === b"),
    ("abc", 0, 3, "abc"),  # a no-op stays as it is
    ("abc", 1, 1, "X"),  # an insertion
    ("abc", 1, 2, ""),  # a deletion
    ("é = 1", 0, 2, "è"),  # same lead byte: the cut must not fall inside the character
    ("x = '😀a'", 5, 10, "😁a"),  # 4-byte sequences sharing three bytes
    ("a\r\nb", 0, 4, "c\nb"),  # a shared "\n" right after "\r": never cut between them
    ("a\r\nb", 0, 4, "a\r\nc"),
    ("aaaa", 0, 4, "aa"),  # shared prefix and suffix overlap: they must not both count
    ("f(a, a)", 2, 6, "a"),
]


@pytest.mark.parametrize(("document", "start", "end", "replacement"), CASES)
def test_narrowed_edit_has_the_same_effect(document: str, start: int, end: int, replacement: str) -> None:
    data = document.encode("utf-8")
    first, last, text = narrowed(data, start, end, replacement)
    assert start <= first <= last <= end
    expected = data[:start] + replacement.encode("utf-8") + data[end:]
    assert data[:first] + text.encode("utf-8") + data[last:] == expected
    for cut in (first, last):  # a character boundary, and not inside "\r\n"
        assert cut == len(data) or (data[cut] & 0xC0) != 0x80
        assert not (0 < cut < len(data) and data[cut - 1 : cut + 1] == b"\r\n")


def test_narrowed_edit_is_minimal_where_it_can_be() -> None:
    assert narrowed(b"var x = f(1);", 0, 13, "let x = f(1);") == (0, 3, "let")
    assert narrowed(b"a == b", 0, 6, "a === b") == (4, 4, "=")


async def test_quick_fix_edit_is_narrowed(start_server, workspace: Path) -> None:
    """no-var's fix spans the whole declaration; the quick fix sends only `var` -> `let`."""
    (workspace / ".thea.toml").write_text('extends = "none"\n[rules]\nno-var = "warn"\n')
    client = await start_server("vscode-push", root=workspace)
    text = "function f() {\n  /* 😀 */ var café = 1, y = '😀';\n  return café + y;\n}\n"
    uri = open_document(client, workspace / "v.js", text)
    (diagnostic,) = await diagnostics_for(client, uri, 1)
    (edit,) = diagnostic.data["fixes"][0]["edits"]
    assert edit == [1, 11, 1, 14, "let"]  # UTF-16 columns: the emoji before it counts two
    position = types.Position(line=1, character=11)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    fix = next(action for action in actions if action.title.startswith("Replace 'var' with 'let'"))
    assert apply_text_edits(text, edits_of(fix)) == text.replace("var", "let")
