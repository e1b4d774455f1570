"""Thea's fixes against ESLint's `--fix` on the real corpus.

For every file, three questions:

1. Fix by fix, on the original text: where both tools report a finding, does Thea offer a
   fix exactly where ESLint autofixes, and does that one fix, applied alone, give the same
   text as ESLint's? ("same", "different", "eslint-only", "thea-only")
2. Rule by rule, whole files: with only rule R enabled, Thea applying to a fixpoint the
   fixes ESLint would autofix (labels up to UNSAFE, less the kinds ESLint only suggests)
   must give ESLint's `--fix` output byte for byte; Thea's fix-all (SAFE only) may differ
   only where a fix it labels UNSAFE or DISPLAY_ONLY accounts for the difference.
   The same with every fixable rule at once, where fixes of different rules meet.
3. Every rule at once at SAFE, as `thea check --fix` runs: the output must add no
   tree-sitter ERROR/MISSING node, and (checked by the caller with espree) still parse as
   ESLint parses the original.

As a script:

    python -m tests.differential.fix_parity [--rule curly] [--show 10]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import logging
import multiprocessing
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter

from engine.finding import Finding, Severity
from engine.fix import Applicability, Fix, apply_edits, apply_fixes
from engine.linter import RuleSet, lint_source
from engine.parse import Source, parse
from engine.parse.parser import count_syntax_errors
from engine.rules import all_rules
from tests.differential import cases_check, eslint_fixes, harness

logger = logging.getLogger(__name__)

# Thea fixes whose ESLint counterpart is a suggestion, not an autofix, by (rule, label):
# eqeqeq autofixes only `typeof` and same-type literal comparisons, which Thea labels SAFE.
ESLINT_SUGGESTS: frozenset[tuple[str, Applicability]] = frozenset({("eqeqeq", Applicability.UNSAFE)})


def eslint_kind(rule_id: str, fix: Fix, fixable: frozenset[str]) -> bool:
    """Whether `fix` is of a kind ESLint would apply under `--fix`."""
    return (
        rule_id in fixable
        and fix.applicability <= Applicability.UNSAFE
        and (rule_id, fix.applicability) not in ESLINT_SUGGESTS
    )


@dataclass(frozen=True)
class SingleFix:
    """One finding both tools report, and how their fixes for it compare."""

    file: str
    rule: str
    line: int
    column: int
    kind: str  # "same" | "different" | "eslint-only" | "thea-only" | "none"
    thea_label: str | None  # label of Thea's first fix of any kind, None without one
    eslint: str = ""  # for "different": the differing part of each output
    thea: str = ""


@dataclass(frozen=True)
class RuleOutput:
    """One rule's whole-file fix output, both tools."""

    file: str
    rule: str
    eslint_changed: bool
    unsafe_match: bool  # Thea with ESLint's kinds of fix == ESLint
    safe_match: bool  # Thea's SAFE fix-all == ESLint
    detail: str = ""  # first difference, when the UNSAFE output does not match


@dataclass
class FileResult:
    file: str
    fixes: list[SingleFix] = field(default_factory=list)
    outputs: list[RuleOutput] = field(default_factory=list)
    together: RuleOutput | None = None  # every fixable rule at once, where either tool fixes
    safe_all_changed: bool = False
    new_syntax_errors: int = 0
    unmatched_findings: int = 0  # findings one tool reports at a place the other does not


@dataclass(frozen=True)
class Job:
    root: str
    file: str
    eslint_messages: dict  # {rule: [(line, column, fix or None)]}
    eslint_outputs: dict  # {rule, or eslint_fixes.together(rules): output}
    rule_ids: tuple[str, ...]  # the ESLint-equivalent rules
    fixable: frozenset[str]
    out_dir: str | None  # where the SAFE fix-all output of a changed file goes


