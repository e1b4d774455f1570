"""Position encodings: negotiated from the client's list (UTF-8 > UTF-32 > UTF-16), and exact
ranges with an emoji and CRLF line breaks, in diagnostics, incoming edits and fixes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp import conftest
from tests.lsp.conftest import apply_text_edits, change_document, diagnostics_for, edits_of, open_document, span

# The finding (`==`) sits after an emoji (2 UTF-16 units, 4 UTF-8 bytes) and an é (1 unit, 2 bytes).
TEXT = 'let t = 1;\r\nconst s = "😀é"; if (s == t) {}\r\n'


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def _profile(offered: list[str]) -> types.ClientCapabilities:
    capabilities = conftest.helix()
    capabilities.general.position_encodings = offered
    return capabilities


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        (["utf-16", "utf-8"], "utf-8"),  # the server prefers bytes even when the client lists UTF-16 first
        (["utf-16", "utf-32"], "utf-32"),
        (["utf-16"], "utf-16"),
        (None, "utf-16"),
    ],
)
async def test_negotiation_and_exact_ranges(start_server, workspace: Path, monkeypatch, offered, chosen) -> None:
    monkeypatch.setitem(conftest.PROFILES, "custom", lambda: _profile(offered))
    client = await start_server("custom", root=workspace, init={"server": {"debounceMs": 0}})
    assert client.server_capabilities.position_encoding == chosen
    uri = open_document(client, workspace / "enc.js", TEXT)
    (diagnostic,) = await diagnostics_for(client, uri, 1)
    line = TEXT.split("\r\n")[1]
    start = _units(line[: line.index("==")], chosen)
    assert span(diagnostic) == (1, start, 1, start + 2)

    # the quick fix edit lands exactly on `==`, in the same encoding
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    fixed = apply_text_edits(TEXT, edits_of(actions[0]), chosen)
    assert fixed == TEXT.replace("s == t", "s === t")

    # an incoming edit right after the emoji, in the negotiated units
    after_emoji = _units(line[: line.index("é")], chosen)
    change_document(client, uri, 2, "🎉", (1, after_emoji))
    (moved,) = await diagnostics_for(client, uri, 2)
    assert span(moved) == (1, start + _units("🎉", chosen), 1, start + _units("🎉", chosen) + 2)


async def test_out_of_range_positions_are_clamped(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace, init={"server": {"debounceMs": 0}})
    uri = open_document(client, workspace / "clamp.js", "a;\n")
    await diagnostics_for(client, uri, 1)
    # a column past the end of its line means the line end; a line past the end, the document end
    change_document(client, uri, 2, " b == c;", (0, 999))
    (diagnostic,) = await diagnostics_for(client, uri, 2)
    assert span(diagnostic) == (0, 5, 0, 7)
    change_document(client, uri, 3, "debugger;\n", (99, 5), (120, 0))
    assert [d.code for d in await diagnostics_for(client, uri, 3)] == ["eqeqeq", "no-debugger"]
    # a range inside a surrogate pair (UTF-16) does not split the emoji
    change_document(client, uri, 4, '"😀";\n', (0, 0))
    change_document(client, uri, 5, "", (0, 2), (0, 2))
    assert [d.code for d in await diagnostics_for(client, uri, 5)] == ["eqeqeq", "no-debugger"]
