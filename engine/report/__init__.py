"""Output formats of `thea check`: one formatter per file, over the `FileReport`s of a run.

- `stylish` (default): ESLint's human-readable table, coloured on a terminal;
- `json`: ESLint's JSON formatter schema, for tools that read ESLint's output;
- `sarif`: SARIF 2.1.0, for code scanning services.
"""

from __future__ import annotations

import os
import re
from typing import Mapping

from engine.report.json_report import format_json
from engine.report.model import FileReport, Message, ReportedFix, Totals
from engine.report.sarif import format_sarif
from engine.report.stylish import format_stylish
from engine.rules.rule import Rule

FORMATS = ("stylish", "json", "sarif")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def render(
    format_name: str,
    reports: list[FileReport],
    *,
    rules: Mapping[str, Rule],
    root: str | os.PathLike[str],
    color: bool = False,
) -> str:
    """The text of a report in one of `FORMATS`."""
    if format_name == "stylish":
        text = format_stylish(reports, color=color)
    elif format_name == "json":
        text = format_json(reports)
    elif format_name == "sarif":
        text = format_sarif(reports, rules, root)
    else:
        raise ValueError(f"unknown format {format_name!r}; expected one of {', '.join(FORMATS)}")
    # A file may hold a lone surrogate (decoded with surrogatepass); JSON.stringify writes it
    # as an escape, and so do we, so that the output is valid UTF-8.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["FORMATS", "FileReport", "Message", "ReportedFix", "Totals", "render"]
