"""From the model's logits to per-document distributions, losses and predictions.

Localisation is a softmax over a document's sites plus its no-bug slot; repair is a softmax
over the repairs of one site. Calibration (engine/model/calibration.py) adds a per-kind offset to
the site logits and an offset to the no-bug logit, and temperatures divide them.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.model.features import Batch
from engine.model.modeling import grouped_logsumexp


@dataclass(frozen=True, slots=True)
class Scores:
    """Per batch: site_prob (s,) P(bug at site); no_bug_prob (b,); repair_prob (r,) P(repair | its site)."""

    site_prob: torch.Tensor
    no_bug_prob: torch.Tensor
    repair_prob: torch.Tensor


def localisation_log_probs(site_logits: torch.Tensor, no_bug_logits: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    """log P(site) (s,) and log P(no bug) (b,), normalised per document."""
    docs = batch.sites.site_doc  # (s,)
    log_norm = torch.logaddexp(grouped_logsumexp(site_logits, docs, no_bug_logits.shape[0]), no_bug_logits)  # (b,)
    return site_logits - log_norm[docs], no_bug_logits - log_norm


def repair_log_probs(repair_logits: torch.Tensor, batch: Batch) -> torch.Tensor:
    """log P(repair | its site) (r,)."""
    owner = batch.sites.repair_site  # (r,)
    return repair_logits - grouped_logsumexp(repair_logits, owner, batch.sites.site_start.shape[0])[owner]


def loss(per_head: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]], batch: Batch, pointer: str = "any-bug") -> torch.Tensor:
    """The mean of `head_loss` over the ensemble's heads."""
    return torch.stack([head_loss(logits, batch, pointer) for logits in per_head]).mean()


def head_loss(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch, pointer: str = "any-bug") -> torch.Tensor:
    """A pointer term per document under the localisation softmax, plus, summed over every site,
    -log P(keep) at a clean site and -log P(bug) P(undoing repair | bug) at a buggy one.

    The pointer term of a document without bugs is -log P(no bug). With `pointer` "any-bug" (the
    shipped recipe) a buggy document's is -log P(one of its bugs' sites): the easiest bug can
    carry it. With "each-bug" it is the sum, over its bugs, of -log P(that site) in a softmax
    over that site, the document's clean sites and the no-bug slot: each bug is then a
    single-bug example, as at test time, ranked against the clean sites only."""
    pointer_term = POINTER_TERMS.get(pointer)
    if pointer_term is None:
        raise ValueError(f"pointer must be one of {', '.join(POINTERS)}, not {pointer!r}")
    site_logits, no_bug_logits, repair_logits = logits
    labels = batch.site_label  # (s,)
    buggy_site = labels >= 0
    keep_lp = -torch.nn.functional.softplus(site_logits)  # (s,) log P(keep)
    bug_lp = -torch.nn.functional.softplus(-site_logits)  # (s,) log P(bug here)
    dense = -keep_lp[~buggy_site].sum()
    if bool(buggy_site.any()):
        rep_lp = repair_log_probs(repair_logits, batch)
        dense = dense - (bug_lp[buggy_site] + rep_lp[labels[buggy_site]]).sum()
    b = no_bug_logits.shape[0]
    return pointer_term(site_logits, no_bug_logits, buggy_site, batch) + dense / b


def _any_bug_pointer(site_logits: torch.Tensor, no_bug_logits: torch.Tensor, buggy_site: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Mean over documents of -log P(one of its bugs' sites), or -log P(no bug) without one."""
    site_lp, no_bug_lp = localisation_log_probs(site_logits, no_bug_logits, batch)
    masked = torch.where(buggy_site, site_lp, torch.full_like(site_lp, float("-inf")))
    bug_docs_lp = grouped_logsumexp(masked, batch.sites.site_doc, no_bug_logits.shape[0])  # (b,)
    has_bug = torch.isfinite(bug_docs_lp)
    return -torch.where(has_bug, bug_docs_lp, no_bug_lp).mean()


def _each_bug_pointer(site_logits: torch.Tensor, no_bug_logits: torch.Tensor, buggy_site: torch.Tensor, batch: Batch) -> torch.Tensor:
    """Mean over documents of the sum over its bugs of -log P(that site | it, the clean sites,
    no bug), or -log P(no bug) without one."""
    docs = batch.sites.site_doc  # (s,)
    b = no_bug_logits.shape[0]
    clean = torch.where(buggy_site, torch.full_like(site_logits, float("-inf")), site_logits)
    rivals = torch.logaddexp(grouped_logsumexp(clean, docs, b), no_bug_logits)  # (b,) clean sites + no bug
    bug_lp = site_logits - torch.logaddexp(site_logits, rivals[docs])  # (s,) meaningful at buggy sites
    per_doc = site_logits.new_zeros(b).index_add(0, docs, torch.where(buggy_site, bug_lp, torch.zeros_like(bug_lp)))
    bugs = torch.zeros(b, dtype=torch.long, device=docs.device).index_add(0, docs, buggy_site.long())
    no_bug_lp = no_bug_logits - rivals  # (b,) log P(no bug) among the clean sites and the slot
    return -torch.where(bugs > 0, per_doc, no_bug_lp).mean()


POINTER_TERMS = {"any-bug": _any_bug_pointer, "each-bug": _each_bug_pointer}  # `thea train --pointer`
POINTERS = tuple(POINTER_TERMS)


def with_kind_offsets(site_logits: torch.Tensor, batch: Batch, kind_offsets: torch.Tensor | None) -> torch.Tensor:
    """(s,) the site logits plus their kind's offset (kind_offsets: (kinds,), None for none)."""
    return site_logits if kind_offsets is None else site_logits + kind_offsets[batch.sites.site_kind]


def scores(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch,
           loc_temperature: float = 1.0, repair_temperature: float = 1.0, no_bug_offset: float = 0.0,
           kind_offsets: torch.Tensor | None = None) -> Scores:
    site_logits, no_bug_logits, repair_logits = logits
    site_logits = with_kind_offsets(site_logits, batch, kind_offsets)
    site_lp, no_bug_lp = localisation_log_probs(site_logits / loc_temperature, (no_bug_logits + no_bug_offset) / loc_temperature, batch)
    rep_lp = repair_log_probs(repair_logits / repair_temperature, batch)
    return Scores(site_lp.exp(), no_bug_lp.exp(), rep_lp.exp())


def nll_terms(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch, loc_temperature: torch.Tensor,
              repair_temperature: torch.Tensor, no_bug_offset: torch.Tensor | float = 0.0,
              kind_offsets: torch.Tensor | None = None) -> torch.Tensor:
    """Summed negative log-likelihood of single-bug targets at the given temperatures, no-bug
    offset and per-kind site offsets (calibration)."""
    site_logits, no_bug_logits, repair_logits = logits
    site_logits = with_kind_offsets(site_logits, batch, kind_offsets)
    site_lp, no_bug_lp = localisation_log_probs(site_logits / loc_temperature, (no_bug_logits + no_bug_offset) / loc_temperature, batch)
    buggy = batch.target_site >= 0
    total = -no_bug_lp[~buggy].sum() - site_lp[batch.target_site[buggy]].sum()
    if bool(buggy.any()):
        total = total - repair_log_probs(repair_logits / repair_temperature, batch)[batch.target_repair[buggy]].sum()
    return total
