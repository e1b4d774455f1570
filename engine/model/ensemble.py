"""Running the ensemble on one document: calibrated, averaged site and repair probabilities,
with disagreement between members lowering the confidence.

For each site: p_m = P_m(bug here) * P_m(best repair | here) under member m's temperatures,
the best repair being the one the averaged repair distribution ranks first;
confidence = clamp(mean_m p_m - k * std_m p_m, 0, 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from engine.model.checkpoint import Calibration, MemberCalibration
from engine.model.features import Batch, DocFeatures, collate
from engine.model.modeling import Logits, TheaM2ForBugDetection
from engine.model.scoring import Scores, scores


@dataclass(frozen=True, slots=True)
class SitePrediction:
    site: int  # index into the document's sites
    repair: int  # index into that site's repairs (local)
    site_prob: float  # ensemble mean P(bug here)
    repair_prob: float  # ensemble mean P(repair | here)
    confidence: float


@torch.no_grad()
def member_scores(members: list[TheaM2ForBugDetection], docs: list[DocFeatures], calibration: Calibration) -> list[Scores]:
    """Scores of every ensemble member (each head of each model, in order) on one batch."""
    batch = collate(docs)
    per_head = [logits for model in members for logits in model(batch.input_ids, batch.attention_mask, batch.sites)]
    return [member_scores_of(logits, batch, calibration.member(index)) for index, logits in enumerate(per_head)]


def member_scores_of(logits: Logits, batch: Batch, member: MemberCalibration) -> Scores:
    """One member's calibrated scores from its logits on `batch`."""
    return scores(logits, batch, member.loc_temperature, member.repair_temperature, member.no_bug_offset,
                  member.kind_offsets)


def combine(doc: DocFeatures, per_member: list[Scores], calibration: Calibration) -> list[SitePrediction]:
    """Predictions for every site of a single document scored alone (batch of one)."""
    site_prob = torch.stack([s.site_prob for s in per_member])  # (m, s)
    repair_prob = torch.stack([s.repair_prob for s in per_member])  # (m, r)
    n_sites = int(doc.site_start.shape[0])
    n_repairs = int(doc.repair_site.shape[0])
    owner = doc.repair_site  # (r,)
    index = torch.arange(n_repairs)
    mean_repair = repair_prob.mean(0)  # (r,)
    best_value = torch.full((n_sites,), -1.0).scatter_reduce(0, owner, mean_repair, "amax")  # (s,)
    is_best = mean_repair == best_value[owner]
    # the first repair of a site with the highest mean probability; n_repairs = none
    best = torch.full((n_sites,), n_repairs, dtype=torch.long).scatter_reduce(0, owner[is_best], index[is_best], "amin")
    first_repair = torch.full((n_sites,), n_repairs, dtype=torch.long).scatter_reduce(0, owner, index, "amin")
    has_repair = best < n_repairs
    joint = site_prob * repair_prob[:, best.clamp(max=max(n_repairs - 1, 0))] if n_repairs else site_prob * 0  # (m, s)
    spread = joint.std(0, unbiased=False) if joint.shape[0] > 1 else torch.zeros(n_sites)
    confidence = (joint.mean(0) - calibration.disagreement_weight * spread).clamp(0, 1)
    rows = zip(has_repair.tolist(), (best - first_repair).tolist(), site_prob.mean(0).tolist(), best_value.tolist(),
               confidence.tolist())
    return [SitePrediction(i, local, site, repair, conf) for i, (ok, local, site, repair, conf) in enumerate(rows) if ok]


def predict(members: list[TheaM2ForBugDetection], doc: DocFeatures, calibration: Calibration) -> list[SitePrediction]:
    return combine(doc, member_scores(members, [doc], calibration), calibration)
