"""Findings -> LSP types, in the position encoding negotiated at initialize.

Thea keeps byte offsets into a Source's UTF-8 data; `Source` maps them to (line, column)
in UTF-8, UTF-16 or UTF-32 units. This module is the only place that builds LSP ranges.

A diagnostic's `data` carries everything its code actions need, already in LSP terms, so
that the code-action handler needs no server state (as Ruff's server does):

    {"version": 7,                                  # the analysed document version
     "fixes": [{"title": ..., "safety": "safe", "edits": [TextEdit, ...]}],  # best first
     "disableLine": TextEdit, "disableFile": TextEdit}
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from lsprotocol import types

from engine.finding import Finding, Severity
from engine.parse.source import PositionEncoding, Source
from engine.rules import get_rule
from thea_lsp import disable

SOURCE_NAME = "thea"

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


def edit_json(source: Source, start: int, end: int, text: str, encoding: PositionEncoding) -> dict[str, Any]:
    """A TextEdit as the JSON the client receives (diagnostic `data` is sent verbatim)."""
    first = source.position(start, encoding)
    last = source.position(end, encoding)
    return {
        "range": {
            "start": {"line": first[0], "character": first[1]},
            "end": {"line": last[0], "character": last[1]},
        },
        "newText": text,
    }


def text_edit(edit: dict[str, Any]) -> types.TextEdit:
    """A TextEdit from its JSON form (as found in diagnostic data); ValueError if malformed."""
    try:
        start, end = edit["range"]["start"], edit["range"]["end"]
        return types.TextEdit(
            range=types.Range(
                start=types.Position(line=int(start["line"]), character=int(start["character"])),
                end=types.Position(line=int(end["line"]), character=int(end["character"])),
            ),
            new_text=str(edit["newText"]),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"malformed text edit {edit!r}") from error


def diagnostics(
    findings: Iterable[Finding], source: Source, version: int, encoding: PositionEncoding
) -> list[types.Diagnostic]:
    """Diagnostics for the findings of one analysed version of a document."""
    directive_edits = disable.DisableEdits(source, encoding)
    return [_diagnostic(finding, source, version, encoding, directive_edits) for finding in findings]


def _diagnostic(
    finding: Finding, source: Source, version: int, encoding: PositionEncoding, directive_edits: disable.DisableEdits
) -> types.Diagnostic:
    rule = get_rule(finding.rule_id)
    line = source.line_of(finding.start)
    data: dict[str, Any] = {
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
    }
    return types.Diagnostic(
        range=lsp_range(source, finding.start, finding.end, encoding),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule_id,
        code_description=types.CodeDescription(href=rule.meta.docs_url) if rule is not None else None,
        source=SOURCE_NAME,
        tags=[_TAGS[tag] for tag in sorted(finding.tags) if tag in _TAGS] or None,
        data=data,
    )


def notice(message: str, severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Information) -> types.Diagnostic:
    """A diagnostic about the document as a whole (too large, binary, bad config), at its start."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start), message=message, severity=severity, source=SOURCE_NAME
    )


def sort_key(diagnostic: types.Diagnostic) -> tuple[int, int, int, int, str]:
    start, end = diagnostic.range.start, diagnostic.range.end
    return (start.line, start.character, end.line, end.character, str(diagnostic.code or ""))


def merged(groups: Sequence[Sequence[types.Diagnostic]]) -> list[types.Diagnostic]:
    """Diagnostics of several finding sources, in document order."""
    if len(groups) == 1:
        return list(groups[0])
    return sorted((diagnostic for group in groups for diagnostic in group), key=sort_key)
