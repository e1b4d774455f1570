"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

One run: `tool.driver` lists the metadata of every rule the run enabled; each result carries its rule, level,
message, a UTF-16 region (`columnKind` on the run), fixes as `artifactChanges` with
`replacements`, and `partialFingerprints` that stay the same across runs and line shifts:
a hash of rule id, file, normalised line text and the occurrence index of that pair in the
file. Problems with a file itself (unreadable, skipped) are tool execution notifications
(a file that could not be linted makes `executionSuccessful` false).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote

import engine
from engine.finding import Severity
from engine.report.model import FileReport, Message, ReportedFix
from engine.rules.rule import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://thea.dev"
FINGERPRINT_KEY = "theaFindingHash/v1"
_ROOT_ID = "%SRCROOT%"


def format_sarif(reports: list[FileReport], rules: Mapping[str, Rule], root: str | os.PathLike[str]) -> str:
    """SARIF for `reports`; `rules` are the rules the run enabled (described in the driver);
    file URIs are relative to `root` where they lie below it."""
    root_path = Path(root).resolve()
    rule_ids = sorted(set(rules) | {m.rule_id for r in reports for m in r.messages if m.rule_id})
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for report in reports:
        location = _artifact_location(report.path, root_path)
        occurrences: dict[tuple[str, str], int] = {}
        for message in report.messages:
            if message.rule_id is None:  # about the file itself, not a rule's finding
                notifications.append(_notification(message, location))
                continue
            key = (message.rule_id or "", message.context_hash)
            occurrence = occurrences.get(key, 0)
            occurrences[key] = occurrence + 1
            results.append(_result(message, location, index, occurrence))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "thea",
                "version": engine.__version__,
                "semanticVersion": engine.__version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(rule_id, rules.get(rule_id)) for rule_id in rule_ids],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not any(n["level"] == "error" for n in notifications),
                "toolExecutionNotifications": notifications,
            }
        ],
        "originalUriBaseIds": {_ROOT_ID: {"uri": root_path.as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2)


def _rule_descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:  # e.g. an ML finding kind that has no registered rule
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    meta = rule.meta
    return {
        "id": meta.id,
        "shortDescription": {"text": meta.description},
        "helpUri": meta.docs_url,
        "defaultConfiguration": {"level": _level(meta.default_severity), "enabled": meta.recommended},
        "properties": {
            "type": meta.type,
            "fixable": meta.fixable,
            "recommended": meta.recommended,
            "eslintEquivalent": meta.eslint_equivalent,
            "tags": [meta.type],
        },
    }


def _result(message: Message, location: dict[str, Any], index: Mapping[str, int], occurrence: int) -> dict[str, Any]:
    rule_id = message.rule_id or ""
    fingerprint = hashlib.sha256(
        f"{rule_id}\0{location['uri']}\0{message.context_hash}\0{occurrence}".encode()
    ).hexdigest()
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": _level(message.severity),
        "message": {"text": message.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": _region((message.line, message.column), (message.end_line or message.line, message.end_column or message.column)),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if message.fixes:
        result["fixes"] = [_fix(fix, location) for fix in message.fixes]
    properties: dict[str, Any] = {}
    if message.confidence is not None:
        properties["confidence"] = message.confidence
    if properties:
        result["properties"] = properties
    return result


def _fix(fix: ReportedFix, location: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": {"text": f"[{fix.applicability.label}] {fix.title}"},
        "artifactChanges": [
            {
                "artifactLocation": location,
                "replacements": [{"deletedRegion": _region(fix.start, fix.end), "insertedContent": {"text": fix.text}}],
            }
        ],
        "properties": {"applicability": fix.applicability.label},
    }


def _notification(message: Message, location: dict[str, Any]) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error" if message.fatal else "warning",
        "message": {"text": message.message},
        "locations": [{"physicalLocation": {"artifactLocation": location}}],
    }
    if message.line:
        notification["locations"][0]["physicalLocation"]["region"] = _region(
            (message.line, message.column or 1), (message.line, message.column or 1)
        )
    return notification


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def _artifact_location(path: str, root: Path) -> dict[str, Any]:
    absolute = Path(path)
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri() if absolute.is_absolute() else quote(path)}
    return {"uri": quote(relative.as_posix()), "uriBaseId": _ROOT_ID}


def _level(severity: Severity) -> str:
    return "error" if severity == Severity.ERROR else "warning"
