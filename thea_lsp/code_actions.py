"""textDocument/codeAction and codeAction/resolve.

Per Thea diagnostic in the request's context: one quick fix per fix, titled with its
confidence label ("(safe)", "(unsafe)", "(suggestion)"; safe ones preferred), "Disable
<rule> for this line", "Disable <rule> for this file", and "Show documentation for <rule>".
All of them are built from the diagnostic's `data` alone (see `convert`). Where a client
drops `data`, the diagnostic is matched by range and code against the stored results.

`source.fixAll.thea` (also answered for `source.fixAll` and `source`) applies every safe fix
to a fixpoint. It is costly, so where the client can resolve code actions the edit is only
computed in codeAction/resolve; it is offered only while some finding has a safe fix.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator, Sequence

from lsprotocol import types

from engine.rules import get_rule
from thea_lsp import convert
from thea_lsp.pipeline import DocumentState

logger = logging.getLogger(__name__)

FIX_ALL_KIND = "source.fixAll.thea"
SHOW_DOCUMENTATION = "thea.showDocumentation"
APPLY_FIX_ALL = "thea.applyFixAll"
FIX_ALL_TITLE = "Fix all safe Thea problems"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL_KIND]

_LABELS = {"safe": "safe", "unsafe": "unsafe", "display_only": "suggestion"}


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's hierarchical kinds: `source.fixAll` asks for `source.fixAll.thea` too."""
    if not only:
        return True
    return any(kind == asked or kind.startswith(f"{asked}.") or asked == "" for asked in map(str, _values(only)))


def quick_fixes(
    uri: str,
    diagnostics: Sequence[types.Diagnostic],
    state: DocumentState | None,
    versioned_edits: bool,
) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    disables: list[types.CodeAction] = []
    docs: list[types.CodeAction] = []
    seen: set[tuple[str, str]] = set()
    for diagnostic in diagnostics:
        if diagnostic.source != convert.SOURCE_NAME or not diagnostic.code:
            continue
        rule_id = str(diagnostic.code)
        data = _data(diagnostic, state)
        if data is None:
            continue
        version = data.get("version")
        if state is not None and version != state.version:
            continue  # computed for an older text: the fresh diagnostics are on their way
        edit_version = version if state is not None else None
        for fix in _fixes(data):
            label = _LABELS.get(fix.get("safety"), "suggestion")
            edits = _edits(fix.get("edits"))
            if edits is None:
                continue
            actions.append(
                types.CodeAction(
                    title=f"{fix.get('title') or 'Fix'} ({label})",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=label == "safe" or None,
                    edit=workspace_edit(uri, edit_version, edits, versioned_edits),
                )
            )
        for key, scope in (("disableLine", "line"), ("disableFile", "file")):
            edits = _edits([data.get(key)])
            marker = (rule_id, f"{scope}:{diagnostic.range.start.line if scope == 'line' else ''}")
            if edits is None or marker in seen:
                continue
            seen.add(marker)
            disables.append(
                types.CodeAction(
                    title=f"Disable {rule_id} for this {scope}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=workspace_edit(uri, edit_version, edits, versioned_edits),
                )
            )
        url = _docs_url(diagnostic)
        if url is not None and (rule_id, "docs") not in seen:
            seen.add((rule_id, "docs"))
            title = f"Show documentation for {rule_id}"
            docs.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    command=types.Command(title=title, command=SHOW_DOCUMENTATION, arguments=[url]),
                )
            )
    return actions + disables + docs


def fix_all_action(uri: str, state: DocumentState | None) -> types.CodeAction | None:
    """The unresolved fix-all action, offered while a safe fix exists in the latest results,
    or while the latest version is still being analysed (fix-on-save right after typing)."""
    if state is None or (state.ready and not has_safe_fix(state)):
        return None
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, data={"uri": uri, "version": state.version})


def has_safe_fix(state: DocumentState) -> bool:
    for diagnostic in state.diagnostics():
        data = diagnostic.get("data")
        if isinstance(data, dict) and any(fix.get("safety") == "safe" for fix in _fixes(data)):
            return True
    return False


def workspace_edit(uri: str, version: int | None, edits: list[types.TextEdit], versioned: bool) -> types.WorkspaceEdit:
    if versioned:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def _data(diagnostic: types.Diagnostic, state: DocumentState | None) -> dict[str, Any] | None:
    if isinstance(diagnostic.data, dict) and "fixes" in diagnostic.data:
        return diagnostic.data
    if state is None:
        return None
    for stored in state.diagnostics():  # a client that dropped `data`: find ours by place and code
        if stored.get("code") == diagnostic.code and convert.same_range(stored, diagnostic.range):
            data = stored.get("data")
            return data if isinstance(data, dict) else None
    return None


def _fixes(data: dict[str, Any]) -> list[dict[str, Any]]:
    fixes = data.get("fixes")
    return [fix for fix in fixes if isinstance(fix, dict)] if isinstance(fixes, list) else []


def _edits(raw: Any) -> list[types.TextEdit] | None:
    if not isinstance(raw, list) or not raw:
        return None
    try:
        return [convert.text_edit(edit) for edit in raw]
    except ValueError as error:
        logger.info("ignoring a malformed fix in diagnostic data: %s", error)
        return None


def _docs_url(diagnostic: types.Diagnostic) -> str | None:
    if diagnostic.code_description is not None and diagnostic.code_description.href:
        return diagnostic.code_description.href
    rule = get_rule(str(diagnostic.code))
    return rule.meta.docs_url if rule is not None else None


def _values(only: Sequence[Any]) -> Iterator[str]:
    for kind in only:
        yield getattr(kind, "value", kind)
