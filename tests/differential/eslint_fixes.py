"""The ESLint side of the fix parity test: rule metadata, `--fix` outputs and espree parses.

ESLint runs through two small node scripts beside this file: `eslint_fix.mjs` (the Linter's
own fix loop, `verifyAndFix`, one rule at a time) and `espree_parse.mjs` (ESLint's parser).
Fix outputs are cached in `.cache/eslint`, keyed by the rule set, the corpus file list and
the ESLint version.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import tempfile
from pathlib import Path

from tests.differential import harness

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
FIX_SCRIPT = HERE / "eslint_fix.mjs"
PARSE_SCRIPT = HERE / "espree_parse.mjs"

# ESLint's fix as its JSON report gives it: UTF-16 offsets into the text without its BOM.
EslintFix = dict


def _node(script: Path, *args: str) -> None:
    completed = subprocess.run(["node", str(script), *args], cwd=harness.ROOT, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"node {script.name} failed ({completed.returncode}): {completed.stderr[-2000:]}")


def rule_meta(rule_ids: list[str]) -> dict[str, dict[str, bool]]:
    """{rule id: {"fixable": ..., "hasSuggestions": ...}} from ESLint's built-in rules."""
    out = harness.CACHE / "eslint" / f"meta-{harness.eslint_version()}-{_digest(rule_ids)}.json"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        _node(FIX_SCRIPT, "--meta", str(out), *rule_ids)
    return json.loads(out.read_text())


def fixable_rule_ids(rule_ids: list[str]) -> frozenset[str]:
    """The rules among `rule_ids` that ESLint fixes automatically (not only suggests)."""
    return frozenset(rule for rule, meta in rule_meta(rule_ids).items() if meta["fixable"])


def fixable_messages(report: list[dict], root: Path) -> dict[str, dict[str, list[tuple[int, int, EslintFix | None]]]]:
    """{file: {rule: [(line, column, fix or None)]}} from a plain (no --fix) JSON report."""
    found: dict[str, dict[str, list[tuple[int, int, EslintFix | None]]]] = {}
    for entry in report:
        relative = os.path.relpath(entry["filePath"], root)
        for message in entry["messages"]:
            rule_id = message.get("ruleId")
            if rule_id is not None:
                found.setdefault(relative, {}).setdefault(rule_id, []).append(
                    (message["line"], message["column"], message.get("fix"))
                )
    return found


def unparsable_files(report: list[dict], root: Path) -> set[str]:
    """Files ESLint could not parse (a fatal message): it fixes nothing there."""
    return {
        os.path.relpath(entry["filePath"], root)
        for entry in report
        if any(message.get("fatal") for message in entry["messages"])
    }


def fix_outputs(
    rule_ids: list[str], root: Path, files: list[str], report: list[dict], cache_key: str = ""
) -> dict[str, dict[str, str]]:
    """{file: {rule: ESLint's --fix output with only that rule}}, where ESLint changed the file,
    and under the key `together(rule_ids)` its output with all of `rule_ids` at once.

    Only (file, rule) pairs whose plain report holds a fixable message can change: ESLint's
    fix loop stops at once when its first pass has nothing to fix. `cache_key` as in
    `harness.eslint_report`."""
    digest = _digest([rule_ids, files, harness.eslint_version(), cache_key, "together"])
    out = harness.CACHE / "eslint" / f"fix-{digest}.json"
    if out.exists():
        return json.loads(out.read_text())
    wanted = set(rule_ids)
    jobs = sorted(
        (relative, rule_id)
        for relative, by_rule in fixable_messages(report, root).items()
        for rule_id, messages in by_rule.items()
        if rule_id in wanted and any(fix is not None for _, _, fix in messages)
    )
    jobs += [(relative, together(rule_ids)) for relative in sorted({relative for relative, _ in jobs})]
    logger.info("running ESLint's fixer on %d (file, rule set) pairs", len(jobs))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        jobs_path = Path(scratch) / "jobs.json"
        jobs_path.write_text(json.dumps({"root": str(root), "jobs": jobs}))
        partial = Path(scratch) / "out.json"
        _node(FIX_SCRIPT, str(jobs_path), str(partial))
        partial.replace(out)
    return json.loads(out.read_text())


def together(rule_ids: list[str]) -> str:
    """The key of the fix output with every one of `rule_ids` enabled."""
    return ",".join(sorted(rule_ids))


def espree_parse(paths: list[Path]) -> dict[str, dict]:
    """{path: {"mode": "module" | "script" | "commonjs" | None, "error": ...}} for each file."""
    if not paths:
        return {}
    with tempfile.TemporaryDirectory() as scratch:
        listing = Path(scratch) / "files.json"
        listing.write_text(json.dumps([str(path) for path in paths]))
        out = Path(scratch) / "out.json"
        _node(PARSE_SCRIPT, str(listing), str(out))
        return json.loads(out.read_text())


def apply_eslint_fix(text: str, fix: EslintFix) -> str:
    """`text` (no BOM) with one ESLint fix applied; its range counts UTF-16 code units."""
    data = text.encode("utf-16-le", "surrogatepass")
    start, end = fix["range"]
    replacement = fix["text"].encode("utf-16-le", "surrogatepass")
    return (data[: 2 * start] + replacement + data[2 * end :]).decode("utf-16-le", "surrogatepass")


def _digest(value: object) -> str:
    return hashlib.sha1(json.dumps(value).encode()).hexdigest()[:16]
