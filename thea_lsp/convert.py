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

Edits are arrays, not TextEdit objects: a large file has hundreds of diagnostics, and the
publish is the bulk of what the server writes per keystroke.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from lsprotocol import types

from engine.finding import Finding, Severity
from engine.parse.source import PositionEncoding, Source
from engine.rules import get_rule
from thea_lsp import disable

SOURCE_NAME = "thea"

JsonDiagnostic = dict[str, Any]  # an LSP Diagnostic as JSON

# Thea's offsets are bytes: UTF-8 columns need no decoding at all, UTF-32 a decode of the
# line prefix, UTF-16 a decode and a surrogate count. LSP lets the server pick from the
# client's list; the client's own order is a preference we may override.
_PREFERENCE: tuple[PositionEncoding, ...] = ("utf-8", "utf-32", "utf-16")

_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning}
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


def edit_json(source: Source, start: int, end: int, text: str, encoding: PositionEncoding) -> list[Any]:
    """A text edit in diagnostic data: `[start line, start column, end line, end column, text]`."""
    first = source.position(start, encoding)
    last = source.position(end, encoding)
    return [first[0], first[1], last[0], last[1], text]


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
    """Diagnostics for the findings of one analysed version of a document."""
    directive_edits = disable.DisableEdits(source, encoding)
    return [_diagnostic(finding, source, version, encoding, directive_edits) for finding in findings]


def _diagnostic(
    finding: Finding, source: Source, version: int, encoding: PositionEncoding, directive_edits: disable.DisableEdits
) -> JsonDiagnostic:
    rule = get_rule(finding.rule_id)
    line = source.line_of(finding.start)
    start = source.position(finding.start, encoding)
    end = source.position(finding.end, encoding)
    diagnostic: JsonDiagnostic = {
        "range": {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}},
        "message": finding.message,
        "severity": int(_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning)),
        "code": finding.rule_id,
        "source": SOURCE_NAME,
        "data": {
            "version": version,
            "fixes": [
                {
                    "title": fix.title,
                    "safety": fix.applicability.label,
                    "edits": [edit_json(source, edit.start, edit.end, edit.text, encoding) for edit in fix.edits],
                }
                for fix in finding.fixes
            ],
            "disableLine": directive_edits.for_line(line, finding.rule_id),
            "disableFile": directive_edits.for_file(finding.rule_id),
        },
    }
    if rule is not None:
        diagnostic["codeDescription"] = {"href": rule.meta.docs_url}
    tags = [int(_TAGS[tag]) for tag in sorted(finding.tags) if tag in _TAGS]
    if tags:
        diagnostic["tags"] = tags
    return diagnostic


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


def same_range(diagnostic: JsonDiagnostic, lsp: types.Range) -> bool:
    start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
    return (start["line"], start["character"], end["line"], end["character"]) == (
        lsp.start.line,
        lsp.start.character,
        lsp.end.line,
        lsp.end.character,
    )
