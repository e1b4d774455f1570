"""Quick fixes (titles, preferred, edits), disable comments, documentation, fix-all."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.conftest import apply_text_edits, change_document, diagnostics_for, edits_of, eventually, open_document

SAFE_AND_UNSAFE = 'if (typeof a == "string") {\n  if (a == b) {\n    debugger;\n  }\n}\n'


def _context(diagnostics, only=None) -> types.CodeActionContext:
    return types.CodeActionContext(diagnostics=list(diagnostics), only=only)


def _params(uri: str, diagnostics, only=None, line: int = 0) -> types.CodeActionParams:
    position = types.Position(line=line, character=0)
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=position, end=position),
        context=_context(diagnostics, only),
    )


async def test_quick_fix_titles_preferred_and_edits(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    uri = open_document(client, workspace / "q.js", SAFE_AND_UNSAFE)
    safe, unsafe, debugger = await diagnostics_for(client, uri, 1)
    actions = await client.text_document_code_action_async(_params(uri, [safe, unsafe, debugger]))
    titles = [action.title for action in actions]
    assert titles[:3] == [
        "Replace '==' with '===' (safe)",
        "Replace '==' with '===' (unsafe)",
        "Remove 'debugger' statement (suggestion)",
    ]
    by_title = {action.title: action for action in actions}
    assert by_title["Replace '==' with '===' (safe)"].is_preferred is True
    assert not by_title["Replace '==' with '===' (unsafe)"].is_preferred
    # without `only`: the quick fixes, then fix-all (a safe fix exists)
    assert [a.kind for a in actions] == [types.CodeActionKind.QuickFix] * (len(actions) - 1) + ["source.fixAll.thea"]
    fixed = apply_text_edits(SAFE_AND_UNSAFE, edits_of(actions[0]))
    assert fixed.splitlines()[0] == 'if (typeof a === "string") {'
    # VS Code supports versioned edits: the edit names the analysed version
    assert actions[0].edit.document_changes[0].text_document.version == 1
    assert "Disable eqeqeq for this line" in titles and "Disable eqeqeq for this file" in titles
    assert titles.count("Disable eqeqeq for this file") == 1  # one per rule, not per finding
    assert "Show documentation for eqeqeq" in titles and "Show documentation for no-debugger" in titles


async def test_disable_comments(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace)
    text = "#!/usr/bin/env node\nfunction f() {\n    debugger;\n}\n"
    uri = open_document(client, workspace / "d.js", text)
    (debugger,) = await diagnostics_for(client, uri, 1)
    actions = {a.title: a for a in await client.text_document_code_action_async(_params(uri, [debugger], line=2))}
    line_fixed = apply_text_edits(text, edits_of(actions["Disable no-debugger for this line"]), "utf-8")
    assert line_fixed == "#!/usr/bin/env node\nfunction f() {\n    // thea-disable-next-line no-debugger\n    debugger;\n}\n"
    file_fixed = apply_text_edits(text, edits_of(actions["Disable no-debugger for this file"]), "utf-8")
    assert file_fixed == "#!/usr/bin/env node\n/* thea-disable no-debugger */\nfunction f() {\n    debugger;\n}\n"
    # a second rule on a line that already has a directive above joins its list
    text2 = "// thea-disable-next-line eqeqeq -- legacy\nif (a == b) debugger;\n"
    change_document(client, uri, 2, text2)
    diagnostics = await diagnostics_for(client, uri, 2)
    debugger = next(d for d in diagnostics if d.code == "no-debugger")
    actions = {a.title: a for a in await client.text_document_code_action_async(_params(uri, [debugger], line=1))}
    joined = apply_text_edits(text2, edits_of(actions["Disable no-debugger for this line"]), "utf-8")
    assert joined.splitlines()[0] == "// thea-disable-next-line eqeqeq, no-debugger -- legacy"
    # and the directives do what they say
    change_document(client, uri, 3, joined)
    assert await diagnostics_for(client, uri, 3) == []
    change_document(client, uri, 4, file_fixed)
    assert await diagnostics_for(client, uri, 4) == []


async def test_disable_comment_keeps_crlf(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    text = "var x = 1;\r\n\tdebugger;\r\n"
    uri = open_document(client, workspace / "crlf.js", text)
    (debugger,) = await diagnostics_for(client, uri, 1)
    actions = {a.title: a for a in await client.text_document_code_action_async(_params(uri, [debugger], line=1))}
    fixed = apply_text_edits(text, edits_of(actions["Disable no-debugger for this line"]))
    assert fixed == "var x = 1;\r\n\t// thea-disable-next-line no-debugger\r\n\tdebugger;\r\n"


async def test_show_documentation(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    uri = open_document(client, workspace / "s.js", "debugger;\n")
    (debugger,) = await diagnostics_for(client, uri, 1)
    actions = await client.text_document_code_action_async(_params(uri, [debugger]))
    show = next(a for a in actions if a.title == "Show documentation for no-debugger")
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=show.command.command, arguments=show.command.arguments)
    )
    shown = await eventually(lambda: client.shown_documents)
    assert shown[0].uri == "https://thea.dev/rules/no-debugger" and shown[0].external is True


async def test_fix_all_is_lazy_safe_only_and_idempotent(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    text = 'if (typeof a == "x" && typeof b != "y") {}\nif (a == b) {}\n'
    uri = open_document(client, workspace / "fa.js", text)
    await diagnostics_for(client, uri, 1)
    for only in (["source.fixAll.thea"], ["source.fixAll"], ["source"]):
        actions = await client.text_document_code_action_async(_params(uri, [], only=only))
        assert [a.kind for a in actions] == ["source.fixAll.thea"], only
    (action,) = actions
    assert action.edit is None  # VS Code resolves code actions: the edit comes in resolve
    resolved = await client.code_action_resolve_async(action)
    fixed = apply_text_edits(text, edits_of(resolved))
    assert fixed == 'if (typeof a === "x" && typeof b !== "y") {}\nif (a == b) {}\n'  # the unsafe one stays
    change_document(client, uri, 2, fixed)
    await diagnostics_for(client, uri, 2)
    # nothing safe left: no fix-all is offered, and resolving a stale one changes nothing
    assert not await client.text_document_code_action_async(_params(uri, [], only=["source.fixAll"]))
    again = await client.code_action_resolve_async(action)
    assert edits_of(again) == []


async def test_fix_all_eager_without_resolve_support(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace)
    text = 'x = typeof a == "x";\n'
    uri = open_document(client, workspace / "fe.js", text)
    await diagnostics_for(client, uri, 1)
    (action,) = await client.text_document_code_action_async(_params(uri, [], only=["source.fixAll"]))
    assert apply_text_edits(text, edits_of(action), "utf-8") == 'x = typeof a === "x";\n'


async def test_quick_fix_without_diagnostic_data(start_server, workspace: Path) -> None:
    """A client that drops `data` still gets the fix: matched by range and code."""
    client = await start_server("neovim", root=workspace)
    uri = open_document(client, workspace / "nd.js", "a == b;\n")
    (diagnostic,) = await diagnostics_for(client, uri, 1)
    bare = types.Diagnostic(range=diagnostic.range, message=diagnostic.message, code="eqeqeq", source="thea")
    actions = await client.text_document_code_action_async(_params(uri, [bare]))
    assert actions[0].title == "Replace '==' with '===' (unsafe)"


async def test_stale_diagnostics_give_no_fixes(start_server, workspace: Path) -> None:
    """Diagnostics of an older version: their edits may be wrong now, so none are offered."""
    client = await start_server("vscode-push", root=workspace, init={"server": {"debounceMs": 2000}})
    uri = open_document(client, workspace / "st.js", "a == b;\n")
    (diagnostic,) = await diagnostics_for(client, uri, 1)
    change_document(client, uri, 2, "\n", (0, 0))
    actions = await client.text_document_code_action_async(_params(uri, [diagnostic], only=["quickfix"]))
    assert not actions


async def test_apply_fix_all_command(start_server, workspace: Path) -> None:
    """`thea.applyFixAll` (for an editor's own "fix all" command) sends workspace/applyEdit."""
    client = await start_server("neovim", root=workspace)
    text = 'if (typeof a == "x") {}\n'
    uri = open_document(client, workspace / "cmd.js", text)
    await diagnostics_for(client, uri, 1)
    applied = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="thea.applyFixAll", arguments=[uri]))
    assert applied is True
    (params,) = client.applied_edits
    assert apply_text_edits(text, edits_of(params.edit), "utf-8") == 'if (typeof a === "x") {}\n'
