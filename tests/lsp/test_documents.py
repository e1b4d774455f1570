"""Open, change, close; incremental edits; versions; debounce and superseded work."""

from __future__ import annotations

import random
from pathlib import Path

from lsprotocol import types

from engine.config.cache import ConfigCache
from engine.linter import lint_source
from engine.parse import Source, parse
from thea_lsp import convert
from tests.lsp.conftest import change_document, diagnostics_for, eventually, open_document, span

SAMPLE = 'const a = 1;\nif (a == 1) {\n  debugger;\n}\n'


async def test_open_change_close(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    uri = open_document(client, workspace / "a.js", SAMPLE)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert [(d.code, span(d)) for d in diagnostics] == [("eqeqeq", (1, 6, 1, 8)), ("no-debugger", (2, 2, 2, 11))]
    eqeqeq, debugger = diagnostics
    assert eqeqeq.severity == types.DiagnosticSeverity.Warning and debugger.severity == types.DiagnosticSeverity.Error
    assert eqeqeq.source == "thea" and eqeqeq.message == "Expected '===' and instead saw '=='."
    assert eqeqeq.code_description.href == "https://thea.dev/rules/eqeqeq"
    assert eqeqeq.data["version"] == 1 and eqeqeq.data["fixes"][0]["safety"] == "unsafe"

    # an incremental edit: "==" -> "===" removes the first finding
    change_document(client, uri, 2, "===", (1, 6), (1, 8))
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["no-debugger"]

    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    cleared = await eventually(lambda: len(client.published_for(uri)) == 3 and client.published_for(uri)[-1])
    assert not cleared.diagnostics and cleared.version is None


async def test_incremental_edits_match_a_fresh_parse(start_server, workspace: Path) -> None:
    """Many small edits (insertions, deletions, line joins) applied one by one: the final
    diagnostics equal those of linting the final text from scratch."""
    client = await start_server("neovim", root=workspace, init={"server": {"debounceMs": 0}})
    rng = random.Random(7)
    lines = [f"if (v{i} == {i}) {{ debugger; }}" for i in range(30)]
    text = "\n".join(lines) + "\n"
    uri = open_document(client, workspace / "edits.js", text)
    await diagnostics_for(client, uri, 1)
    version = 1
    for _ in range(60):
        current = text.split("\n")
        line = rng.randrange(len(current) - 1)
        choice = rng.random()
        if choice < 0.4:  # insert a statement at the start of a line
            column, new, end = 0, "x == y; ", None
        elif choice < 0.7 and len(current[line]) > 3:  # delete two characters
            column = rng.randrange(len(current[line]) - 2)
            new, end = "", (line, column + 2)
        else:  # join with the next line
            column, new, end = len(current[line]), " ", (line + 1, 0)
        version += 1
        change_document(client, uri, version, new, (line, column), end or (line, column))
        offset = sum(len(part) + 1 for part in current[:line]) + column
        end_offset = offset if end is None else sum(len(part) + 1 for part in current[: end[0]]) + end[1]
        text = text[:offset] + new + text[end_offset:]
    pushed = await diagnostics_for(client, uri, version)
    source = Source(text)
    config = ConfigCache().resolve(workspace / "edits.js")
    expected = convert.diagnostics(lint_source(source, parse(source), config.rule_set), source, version, "utf-8")
    assert [(d.code, span(d)) for d in pushed] == [(d["code"], convert.sort_key(d)[:4]) for d in expected]
    assert pushed, "the edits leave findings to compare"


async def test_stale_versions_are_not_published(start_server, workspace: Path) -> None:
    """A burst of edits within the debounce window: only the last version is analysed and
    published, and nothing is published for the versions in between."""
    client = await start_server("vscode-push", root=workspace, init={"server": {"debounceMs": 1000}})
    uri = open_document(client, workspace / "burst.js", "let a;\n")
    await diagnostics_for(client, uri, 1)
    for version in range(2, 12):
        change_document(client, uri, version, "a == 1;\n", (version - 1, 0))
    diagnostics = await diagnostics_for(client, uri, 11)
    assert len(diagnostics) == 10
    assert [p.version for p in client.published_for(uri)] == [1, 11]


async def test_reopen_and_unknown_documents(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace)
    uri = open_document(client, workspace / "r.js", "debugger;\n")
    await diagnostics_for(client, uri, 1)
    # a change for a document that was never opened is ignored (and logged), the server goes on
    change_document(client, (workspace / "never.js").as_uri(), 5, "x")
    # re-opening without a close starts over at the new version
    open_document(client, workspace / "r.js", "a == b;\n", version=7)
    assert [d.code for d in await diagnostics_for(client, uri, 7)] == ["eqeqeq"]
    # a non-JavaScript document gets no findings
    uri_txt = open_document(client, workspace / "notes.txt", "a == b; debugger;", language_id="plaintext")
    await eventually(lambda: client.published_for(uri_txt))
    assert not client.published_for(uri_txt)[-1].diagnostics
