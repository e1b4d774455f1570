"""ESLint's `json` formatter: the list of lint results, key for key, in ESLint's order.

Thea's extensions stay inside ESLint's shape: a safe fix is the message's `fix`; unsafe and
display-only fixes are `suggestions` whose `desc` starts with the label ("[unsafe] ..."),
since ESLint applies a `fix` with `--fix` and never a suggestion; an ML finding adds
`confidence`. Columns are 1-based UTF-16 units and `range` offsets UTF-16 indexes, as
JavaScript strings count.
"""

from __future__ import annotations

import json
from typing import Any

from engine.report.model import FileReport, Message, ReportedFix


def format_json(reports: list[FileReport]) -> str:
    return "[" + ",".join(
        report.rendered_json if report.rendered_json is not None else result_json(report) for report in reports
    ) + "]"


def result_json(report: FileReport) -> str:
    """One result as JSON text, as `format_json` joins them."""
    return json.dumps(result_object(report), ensure_ascii=False, separators=(",", ":"))


def result_object(report: FileReport) -> dict[str, Any]:
    """One ESLint `LintResult`."""
    result: dict[str, Any] = {
        "filePath": report.path,
        "messages": [message_object(message) for message in report.messages],
        "suppressedMessages": [],
        "errorCount": report.error_count,
        "fatalErrorCount": report.fatal_count,
        "warningCount": report.warning_count,
        "fixableErrorCount": report.fixable_error_count,
        "fixableWarningCount": report.fixable_warning_count,
    }
    if report.output is not None:
        result["output"] = report.output
    elif report.source is not None and report.error_count + report.warning_count > 0:
        result["source"] = report.source
    result["usedDeprecatedRules"] = []
    return result


def message_object(message: Message) -> dict[str, Any]:
    """One ESLint `LintMessage`."""
    if message.rule_id is None:
        # A problem with the file itself: fatal (unreadable, skipped), or a notice such as
        # ESLint's "File ignored" warning, which has no position.
        notice: dict[str, Any] = {
            "ruleId": None,
            "fatal": message.fatal,
            "severity": int(message.severity),
            "message": message.message,
        }
        if message.fatal:
            notice["line"], notice["column"] = message.line, message.column
        return notice
    result: dict[str, Any] = {
        "ruleId": message.rule_id,
        "severity": int(message.severity),
        "message": message.message,
        "line": message.line,
        "column": message.column,
        "messageId": message.message_id,
        "endLine": message.end_line,
        "endColumn": message.end_column,
    }
    if (fix := message.fix) is not None:
        result["fix"] = _fix_object(fix)
    if suggestions := message.suggestions:
        result["suggestions"] = [
            {"desc": f"[{fix.applicability.label}] {fix.title}", "fix": _fix_object(fix)} for fix in suggestions
        ]
    if message.confidence is not None:
        result["confidence"] = message.confidence
    return result


def _fix_object(fix: ReportedFix) -> dict[str, Any]:
    return {"range": [fix.range[0], fix.range[1]], "text": fix.text}
