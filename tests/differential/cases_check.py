"""Exact agreement with ESLint on the hand-written edge cases in `tests/differential/cases/`.

The npm corpus never triggers many rules (no real package ships `debugger` or `-0 === x`),
so each such rule has a file of tricky constructs: parentheses, comments, JSX, emoji and
other non-ASCII text before a finding on the same line, CRLF line endings, nested
functions, shadowing. Every ESLint-equivalent rule runs on every case file with default
options, and a finding must agree with ESLint's on the whole tuple (file, rule, line,
column, end line, end column, message), not only on its start.

The same exact comparison runs over the npm corpus too (`compare_corpus`), where
test_eslint_parity.py matches starts only.

As a script, to work on the cases (or, with --corpus, the npm corpus):

    python -m tests.differential.cases_check [--rule no-dupe-keys] [--corpus]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import logging
import multiprocessing
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


def eslint_findings(report: list[dict], root: Path, rule_ids: list[str]) -> tuple[collections.Counter[Exact], list[str]]:
    """ESLint's findings of `rule_ids` in a JSON report, and its messages without a rule
    (parse errors, broken directives), which void a case file."""
    wanted = set(rule_ids)
    found: collections.Counter[Exact] = collections.Counter()
    problems = []
    for entry in report:
        relative = os.path.relpath(entry["filePath"], root)
        for message in entry["messages"]:
            rule_id = message.get("ruleId")
            if rule_id is None:
                problems.append(f"{relative}:{message.get('line')}:{message.get('column')} {message['message']}")
            elif rule_id in wanted:
                found[(relative, rule_id, message["line"], message["column"],
                       message.get("endLine"), message.get("endColumn"), message["message"])] += 1
    return found, problems


def _lint_exact(job: tuple[str, str, tuple[str, ...]]) -> list[Exact]:
    root, relative, rule_ids = job
    source = Source.from_bytes((Path(root) / relative).read_bytes())
    found = []
    for finding in lint_source(source, rules=RuleSet.only(rule_ids, Severity.ERROR)):
        if finding.rule_id not in rule_ids:  # inline-config: ESLint's are its rule-less `problems`
            continue
        line, column = source.eslint_location(finding.start)
        end_line, end_column = source.eslint_location(finding.end)
        found.append((relative, finding.rule_id, line, column, end_line, end_column, finding.message))
    return found


def thea_findings(rule_ids: list[str], root: Path, files: list[str], processes: int = 1) -> collections.Counter[Exact]:
    jobs = [(str(root), relative, tuple(rule_ids)) for relative in files]
    if processes == 1:
        return collections.Counter(key for job in jobs for key in _lint_exact(job))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return collections.Counter(key for found in pool.imap_unordered(_lint_exact, jobs, chunksize=16) for key in found)


@dataclass
class CaseComparison:
    expected: collections.Counter[Exact]
    got: collections.Counter[Exact]
    problems: list[str]  # ESLint messages without a rule: parse errors, broken directives
    root: Path = CASES

    @property
    def missed(self) -> list[Exact]:
        return sorted((self.expected - self.got).elements(), key=str)

    @property
    def extra(self) -> list[Exact]:
        return sorted((self.got - self.expected).elements(), key=str)

    def per_rule(self) -> dict[str, int]:
        """ESLint's finding count per rule over all files."""
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
    report = harness.eslint_report(rule_ids, CASES, files, cache_key=contents_digest(files))
    expected, problems = eslint_findings(report, CASES, rule_ids)
    return CaseComparison(expected, thea_findings(rule_ids, CASES, files), problems, CASES)


def compare_corpus(processes: int = 2) -> CaseComparison:
    """The same exact comparison over the npm corpus (where test_eslint_parity matches starts)."""
    rule_ids = harness.eslint_rule_ids()
    root, files = harness.ensure_corpus()
    expected, problems = eslint_findings(harness.eslint_report(rule_ids, root, files), root, rule_ids)
    return CaseComparison(expected, thea_findings(rule_ids, root, files, processes), problems, root)


def describe(key: Exact, root: Path = CASES) -> str:
    name, rule_id, line, column, end_line, end_column, message = key
    text = (root / name).read_text(encoding="utf-8", errors="replace").splitlines()
    context = text[line - 1].strip()[:120] if 0 < line <= len(text) else ""
    return f"{name}:{line}:{column}-{end_line}:{end_column} {rule_id} {message!r}  | {context}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rule", action="append", help="rule id (repeatable); default: every ESLint-equivalent rule")
    parser.add_argument("--corpus", action="store_true", help="compare on the npm corpus (every rule)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    comparison = compare_corpus() if args.corpus else compare_cases(args.rule)
    for line in comparison.problems:
        print(f"problem {line}")  # on the corpus: files whose directives ESLint rejects
    for rule_id, count in sorted(comparison.per_rule().items()):
        print(f"{rule_id:32} {count:4d}")
    for key in comparison.missed:
        print(f"missed  {describe(key, comparison.root)}")
    for key in comparison.extra:
        print(f"extra   {describe(key, comparison.root)}")
    return 1 if (comparison.problems and not args.corpus) or comparison.missed or comparison.extra else 0


if __name__ == "__main__":
    sys.exit(main())
