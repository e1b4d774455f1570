"""What the detector memorises while it trains: the loss per site on fixed windows of held-out
files (validation packages, mutated by the training recipe) beside the same on training files,
both without dropout, in windows of MONITOR_WINDOW tokens whatever `--train-window` is, so that
readings compare across recipes. Before training the gap shows only how the two sets differ;
what it grows by is what the model learns of its training files that does not carry over to
unseen code.
`thea train --monitor-every` logs it; the model card keeps the first and the last reading.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

from engine.model.dataset import cut_windows, token_batches
from engine.model.features import DocFeatures, collate
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.scoring import loss

MONITOR_WINDOW = 512  # tokens: the shipped --train-window, fixed so that readings stay comparable


@dataclass(frozen=True, slots=True)
class LossReading:
    step: int
    held_out: float
    training: float
    weights: str = ""  # what the weights were when not the last step's (an average of them)

    def describe(self) -> str:
        weights = f" ({self.weights})" if self.weights else ""
        return (f"loss per site at step {self.step}{weights}: held-out {self.held_out:.4f}, "
                f"training files {self.training:.4f} (gap {self.held_out - self.training:+.4f})")


class LossMonitor:
    """Fixed batches cut once (their own random stream: the training's is untouched)."""

    def __init__(self, held_out: list[DocFeatures], training: list[DocFeatures], batch_tokens: int,
                 seed: int, batches: int = 24) -> None:
        def fixed(docs: list[DocFeatures], name: str) -> list[list[DocFeatures]]:
            rng = random.Random(f"monitor:{name}:{seed}")
            return token_batches(cut_windows(docs, rng, MONITOR_WINDOW), batch_tokens, rng)[:batches]

        # as many training documents as held-out ones, strided over the whole set
        stride = max(1, len(training) // max(1, len(held_out)))
        self._held_out = fixed(held_out, "held-out")
        self._training = fixed(training[::stride][: len(held_out)], "training")
        self.readings: list[LossReading] = []

    def read(self, model: TheaM2ForBugDetection, step: int, device: str) -> LossReading:
        """Measure the model's losses and keep the reading."""
        reading = self.measure(model, step, device)
        self.readings.append(reading)
        return reading

    def measure(self, model: TheaM2ForBugDetection, step: int, device: str, weights: str = "") -> LossReading:
        """The losses of the model as it is now, not kept (`weights`: what they are, when not the last
        step's; the log and the model card name them)."""
        was_training = model.training
        model.eval()  # no dropout; no random draws, so the training's torch stream is untouched
        try:
            return LossReading(step, _mean_loss(model, self._held_out, device), _mean_loss(model, self._training, device),
                               weights)
        finally:
            model.train(was_training)


def _mean_loss(model: TheaM2ForBugDetection, batches: list[list[DocFeatures]], device: str) -> float:
    """The loss per candidate site (windows of the two sets hold different numbers of sites),
    always with the shipped any-bug pointer term, so readings compare across recipes."""
    total, sites = 0.0, 0
    with torch.no_grad():
        for group in batches:
            batch = collate(group).to(device)
            total += float(loss(model(batch.input_ids, batch.attention_mask, batch.sites), batch)) * len(group)
            sites += int(batch.site_label.shape[0])
    return total / sites if sites else float("nan")
