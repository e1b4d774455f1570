"""Differential testing against the real ESLint on the shared corpus of real npm JavaScript.

As a script, for rule work:

    python -m tests.differential.harness --rule eqeqeq --rule no-var --show 5

prints per-rule precision and recall of Thea against ESLint (matching file, rule, line and
column, as `../shared/corpus/compare.py`) and, with --show, the first mismatches of each
kind with their source line. The corpus is built on first use into `.cache/corpus` with
`../shared/corpus/make_corpus.sh`; ESLint's report is cached per rule set in `.cache/eslint`.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import logging
import multiprocessing
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from engine.finding import Severity
from engine.linter import RuleSet, lint_source
from engine.parse import Source
from engine.rules import all_rules

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
CORPUS_OUT = CACHE / "corpus"
ESLINT_BIN = ROOT / "node_modules" / ".bin" / "eslint"

Key = tuple[str, str, int, int]  # (file, rule, line, column)


def shared_dir() -> Path:
    candidates = [Path(os.environ["THEA_SHARED_DIR"])] if "THEA_SHARED_DIR" in os.environ else []
    candidates += [ROOT.parent / "shared", ROOT / "shared"]
    for candidate in candidates:
        if (candidate / "corpus" / "make_corpus.sh").exists():
            return candidate
    raise FileNotFoundError("cannot find shared/corpus/make_corpus.sh beside the project (set THEA_SHARED_DIR)")


def ensure_corpus() -> tuple[Path, list[str]]:
    """(corpus root, relative file paths), building the corpus once."""
    files_list = CORPUS_OUT / "corpus-files.txt"
    if not files_list.exists():
        script = shared_dir() / "corpus" / "make_corpus.sh"
        logger.info("building the corpus with %s", script)
        subprocess.run(["bash", str(script), str(CORPUS_OUT)], check=True, stdout=sys.stderr)
    return CORPUS_OUT / "corpus", files_list.read_text().split()


def eslint_version() -> str:
    package = ROOT / "node_modules" / "eslint" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else "missing"


def eslint_rule_ids() -> list[str]:
    return sorted(rule.id for rule in all_rules().values() if rule.meta.eslint_equivalent)


_CONFIG_TEMPLATE = """import globals from "globals";
export default [
  {{ ignores: ["**/node_modules/", ".git/"] }},
  {{
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
    languageOptions: {{
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: {{ ecmaFeatures: {{ jsx: true }} }},
      globals: {{ ...globals.es2024, ...globals.node, ...globals.browser }},
    }},
    linterOptions: {{ reportUnusedDisableDirectives: "off" }},
    rules: {rules},
  }},
  {{ files: ["**/*.cjs"], languageOptions: {{ sourceType: "commonjs" }} }},
];
"""


def eslint_report(rule_ids: list[str], root: Path, files: list[str], cache_key: str = "") -> list[dict]:
    """ESLint's JSON report for `rule_ids` (default options) over the corpus; cached.

    `cache_key` joins the cache digest, for inputs whose names stay while their text changes
    (the hand-written cases: a digest of their contents)."""
    digest = hashlib.sha1(json.dumps([rule_ids, files, *([cache_key] if cache_key else [])]).encode()).hexdigest()[:16]
    out = CACHE / "eslint" / f"report-{digest}.json"
    if out.exists():
        return json.loads(out.read_text())
    out.parent.mkdir(parents=True, exist_ok=True)
    config = out.parent / f"config-{digest}.mjs"
    config.write_text(_CONFIG_TEMPLATE.format(rules=json.dumps({rule: "error" for rule in rule_ids})))
    if not ESLINT_BIN.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True, stdout=sys.stderr)
    command = [str(ESLINT_BIN), "--no-config-lookup", "-c", str(config), "--format", "json", "-o", str(out), *files]
    completed = subprocess.run(command, cwd=root, stderr=subprocess.PIPE, text=True)
    if completed.returncode not in (0, 1) or not out.exists():
        raise RuntimeError(f"eslint failed ({completed.returncode}): {completed.stderr[-2000:]}")
    return json.loads(out.read_text())


def _lint_one(args: tuple[str, str, tuple[str, ...]]) -> tuple[str, list[tuple[str, int, int, str]]]:
    root, relative, rule_ids = args
    source = Source.from_bytes((Path(root) / relative).read_bytes())
    rules = RuleSet.only(rule_ids, Severity.ERROR)
    found = []
    for finding in lint_source(source, rules=rules):
        line, column = source.eslint_location(finding.start)
        found.append((finding.rule_id, line, column, finding.message))
    return relative, found


def thea_report(rule_ids: list[str], root: Path, files: list[str], processes: int = 2) -> dict[str, list]:
    jobs = [(str(root), relative, tuple(rule_ids)) for relative in files]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return dict(pool.imap_unordered(_lint_one, jobs, chunksize=16))


@dataclass
class RuleScore:
    true_positives: int = 0
    false_positives: list[Key] = field(default_factory=list)
    false_negatives: list[Key] = field(default_factory=list)

    @property
    def precision(self) -> float:
        reported = self.true_positives + len(self.false_positives)
        return self.true_positives / reported if reported else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0


def compare(rule_ids: list[str], reference: list[dict], ours: dict[str, list], root: Path) -> dict[str, RuleScore]:
    wanted = set(rule_ids)
    expected: collections.Counter[Key] = collections.Counter()
    for entry in reference:
        relative = os.path.relpath(entry["filePath"], root)
        for message in entry["messages"]:
            if message.get("ruleId") in wanted:
                expected[(relative, message["ruleId"], message["line"], message["column"])] += 1
    got: collections.Counter[Key] = collections.Counter()
    for relative, found in ours.items():
        for rule_id, line, column, _ in found:
            if rule_id in wanted:
                got[(relative, rule_id, line, column)] += 1
    scores = {rule_id: RuleScore() for rule_id in rule_ids}
    for key in expected.keys() | got.keys():
        score = scores[key[1]]
        matched = min(expected[key], got[key])
        score.true_positives += matched
        score.false_negatives += [key] * (expected[key] - matched)
        score.false_positives += [key] * (got[key] - matched)
    return scores


def run(rule_ids: list[str]) -> tuple[dict[str, RuleScore], Path]:
    root, files = ensure_corpus()
    reference = eslint_report(rule_ids, root, files)
    ours = thea_report(rule_ids, root, files)
    return compare(rule_ids, reference, ours, root), root


def _show(keys: list[Key], root: Path, label: str, count: int) -> None:
    for relative, rule_id, line, column in sorted(keys)[:count]:
        text = (root / relative).read_text(errors="replace").splitlines()
        context = text[line - 1].strip()[:160] if line - 1 < len(text) else ""
        print(f"    {label} {relative}:{line}:{column}  {context}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rule", action="append", help="rule id (repeatable); default: every ESLint-equivalent rule")
    parser.add_argument("--show", type=int, default=0, help="print this many mismatches of each kind per rule")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rule_ids = sorted(args.rule or eslint_rule_ids())
    scores, root = run(rule_ids)
    print(f"{'rule':32} {'eslint':>7} {'thea':>7} {'precision':>9} {'recall':>7}")
    for rule_id, score in scores.items():
        expected = score.true_positives + len(score.false_negatives)
        reported = score.true_positives + len(score.false_positives)
        print(f"{rule_id:32} {expected:7d} {reported:7d} {score.precision:9.2%} {score.recall:7.2%}")
        _show(score.false_negatives, root, "missed", args.show)
        _show(score.false_positives, root, "extra ", args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
