"""Every rule's own vectors: valid code stays silent, invalid code reports exactly the expected
findings, every fix re-parses without new syntax errors, fix-all is idempotent."""

from __future__ import annotations

import pytest

from engine.finding import Severity
from engine.fix import Applicability, apply_fixes
from engine.linter import RuleSet, lint_source
from engine.parse import Source, parse
from engine.parse.parser import count_syntax_errors
from engine.rules import RULE_MODULES, all_rules
from engine.rules.rule import FixCase, Invalid, Rule, Valid

RULES = list(all_rules().values())
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Options", "## References")


def _rule_set(rule: Rule, options: list | None) -> RuleSet:
    return RuleSet.from_settings({rule.id: (Severity.ERROR, options)})


def _cases(kind: str) -> list:
    params = []
    for rule in RULES:
        for index, case in enumerate(getattr(rule.module, kind, [])):
            params.append(pytest.param(rule, case, id=f"{rule.id}-{index}"))
    return params


def test_registry_is_sorted_and_complete() -> None:
    assert list(RULE_MODULES) == sorted(RULE_MODULES)
    assert len(RULES) == len(RULE_MODULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_documentation_and_vectors(rule: Rule) -> None:
    doc = rule.module.__doc__ or ""
    for section in REQUIRED_SECTIONS:
        assert section in doc, f"{rule.id}: docstring lacks {section!r}"
    if rule.meta.fixable != "never":
        assert "## Fix safety" in doc, f"{rule.id}: fixable rule without a 'Fix safety' section"
        assert getattr(rule.module, "FIXES", []), f"{rule.id}: fixable rule without fix vectors"
    assert getattr(rule.module, "VALID", []), f"{rule.id}: no valid vectors"
    assert getattr(rule.module, "INVALID", []), f"{rule.id}: no invalid vectors"
    keys = [(type(case).__name__, case.code, repr(case.options), case.filename) for case in
            rule.module.VALID + rule.module.INVALID]
    assert len(keys) == len(set(keys)), f"{rule.id}: duplicate vectors"
    for message_id in rule.meta.messages:
        assert rule.meta.messages[message_id], f"{rule.id}: empty message {message_id}"


@pytest.mark.parametrize(("rule", "case"), _cases("VALID"))
def test_valid(rule: Rule, case: Valid) -> None:
    source = Source(case.code)
    findings = [f for f in lint_source(source, rules=_rule_set(rule, case.options)) if f.rule_id == rule.id]
    assert findings == [], [f.message for f in findings]


@pytest.mark.parametrize(("rule", "case"), _cases("INVALID"))
def test_invalid(rule: Rule, case: Invalid) -> None:
    source = Source(case.code)
    findings = [f for f in lint_source(source, rules=_rule_set(rule, case.options)) if f.rule_id == rule.id]
    got = []
    for finding, expected in zip(findings, case.errors):
        line, column = source.eslint_location(finding.start)
        item = (finding.message_id, line, column)
        if expected.end_line is not None:
            item += source.eslint_location(finding.end)
        got.append(item)
        assert finding.message_id in rule.meta.messages
        assert "{{" not in finding.message, finding.message
    want = [
        (e.message_id, e.line, e.column) + ((e.end_line, e.end_column) if e.end_line is not None else ())
        for e in case.errors
    ]
    assert len(findings) == len(case.errors), [(f.message, source.eslint_location(f.start)) for f in findings]
    assert got == want


@pytest.mark.parametrize(("rule", "case"), _cases("FIXES"))
def test_fix(rule: Rule, case: FixCase) -> None:
    rules = _rule_set(rule, case.options)
    source = Source(case.code)
    result = apply_fixes(source, lambda s, t: lint_source(s, t, rules), case.applicability)
    assert result.source.text == case.output
    assert count_syntax_errors(parse(result.source)) <= count_syntax_errors(parse(source))
    again = apply_fixes(result.source, lambda s, t: lint_source(s, t, rules), case.applicability)
    assert again.source.text == result.source.text, "fix-all is not idempotent"
    assert not result.rejected or rule.meta.type == "layout", f"fixes that break the parse: {result.rejected}"


@pytest.mark.parametrize(("rule", "case"), _cases("INVALID"))
def test_every_fix_reparses(rule: Rule, case: Invalid) -> None:
    """Each single fix of each finding, applied alone, adds no syntax error."""
    from engine.fix import apply_edits

    source = Source(case.code)
    before = count_syntax_errors(parse(source))
    for finding in lint_source(source, rules=_rule_set(rule, case.options)):
        for fix in finding.fixes:
            fixed = apply_edits(source, fix.edits)
            assert count_syntax_errors(parse(fixed)) <= before, f"{fix.title!r} breaks the parse: {fixed.text!r}"
