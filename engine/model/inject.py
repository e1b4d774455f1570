"""Bug injection: apply one site's repair to correct code, keep the mutant only when it is a
bug the pattern rules cannot see, and find the (site, repair) in the mutant that undoes it.

A mutant is dropped when it does not parse cleanly, when it equals the original, when a
pattern rule reports more findings of some rule on it than on the original (that bug is
the rules' job), or when no repair among the mutant's own sites restores the original
(then the model could not express the answer).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import tree_sitter

from engine.finding import Finding
from engine.fix.edit import Edit
from engine.linter import RuleSet, lint_source
from engine.model.sites import Repair, Site, find_sites
from engine.parse import Source, parse


@dataclass(frozen=True, slots=True)
class Mutant:
    source: Source
    tree: tree_sitter.Tree
    sites: list[Site]
    target_site: int  # index into `sites`
    target_repair: int  # index into sites[target_site].repairs


def apply_edit(data: bytes, edit: Edit) -> bytes:
    return data[:edit.start] + edit.text.encode("utf-8") + data[edit.end:]


def rule_counts(findings: list[Finding]) -> Counter[str]:
    return Counter(finding.rule_id for finding in findings)


def inject(
    original: Source, site: Site, repair: Repair, rules: RuleSet | None, original_counts: Counter[str] | None
) -> Mutant | None:
    """The mutant made by applying `repair` at `site` of `original`, or None when it is dropped
    (`inject_many` with one pick).

    `rules=None` skips the pattern-rule filter (tests of the injectors themselves).
    """
    many = inject_many(original, [(site, repair)], rules, original_counts)
    if many is None:
        return None
    (target_site, target_repair), = many.targets
    return Mutant(many.source, many.tree, many.sites, target_site, target_repair)


def _undoing(sites: list[Site], mutant: bytes, original: bytes, kind: str, near: int) -> tuple[int, int] | None:
    for index, site in enumerate(sites):
        if site.kind != kind or not (site.start <= near <= site.end or abs(site.start - near) < 2):
            continue
        for repair_index, repair in enumerate(site.repairs):
            if apply_edit(mutant, repair.edit) == original:
                return index, repair_index
    return None


@dataclass(frozen=True, slots=True)
class MultiMutant:
    """A document with several injected bugs: `targets` = (site index, repair index) of each."""

    source: Source
    tree: tree_sitter.Tree
    sites: list[Site]
    targets: list[tuple[int, int]]


def _apply_all(data: bytes, edits: list[Edit]) -> bytes:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):  # back to front: offsets hold
        data = apply_edit(data, edit)
    return data


def inject_many(
    original: Source, picks: list[tuple[Site, Repair]], rules: RuleSet | None, original_counts: Counter[str] | None
) -> MultiMutant | None:
    """The mutant made by applying every pick's repair (their sites must not overlap), or None.

    A pick is dropped when its edit changes nothing, when it lies in a finding of a rule that
    reports more on the mutant than on the original, or when no repair among the mutant's sites
    undoes it; the rest is then tried again (three rounds at most). None when no pick survives
    or the mutant does not parse cleanly: every bug left in a mutant is labelled.
    """
    picks = sorted((p for p in picks if apply_edit(original.data, p[1].edit) != original.data), key=lambda p: p[1].edit.start)
    for _ in range(3):
        if not picks:
            return None
        edits = [repair.edit for _, repair in picks]
        data = _apply_all(original.data, edits)
        mutant = Source.from_bytes(data)
        tree = parse(mutant)
        if tree.root_node.has_error:
            return None
        shifted = _mutant_positions(edits)
        if rules is not None and original_counts is not None:
            findings = lint_source(mutant, tree, rules)
            counts = rule_counts(findings)
            worse = {rule for rule in counts if counts[rule] > original_counts[rule]}
            if worse:
                blamed = [(f.start, f.end) for f in findings if f.rule_id in worse]
                innocent = [pick for pick, (start, end) in zip(picks, shifted)
                            if not any(b_start <= end + 1 and start <= b_end + 1 for b_start, b_end in blamed)]
                if len(innocent) == len(picks):
                    return None  # no pick to blame: another round would lint the same mutant
                picks = innocent
                continue
        sites = find_sites(tree)
        targets, kept = [], []
        for index, (pick, (start, end)) in enumerate(zip(picks, shifted)):
            # the text with every other bug in place and this one undone: the mutant with this
            # edit's original text put back (O(size) a pick; redoing the other edits was O(picks x size))
            partial = data[:start] + original.data[edits[index].start:edits[index].end] + data[end:]
            target = _undoing(sites, data, partial, pick[0].kind, start)
            if target is not None:
                targets.append(target)
                kept.append(pick)
        if len(kept) == len(picks):
            return MultiMutant(mutant, tree, sites, targets)
        picks = kept
    return None


def _mutant_positions(edits: list[Edit]) -> list[tuple[int, int]]:
    """Where each edit (sorted, disjoint) lands in the mutant: (start, end) bytes."""
    shift, out = 0, []
    for edit in edits:
        start = edit.start + shift
        length = len(edit.text.encode("utf-8"))
        out.append((start, start + length))
        shift += length - (edit.end - edit.start)
    return out
