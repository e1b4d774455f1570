"""ESLint's `stylish` formatter: problems grouped by file, then a summary.

```

/path/to/file.js
  1:7   error    Expected '===' and instead saw '=='  eqeqeq
  2:1   warning  Unexpected 'debugger' statement      no-debugger

✖ 2 problems (1 error, 1 warning)
  0 errors and 1 warning potentially fixable with the `--fix` option.
```

The table is laid out on the plain text and coloured afterwards, so the alignment is the
same with and without colour. Thea adds one line for the unsafe fixes that only
`--fix --unsafe-fixes` applies.
"""

from __future__ import annotations

from engine.finding import Severity
from engine.report.model import FileReport, Message, Totals

_CODES = {"red": "31", "yellow": "33", "dim": "2", "bold": "1", "underline": "4"}


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        if not self.color or not text:
            return text
        return f"\x1b[{_CODES[style]}m{text}\x1b[0m"


def format_stylish(reports: list[FileReport], color: bool = False) -> str:
    style = _Style(color)
    out = ["\n"]
    summary_color = "yellow"
    for report in reports:
        if not report.messages:
            continue
        if any(m.fatal or m.severity == Severity.ERROR for m in report.messages):
            summary_color = "red"
        out.append(style("underline", report.path) + "\n")
        out.append(_table(report.messages, style) + "\n\n")
    totals = Totals.of(reports)
    if totals.problems == 0:
        return ""
    summary = (
        f"\u2716 {totals.problems} {_plural('problem', totals.problems)} "
        f"({totals.errors} {_plural('error', totals.errors)}, {totals.warnings} {_plural('warning', totals.warnings)})"
    )
    out.append(style(summary_color, style("bold", summary)) + "\n")
    if totals.fixable_errors or totals.fixable_warnings:
        fixable = (
            f"  {totals.fixable_errors} {_plural('error', totals.fixable_errors)} and "
            f"{totals.fixable_warnings} {_plural('warning', totals.fixable_warnings)} "
            "potentially fixable with the `--fix` option."
        )
        out.append(style(summary_color, style("bold", fixable)) + "\n")
    if totals.unsafe_fixable:
        unsafe = (
            f"  {totals.unsafe_fixable} more {_plural('problem', totals.unsafe_fixable)} with an unsafe fix, "
            "applied by `--fix --unsafe-fixes` (review the changes)."
        )
        out.append(style(summary_color, unsafe) + "\n")
    return "".join(out)


def _table(messages: list[Message], style: _Style) -> str:
    rows = [
        [
            str(m.line or 0),
            str(m.column or 0),
            "error" if m.fatal or m.severity == Severity.ERROR else "warning",
            _strip_period(m.message),
            m.rule_id or "",
        ]
        for m in messages
    ]
    widths = [max(len(row[index]) for row in rows) for index in range(5)]
    lines = []
    for row in rows:
        line, column, kind, text, rule_id = row
        cells = [
            " " * (widths[0] - len(line)) + style("dim", f"{line}:{column}") + " " * (widths[1] - len(column)),
            style("red" if kind == "error" else "yellow", kind) + " " * (widths[2] - len(kind)),
            text + " " * (widths[3] - len(text)),
            style("dim", rule_id),
        ]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return "\n".join(lines)


def _strip_period(text: str) -> str:
    # As ESLint: drop one trailing period unless a space precedes it.
    if len(text) > 1 and text.endswith(".") and text[-2] != " ":
        return text[:-1]
    return text


def _plural(word: str, count: int) -> str:
    return word if count == 1 else word + "s"
