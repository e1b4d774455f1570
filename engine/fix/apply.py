"""Apply fixes: non-overlapping passes to a fixpoint, each output re-parsed and checked.

A pass lints, takes the best fix allowed of every finding, applies those that do not overlap
(earliest first, as ESLint does), and re-parses. A pass whose output has more ERROR/MISSING
nodes than its input is retried fix by fix, keeping only the fixes that do not add syntax
errors. Passes repeat until nothing applies, a text repeats (a cycle), or ten passes ran.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.parse.parser import count_syntax_errors, parse
from engine.parse.source import Source

if TYPE_CHECKING:
    from engine.finding import Finding

logger = logging.getLogger(__name__)

MAX_PASSES = 10

Linter = Callable[[Source, tree_sitter.Tree], "list[Finding]"]


@dataclass
class FixResult:
    source: Source
    tree: tree_sitter.Tree
    applied: list[tuple[str, str]] = field(default_factory=list)  # (rule id, fix title)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # fixes that added syntax errors
    passes: int = 0
    cycle: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def apply_edits(source: Source, edits: Iterable[Edit]) -> Source:
    """A new Source with non-overlapping edits applied (byte offsets into `source`)."""
    pieces: list[bytes] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError("overlapping edits")
        pieces.append(source.data[position : edit.start])
        pieces.append(edit.text.encode("utf-8", "surrogatepass"))
        position = edit.end
    pieces.append(source.data[position:])
    return Source(b"".join(pieces).decode("utf-8", "surrogatepass"), source.encoding)


def select_fixes(findings: Iterable[Finding], at_most: Applicability) -> list[tuple[Finding, Fix]]:
    """The best allowed fix of each finding, earliest first, dropping any that overlaps one
    already taken (two insertions at one point also conflict)."""
    candidates = [(finding, fix) for finding in findings if (fix := finding.best_fix(at_most)) is not None]
    candidates.sort(key=lambda pair: (pair[1].start, pair[1].end))
    chosen: list[tuple[Finding, Fix]] = []
    last_end = -1
    for finding, fix in candidates:
        if fix.start < last_end or (fix.start == last_end and chosen and chosen[-1][1].start == last_end):
            continue
        chosen.append((finding, fix))
        last_end = fix.end
    return chosen


def apply_fixes(
    source: Source,
    lint: Linter,
    at_most: Applicability = Applicability.SAFE,
    tree: tree_sitter.Tree | None = None,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Fix `source` to a fixpoint with every fix labelled at most `at_most`."""
    tree = tree if tree is not None else parse(source)
    result = FixResult(source, tree)
    seen = {_digest(source)}
    errors = count_syntax_errors(tree)
    for _ in range(max_passes):
        chosen = select_fixes(lint(result.source, result.tree), at_most)
        if not chosen:
            break
        result.passes += 1
        candidate = apply_edits(result.source, [edit for _, fix in chosen for edit in fix.edits])
        candidate_tree = parse(candidate)
        if count_syntax_errors(candidate_tree) > errors:
            candidate, candidate_tree, chosen = _apply_one_by_one(result, chosen, errors)
            if not chosen:
                break
        digest = _digest(candidate)
        if digest in seen:
            logger.warning("fixes cycle after %d passes; stopped", result.passes)
            result.cycle = True
            break
        seen.add(digest)
        result.source, result.tree = candidate, candidate_tree
        result.applied.extend((finding.rule_id, fix.title) for finding, fix in chosen)
        errors = count_syntax_errors(candidate_tree)
    return result


def _apply_one_by_one(
    result: FixResult, chosen: list[tuple[Finding, Fix]], errors: int
) -> tuple[Source, tree_sitter.Tree, list[tuple[Finding, Fix]]]:
    """Keep only the fixes that, added one at a time, add no syntax error."""
    kept: list[tuple[Finding, Fix]] = []
    source, tree = result.source, result.tree
    for finding, fix in chosen:
        edits = [edit for _, kept_fix in kept for edit in kept_fix.edits] + list(fix.edits)
        candidate = apply_edits(result.source, edits)
        candidate_tree = parse(candidate)
        if count_syntax_errors(candidate_tree) > errors:
            result.rejected.append((finding.rule_id, fix.title))
            logger.info("rejected fix %r of %s: it adds a syntax error", fix.title, finding.rule_id)
            continue
        kept.append((finding, fix))
        source, tree = candidate, candidate_tree
    return source, tree, kept


def _digest(source: Source) -> bytes:
    return hashlib.blake2b(source.data, digest_size=16).digest()
