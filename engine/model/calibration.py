"""Temperature scaling on validation documents, and the default reporting threshold.

Each member gets two temperatures (localisation, repair) and a no-bug offset, fitted by
minimising the negative log-likelihood of the validation targets (Guo et al., 2017; the
offset moves the training windows' prior of a bug to that of whole documents). The threshold is the
lowest confidence at which the ensemble's alarms on the clean validation files stay within
`alarms_per_kloc` per 1,000 lines (never below `floor`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import torch

from engine.model.checkpoint import Calibration
from engine.model.dataset import Document
from engine.model.ensemble import combine, member_scores
from engine.model.features import collate
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.scoring import nll_terms, scores

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


def fit_temperatures(cached: list[tuple]) -> tuple[float, float, float]:
    """(localisation T, repair T, no-bug offset) minimising the NLL of one member's cached
    (logits, batch) pairs."""
    log_t = torch.zeros(2, requires_grad=True)
    offset = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t, offset], lr=0.1, max_iter=100)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        t = log_t.exp()
        total = sum(nll_terms(logits, batch, t[0], t[1], offset) for logits, batch in cached)
        total = total / len(cached)
        total.backward()
        return total

    optimizer.step(closure)
    # bounded: a degenerate validation set must not yield an absurd temperature or offset
    loc_t, rep_t = (float(v) for v in log_t.detach().clamp(-3, 3).exp())
    return loc_t, rep_t, float(offset.detach().clamp(-20, 20))


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
            per_member = [scores(cached[m][i][0], cached[m][i][1], calibration.loc_temperatures[m],
                                 calibration.repair_temperatures[m], calibration.no_bug_offsets[m])
                          for m in range(member_count(members))]
        predictions = combine(doc.features, per_member, calibration)
        confidences = [0.0] * int(doc.features.site_start.shape[0])
        for p in predictions:
            confidences[p.site] = p.confidence
        top = max(predictions, key=lambda p: p.confidence, default=None)
        out.append(ScoredDocument(doc, confidences, top.site if top else -1, top.repair if top else -1,
                                  top.confidence if top else 0.0))
    return out


def choose_threshold(scored: list[ScoredDocument], alarms_per_kloc: float, floor: float = 0.5) -> float:
    """Lowest threshold (step 0.01) with clean-document alarms <= alarms_per_kloc per 1,000 lines."""
    clean = [s for s in scored if s.doc.kind is None]
    lines = sum(s.doc.lines for s in clean)
    confidences = sorted((c for s in clean for c in s.confidences), reverse=True)
    allowed = int(alarms_per_kloc * lines / 1000)
    # the (allowed+1)-th highest clean confidence must fall below the threshold
    limit = confidences[allowed] if len(confidences) > allowed else 0.0
    threshold = max(floor, min(0.99, (int(limit * 100) + 1) / 100))
    logger.info("threshold %.2f: %d clean lines, %d alarms allowed", threshold, lines, allowed)
    return threshold


def calibrate(members: list[TheaM2ForBugDetection], docs: list[Document], alarms_per_kloc: float,
              context_length: int, more_clean: list[Document] | None = None) -> Calibration:
    """Temperatures on `docs`; the threshold on their clean documents plus `more_clean` (long
    clean files: the more clean lines, the better the false-alarm rate is pinned down)."""
    calibration = Calibration(context_length=context_length)
    cached = _logits(members, docs)
    for index in range(len(cached)):
        loc_t, rep_t, offset = fit_temperatures(cached[index])
        logger.info("member %d: localisation T=%.3f, repair T=%.3f, no-bug offset %.3f", index, loc_t, rep_t, offset)
        calibration.loc_temperatures.append(loc_t)
        calibration.repair_temperatures.append(rep_t)
        calibration.no_bug_offsets.append(offset)
    scored = score_documents(members, docs, calibration, cached)
    scored += score_documents(members, [doc for doc in more_clean or [] if doc.kind is None], calibration)
    calibration.threshold = choose_threshold(scored, alarms_per_kloc)
    return calibration
