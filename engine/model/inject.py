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
    """The mutant made by applying `repair` at `site` of `original`, or None when it is dropped.

    `rules=None` skips the pattern-rule filter (tests of the injectors themselves).
    """
    data = apply_edit(original.data, repair.edit)
    if data == original.data:
        return None
    mutant = Source.from_bytes(data)
    tree = parse(mutant)
    if tree.root_node.has_error:
        return None
    if rules is not None and original_counts is not None:
        counts = rule_counts(lint_source(mutant, tree, rules))
        if any(counts[rule] > original_counts[rule] for rule in counts):
            return None
    sites = find_sites(tree)
    target = _undoing(sites, mutant.data, original.data, site.kind, repair.edit.start)
    if target is None:
        return None
    return Mutant(mutant, tree, sites, target[0], target[1])


def _undoing(sites: list[Site], mutant: bytes, original: bytes, kind: str, near: int) -> tuple[int, int] | None:
    for index, site in enumerate(sites):
        if site.kind != kind or not (site.start <= near <= site.end or abs(site.start - near) < 2):
            continue
        for repair_index, repair in enumerate(site.repairs):
            if apply_edit(mutant, repair.edit) == original:
                return index, repair_index
    return None
