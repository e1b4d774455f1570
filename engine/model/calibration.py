"""Temperature scaling on validation documents, and the default reporting threshold.

Each member gets two temperatures (localisation, repair), a no-bug offset and an offset per
bug kind, fitted by minimising the negative log-likelihood of the validation targets (Guo et
al., 2017). The offsets correct a prior shift: training windows hold far more bugs than whole
documents (the no-bug offset), and the share of each kind's sites that carry a bug differs
too. Training with kinds balanced (`thea train --pick kinds`) labels some kinds' sites far more
often than others (at 5 bugs per KB 31% of the negation sites but 7% of the name sites), which
would rank a negation above a name on no evidence; training with sites drawn uniformly (the
default) labels every kind alike, while validation and test documents draw each bug's kind
evenly, so there a site of a kind rare in its file is the likelier bug. The kind offsets sum
to zero (their common shift is the no-bug offset's).

The threshold is the lowest confidence at which the ensemble's alarms on the clean validation
files keep the 95% upper bound of the alarm rate within `alarms_per_kloc` per 1,000 lines
(never below `floor`).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import torch

from engine.model.checkpoint import Calibration, MemberCalibration
from engine.model.dataset import Document
from engine.model.ensemble import combine, member_scores, member_scores_of
from engine.model.features import Batch, collate
from engine.model.modeling import TheaM2ForBugDetection, set_no_bug_min_sites
from engine.model.scoring import nll_terms
from engine.model.sites import KINDS

logger = logging.getLogger(__name__)


@torch.no_grad()
def _logits(models: list[TheaM2ForBugDetection], docs: list[Document]) -> list[list[tuple]]:
    """cached[m][i] = ensemble member m's (logits, batch) on document i (one encoder pass per model)."""
    cached: list[list[tuple]] = [[] for _ in range(member_count(models))]
    for doc in docs:
        batch = collate([doc.features])
        per_head = [logits for model in models for logits in model(batch.input_ids, batch.attention_mask, batch.sites)]
        for index, logits in enumerate(per_head):
            cached[index].append((logits, batch))
    return cached


def member_count(models: list[TheaM2ForBugDetection]) -> int:
    return sum(model.config.ensemble_heads for model in models)


def joined_logits(per_document: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, ...]:
    """One member's logits on documents one at a time, as its logits on one batch of them in that
    order (`collate`)."""
    return tuple(torch.cat([logits[part] for logits in per_document]) for part in range(3))


def fit_temperatures(logits: tuple[torch.Tensor, ...], batch: Batch, kinds: int = len(KINDS)) -> MemberCalibration:
    """One member's calibration minimising the mean NLL per document of its `logits` on `batch`
    (every validation document in one batch: one NLL per LBFGS evaluation, not one per document)."""
    log_t = torch.zeros(2, requires_grad=True)
    offset = torch.zeros(1, requires_grad=True)
    raw_kinds = torch.zeros(kinds, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t, offset, raw_kinds], lr=0.1, max_iter=200)
    documents = int(batch.target_site.shape[0])

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        t = log_t.exp()
        kind_offsets = raw_kinds - raw_kinds.mean()
        total = nll_terms(logits, batch, t[0], t[1], offset, kind_offsets) / documents  # type: ignore[arg-type]
        total.backward()
        return total

    optimizer.step(closure)
    if not all(bool(torch.isfinite(v).all()) for v in (log_t, offset, raw_kinds)):
        logger.warning("calibration diverged on these documents: identity temperatures, no offsets")
        return MemberCalibration(1.0, 1.0, 0.0, torch.zeros(kinds))
    # bounded: a degenerate validation set must not yield an absurd temperature or offset
    loc_t, rep_t = (float(v) for v in log_t.detach().clamp(-3, 3).exp())
    kind_offsets = (raw_kinds - raw_kinds.mean()).detach().clamp(-20, 20)
    return MemberCalibration(loc_t, rep_t, float(offset.detach().clamp(-20, 20)), kind_offsets)


@dataclass(frozen=True, slots=True)
class ScoredDocument:
    doc: Document
    confidences: list[float]  # per site
    top_site: int  # argmax confidence, -1 without sites
    top_repair: int
    top_confidence: float


def score_documents(members: list[TheaM2ForBugDetection], docs: list[Document], calibration: Calibration,
                    cached: list[list[tuple]] | None = None) -> list[ScoredDocument]:
    """Ensemble predictions per document; `cached[m][i]` = member m's (logits, batch) on doc i."""
    out = []
    for i, doc in enumerate(docs):
        if cached is None:
            per_member = member_scores(members, [doc.features], calibration)
        else:
            per_member = [member_scores_of(*cached[m][i], calibration.member(m)) for m in range(member_count(members))]
        predictions = combine(doc.features, per_member, calibration)
        confidences = [0.0] * int(doc.features.site_start.shape[0])
        for p in predictions:
            confidences[p.site] = p.confidence
        top = max(predictions, key=lambda p: p.confidence, default=None)
        out.append(ScoredDocument(doc, confidences, top.site if top else -1, top.repair if top else -1,
                                  top.confidence if top else 0.0))
    return out


