"""Fix all: every safe fix of a document, to a fixpoint, as one minimal text edit.

`engine.fix.apply_fixes` re-lints after each pass (at most ten) and rejects fixes that add
syntax errors; its output has no safe fix left, so fixing again changes nothing (the
editor's fix-on-save is idempotent). The edit replaces only the span between the first and
the last changed byte, which keeps the editor's cursor and undo history sensible.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

from lsprotocol import types

from engine.fix.apply import apply_fixes
from engine.fix.edit import Applicability
from engine.linter import lint_source
from engine.parse.source import PositionEncoding, Source
from thea_lsp import code_actions, convert
from thea_lsp.documents import Snapshot
from thea_lsp.pipeline import DocumentClosed, Pipeline

logger = logging.getLogger(__name__)


async def workspace_edit(pipeline: Pipeline, uri: str, encoding: PositionEncoding, versioned: bool) -> types.WorkspaceEdit | None:
    """The edit fixing every safe problem of an open document's latest version (empty when
    there is none); None when the document is not open."""
    state = pipeline.documents.get(uri)
    if state is None:
        return None
    try:
        snapshot = await pipeline.current_snapshot(state)
    except DocumentClosed:
        return None
    edits = await fix_all_edits(snapshot, pipeline.rules_lane, encoding)
    return code_actions.workspace_edit(uri, snapshot.version, edits, versioned)


def is_empty(edit: types.WorkspaceEdit) -> bool:
    changes = [change.edits for change in edit.document_changes or () if isinstance(change, types.TextDocumentEdit)]
    changes += list((edit.changes or {}).values())
    return not any(changes)


async def resolve(pipeline: Pipeline, action: types.CodeAction, encoding: PositionEncoding, versioned: bool) -> types.CodeAction:
    """codeAction/resolve of the fix-all action: its edit, computed now."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if isinstance(uri, str):
        action.edit = await workspace_edit(pipeline, uri, encoding, versioned)
    return action


async def fix_all_edits(snapshot: Snapshot, executor: Executor, encoding: PositionEncoding) -> list[types.TextEdit]:
    """The edits that apply every safe fix to the snapshot's text ([] when none applies)."""
    if not snapshot.analysable:
        return []
    return await asyncio.get_running_loop().run_in_executor(executor, _fix_all, snapshot, encoding)


def _fix_all(snapshot: Snapshot, encoding: PositionEncoding) -> list[types.TextEdit]:
    assert snapshot.config is not None
    rules = snapshot.config.rule_set
    result = apply_fixes(
        snapshot.source,
        lambda source, tree: lint_source(source, tree, rules),
        Applicability.SAFE,
        tree=snapshot.tree,
    )
    if result.rejected:
        logger.info("fix all on %s: %d fixes rejected (they add syntax errors)", snapshot.uri, len(result.rejected))
    if not result.changed:
        return []
    return [minimal_edit(snapshot.source, result.source, encoding)]


def minimal_edit(old: Source, new: Source, encoding: PositionEncoding) -> types.TextEdit:
    """One edit turning `old` into `new`: the changed middle, cut at character boundaries."""
    a, b = old.data, new.data
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    prefix = _back_to_boundary(a, prefix)
    suffix = 0
    while suffix < limit - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]:
        suffix += 1
    # the old span's end must also start a character (and not split a CRLF)
    while suffix > 0 and not _is_boundary(a, len(a) - suffix):
        suffix -= 1
    start, end = prefix, len(a) - suffix
    text = b[prefix : len(b) - suffix].decode("utf-8", "surrogatepass")
    return types.TextEdit(range=convert.lsp_range(old, start, end, encoding), new_text=text)


def _is_boundary(data: bytes, offset: int) -> bool:
    if offset <= 0 or offset >= len(data):
        return True
    if (data[offset] & 0xC0) == 0x80:
        return False
    return not (data[offset - 1] == 0x0D and data[offset] == 0x0A)


def _back_to_boundary(data: bytes, offset: int) -> int:
    while offset > 0 and not _is_boundary(data, offset):
        offset -= 1
    return offset