def check_file(job: Job) -> FileResult:
    raw = (Path(job.root) / job.file).read_bytes()
    source = Source.from_bytes(raw)
    tree = parse(source)
    result = FileResult(job.file)
    findings = _safe_fix_all(job, source, tree, result)
    by_rule: dict[str, list[Finding]] = collections.defaultdict(list)
    for finding in findings:
        by_rule[finding.rule_id].append(finding)
    for rule_id in job.rule_ids:
        _compare_single_fixes(job, source, rule_id, by_rule.get(rule_id, []), result)
        if any(_fixes_under_test(job, rule_id, f) for f in by_rule.get(rule_id, [])) or rule_id in job.eslint_outputs:
            result.outputs.append(_compare_outputs(job, raw, source, tree, [rule_id]))
    if result.outputs and job.fixable <= set(job.rule_ids):
        result.together = _compare_outputs(job, raw, source, tree, sorted(job.fixable))
    return result


def _safe_fix_all(job: Job, source: Source, tree: tree_sitter.Tree, result: FileResult) -> list[Finding]:
    """Fix with every registered rule at SAFE; returns the first pass's findings."""
    rules = RuleSet.only(list(all_rules()), Severity.ERROR)
    first: list[list[Finding]] = []

    def lint(text: Source, text_tree: tree_sitter.Tree) -> list[Finding]:
        found = lint_source(text, text_tree, rules)
        if not first:
            first.append(found)
        return found

    fixed = apply_fixes(source, lint, Applicability.SAFE, tree=tree)
    result.new_syntax_errors = max(0, count_syntax_errors(fixed.tree) - count_syntax_errors(tree))
    result.safe_all_changed = fixed.source.data != source.data
    if result.safe_all_changed and job.out_dir is not None:
        target = Path(job.out_dir) / job.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fixed.source.encoding.encode(fixed.source.text))
    return first[0] if first else []


def _fixes_under_test(job: Job, rule_id: str, finding: Finding) -> bool:
    return any(eslint_kind(rule_id, fix, job.fixable) or fix.applicability == Applicability.SAFE for fix in finding.fixes)


def _compare_single_fixes(job: Job, source: Source, rule_id: str, findings: list[Finding], result: FileResult) -> None:
    eslint: dict[tuple[int, int], list] = collections.defaultdict(list)
    for line, column, fix in job.eslint_messages.get(rule_id, []):
        eslint[(line, column)].append(fix)
    for finding in findings:
        place = source.eslint_location(finding.start)
        if not eslint.get(place):
            result.unmatched_findings += 1
            continue
        eslint_fix = eslint[place].pop(0)
        thea_fix = next((fix for fix in finding.fixes if eslint_kind(rule_id, fix, job.fixable)), None)
        label = finding.fixes[0].applicability.label if finding.fixes else None
        if thea_fix is None and finding.safe_fix is not None:
            thea_fix = finding.safe_fix  # a SAFE fix of a kind ESLint never applies: "thea-only"
        common = dict(file=job.file, rule=rule_id, line=place[0], column=place[1], thea_label=label)
        if eslint_fix is None and thea_fix is None:
            result.fixes.append(SingleFix(kind="none", **common))
        elif eslint_fix is None:
            result.fixes.append(SingleFix(kind="thea-only", **common))
        elif thea_fix is None:
            result.fixes.append(SingleFix(kind="eslint-only", **common))
        else:
            expected = eslint_fixes.apply_eslint_fix(source.text, eslint_fix)
            got = apply_edits(source, thea_fix.edits).text
            if expected == got:
                result.fixes.append(SingleFix(kind="same", **common))
            else:
                left, right = _difference(expected, got)
                result.fixes.append(SingleFix(kind="different", eslint=left, thea=right, **common))
    result.unmatched_findings += sum(len(rest) for rest in eslint.values())