def choose_threshold(scored: list[ScoredDocument], alarms_per_kloc: float, floor: float = 0.5) -> float:
    """Lowest threshold (step 0.01) whose clean-document alarms keep the 95% upper bound of the
    alarm rate within alarms_per_kloc per 1,000 lines: the target holds with confidence, not
    only on these lines (with ~65k lines and a target of 0.1 that allows 2 alarms, not 6)."""
    clean = [s for s in scored if s.doc.kind is None]
    lines = sum(s.doc.lines for s in clean)
    confidences = sorted((c for s in clean for c in s.confidences), reverse=True)
    allowed = 0
    while 1000 * poisson_upper_bound(allowed + 1) <= alarms_per_kloc * lines:
        allowed += 1
    if 1000 * poisson_upper_bound(0) > alarms_per_kloc * lines:
        logger.warning("%d clean lines cannot show %.3f alarms per 1,000 lines with confidence: none allowed",
                       lines, alarms_per_kloc)
    # the (allowed+1)-th highest clean confidence must fall below the threshold
    limit = confidences[allowed] if len(confidences) > allowed else 0.0
    threshold = max(floor, min(0.99, (int(limit * 100) + 1) / 100))
    logger.info("threshold %.2f: %d clean lines, %d alarms allowed", threshold, lines, allowed)
    return threshold


def poisson_upper_bound(count: int, confidence: float = 0.95) -> float:
    """The exact one-sided upper confidence bound on a Poisson mean after `count` events: the
    mean under which seeing `count` or fewer has probability 1 - confidence (3.0 for none)."""

    def at_most(mean: float) -> float:  # P(X <= count)
        term = total = math.exp(-mean)
        for k in range(1, count + 1):
            term *= mean / k
            total += term
        return total

    low, high = 0.0, count + 10.0 * math.sqrt(count + 1) + 10.0
    for _ in range(100):  # bisection: at_most falls as the mean grows
        middle = (low + high) / 2
        low, high = (middle, high) if at_most(middle) > 1 - confidence else (low, middle)
    return high


def calibrate(members: list[TheaM2ForBugDetection], docs: list[Document], alarms_per_kloc: float,
              context_length: int, more_clean: list[Document] | None = None, min_sites: int = 1) -> Calibration:
    """Temperatures on `docs`; the threshold on their clean documents plus `more_clean` (long
    clean files: the more clean lines, the better the false-alarm rate is pinned down).

    Temperatures and offsets are fitted under the prior the members were trained with, the
    same chance of a bug for every document, which is how the validation (and test) mix is
    made: two mutants per file, whatever its size. Real code holds bugs in proportion to its
    size, so the members then count a document as at least `min_sites` sites (a file shorter
    than a training window gets a prior in proportion to its sites; `set_no_bug_min_sites`),
    and the threshold is chosen under that prior."""
    calibration = Calibration(context_length=context_length)
    set_no_bug_min_sites(members, 1)
    cached = _logits(members, docs)
    joined = collate([doc.features for doc in docs], tokens=False)  # the same for every member
    for index in range(len(cached)):
        fitted = fit_temperatures(joined_logits([logits for logits, _ in cached[index]]), joined)
        kind_offsets = [round(float(v), 4) for v in fitted.kind_offsets]
        logger.info("member %d: localisation T=%.3f, repair T=%.3f, no-bug offset %.3f, kind offsets %s", index,
                    fitted.loc_temperature, fitted.repair_temperature, fitted.no_bug_offset, kind_offsets)
        calibration.loc_temperatures.append(fitted.loc_temperature)
        calibration.repair_temperatures.append(fitted.repair_temperature)
        calibration.no_bug_offsets.append(fitted.no_bug_offset)
        calibration.kind_offsets.append(kind_offsets)
    if min_sites == 1:
        scored = score_documents(members, docs, calibration, cached)
    else:  # only the clean documents count for the threshold
        set_no_bug_min_sites(members, min_sites)
        scored = score_documents(members, [doc for doc in docs if doc.kind is None], calibration)
    scored += score_documents(members, [doc for doc in more_clean or [] if doc.kind is None], calibration)
    calibration.threshold = choose_threshold(scored, alarms_per_kloc)
    return calibration
