"""Thea against the pinned ESLint on the hand-written edge cases, finding for finding.

The npm corpus (test_eslint_parity.py) never triggers many rules, and matches starts only.
Here every case file in `cases/` is linted by both with every ESLint-equivalent rule, and the
findings must agree exactly on (file, rule, line, column, end line, end column, message).
"""

from __future__ import annotations

import pytest

from tests.differential import cases_check

pytestmark = pytest.mark.slow

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
KNOWN_DIFFERENCES = {
    "line-separators.js": (
        "Source.eslint_location counts only \\r\\n, \\r and \\n as line breaks; ESLint also counts "
        "U+2028 and U+2029 (in comments and strings), so every later line number is off"
    ),
}


@pytest.fixture(scope="module")
def comparison() -> cases_check.CaseComparison:
    return cases_check.compare_cases()


def test_case_files_parse_in_eslint(comparison: cases_check.CaseComparison) -> None:
    assert not comparison.fatal, "case files ESLint cannot parse:\n" + "\n".join(comparison.fatal)


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