def _compare_outputs(job: Job, raw: bytes, source: Source, tree: tree_sitter.Tree, rule_ids: list[str]) -> RuleOutput:
    key = rule_ids[0] if len(rule_ids) == 1 else eslint_fixes.together(rule_ids)
    eslint_text = job.eslint_outputs.get(key)
    expected = eslint_text.encode("utf-8", "surrogatepass") if eslint_text is not None else raw
    rules = RuleSet.only(rule_ids, Severity.ERROR)

    def eslint_kinds_only(text: Source, text_tree: tree_sitter.Tree) -> list[Finding]:
        return [
            dataclasses.replace(
                finding, fixes=tuple(f for f in finding.fixes if eslint_kind(finding.rule_id, f, job.fixable))
            )
            for finding in lint_source(text, text_tree, rules)
        ]

    unsafe = apply_fixes(source, eslint_kinds_only, Applicability.UNSAFE, tree=tree).source
    safe = apply_fixes(source, lambda text, text_tree: lint_source(text, text_tree, rules), Applicability.SAFE, tree=tree).source
    unsafe_bytes = unsafe.encoding.encode(unsafe.text)
    detail = ""
    if unsafe_bytes != expected:
        left, right = _difference(expected.decode("utf-8", "replace"), unsafe.text)
        detail = f"eslint {left!r} / thea {right!r}"
    return RuleOutput(
        file=job.file,
        rule=key,
        eslint_changed=eslint_text is not None,
        unsafe_match=unsafe_bytes == expected,
        safe_match=safe.encoding.encode(safe.text) == expected,
        detail=detail,
    )


def _difference(a: str, b: str, context: int = 30) -> tuple[str, str]:
    """The differing middle of two texts, with a little context on each side."""
    a, b = a.lstrip("\ufeff"), b.lstrip("\ufeff")
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - context)
    return a[start : len(a) - max(0, suffix - context)], b[start : len(b) - max(0, suffix - context)]


@dataclass
class Parity:
    root: Path
    results: list[FileResult]
    skipped: list[str]  # files ESLint cannot parse

    def single_fixes(self, kind: str | None = None) -> list[SingleFix]:
        return [fix for r in self.results for fix in r.fixes if kind is None or fix.kind == kind]

    def outputs(self) -> list[RuleOutput]:
        return [output for r in self.results for output in r.outputs]

    def unsafe_match_rate(self) -> float:
        outputs = self.outputs()
        return sum(o.unsafe_match for o in outputs) / len(outputs) if outputs else 1.0

    def together(self) -> list[RuleOutput]:
        return [r.together for r in self.results if r.together is not None]

    def together_match_rate(self) -> float:
        together = self.together()
        return sum(o.unsafe_match for o in together) / len(together) if together else 1.0

    def unexplained_safe_differences(self) -> list[RuleOutput]:
        """SAFE outputs that differ from ESLint where ESLint's kinds of fix do not close the gap."""
        return [o for o in self.outputs() if not o.safe_match and not o.unsafe_match]


def run(
    rule_ids: list[str] | None = None,
    out_dir: Path | None = None,
    processes: int = 2,
    corpus: tuple[Path, list[str], str] | None = None,
) -> Parity:
    """Compare on the npm corpus, or on `corpus` = (root, files, cache key for ESLint)."""
    rule_ids = sorted(rule_ids or harness.eslint_rule_ids())
    root, files, cache_key = corpus if corpus is not None else (*harness.ensure_corpus(), "")
    every_rule = harness.eslint_rule_ids()
    report = harness.eslint_report(every_rule, root, files, cache_key=cache_key)
    fixable = eslint_fixes.fixable_rule_ids(every_rule)
    outputs = eslint_fixes.fix_outputs(sorted(fixable), root, files, report, cache_key=cache_key)
    messages = eslint_fixes.fixable_messages(report, root)
    skipped = sorted(eslint_fixes.unparsable_files(report, root))
    jobs = [
        Job(str(root), relative, messages.get(relative, {}), outputs.get(relative, {}), tuple(rule_ids), fixable,
            str(out_dir) if out_dir is not None else None)
        for relative in files
        if relative not in skipped
    ]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = list(pool.imap_unordered(check_file, jobs, chunksize=8))
    return Parity(root, sorted(results, key=lambda r: r.file), skipped)


