"""Thea against the pinned ESLint on the hand-written edge cases, finding for finding.

The npm corpus (test_eslint_parity.py) never triggers many rules, and matches starts only.
Here every case file in `cases/` is linted by both with every ESLint-equivalent rule, and the
findings must agree exactly on (file, rule, line, column, end line, end column, message);
on the corpus too, the same exact tuples must agree for at least 99% of ESLint's findings.
"""

from __future__ import annotations

import pytest

from tests.differential import cases_check

pytestmark = pytest.mark.slow

MINIMUM = 0.99

# Rules that report nothing, or next to nothing, on the corpus: each has its own case file,
# on which ESLint must report at least this many findings of the rule, so that the file
# keeps exercising it.
COVERED_BY_CASES = {
    "no-compare-neg-zero": 15,
    "no-constant-condition": 30,
    "no-debugger": 15,
    "no-dupe-else-if": 15,
    "no-dupe-keys": 15,
    "no-duplicate-case": 15,
    "no-extra-boolean-cast": 25,
    "no-self-assign": 20,
    "no-sparse-arrays": 15,
    "no-unneeded-ternary": 25,
    "no-unsafe-finally": 12,
    "no-unsafe-negation": 15,
    "no-useless-catch": 15,
    "no-useless-computed-key": 25,
    "no-useless-rename": 20,
    "use-isnan": 15,
    "valid-typeof": 15,
}

# Known divergences, each a strict xfail: when Thea is fixed the test turns red, and the
# entry must go.
KNOWN_DIFFERENCES: dict[str, str] = {}


@pytest.fixture(scope="module")
def comparison() -> cases_check.CaseComparison:
    return cases_check.compare_cases()


def test_case_files_parse_in_eslint(comparison: cases_check.CaseComparison) -> None:
    assert not comparison.problems, "ESLint's messages without a rule (parse errors):\n" + "\n".join(comparison.problems)


@pytest.mark.parametrize("rule_id", sorted(COVERED_BY_CASES))
def test_rule_has_a_case_file_that_exercises_it(comparison: cases_check.CaseComparison, rule_id: str) -> None:
    name = f"{rule_id}.js"
    assert name in cases_check.case_files()
    count = comparison.per_file_rule().get((name, rule_id), 0)
    assert count >= COVERED_BY_CASES[rule_id], f"ESLint reports only {count} {rule_id} findings in {name}"


def test_cases_include_crlf_bom_and_non_ascii() -> None:
    contents = {name: (cases_check.CASES / name).read_bytes() for name in cases_check.case_files()}
    assert any(b"\r\n" in data for data in contents.values())
    assert any(data.startswith(b"\xef\xbb\xbf") for data in contents.values())
    assert any("😀".encode() in data or "🎉".encode() in data for data in contents.values())


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[name]))
        if name in KNOWN_DIFFERENCES
        else name
        for name in cases_check.case_files()
    ],
)
def test_case_file_matches_eslint_exactly(comparison: cases_check.CaseComparison, name: str) -> None:
    missed = [cases_check.describe(key) for key in comparison.missed if key[0] == name]
    extra = [cases_check.describe(key) for key in comparison.extra if key[0] == name]
    assert not missed and not extra, "\n".join(
        ["ESLint only:", *missed, "Thea only:", *extra]
    )


def test_corpus_findings_match_eslint_exactly() -> None:
    """Per rule, at most 1% of ESLint's findings may lack an exact twin in Thea's, and back."""
    corpus = cases_check.compare_corpus()
    assert sum(corpus.expected.values()) > 5000
    counts = corpus.per_rule()
    failing = []
    for rule_id in sorted({key[1] for key in [*corpus.missed, *corpus.extra]}):
        missed = [key for key in corpus.missed if key[1] == rule_id]
        extra = [key for key in corpus.extra if key[1] == rule_id]
        allowed = (1 - MINIMUM) * counts.get(rule_id, 0)
        if len(missed) > allowed or len(extra) > allowed:
            failing += [f"{rule_id}: {len(missed)} ESLint only, {len(extra)} Thea only, of {counts.get(rule_id, 0)}"]
            failing += [cases_check.describe(key, corpus.root) for key in [*missed[:3], *extra[:3]]]
    assert not failing, "\n".join(failing)
