"""`thea check` on a file that does not parse and on files that configure rules in comments:
what each output format says, and that --fix leaves a broken file's error alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.batch.conftest import run_cli

BROKEN = "let total = ;\nconst same = a ! == b;\n"
CONFIGURED = '/* eslint eqeqeq: ["error", "smart"], no-var: "warn" */\nvar a = 1;\nif (a == null) a = 2;\nif (a == 2) a = 3;\n'
MISCONFIGURED = "/* thea not-a-rule: 2 */\nlet b = 1;\n"


def _write(root: Path) -> None:
    (root / "broken.js").write_text(BROKEN, encoding="utf-8")
    (root / "configured.js").write_text(CONFIGURED, encoding="utf-8")
    (root / "misconfigured.js").write_text(MISCONFIGURED, encoding="utf-8")


def _messages(stdout: str) -> dict[str, list[dict]]:
    return {Path(result["filePath"]).name: result["messages"] for result in json.loads(stdout)}


def test_json_reports_syntax_errors_and_inline_config(tmp_path: Path) -> None:
    _write(tmp_path)
    completed = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    assert completed.code == 1, completed.stderr
    messages = _messages(completed.stdout)
    broken = [(m["ruleId"], m["line"], m["column"], m["message"]) for m in messages["broken.js"]]
    # The split `! ==` is spaced-operator's; the rest is a syntax error, not a fatal message:
    # the other rules ran on the file.
    assert broken[:2] == [
        ("syntax-error", 1, 11, "Syntax error: cannot parse '='."),
        ("spaced-operator", 2, 16, "Operator '!==' is split by whitespace ('! ==')."),
    ]
    assert [m["ruleId"] for m in messages["broken.js"]].count("syntax-error") == 1
    assert all(not m.get("fatal") for m in messages["broken.js"])
    configured = [(m["ruleId"], m["severity"], m["line"]) for m in messages["configured.js"]]
    assert configured == [("no-var", 1, 2), ("eqeqeq", 2, 4)]  # smart: `a == null` is fine
    assert [(m["ruleId"], m["line"], m["message"]) for m in messages["misconfigured.js"]] == [
        ("inline-config", 1, "Definition for rule 'not-a-rule' was not found.")
    ]


def test_stylish_and_sarif_name_the_rules(tmp_path: Path) -> None:
    _write(tmp_path)
    stylish = run_cli("check", ".", cwd=tmp_path).stdout
    assert re.search(r"1:11 +error +Syntax error: cannot parse '=' +syntax-error", stylish)
    assert re.search(r"1:1 +error +Definition for rule 'not-a-rule' was not found +inline-config", stylish)
    sarif = json.loads(run_cli("check", "--format", "sarif", ".", cwd=tmp_path).stdout)
    run = sarif["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "syntax-error" in rule_ids and "inline-config" in rule_ids
    results = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("syntax-error", "error") in results and ("inline-config", "error") in results
    assert run["invocations"][0]["executionSuccessful"]


def test_fix_keeps_a_broken_file_broken_where_no_fix_is_known(tmp_path: Path) -> None:
    _write(tmp_path)
    completed = run_cli("check", "--fix", "--format", "json", "broken.js", cwd=tmp_path)
    assert completed.code == 1
    # The safe join is applied; `let total = ;` has no fix and stays reported.
    assert (tmp_path / "broken.js").read_text(encoding="utf-8") == "let total = ;\nconst same = a !== b;\n"
    assert [m["ruleId"] for m in _messages(completed.stdout)["broken.js"]] == ["syntax-error"]


DIRECTED = '/* eslint eqeqeq: "off" */\nif (a == b) a();\n// eslint-disable-next-line no-debugger\ndebugger;\n'
RULES = '{"eqeqeq": "error", "no-debugger": "error", "no-empty": "off"}'


def _rules_reported(stdout: str) -> list[tuple[str | None, int]]:
    return [(m["ruleId"], m["line"]) for m in _messages(stdout)["directed.js"]]


def test_no_inline_config_flag_ignores_directive_comments(tmp_path: Path) -> None:
    (tmp_path / "directed.js").write_text(DIRECTED, encoding="utf-8")
    honoured = run_cli("check", "--format", "json", "--rule", RULES, "directed.js", cwd=tmp_path)
    assert _rules_reported(honoured.stdout) == [] and honoured.code == 0
    ignored = run_cli("check", "--format", "json", "--no-inline-config", "--rule", RULES, "directed.js", cwd=tmp_path)
    assert _rules_reported(ignored.stdout) == [("eqeqeq", 2), ("no-debugger", 4)] and ignored.code == 1


def test_no_inline_config_setting_warns_at_each_directive(tmp_path: Path) -> None:
    (tmp_path / "directed.js").write_text(DIRECTED, encoding="utf-8")
    (tmp_path / ".thea.toml").write_text("no-inline-config = true\n", encoding="utf-8")
    completed = run_cli("check", "--format", "json", "--rule", RULES, "directed.js", cwd=tmp_path)
    assert _rules_reported(completed.stdout) == [
        ("inline-config", 1), ("eqeqeq", 2), ("inline-config", 3), ("no-debugger", 4),
    ]
    (tmp_path / ".thea.toml").write_text("no-inline-config = 3\n", encoding="utf-8")
    invalid = run_cli("check", "directed.js", cwd=tmp_path)
    assert invalid.code == 2 and "no-inline-config: expected true or false" in invalid.stderr


def test_quiet_does_not_call_a_directive_for_a_warning_rule_unused(tmp_path: Path) -> None:
    (tmp_path / "quiet.js").write_text("// eslint-disable-next-line no-var\nvar a = 1;\n", encoding="utf-8")
    (tmp_path / ".thea.toml").write_text('report-unused-directives = true\n[rules]\nno-var = "warn"\n', encoding="utf-8")
    completed = run_cli("check", "--format", "json", "--quiet", "quiet.js", cwd=tmp_path)
    assert completed.code == 0 and json.loads(completed.stdout)[0]["messages"] == []
