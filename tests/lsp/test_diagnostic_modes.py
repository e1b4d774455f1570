"""Push for clients without pull support, pull (document and workspace) for the others:
never both to one client."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pygls.exceptions import JsonRpcRequestCancelled
from lsprotocol import types

from tests.lsp.conftest import change_document, diagnostics_for, eventually, open_document, span


def _pull(uri: str, previous: str | None = None) -> types.DocumentDiagnosticParams:
    return types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous)


@pytest.mark.parametrize("profile", ["vscode-push", "neovim", "helix"])
async def test_push_clients_are_not_offered_pull(start_server, workspace: Path, profile: str) -> None:
    client = await start_server(profile, root=workspace)
    assert client.server_capabilities.diagnostic_provider is None
    uri = open_document(client, workspace / "p.js", "a == b;\n")
    assert [d.code for d in await diagnostics_for(client, uri, 1)] == ["eqeqeq"]


async def test_pull_client_gets_no_push(start_server, workspace: Path) -> None:
    client = await start_server("vscode-pull", root=workspace)
    provider = client.server_capabilities.diagnostic_provider
    assert provider is not None and provider.workspace_diagnostics and not provider.inter_file_dependencies
    uri = open_document(client, workspace / "pull.js", "a == b;\ndebugger;\n")
    report = await client.text_document_diagnostic_async(_pull(uri))
    assert report.kind == "full" and [d.code for d in report.items] == ["eqeqeq", "no-debugger"]
    # asking again with the result id, nothing changed: "unchanged"
    again = await client.text_document_diagnostic_async(_pull(uri, report.result_id))
    assert again.kind == "unchanged" and again.result_id == report.result_id
    # an edit: the next pull waits for the new version's analysis
    change_document(client, uri, 2, "", (1, 0), (2, 0))
    after = await client.text_document_diagnostic_async(_pull(uri, report.result_id))
    assert after.kind == "full" and [d.code for d in after.items] == ["eqeqeq"]
    assert after.items[0].data["version"] == 2
    await asyncio.sleep(0.3)
    assert client.published == []  # never pushed to


async def test_pull_cancelled_request(start_server, workspace: Path) -> None:
    """$/cancelRequest on a pull that is waiting for a debounced analysis."""
    client = await start_server("vscode-pull", root=workspace, init={"server": {"debounceMs": 1500}})
    uri = open_document(client, workspace / "c.js", "a == b;\n")
    await client.text_document_diagnostic_async(_pull(uri))
    change_document(client, uri, 2, "x == y;\n", (1, 0))
    pending = client.protocol.send_request(types.TEXT_DOCUMENT_DIAGNOSTIC, _pull(uri), msg_id="pull-1")
    await asyncio.sleep(0.2)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="pull-1"))
    with pytest.raises(JsonRpcRequestCancelled):
        await asyncio.wait_for(asyncio.wrap_future(pending), 5)
    # the server is fine and answers the next pull with the new version
    report = await client.text_document_diagnostic_async(_pull(uri))
    assert [span(d) for d in report.items] == [(0, 2, 0, 4), (1, 2, 1, 4)]


async def test_workspace_diagnostics_with_progress(start_server, workspace: Path) -> None:
    (workspace / "src").mkdir()
    (workspace / "src" / "one.js").write_text("a == b;\n")
    (workspace / "src" / "two.mjs").write_text("debugger;\n")
    (workspace / "src" / "clean.cjs").write_text("a === b;\n")
    (workspace / "node_modules" / "dep").mkdir(parents=True)
    (workspace / "node_modules" / "dep" / "index.js").write_text("a == b;\n")
    (workspace / "readme.txt").write_text("a == b")
    (workspace / "open.js").write_text("a == b;\n")
    client = await start_server("vscode-pull", root=workspace)
    open_uri = open_document(client, workspace / "open.js", "a == b;\n")
    client.progress_reports["ws-token"] = []  # a client-made token: the test client does not track those
    report = await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[], work_done_token="ws-token")
    )
    by_uri = {item.uri: item for item in report.items}
    names = sorted(Path(uri).name for uri in by_uri)
    assert names == ["clean.cjs", "one.js", "two.mjs"]  # not node_modules, not .txt, not the open document
    assert open_uri not in by_uri
    one = by_uri[(workspace / "src" / "one.js").as_uri()]
    assert one.kind == "full" and [d.code for d in one.items] == ["eqeqeq"] and one.version is None
    progress = client.progress_reports["ws-token"]
    assert progress[0].kind == "begin" and progress[-1].kind == "end"
    # unchanged files are reported unchanged; an edited file is analysed again
    (workspace / "src" / "two.mjs").write_text("let fine = 1;\n")
    previous = [types.PreviousResultId(uri=item.uri, value=item.result_id) for item in report.items]
    second = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous))
    kinds = {Path(item.uri).name: item.kind for item in second.items}
    assert kinds == {"clean.cjs": "unchanged", "one.js": "unchanged", "two.mjs": "full"}


async def test_document_pull_for_a_file_not_open(start_server, workspace: Path) -> None:
    (workspace / "closed.js").write_text("debugger;\n")
    client = await start_server("vscode-pull", root=workspace)
    report = await client.text_document_diagnostic_async(_pull((workspace / "closed.js").as_uri()))
    assert [d.code for d in report.items] == ["no-debugger"]
    missing = await client.text_document_diagnostic_async(_pull((workspace / "missing.js").as_uri()))
    assert missing.kind == "full" and not missing.items


async def test_settings_change_refreshes_pull_clients(start_server, workspace: Path) -> None:
    client = await start_server("vscode-pull", root=workspace, settings={"rules": {}})
    uri = open_document(client, workspace / "r.js", "debugger;\n")
    first = await client.text_document_diagnostic_async(_pull(uri))
    assert [d.code for d in first.items] == ["no-debugger"]
    client.set_configuration({"rules": {"no-debugger": "off"}}, section="thea")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await eventually(lambda: client.diagnostic_refresh_count >= 1)
    report = await client.text_document_diagnostic_async(_pull(uri, first.result_id))
    assert report.kind == "full" and not report.items
