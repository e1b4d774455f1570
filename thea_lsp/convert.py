"""Findings -> LSP types, in the position encoding negotiated at initialize.

Thea keeps byte offsets into a Source's UTF-8 data; `Source` maps them to (line, column)
in UTF-8, UTF-16 or UTF-32 units. This module is the only place that builds LSP ranges.

Diagnostics are built as JSON-ready dicts (`JsonDiagnostic`), not lsprotocol objects: the
server sends them as they are (see `protocol.RawJSON`), since cattrs' unstructuring of a few
hundred diagnostics with `data` costs tens of milliseconds per publish.

A diagnostic's `data` carries everything its code actions need, already in LSP terms, so
that the code-action handler needs no server state (as Ruff's server does):

    {"version": 7,                      # the analysed document version
     "fixes": [{"title": ..., "safety": "safe" | "unsafe" | "display_only",
                "edits": [[line, col, end_line, end_col, text], ...]}],   # best first
     "disableLine": [line, col, text], "disableFile": [line, col, text]}  # insertions

Edits are arrays, not TextEdit objects, and narrowed to the bytes they change (see
`minimal_edits`): a large file has hundreds of diagnostics, and the publish is the bulk of
what the server writes per keystroke.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from lsprotocol import types

from engine.finding import Finding, Severity
from engine.fix.edit import Applicability
from engine.parse.source import PositionEncoding, Source
from engine.rules import get_rule
from thea_lsp import disable, minimal_edits

SOURCE_NAME = "thea"

JsonDiagnostic = dict[str, Any]  # an LSP Diagnostic as JSON

# Thea's offsets are bytes: UTF-8 columns need no decoding at all, UTF-32 a decode of the
# line prefix, UTF-16 a decode and a surrogate count. LSP lets the server pick from the
# client's list; the client's own order is a preference we may override.
_PREFERENCE: tuple[PositionEncoding, ...] = ("utf-8", "utf-32", "utf-16")

_SEVERITY_VALUES = {Severity.ERROR: int(types.DiagnosticSeverity.Error), Severity.WARNING: int(types.DiagnosticSeverity.Warning)}
_WARNING = int(types.DiagnosticSeverity.Warning)
_SAFETY = {applicability: applicability.label for applicability in Applicability}
_TAGS = {"unnecessary": types.DiagnosticTag.Unnecessary, "deprecated": types.DiagnosticTag.Deprecated}


def choose_position_encoding(capabilities: types.ClientCapabilities | None) -> PositionEncoding:
    """The best encoding the client offers; UTF-16 (LSP's default) when it offers none."""
    general = capabilities.general if capabilities is not None else None
    offered = {getattr(kind, "value", kind) for kind in (general.position_encodings or ())} if general is not None else set()
    return next((encoding for encoding in _PREFERENCE if encoding in offered), "utf-16")


def position(source: Source, offset: int, encoding: PositionEncoding) -> types.Position:
    line, character = source.position(offset, encoding)
    return types.Position(line=line, character=character)


def lsp_range(source: Source, start: int, end: int, encoding: PositionEncoding) -> types.Range:
    return types.Range(start=position(source, start, encoding), end=position(source, end, encoding))


def byte_range(source: Source, lsp: types.Range, encoding: PositionEncoding) -> tuple[int, int]:
    """Byte offsets of an LSP range (clamped to the document, as LSP asks)."""
    start = source.offset(lsp.start.line, lsp.start.character, encoding)
    end = source.offset(lsp.end.line, lsp.end.character, encoding)
    return start, max(start, end)


def text_edit(edit: Any) -> types.TextEdit:
    """A TextEdit from its form in diagnostic data (an insertion may give one position:
    `[line, column, text]`); ValueError if malformed."""
    if not isinstance(edit, list) or len(edit) not in (3, 5) or not isinstance(edit[-1], str):
        raise ValueError(f"malformed text edit {edit!r}")
    numbers = edit[:-1] if len(edit) == 5 else edit[:2] * 2
    if not all(isinstance(number, int) and not isinstance(number, bool) and number >= 0 for number in numbers):
        raise ValueError(f"malformed text edit {edit!r}")
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=numbers[0], character=numbers[1]),
            end=types.Position(line=numbers[2], character=numbers[3]),
        ),
        new_text=edit[-1],
    )


def diagnostics(
    findings: Iterable[Finding], source: Source, version: int, encoding: PositionEncoding
) -> list[JsonDiagnostic]:
    """Diagnostics for the findings of one analysed version of a document.

    Per keystroke this runs for every finding of the document (hundreds in a large file),
    so lookups that repeat per rule are made once per call."""
    directive_edits = disable.DisableEdits(source, encoding)
    descriptions: dict[str, dict[str, str] | None] = {}  # rule id -> codeDescription (shared)
    position = source.position
    data = source.data
    result: list[JsonDiagnostic] = []
    for finding in findings:
        rule_id = finding.rule_id
        start = position(finding.start, encoding)
        end = position(finding.end, encoding)
        fixes = []
        for fix in finding.fixes:
            edits = []
            for edit in fix.edits:
                first, last, text = minimal_edits.narrowed(data, edit.start, edit.end, edit.text)
                a, b = position(first, encoding), position(last, encoding)
                edits.append([a[0], a[1], b[0], b[1], text])
            fixes.append({"title": fix.title, "safety": _SAFETY[fix.applicability], "edits": edits})
        diagnostic: JsonDiagnostic = {
            "range": {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}},
            "message": finding.message,
            "severity": _SEVERITY_VALUES.get(finding.severity, _WARNING),
            "code": rule_id,
            "source": SOURCE_NAME,
            "data": {
                "version": version,
                "fixes": fixes,
                "disableLine": directive_edits.for_line(start[0], rule_id),
                "disableFile": directive_edits.for_file(rule_id),
            },
        }
        if rule_id not in descriptions:
            rule = get_rule(rule_id)
            descriptions[rule_id] = {"href": rule.meta.docs_url} if rule is not None else None
        description = descriptions[rule_id]
        if description is not None:
            diagnostic["codeDescription"] = description
        if finding.tags:
            tags = [int(_TAGS[tag]) for tag in sorted(finding.tags) if tag in _TAGS]
            if tags:
                diagnostic["tags"] = tags
        result.append(diagnostic)
    return result


def notice(message: str, severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Information) -> JsonDiagnostic:
    """A diagnostic about the document as a whole (too large, binary, bad config), at its start."""
    start = {"line": 0, "character": 0}
    return {"range": {"start": start, "end": dict(start)}, "message": message, "severity": int(severity), "source": SOURCE_NAME}


def sort_key(diagnostic: JsonDiagnostic) -> tuple[int, int, int, int, str]:
    start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
    return (start["line"], start["character"], end["line"], end["character"], str(diagnostic.get("code") or ""))


def merged(groups: Sequence[Sequence[JsonDiagnostic]]) -> list[JsonDiagnostic]:
    """Diagnostics of several finding sources, in document order."""
    groups = [group for group in groups if group]
    if len(groups) == 1:
        return list(groups[0])
    return sorted((diagnostic for group in groups for diagnostic in group), key=sort_key)


def to_json(diagnostics: Sequence[JsonDiagnostic]) -> str:
    """Diagnostics as compact JSON text (ASCII, as pygls writes every message)."""
    return json.dumps(diagnostics, separators=(",", ":"))


def same_range(diagnostic: JsonDiagnostic, lsp: types.Range) -> bool:
    start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
    return (start["line"], start["character"], end["line"], end["character"]) == (
        lsp.start.line,
        lsp.start.character,
        lsp.end.line,
        lsp.end.character,
    )
