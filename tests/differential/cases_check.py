"""Exact agreement with ESLint on the hand-written edge cases in `tests/differential/cases/`.

The npm corpus never triggers many rules (no real package ships `debugger` or `-0 === x`),
so each such rule has a file of tricky constructs: parentheses, comments, JSX, emoji and
other non-ASCII text before a finding on the same line, CRLF line endings, nested
functions, shadowing. Every ESLint-equivalent rule runs on every case file with default
options, and a finding must agree with ESLint's on the whole tuple (file, rule, line,
column, end line, end column, message), not only on its start.

As a script, to work on the cases:

    python -m tests.differential.cases_check [--rule no-dupe-keys]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from engine.finding import Severity
from engine.linter import RuleSet, lint_source
from engine.parse import Source
from tests.differential import harness

logger = logging.getLogger(__name__)

CASES = Path(__file__).resolve().parent / "cases"
SUFFIXES = (".js", ".mjs", ".cjs", ".jsx")

# (file, rule, line, column, end line, end column, message); ESLint columns are UTF-16, 1-based.
Exact = tuple[str, str, int, int, "int | None", "int | None", str]


def case_files() -> list[str]:
    return sorted(name for name in os.listdir(CASES) if name.endswith(SUFFIXES))


def contents_digest(files: list[str]) -> str:
    """A cache key for ESLint's reports on the cases: their names and bytes, ESLint's version."""
    digest = hashlib.sha1(harness.eslint_version().encode())
    for name in files:
        digest.update(name.encode() + b"\0" + (CASES / name).read_bytes() + b"\0")
    return digest.hexdigest()


def eslint_findings(rule_ids: list[str], files: list[str]) -> tuple[collections.Counter[Exact], list[str]]:
    """ESLint's findings on the cases, and its fatal (parse) errors, which void a case file."""
    report = harness.eslint_report(rule_ids, CASES, files, cache_key=contents_digest(files))
    found: collections.Counter[Exact] = collections.Counter()
    fatal = []
    for entry in report:
        relative = os.path.relpath(entry["filePath"], CASES)
        for message in entry["messages"]:
            if message.get("ruleId") is None:
                fatal.append(f"{relative}:{message.get('line')}:{message.get('column')} {message['message']}")
                continue
            found[(relative, message["ruleId"], message["line"], message["column"],
                   message.get("endLine"), message.get("endColumn"), message["message"])] += 1
    return found, fatal


def thea_findings(rule_ids: list[str], files: list[str]) -> collections.Counter[Exact]:
    rules = RuleSet.only(rule_ids, Severity.ERROR)
    found: collections.Counter[Exact] = collections.Counter()
    for name in files:
        source = Source.from_bytes((CASES / name).read_bytes())
        for finding in lint_source(source, rules=rules):
            line, column = source.eslint_location(finding.start)
            end_line, end_column = source.eslint_location(finding.end)
            found[(name, finding.rule_id, line, column, end_line, end_column, finding.message)] += 1
    return found


@dataclass
class CaseComparison:
    expected: collections.Counter[Exact]
    got: collections.Counter[Exact]
    fatal: list[str]

    @property
    def missed(self) -> list[Exact]:
        return sorted((self.expected - self.got).elements(), key=str)

    @property
    def extra(self) -> list[Exact]:
        return sorted((self.got - self.expected).elements(), key=str)

    def per_rule(self) -> dict[str, int]:
        """ESLint's finding count per rule over all case files."""
        counts: collections.Counter[str] = collections.Counter()
        for key, count in self.expected.items():
            counts[key[1]] += count
        return dict(counts)

    def per_file_rule(self) -> dict[tuple[str, str], int]:
        counts: collections.Counter[tuple[str, str]] = collections.Counter()
        for key, count in self.expected.items():
            counts[(key[0], key[1])] += count
        return dict(counts)


def compare_cases(rule_ids: list[str] | None = None) -> CaseComparison:
    rule_ids = sorted(rule_ids or harness.eslint_rule_ids())
    files = case_files()
    expected, fatal = eslint_findings(rule_ids, files)
    return CaseComparison(expected, thea_findings(rule_ids, files), fatal)


def describe(key: Exact) -> str:
    name, rule_id, line, column, end_line, end_column, message = key
    text = (CASES / name).read_text(encoding="utf-8").splitlines()
    context = text[line - 1].strip()[:120] if 0 < line <= len(text) else ""
    return f"{name}:{line}:{column}-{end_line}:{end_column} {rule_id} {message!r}  | {context}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rule", action="append", help="rule id (repeatable); default: every ESLint-equivalent rule")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    comparison = compare_cases(args.rule)
    for line in comparison.fatal:
        print(f"fatal   {line}")
    for rule_id, count in sorted(comparison.per_rule().items()):
        print(f"{rule_id:32} {count:4d}")
    for key in comparison.missed:
        print(f"missed  {describe(key)}")
    for key in comparison.extra:
        print(f"extra   {describe(key)}")
    return 1 if comparison.fatal or comparison.missed or comparison.extra else 0


if __name__ == "__main__":
    sys.exit(main())
