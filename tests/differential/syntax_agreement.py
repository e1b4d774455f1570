"""Do Thea's syntax findings and espree's (ESLint's parser's) fatal errors agree?

Two measurements:
- on the npm corpus, which holds only files espree parses: every syntax finding there
  (syntax-error, missing-token, spaced-operator) is a gap in tree-sitter's grammar;
- on mutants of corpus files (one random corruption each: a deleted punctuator, a deleted
  closing bracket, a split operator, an inserted word), the files espree rejects and the
  files Thea reports should be the same files.

As a script (about 3 s for 400 mutants):

    python -m tests.differential.syntax_agreement [--mutants 400] [--seed 7]
"""

from __future__ import annotations

import argparse
import collections
import logging
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from engine.linter import RuleSet, lint_source
from engine.parse import Source
from tests.differential import eslint_fixes, harness

logger = logging.getLogger(__name__)

SYNTAX_RULES = ("missing-token", "spaced-operator", "syntax-error")
MUTATIONS = ("delete-punctuator", "delete-closer", "split-operator", "insert-word")
_SPLITTABLE = ("==", "!=", "&&", "||", "=>", ">=", "<=")


def syntax_findings(source: Source) -> collections.Counter[str]:
    rules = RuleSet.only(SYNTAX_RULES)
    # (a comment's `inline-config` problem is no syntax finding)
    return collections.Counter(f.rule_id for f in lint_source(source, rules=rules) if f.rule_id in SYNTAX_RULES)


def corpus_findings() -> dict[str, collections.Counter[str]]:
    """{file: findings per rule} for the corpus files where Thea reports a syntax problem."""
    root, files = harness.ensure_corpus()
    found = {}
    for relative in files:
        counts = syntax_findings(Source.from_bytes((root / relative).read_bytes()))
        if counts:
            found[relative] = counts
    return found


def mutate(text: str, kind: str, rng: random.Random) -> str | None:
    """`text` with one corruption of `kind`, or None when the file offers no place for it."""
    if kind == "delete-punctuator":
        places = [i for i, ch in enumerate(text) if ch in "(){}[];,=+.:"]
    elif kind == "delete-closer":
        places = [i for i, ch in enumerate(text) if ch in ")]}"]
    elif kind == "split-operator":
        places = [i for i in range(1, len(text) - 1) if text[i : i + 2] in _SPLITTABLE and text[i - 1] == " "]
    else:
        places = [i for i, ch in enumerate(text) if ch == ";"]
    if not places:
        return None
    at = rng.choice(places)
    if kind in ("delete-punctuator", "delete-closer"):
        return text[:at] + text[at + 1 :]
    if kind == "split-operator":
        return text[: at + 1] + " " + text[at + 1 :]
    return text[:at] + " oops" + text[at:]


@dataclass
class Agreement:
    # (mutation, espree rejects, Thea reports) -> mutants
    table: collections.Counter[tuple[str, bool, bool]] = field(default_factory=collections.Counter)
    disagreements: list[tuple[str, str, str | None, dict[str, int]]] = field(default_factory=list)

    @property
    def agreeing(self) -> int:
        return sum(count for (_, rejected, reported), count in self.table.items() if rejected == reported)


def mutant_agreement(count: int, seed: int = 7) -> Agreement:
    root, files = harness.ensure_corpus()
    rng = random.Random(seed)
    agreement = Agreement()
    with tempfile.TemporaryDirectory() as scratch:
        mutants: list[tuple[Path, str, str]] = []
        for index, relative in enumerate(rng.sample(files, min(count, len(files)))):
            kind = MUTATIONS[index % len(MUTATIONS)]
            text = (root / relative).read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
            mutated = mutate(text, kind, rng)
            if mutated is not None:
                path = Path(scratch) / f"{index}{Path(relative).suffix}"
                path.write_text(mutated, encoding="utf-8")
                mutants.append((path, kind, relative))
        espree = eslint_fixes.espree_parse([path for path, _, _ in mutants])
        for path, kind, relative in mutants:
            error = espree[str(path)]["error"]
            found = syntax_findings(Source.from_bytes(path.read_bytes()))
            agreement.table[(kind, error is not None, bool(found))] += 1
            if (error is not None) != bool(found):
                agreement.disagreements.append((relative, kind, error, dict(found)))
    return agreement


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mutants", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    gaps = corpus_findings()
    print(f"corpus (every file parsed by espree): {len(gaps)} files with a Thea syntax finding")
    for relative, counts in sorted(gaps.items()):
        print(f"    {relative}: {dict(counts)}")
    agreement = mutant_agreement(args.mutants, args.seed)
    total = sum(agreement.table.values())
    print(f"mutants: {agreement.agreeing}/{total} agree (espree rejects <=> Thea reports)")
    for (kind, rejected, reported), count in sorted(agreement.table.items()):
        print(f"    {count:4d}  {kind:18} espree {'rejects' if rejected else 'parses':7}  Thea {'reports' if reported else 'silent'}")
    for relative, kind, error, found in agreement.disagreements:
        print(f"    disagree: {relative} ({kind}) espree: {error}; Thea: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
