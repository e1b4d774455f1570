"""Settings (initializationOptions, workspace/configuration, didChangeConfiguration), config
files per document, watched config files, multi-root workspaces."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.conftest import change_document, diagnostics_for, eventually, open_document

CODE = "if (a == b) {\n  debugger;\n}\n"


def _codes(diagnostics) -> list[str]:
    return [str(d.code) for d in diagnostics if d.code]


async def test_did_change_configuration_turns_a_rule_off(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace, settings={})
    uri = open_document(client, workspace / "c.js", CODE)
    assert _codes(await diagnostics_for(client, uri, 1)) == ["eqeqeq", "no-debugger"]
    before = len(client.published_for(uri))
    client.set_configuration({"rules": {"no-debugger": "off"}}, section="thea")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await eventually(lambda: len(client.published_for(uri)) > before)
    assert _codes(client.published_for(uri)[-1].diagnostics) == ["eqeqeq"]
    assert client.published_for(uri)[-1].version == 1  # same text, re-linted
    # VS Code's settings also hold the extension's own keys: they are not an error
    client.set_configuration({"path": "", "interpreter": "", "trace": {"server": "off"}, "rules": {}}, section="thea")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await eventually(lambda: _codes(client.published_for(uri)[-1].diagnostics) == ["eqeqeq", "no-debugger"])


async def test_push_style_settings_without_workspace_configuration(start_server, workspace: Path) -> None:
    """Neovim 0.7 has no workspace/configuration: settings come in the notification."""
    client = await start_server("neovim-0.7", root=workspace)
    uri = open_document(client, workspace / "n.js", CODE)
    assert _codes(await diagnostics_for(client, uri, 1)) == ["eqeqeq", "no-debugger"]
    settings = {"thea": {"rules": {"eqeqeq": "off"}}, "other-tool": {"x": 1}}
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
    await eventually(lambda: _codes(client.published_for(uri)[-1].diagnostics) == ["no-debugger"])


async def test_initialization_options(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace, init={"thea": {"rules": {"eqeqeq": "off"}}})
    uri = open_document(client, workspace / "i.js", CODE)
    assert _codes(await diagnostics_for(client, uri, 1)) == ["no-debugger"]


async def test_invalid_settings_are_reported_not_fatal(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace, settings={"rules": {"no-such-rule": "error"}})
    uri = open_document(client, workspace / "bad.js", CODE)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert _codes(diagnostics) == ["eqeqeq", "no-debugger"]  # linted with the config file alone
    (warning,) = [d for d in diagnostics if not d.code]
    assert warning.severity == types.DiagnosticSeverity.Warning and "unknown rule" in warning.message
    assert any("unknown rule" in m.message for m in client.log_messages)
    assert client.messages == []  # never a popup


async def test_config_file_change_via_watched_files(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace)
    await eventually(lambda: any(r.method == "workspace/didChangeWatchedFiles" for r in client.registrations))
    uri = open_document(client, workspace / "w.js", CODE)
    assert _codes(await diagnostics_for(client, uri, 1)) == ["eqeqeq", "no-debugger"]
    config = workspace / ".thea.toml"
    config.write_text('extends = "none"\n[rules]\neqeqeq = "error"\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)])
    )
    await eventually(lambda: _codes(client.published_for(uri)[-1].diagnostics) == ["eqeqeq"])
    assert client.published_for(uri)[-1].diagnostics[0].severity == types.DiagnosticSeverity.Error


async def test_config_file_reread_on_save_without_watching(start_server, workspace: Path) -> None:
    """Neovim does not watch files: a config edit is picked up at the next save."""
    client = await start_server("neovim", root=workspace)
    assert client.registrations == []
    uri = open_document(client, workspace / "s.js", CODE)
    assert _codes(await diagnostics_for(client, uri, 1)) == ["eqeqeq", "no-debugger"]
    (workspace / ".thea.toml").write_text('extends = "none"\n[rules]\nno-debugger = "warn"\n')
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await eventually(lambda: _codes(client.published_for(uri)[-1].diagnostics) == ["no-debugger"])


async def test_broken_config_file(start_server, workspace: Path) -> None:
    (workspace / ".thea.toml").write_text("extends = [\n")
    client = await start_server("vscode-push", root=workspace)
    uri = open_document(client, workspace / "b.js", CODE)
    (notice,) = await diagnostics_for(client, uri, 1)
    assert "invalid configuration" in notice.message and ".thea.toml" in notice.message
    assert client.messages == []


async def test_multi_root_folders_have_their_own_config(start_server, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    (first / ".thea.toml").write_text('extends = "none"\n[rules]\neqeqeq = "warn"\n')
    (second / "pyproject.toml").write_text('[tool.thea]\nextends = "none"\n[tool.thea.rules]\nno-debugger = "warn"\n')
    client = await start_server("vscode-push", folders=[first, second], settings={})
    # folder-scoped settings: only the second folder turns eqeqeq on from the editor
    client.set_configuration({"rules": {"eqeqeq": "error"}}, section="thea", scope_uri=second.as_uri())
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    one = open_document(client, first / "a.js", CODE)
    two = open_document(client, second / "b.js", CODE)
    assert _codes(await diagnostics_for(client, one, 1)) == ["eqeqeq"]
    await eventually(lambda: _codes(client.published_for(two)[-1].diagnostics) == ["eqeqeq", "no-debugger"] if client.published_for(two) else False)


async def test_changed_text_does_not_re_resolve_config(start_server, workspace: Path) -> None:
    """Config is resolved on open and on config events, not per edit: a config file edited
    behind the server's back takes effect only at such an event."""
    client = await start_server("vscode-push", root=workspace, init={"server": {"debounceMs": 0}})
    uri = open_document(client, workspace / "k.js", CODE)
    await diagnostics_for(client, uri, 1)
    (workspace / ".thea.toml").write_text('extends = "none"\n')
    change_document(client, uri, 2, "\n", (0, 0))
    assert _codes(await diagnostics_for(client, uri, 2)) == ["eqeqeq", "no-debugger"]


async def test_invalid_server_options_keep_their_defaults(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace, init={"server": {"debounceMs": "fast", "bogus": 1}})
    uri = open_document(client, workspace / "o.js", CODE)
    assert _codes(await diagnostics_for(client, uri, 1)) == ["eqeqeq", "no-debugger"]
    await eventually(lambda: any("debounceMs" in m.message for m in client.log_messages))
    assert any("bogus" in m.message for m in client.log_messages)
    assert client.messages == []


async def test_settings_registration_for_vscode(start_server, workspace: Path) -> None:
    """VS Code allows dynamic registration of both notifications: the server asks for them."""
    client = await start_server("vscode-push", root=workspace)
    methods = await eventually(lambda: {r.method for r in client.registrations} or None)
    assert methods == {"workspace/didChangeWatchedFiles", "workspace/didChangeConfiguration"}
