"""From the model's logits to per-document distributions, losses and predictions.

Localisation is a softmax over a document's sites plus its no-bug slot; repair is a softmax
over the repairs of one site. Temperatures (engine/model/calibration.py) divide the logits.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.model.features import Batch


@dataclass(frozen=True, slots=True)
class Scores:
    """Per batch: site_prob (s,) P(bug at site); no_bug_prob (b,); repair_prob (r,) P(repair | its site)."""

    site_prob: torch.Tensor
    no_bug_prob: torch.Tensor
    repair_prob: torch.Tensor


def localisation_log_probs(site_logits: torch.Tensor, no_bug_logits: torch.Tensor, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    """log P(site) (s,) and log P(no bug) (b,), normalised per document."""
    docs = batch.sites.site_doc  # (s,)
    b = no_bug_logits.shape[0]
    peak = torch.full((b,), float("-inf"), dtype=site_logits.dtype).scatter_reduce(0, docs, site_logits, "amax")
    peak = torch.maximum(peak, no_bug_logits).detach()  # (b,)
    total = torch.exp(no_bug_logits - peak).index_add(0, docs, torch.exp(site_logits - peak[docs]))  # (b,)
    log_norm = peak + torch.log(total)  # (b,)
    return site_logits - log_norm[docs], no_bug_logits - log_norm


def repair_log_probs(repair_logits: torch.Tensor, batch: Batch) -> torch.Tensor:
    """log P(repair | its site) (r,)."""
    owner = batch.sites.repair_site  # (r,)
    s = batch.sites.site_start.shape[0]
    peak = torch.full((s,), float("-inf"), dtype=repair_logits.dtype).scatter_reduce(0, owner, repair_logits, "amax").detach()
    peak = torch.where(torch.isfinite(peak), peak, torch.zeros_like(peak))
    total = torch.zeros(s, dtype=repair_logits.dtype).index_add(0, owner, torch.exp(repair_logits - peak[owner]))
    return repair_logits - (peak + torch.log(total.clamp(min=1e-30)))[owner]


def loss(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch) -> torch.Tensor:
    site_logits, no_bug_logits, repair_logits = logits
    site_lp, no_bug_lp = localisation_log_probs(site_logits, no_bug_logits, batch)
    buggy = batch.target_site >= 0  # (b,)
    loc_terms = torch.where(buggy, site_lp[batch.target_site.clamp(min=0)] if site_lp.numel() else no_bug_lp, no_bug_lp)
    loc = -loc_terms.mean()
    if not bool(buggy.any()):
        return loc
    rep_lp = repair_log_probs(repair_logits, batch)
    rep = -rep_lp[batch.target_repair[buggy]].mean()
    return loc + rep


def scores(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch,
           loc_temperature: float = 1.0, repair_temperature: float = 1.0) -> Scores:
    site_logits, no_bug_logits, repair_logits = logits
    site_lp, no_bug_lp = localisation_log_probs(site_logits / loc_temperature, no_bug_logits / loc_temperature, batch)
    rep_lp = repair_log_probs(repair_logits / repair_temperature, batch)
    return Scores(site_lp.exp(), no_bug_lp.exp(), rep_lp.exp())


def nll_terms(logits: tuple[torch.Tensor, torch.Tensor, torch.Tensor], batch: Batch, loc_temperature: torch.Tensor,
              repair_temperature: torch.Tensor) -> torch.Tensor:
    """Summed negative log-likelihood of the targets at the given temperatures (calibration)."""
    site_logits, no_bug_logits, repair_logits = logits
    site_lp, no_bug_lp = localisation_log_probs(site_logits / loc_temperature, no_bug_logits / loc_temperature, batch)
    buggy = batch.target_site >= 0
    total = -no_bug_lp[~buggy].sum() - site_lp[batch.target_site[buggy]].sum()
    if bool(buggy.any()):
        total = total - repair_log_probs(repair_logits / repair_temperature, batch)[batch.target_repair[buggy]].sum()
    return total

