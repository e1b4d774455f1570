"""The JSON report against ESLint's result schema, the SARIF log against SARIF 2.1.0's required
structure, UTF-16 coordinates, stable fingerprints, and output that does not depend on the
number of workers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.batch import PARALLEL_MIN_FILES
from engine.cli import main
from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Edit, Fix
from engine.parse.source import Source
from engine.report.json_report import message_object
from engine.report.model import Message
from tests.batch.conftest import run_cli

# ESLint's LintResult / LintMessage: key -> allowed types (Thea adds `confidence` only).
RESULT_KEYS = {
    "filePath": str,
    "messages": list,
    "suppressedMessages": list,
    "errorCount": int,
    "fatalErrorCount": int,
    "warningCount": int,
    "fixableErrorCount": int,
    "fixableWarningCount": int,
    "usedDeprecatedRules": list,
}
OPTIONAL_RESULT_KEYS = {"source": str, "output": str}
MESSAGE_KEYS = {"ruleId": str, "severity": int, "message": str, "line": int, "column": int, "messageId": str,
                "endLine": int, "endColumn": int}
OPTIONAL_MESSAGE_KEYS = {"fix": dict, "suggestions": list, "confidence": float, "nodeType": str}
FATAL_KEYS = {"ruleId": type(None), "fatal": bool, "severity": int, "message": str, "line": int, "column": int}
NOTICE_KEYS = {"ruleId": type(None), "fatal": bool, "severity": int, "message": str}  # "File ignored ..."


def _check_keys(value: dict[str, Any], required: dict[str, type], optional: dict[str, type]) -> None:
    assert set(required) <= set(value), set(required) - set(value)
    assert set(value) <= set(required) | set(optional), set(value) - set(required) - set(optional)
    for key, kind in {**required, **optional}.items():
        if key in value:
            assert isinstance(value[key], kind), (key, value[key])


def _check_fix(fix: dict[str, Any]) -> None:
    assert set(fix) == {"range", "text"}
    start, end = fix["range"]
    assert isinstance(start, int) and isinstance(end, int) and 0 <= start <= end
    assert isinstance(fix["text"], str)


def validate_eslint_json(report: Any) -> None:
    assert isinstance(report, list)
    for result in report:
        _check_keys(result, RESULT_KEYS, OPTIONAL_RESULT_KEYS)
        assert not ("source" in result and "output" in result)
        for message in result["messages"]:
            if message["ruleId"] is None:
                _check_keys(message, FATAL_KEYS if message["fatal"] else NOTICE_KEYS, {})
                continue
            _check_keys(message, MESSAGE_KEYS, OPTIONAL_MESSAGE_KEYS)
            assert message["severity"] in (1, 2)
            if "fix" in message:
                _check_fix(message["fix"])
            for suggestion in message.get("suggestions", []):
                assert set(suggestion) <= {"desc", "messageId", "fix", "data"} and isinstance(suggestion["desc"], str)
                _check_fix(suggestion["fix"])
        severities = [m["severity"] for m in result["messages"]]
        assert result["errorCount"] == severities.count(2)
        assert result["warningCount"] == severities.count(1)
        assert result["fatalErrorCount"] == sum(1 for m in result["messages"] if m.get("fatal"))
        assert result["fixableErrorCount"] == sum(1 for m in result["messages"] if m["severity"] == 2 and "fix" in m)


def validate_sarif(log: Any) -> None:
    assert log["version"] == "2.1.0" and "$schema" in log
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "thea" and isinstance(driver["rules"], list)
    rule_ids = [rule["id"] for rule in driver["rules"]]
    for rule in driver["rules"]:
        assert {"id", "shortDescription"} <= set(rule) and isinstance(rule["shortDescription"]["text"], str)
    assert run["columnKind"] == "utf16CodeUnits"
    (invocation,) = run["invocations"]
    assert isinstance(invocation["executionSuccessful"], bool)
    for result in run["results"]:
        assert {"ruleId", "message", "locations", "level", "partialFingerprints"} <= set(result)
        assert result["level"] in ("error", "warning", "note", "none")
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert isinstance(result["message"]["text"], str)
        location = result["locations"][0]["physicalLocation"]
        assert isinstance(location["artifactLocation"]["uri"], str)
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
        for fix in result.get("fixes", []):
            assert isinstance(fix["description"]["text"], str)
            for change in fix["artifactChanges"]:
                assert "uri" in change["artifactLocation"]
                for replacement in change["replacements"]:
                    assert {"startLine", "startColumn"} <= set(replacement["deletedRegion"])
                    assert isinstance(replacement["insertedContent"]["text"], str)


def test_json_follows_eslints_schema(project: Path) -> None:
    (project / "bad.js").write_bytes(b"\x00\x01binary")
    (project / "notes.txt").write_text("not javascript")
    report = json.loads(run_cli("check", "--format", "json", ".", "notes.txt", cwd=project).stdout)
    validate_eslint_json(report)
    assert any(m.get("fatal") for result in report for m in result["messages"])
    assert any(m.get("fatal") is False for result in report for m in result["messages"])


def test_sarif_has_the_required_structure(project: Path) -> None:
    (project / "bad.js").write_bytes(b"\x00\x01binary")
    (project / "notes.txt").write_text("not javascript")
    log = json.loads(run_cli("check", "--format", "sarif", ".", "notes.txt", cwd=project).stdout)
    validate_sarif(log)
    run = log["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    levels = {n["message"]["text"].split(":")[0]: n["level"] for n in run["invocations"][0]["toolExecutionNotifications"]}
    assert levels == {"Cannot lint file": "error", "File ignored": "warning"}
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"eqeqeq", "no-debugger"}


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def test_columns_and_ranges_count_utf16_units(project: Path) -> None:
    report = json.loads(run_cli("check", "--format", "json", "src/app.js", cwd=project).stdout)
    (result,) = report
    wide = _utf16(result["source"])
    lines = result["source"].split("\n")
    for message in result["messages"]:
        line = _utf16(lines[message["line"] - 1])
        flagged = line[(message["column"] - 1) * 2 : (message["endColumn"] - 1) * 2].decode("utf-16-le")
        assert flagged in ("==", "!=", "debugger;")
        for fix in [message.get("fix")] + [s["fix"] for s in message.get("suggestions", [])]:
            if fix:
                start, end = fix["range"]
                assert wide[start * 2 : end * 2].decode("utf-16-le") in ("==", "!=", "debugger;")
    assert [m["column"] for m in result["messages"] if m["line"] == 6] == [37, 48]  # after "👋": 2 units


def _fingerprints(project: Path) -> list[str]:
    log = json.loads(run_cli("check", "--format", "sarif", cwd=project).stdout)
    return sorted(result["partialFingerprints"]["theaFindingHash/v1"] for result in log["runs"][0]["results"])


def test_fingerprints_are_stable_across_runs_and_line_shifts(project: Path) -> None:
    first = _fingerprints(project)
    assert len(set(first)) == len(first) == 5  # distinct, even for two findings on one line
    assert _fingerprints(project) == first
    app = project / "src/app.js"
    app.write_text("// a new header comment\n\n" + app.read_text(encoding="utf-8").replace("  return a == b;", "    return a == b;"), encoding="utf-8")
    assert _fingerprints(project) == first


def test_output_is_the_same_for_one_worker_and_a_pool(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    many = project / "many"
    many.mkdir()
    for index in range(PARALLEL_MIN_FILES * 3):
        (many / f"f{index:03}.js").write_text(f"if (x{index} == {index}) {{}}\n" + "debugger;\n" * (index % 3))
    monkeypatch.chdir(project)
    outputs = []
    for workers in ("1", "2"):
        assert main(["check", "many", "--format", "json", "--workers", workers, "-v"]) == 1
        captured = capsys.readouterr()
        assert f"{workers} workers" in captured.err
        outputs.append(captured.out)
    assert outputs[0] == outputs[1]
    names = [Path(result["filePath"]).name for result in json.loads(outputs[0])]
    assert names == sorted(names) and len(names) == PARALLEL_MIN_FILES * 3


def test_a_fix_of_several_edits_is_one_eslint_range_and_ml_confidence_is_kept() -> None:
    source = Source("x = '😀' + (a == b);\n")
    start, end = source.data.index(b"("), source.data.index(b")") + 1
    unwrap = Fix((Edit(start, start + 1, ""), Edit(end - 1, end, "")), Applicability.UNSAFE, "Remove parentheses")
    finding = Finding("ml/wrong-operator", "ml", "Suspicious operator.", start, end, Severity.WARNING, (unwrap,), 0.875)
    message = message_object(Message.from_finding(finding, source))
    assert message["confidence"] == 0.875 and "fix" not in message
    (suggestion,) = message["suggestions"]
    assert suggestion["desc"] == "[unsafe] Remove parentheses"
    assert suggestion["fix"] == {"range": [11, 19], "text": "a == b"}  # UTF-16: the emoji counts 2
    assert (message["column"], message["endColumn"]) == (12, 20)
