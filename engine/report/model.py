"""What the formatters print: findings placed in ESLint's coordinates, per file.

A `Finding` holds byte offsets into the UTF-8 text it was found in. A `Message` holds what
every output format needs without the source: 1-based lines, 1-based UTF-16 columns, fixes
with UTF-16 `range` offsets (ESLint's JSON) and line/column regions (SARIF), and a hash of
the normalised line text (SARIF's fingerprints). Converting in the worker that linted the
file means only these small records travel back to the parent process.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Fix
from engine.parse.source import Source

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ReportedFix:
    """A fix in output coordinates: UTF-16 offsets and 1-based line / UTF-16 column spans."""

    range: tuple[int, int]  # UTF-16 offsets into the text, ESLint's `fix.range`
    text: str  # the replacement of the whole range
    applicability: Applicability
    title: str
    start: tuple[int, int]  # (line, column), 1-based, column in UTF-16 units
    end: tuple[int, int]

    @classmethod
    def from_fix(cls, fix: Fix, source: Source) -> ReportedFix:
        # ESLint's fix is one range and one text; a fix of several edits becomes the span
        # from its first edit to its last, with the untouched text between kept verbatim.
        if len(fix.edits) == 1:
            text = fix.edits[0].text
        else:
            pieces: list[str] = []
            position = fix.start
            for edit in fix.edits:
                pieces.append(source.slice(position, edit.start))
                pieces.append(edit.text)
                position = edit.end
            text = "".join(pieces)
        return cls(
            range=(source.utf16_offset(fix.start), source.utf16_offset(fix.end)),
            text=text,
            applicability=fix.applicability,
            title=fix.title,
            start=source.eslint_location(fix.start),
            end=source.eslint_location(fix.end),
        )


@dataclass(frozen=True, slots=True)
class Message:
    """One problem in a file, as ESLint's JSON reports it; `rule_id` is None for a problem
    with the file itself (fatal: unreadable or skipped; or a notice such as "File ignored")."""

    rule_id: str | None
    message_id: str | None
    message: str
    severity: Severity
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    fixes: tuple[ReportedFix, ...] = ()
    confidence: float | None = None
    fatal: bool = False
    context_hash: str = ""  # rule id + normalised line text; SARIF's fingerprint input

    @property
    def fix(self) -> ReportedFix | None:
        """The fix `--fix` applies: the first safe one (ESLint's `fix`)."""
        return next((fix for fix in self.fixes if fix.applicability == Applicability.SAFE), None)

    @property
    def suggestions(self) -> tuple[ReportedFix, ...]:
        """Every other fix: unsafe and display-only ones (ESLint's `suggestions`)."""
        chosen = self.fix
        return tuple(fix for fix in self.fixes if fix is not chosen)

    @classmethod
    def from_finding(cls, finding: Finding, source: Source, line_digests: dict[int, str] | None = None) -> Message:
        """With `line_digests` (for SARIF's fingerprints), the message gets a `context_hash`;
        the dict memoises each line's normalised text across a file's findings (a minified
        bundle is one huge line holding thousands of them). Without it the hash stays empty."""
        line, column = source.eslint_location(finding.start)
        end_line, end_column = source.eslint_location(finding.end)
        context = ""
        if line_digests is not None:
            line_digest = line_digests.get(line)
            if line_digest is None:
                text = _WHITESPACE.sub(" ", source.line_text(line - 1)).strip()
                line_digest = line_digests[line] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            context = hashlib.sha256(f"{finding.rule_id}\0{line_digest}".encode()).hexdigest()[:32]
        return cls(
            rule_id=finding.rule_id,
            message_id=finding.message_id,
            message=finding.message,
            severity=finding.severity,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            fixes=tuple(ReportedFix.from_fix(fix, source) for fix in finding.fixes),
            confidence=finding.confidence,
            context_hash=context,
        )

    @classmethod
    def fatal_problem(cls, text: str, line: int = 0, column: int = 0) -> Message:
        """A problem with the file itself (unreadable, skipped): ESLint's `fatal: true`."""
        return cls(None, None, text, Severity.ERROR, line, column, fatal=True)


@dataclass(slots=True)
class FileReport:
    """The outcome for one file: its messages and, when fixing, the fixed text."""

    path: str  # absolute
    messages: list[Message] = field(default_factory=list)
    source: str | None = None  # the text linted (BOM removed): kept when there are problems
    output: str | None = None  # the fixed text, when fixes changed it
    fixes_applied: int = 0
    write_status: str | None = None  # a WriteStatus value when fixes were to be written
    write_detail: str = ""
    crashed: bool = False  # an internal error (a bug) stopped the lint of this file
    # This report already in ESLint's JSON (rendered where it was linted, so that a pool's
    # workers share the formatting and the parent only joins the pieces).
    rendered_json: str | None = None

    # `counts`, fixed when `messages` were cut down to the fatal ones (`compact`).
    counted: Counts | None = None

    @property
    def counts(self) -> Counts:
        if self.counted is not None:
            return self.counted
        errors = warnings = fatal = fixable_errors = fixable_warnings = unsafe_fixable = 0
        for m in self.messages:
            safe_fix = m.fix is not None
            if m.severity == Severity.ERROR:
                errors += 1
                fixable_errors += safe_fix
            elif m.severity == Severity.WARNING:
                warnings += 1
                fixable_warnings += safe_fix
            fatal += m.fatal
            # without a safe fix, an unsafe one that `--unsafe-fixes` would apply
            unsafe_fixable += not safe_fix and any(fix.applicability == Applicability.UNSAFE for fix in m.fixes)
        return Counts(errors, warnings, fatal, fixable_errors, fixable_warnings, unsafe_fixable)

    def compact(self) -> None:
        """Keep the counts and the fatal messages only: the rest already lives in
        `rendered_json`, and this report is about to be sent to another process."""
        self.counted = self.counts
        self.messages = [m for m in self.messages if m.fatal]
        self.source = None

    @property
    def error_count(self) -> int:
        return self.counts.errors

    @property
    def warning_count(self) -> int:
        return self.counts.warnings

    @property
    def fatal_count(self) -> int:
        return self.counts.fatal

    @property
    def fixable_error_count(self) -> int:
        return self.counts.fixable_errors

    @property
    def fixable_warning_count(self) -> int:
        return self.counts.fixable_warnings

    @property
    def unsafe_fixable_count(self) -> int:
        """Messages without a safe fix whose unsafe fix `--unsafe-fixes` would apply."""
        return self.counts.unsafe_fixable


class Counts(NamedTuple):
    """A report's problems, as ESLint's result counts them."""

    errors: int
    warnings: int
    fatal: int
    fixable_errors: int
    fixable_warnings: int
    unsafe_fixable: int


@dataclass(frozen=True, slots=True)
class Totals:
    files: int  # then Counts' fields, in Counts' order (`of` relies on it)
    errors: int
    warnings: int
    fatal: int
    fixable_errors: int
    fixable_warnings: int
    unsafe_fixable: int

    @property
    def problems(self) -> int:
        return self.errors + self.warnings

    @classmethod
    def of(cls, reports: list[FileReport]) -> Totals:
        sums = [sum(column) for column in zip(*(r.counts for r in reports))] or [0] * len(Counts._fields)
        return cls(len(reports), *sums)  # one pass over each report's messages, not six