# A configuration comment (`/* eslint eqeqeq: ... */`, not `eslint-disable`): it turns on
# rules of its own, so a file holding one cannot compare one rule's fixes at a time.
_CONFIG_COMMENT = re.compile(r"/\*\s*(?:eslint|thea)\s+[a-z@]")


def cases_corpus() -> tuple[Path, list[str], str]:
    """The hand-written cases as a corpus (most of their rules never fire on the npm code),
    less the files that configure rules in comments."""
    files = [
        name for name in cases_check.case_files()
        if not _CONFIG_COMMENT.search((cases_check.CASES / name).read_text(encoding="utf-8"))
    ]
    return cases_check.CASES, files, cases_check.contents_digest(files)


def espree_regressions(parity: Parity, out_dir: Path) -> list[str]:
    """Changed files whose SAFE fix-all output espree no longer parses as it parsed the original."""
    changed = [r.file for r in parity.results if r.safe_all_changed]
    before = eslint_fixes.espree_parse([parity.root / name for name in changed])
    after = eslint_fixes.espree_parse([out_dir / name for name in changed])
    problems = []
    for name in changed:
        was, now = before[str(parity.root / name)], after[str(out_dir / name)]
        if was["mode"] is not None and now["mode"] != was["mode"]:
            problems.append(f"{name}: parsed as {was['mode']}, after the fixes {now['mode']} ({now['error']})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rule", action="append", help="rule id (repeatable); default: every ESLint-equivalent rule")
    parser.add_argument("--show", type=int, default=5, help="print this many mismatches of each kind")
    parser.add_argument("--cases", action="store_true", help="compare on tests/differential/cases, not the corpus")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as out_dir:
        parity = run(args.rule, Path(out_dir), corpus=cases_corpus() if args.cases else None)
        regressions = espree_regressions(parity, Path(out_dir))
    per_rule: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for fix in parity.single_fixes():
        per_rule[fix.rule][fix.kind] += 1
        if fix.kind in ("eslint-only", "thea-only"):
            per_rule[fix.rule][f"{fix.kind}:{fix.thea_label}"] += 1
    for output in parity.outputs():
        per_rule[output.rule]["files"] += 1
        per_rule[output.rule]["unsafe-match"] += output.unsafe_match
        per_rule[output.rule]["safe-match"] += output.safe_match
    for rule_id, counts in sorted(per_rule.items()):
        print(f"{rule_id:32} {dict(sorted(counts.items()))}")
    print(f"whole-file match (ESLint's kinds of fix): {parity.unsafe_match_rate():.2%} of {len(parity.outputs())}; "
          f"all fixable rules at once: {parity.together_match_rate():.2%} of {len(parity.together())}")
    for kind in ("different", "thea-only", "eslint-only"):
        for fix in parity.single_fixes(kind)[: args.show]:
            print(f"  {kind:11} {fix.file}:{fix.line}:{fix.column} {fix.rule} [{fix.thea_label}]"
                  + (f"\n      eslint {fix.eslint!r}\n      thea   {fix.thea!r}" if kind == "different" else ""))
    for output in [o for o in [*parity.outputs(), *parity.together()] if not o.unsafe_match][: args.show]:
        print(f"  output     {output.file} {output.rule}: {output.detail}")
    print(f"findings without a counterpart: {sum(r.unmatched_findings for r in parity.results)}; "
          f"files ESLint cannot parse: {len(parity.skipped)}")
    print(f"SAFE fix-all changed {sum(r.safe_all_changed for r in parity.results)} files; "
          f"{sum(r.new_syntax_errors > 0 for r in parity.results)} gained tree-sitter errors; "
          f"{len(regressions)} no longer parse with espree")
    for line in regressions[: args.show]:
        print(f"  espree     {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
