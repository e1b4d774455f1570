"""Inline configuration comments (`/* eslint eqeqeq: [2, "smart"] */`): the value reader, the
rule set they make, the problems they report, noInlineConfig, and the same snippets checked
against the real ESLint 10 (node_modules/eslint)."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from engine.finding import Finding, Severity
from engine.fix import Applicability, apply_fixes
from engine.inline_config import INLINE_CONFIG_ID
from engine.inline_config_value import ConfigParseError, js_number, js_string, parse_config_value
from engine.linter import RuleSet, lint_source
from engine.parse import Source

REPO = Path(__file__).resolve().parents[1]


def _config() -> RuleSet:
    """The configuration of the ESLint comparison: eqeqeq on, curly on with "multi"."""
    return RuleSet.from_settings({"eqeqeq": (Severity.ERROR, None), "curly": (Severity.ERROR, ["multi"])})


def _lint(code: str, rules: RuleSet | None = None) -> tuple[Source, list[Finding]]:
    source = Source(code)
    return source, lint_source(source, rules=rules or _config())


def _reported(code: str, rules: RuleSet | None = None) -> list[tuple[str, int, int, int]]:
    """(rule id, severity, ESLint line, ESLint column) of every finding."""
    source, findings = _lint(code, rules)
    return [(f.rule_id, int(f.severity), *source.eslint_location(f.start)) for f in findings]


# --- the value reader (levn's Object, then JSON) --------------------------------------------

PARSED = [
    pytest.param('eqeqeq: ["error", "smart"]', {"eqeqeq": ["error", "smart"]}, id="json-array"),
    pytest.param("no-var: 0", {"no-var": 0}, id="number"),
    pytest.param('curly: [2, "multi"], yoda: "off"', {"curly": [2, "multi"], "yoda": "off"}, id="two-rules"),
    pytest.param("eqeqeq: [2, smart]", {"eqeqeq": [2, "smart"]}, id="bare-words"),
    pytest.param("eqeqeq: ['error', 'smart']", {"eqeqeq": ["error", "smart"]}, id="single-quotes"),
    pytest.param('"eqeqeq": off', {"eqeqeq": "off"}, id="quoted-key"),
    pytest.param('{"eqeqeq": 0}', {"eqeqeq": 0}, id="braces"),
    pytest.param("dot-notation: [2, {allowKeywords: false}]", {"dot-notation": [2, {"allowKeywords": False}]}, id="nested"),
    pytest.param("eqeqeq: 2, ", {"eqeqeq": 2}, id="trailing-comma"),
    pytest.param("eqeqeq:", {"eqeqeq": 0}, id="empty-value-is-zero"),  # levn: Number("") === 0
    pytest.param("eqeqeq: 2 curly: 2", {"eqeqeq": 2, "curly": 2}, id="commaless-json-fallback"),
    pytest.param("eqeqeq:2 no-var:2", {"eqeqeq": 2, "no-var": 2}, id="commaless-tight"),
    pytest.param('eqeqeq: "foo"', {"eqeqeq": "foo"}, id="bad-severity-kept-for-the-rule"),
    pytest.param("eqeqeq: 0x2", {"eqeqeq": 2}, id="hex-number"),
    pytest.param('eqeqeq: "warn", eqeqeq: "error"', {"eqeqeq": "error"}, id="last-key-wins"),
    pytest.param("", {}, id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_config_value(text: str, expected: dict[str, Any]) -> None:
    assert parse_config_value(text) == expected


def test_parse_failure_names_the_json_text() -> None:
    result = parse_config_value("eqeqeq: foo")
    assert isinstance(result, ConfigParseError)
    assert result.text == '"eqeqeq": foo'


@pytest.mark.parametrize(
    ("text", "number"),
    [("2", 2.0), (" 1e1 ", 10.0), ("0b11", 3.0), ("-Infinity", -math.inf), ("", 0.0), (".5", 0.5), ("2 x", math.nan), ("0x", math.nan)],
)
def test_js_number(text: str, number: float) -> None:
    value = js_number(text)
    assert (math.isnan(value) and math.isnan(number)) or value == number


@pytest.mark.parametrize(
    ("value", "text"),
    [(["foo", 3], "foo,3"), (True, "true"), (None, "null"), ({"a": 1}, "[object Object]"), ([1, None, 2.5], "1,,2.5"), (2.0, "2")],
)
def test_js_string(value: Any, text: str) -> None:
    assert js_string(value) == text


# --- what a comment does to the rules --------------------------------------------------------

SEMANTICS = [
    pytest.param('/* eslint eqeqeq: ["error", "smart"] */ a == null; a == b;', [("eqeqeq", 2, 1, 54)], id="options-replace"),
    pytest.param("/* eslint eqeqeq: 0 */ a == b;", [], id="off"),
    pytest.param("/* eslint eqeqeq: off -- legacy code */ a == b;", [], id="off-with-justification"),
    pytest.param("/* eslint no-var: 2 */ var a;", [("no-var", 2, 1, 24)], id="turn-on-with-defaults"),
    pytest.param('/* eslint no-var: "warn" */ var a;', [("no-var", 1, 1, 29)], id="turn-on-as-warning"),
    pytest.param('/* eslint curly: "warn" */ if (a) { b(); }', [("curly", 1, 1, 35)], id="severity-keeps-options"),
    pytest.param("/* eslint curly: [1] */ if (a) { b(); }", [("curly", 1, 1, 32)], id="severity-array-keeps-options"),
    pytest.param('/* eslint curly: ["error", "all"] */ if (a) { b(); } if (a) b();', [("curly", 2, 1, 61)], id="options-given"),
    pytest.param("/* thea eqeqeq: off */ a == b;", [], id="thea-form"),
    pytest.param("// eslint eqeqeq: 0\na == b;", [("eqeqeq", 2, 2, 3)], id="line-comment-is-not-config"),
    pytest.param("/*eslint eqeqeq:0*/ a == b;", [], id="no-spaces"),
    pytest.param("/* eslint\n  eqeqeq: 0,\n  curly: 0\n*/ a == b; if (a) { b(); }", [], id="multi-line"),
    pytest.param("/* eslint-disable */ /* eslint eqeqeq: 2 */ a == b;", [], id="disable-still-applies"),
    pytest.param("/* eslint no-unused-vars: 2, eqeqeq: 0 */ a == b;", [], id="unknown-eslint-rule-is-eslints"),
    pytest.param("a == b; /* eslint eqeqeq: 0 */", [], id="whole-file-wherever-it-is"),
    pytest.param("/* eslintx eqeqeq: 0 */ a == b;", [("eqeqeq", 2, 1, 27)], id="other-label"),
]


@pytest.mark.parametrize(("code", "expected"), SEMANTICS)
def test_semantics(code: str, expected: list[tuple[str, int, int, int]]) -> None:
    assert _reported(code) == expected


PROBLEMS = [
    pytest.param(
        '/* eslint eqeqeq: "foo" */ a == b;',
        ('invalid', 'Inline configuration for rule "eqeqeq" is invalid:\n\tExpected severity of "off", 0, "warn", 1, '
         '"error", or 2. You passed "foo".\n'),
        id="bad-severity",
    ),
    pytest.param(
        '/* eslint eqeqeq: [3, "smart"] */ a == b;',
        ('invalid', 'Inline configuration for rule "eqeqeq" is invalid:\n\tExpected severity of "off", 0, "warn", 1, '
         '"error", or 2. You passed "3,smart".\n'),
        id="bad-severity-array",
    ),
    pytest.param(
        "/* eslint eqeqeq: [3, smart] */ a == b;",  # levn: a bad severity; JSON: `smart` is no value
        ("parseFailed", """Failed to parse JSON from '"eqeqeq": [3, smart]': Expecting value: line 1 column 16 (char 15)"""),
        id="bad-severity-then-bad-json",
    ),
    pytest.param("/* thea not-a-rule: 2 */ a == b;", ("missingRule", "Definition for rule 'not-a-rule' was not found."),
                 id="unknown-thea-rule"),
    pytest.param(
        "/* eslint eqeqeq: 0 */ /* eslint eqeqeq: 2 */ a == b;",
        ("duplicate", 'Rule "eqeqeq" is already configured by another configuration comment in the preceding code. '
         "This configuration is ignored."),
        id="configured-twice",
    ),
]


@pytest.mark.parametrize(("code", "expected"), PROBLEMS)
def test_problems(code: str, expected: tuple[str, str]) -> None:
    _, findings = _lint(code)
    problems = [(f.message_id, f.message) for f in findings if f.rule_id == INLINE_CONFIG_ID]
    assert problems == [expected]


def test_invalid_options_keep_the_configured_rule_and_say_why() -> None:
    source, findings = _lint('/* eslint eqeqeq: ["error", "bogus"] */ a == b;')
    problem, finding = findings
    assert problem.rule_id == INLINE_CONFIG_ID and problem.severity == Severity.ERROR
    assert problem.message.startswith('Inline configuration for rule "eqeqeq" is invalid:\n\t')
    assert "bogus" in problem.message
    assert (source.eslint_location(problem.start), source.eslint_location(problem.end)) == ((1, 1), (1, 40))
    assert finding.rule_id == "eqeqeq"


def test_unparsable_comment_is_an_error_and_sets_nothing() -> None:
    _, findings = _lint("/* eslint eqeqeq: foo */ a == b;")
    assert [f.rule_id for f in findings] == [INLINE_CONFIG_ID, "eqeqeq"]
    assert findings[0].message.startswith("""Failed to parse JSON from '"eqeqeq": foo': """)


def test_problems_are_suppressed_by_directives_as_in_eslint() -> None:
    assert _reported('/* eslint-disable */ /* thea nope: 2 */ /* eslint eqeqeq: "foo" */ /* eslint x: y */ a == b;') == []


def test_config_comment_turns_on_a_rule_for_the_fixer() -> None:
    code = "/* eslint no-var: 2 */\nfunction f() { var a = 1; return a; }\n"
    fixed = apply_fixes(Source(code), lambda s, t: lint_source(s, t, _config()), Applicability.SAFE)
    assert fixed.source.text == code.replace("var a", "let a")


def test_file_without_config_comments_keeps_the_rule_set() -> None:
    rules = _config()
    source, findings = _lint("// eslint-disable-line eqeqeq\n/* just a comment */ a == b;", rules)
    assert [f.rule_id for f in findings] == ["eqeqeq"]


# --- noInlineConfig ----------------------------------------------------------------------------


def test_no_inline_config_warns_about_every_directive_comment() -> None:
    """ESLint's linterOptions.noInlineConfig: each directive or config comment is a warning
    at the comment, and none applies (eqeqeq stays on, the disables disable nothing)."""
    rules = dataclasses.replace(_config(), inline_config="warn")
    code = "/* eslint eqeqeq: 0 */ /* eslint-disable */ a == b; // eslint-disable-line\n// just a comment"
    source, findings = _lint(code, rules)
    ignored = "'{}' has no effect because you have 'noInlineConfig' setting in your config."
    assert [(f.rule_id, int(f.severity), *source.eslint_location(f.start), f.message) for f in findings] == [
        (INLINE_CONFIG_ID, 1, 1, 1, ignored.format("/* eslint eqeqeq: 0 */")),
        (INLINE_CONFIG_ID, 1, 1, 24, ignored.format("/* eslint-disable */")),
        ("eqeqeq", 2, 1, 47, "Expected '===' and instead saw '=='."),
        (INLINE_CONFIG_ID, 1, 1, 53, ignored.format("// eslint-disable-line")),
    ]


def test_no_inline_config_off_ignores_comments_silently() -> None:
    rules = dataclasses.replace(_config(), inline_config="off")
    assert _reported("/* eslint eqeqeq: 0 */ a == b; // eslint-disable-line", rules) == [("eqeqeq", 2, 1, 26)]


# --- against ESLint ----------------------------------------------------------------------------

DIFFERENTIAL = [
    '/* eslint eqeqeq: ["error", "smart"] */ a == null; a == b;',
    "/* eslint no-var: 0 */ var a;",
    "/* eslint no-var: 2 */ var a;",
    '/* eslint curly: [2, "multi"], yoda: "off" */ if (a) { b(); }',
    '/* eslint curly: "warn" */ if (a) { b(); }',
    "/* eslint curly: [1] */ if (a) { b(); } if (a) b();",
    '/* eslint eqeqeq: "foo" */ a == b;',
    "/* eslint eqeqeq: [3, smart] */ a == b;",
    '/* eslint eqeqeq: [3, "smart"] */ a == b;',
    '/* eslint curly: ["error", "all"] */ if (a) { b(); } if (a) b();',
    "/* eslint no-var: true */ var a;",
    "/* eslint eqeqeq: 0 */ /* eslint eqeqeq: 2 */ a == b;",
    "/* eslint eqeqeq: 2 curly: 2 */ a == b; if (a) { b(); }",
    "/* eslint eqeqeq:2 no-var:2 */ var a = b == c;",
    "/* eslint eqeqeq: [2, smart] */ a == null;",
    "/* eslint eqeqeq: ['error', 'smart'] */ a == null;",
    "/* eslint eqeqeq: */ a == null;",
    '/* eslint {"eqeqeq": 0} */ a == null;',
    "/* eslint eqeqeq: 0 -- reason */ a == null;",
    "// eslint eqeqeq: 0\n a == null;",
    "/*eslint eqeqeq: 0*/ a == null;",
    '/* eslint eqeqeq: "warn", eqeqeq: "error" */ a == b;',
    "/* eslint dot-notation: [2, {allowKeywords: false}] */ a['b']; a.c;",
    '/* eslint yoda: [2, "always"] */ if (a === 1) {}',
    "/* eslint no-console: [1, {allow: [warn]}] */ console.warn(1); console.log(2);",
    "/* eslint\n  eqeqeq: 0,\n  curly: 0\n*/ a == null; if (a) { b(); }",
    "/* eslint-disable */ /* eslint eqeqeq: \"foo\" */ a == b;",
    "a == b; /* eslint eqeqeq: [2, \"smart\"] */ a == null;",
    "/* eslint no-var: 2, eqeqeq: 0 */ /* eslint-disable-next-line no-var */\nvar a = b == c; var d;",
    "/* global foo */ /* exported bar */ /* globals baz: off */ foo == bar; // eslint-disable-next-line\nbaz == 1;",
    "// eslint-disable-line eqeqeq\na == b; /* eslint-enable */ /* eslint-disable */",
]

_ESLINT_SCRIPT = r"""
const { Linter } = require("eslint");
const { codes, noInlineConfig } = JSON.parse(require("fs").readFileSync(0, "utf8"));
const linter = new Linter();
const config = [{
  rules: { eqeqeq: "error", curly: ["error", "multi"] },
  linterOptions: { reportUnusedDisableDirectives: "off", noInlineConfig },
}];
const out = codes.map(code => linter.verify(code, config, "test.js").map(m => ({
  ruleId: m.ruleId, line: m.line, column: m.column, endLine: m.endLine ?? null, endColumn: m.endColumn ?? null,
  message: m.message, severity: m.severity,
})));
process.stdout.write(JSON.stringify(out));
"""

# Thea's wording where ESLint quotes its JSON schema validator: the first line is compared.
_OWN_DETAIL = ("Inline configuration for rule", "Failed to parse JSON from")


def _eslint_messages(codes: list[str], no_inline_config: bool = False) -> list[list[dict[str, Any]]]:
    if shutil.which("node") is None or not (REPO / "node_modules" / "eslint").is_dir():
        pytest.skip("node and node_modules/eslint are needed for the ESLint comparison")
    completed = subprocess.run(
        ["node", "-e", _ESLINT_SCRIPT],
        input=json.dumps({"codes": codes, "noInlineConfig": no_inline_config}),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _comparable(message: str) -> str:
    if message.startswith(_OWN_DETAIL) and "Expected severity" not in message:
        return message.split(":", 1)[0]
    return message


@pytest.mark.parametrize("no_inline_config", [False, True], ids=["inline-config", "noInlineConfig"])
def test_same_reports_as_eslint(no_inline_config: bool) -> None:
    reference = _eslint_messages(DIFFERENTIAL, no_inline_config)
    rules = dataclasses.replace(_config(), inline_config="warn") if no_inline_config else _config()
    for code, messages in zip(DIFFERENTIAL, reference):
        source, findings = _lint(code, rules)
        ours = sorted(
            (f.rule_id, *source.eslint_location(f.start), *source.eslint_location(f.end), _comparable(f.message), int(f.severity))
            for f in findings
        )
        # ESLint gives a problem in a comment the rule's id (invalid settings) or none.
        theirs = sorted(
            (INLINE_CONFIG_ID if m["ruleId"] is None or m["message"].startswith(_OWN_DETAIL) else m["ruleId"],
             m["line"], m["column"], m["endLine"], m["endColumn"], _comparable(m["message"]), m["severity"])
            for m in messages
        )
        assert ours == theirs, code
