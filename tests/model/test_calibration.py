"""Temperature scaling and the threshold rule on synthetic scores."""

from __future__ import annotations

import torch

from engine.model.calibration import ScoredDocument, choose_threshold, fit_temperatures
from engine.model.dataset import Document
from engine.model.features import DocFeatures, collate


def _doc(kind: str | None, lines: int = 1000) -> Document:
    features = DocFeatures(torch.ones(4, dtype=torch.long), torch.tensor([0, 2]), torch.tensor([1, 3]), torch.tensor([0, 2]),
                           torch.tensor([0, 0]), torch.tensor([-1, -1]), torch.tensor([-1, -1]), torch.tensor([5, 6]),
                           0 if kind else -1, 0 if kind else -1)
    return Document("x.js", kind, features, lines)


def test_threshold_keeps_clean_alarms_within_the_target() -> None:
    clean = [ScoredDocument(_doc(None), [0.97, 0.2], 0, 0, 0.97), ScoredDocument(_doc(None), [0.7, 0.1], 0, 0, 0.7)]
    assert choose_threshold(clean, alarms_per_kloc=0.0) == 0.98  # above every clean confidence
    assert choose_threshold(clean, alarms_per_kloc=0.5) == 0.71  # one alarm in 2,000 lines allowed
    assert choose_threshold(clean, alarms_per_kloc=5.0) == 0.5  # never below the floor


def test_overconfident_logits_get_a_temperature_above_one() -> None:
    # the right site wins only half the time, with huge margins: calibration must soften
    cached = []
    for right in (True, False) * 10:
        doc = _doc("negation")
        batch = collate([doc.features])
        site_logits = torch.tensor([10.0, 0.0]) if right else torch.tensor([0.0, 10.0])
        cached.append(((site_logits, torch.tensor([0.0]), torch.tensor([3.0, 0.0])), batch))
    loc_t, rep_t, _ = fit_temperatures(cached)
    assert loc_t > 3.0
    assert rep_t < 1.0  # the repair was always right: sharpen


def test_the_no_bug_offset_moves_the_prior_to_that_of_whole_documents() -> None:
    # trained on windows dense with bugs, the model calls most clean documents buggy: the
    # fitted offset must raise the no-bug logit until clean and buggy documents are told apart
    cached = []
    for kind in ("negation", None) * 10:
        doc = _doc(kind)
        batch = collate([doc.features])
        site_logits = torch.tensor([4.0, 0.0]) if kind else torch.tensor([1.0, 0.5])
        cached.append(((site_logits, torch.tensor([0.0]), torch.tensor([3.0, 0.0])), batch))
    _, _, offset = fit_temperatures(cached)
    assert offset > 1.0
