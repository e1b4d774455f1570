"""no-var's verdict cache: a function's verdicts are reused only for the same function text,
and what lies outside the function (`with`, the global object) is still asked each time."""

from __future__ import annotations

from engine.finding import Severity
from engine.fix.edit import Applicability
from engine.linter import RuleSet, lint_source
from engine.parse.source import Source

NO_VAR = RuleSet.from_settings({"no-var": (Severity.ERROR, None)})
FUNCTION = "function f() { var a = 1; return a; }"


def _labels(text: str) -> list[Applicability | None]:
    findings = lint_source(Source(text), rules=NO_VAR)
    return [finding.fixes[0].applicability if finding.fixes else None for finding in findings]


def test_a_cached_verdict_still_sees_a_with_statement_elsewhere() -> None:
    assert _labels(FUNCTION) == [Applicability.SAFE]
    assert _labels("with (o) { x(); }\n" + FUNCTION) == [Applicability.UNSAFE]
    assert _labels("// moved\n\n" + FUNCTION) == [Applicability.SAFE]


def test_an_edit_inside_the_function_is_judged_afresh() -> None:
    assert _labels(FUNCTION) == [Applicability.SAFE]
    early_use = "function f() { g(a); var a = 1; return a; }"
    assert _labels(early_use) == [None]
    assert _labels(FUNCTION.replace("return a;", "return a; } function h() { eval('a');")) == [Applicability.SAFE]
    assert _labels("function f() { eval('a'); var a = 1; return a; }") == [Applicability.UNSAFE]


def test_the_same_function_text_in_two_files_gets_the_same_answer() -> None:
    first = _labels("const x = 1;\n" + FUNCTION)
    second = _labels("let y = 2, z = 3;\n" + FUNCTION)
    assert first == second == [Applicability.SAFE]
