"""Exponential moving averages of a model's weights as it trains (Polyak averaging).

Small batches (a few thousand tokens) make each step's weights noisy; an average over the last
few thousand steps often generalises a little better than the last step's weights. Several
decays are kept at once, so one run can compare them on held-out windows and keep the best
(`thea train --average-decays`). The averages are updated outside autograd and draw no random
numbers: the training itself, and its weights, are exactly those of a run without them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import torch
from torch import nn


class WeightAverages:
    """One moving average of every parameter of `model` per decay.

    Early on the effective decay is min(decay, (1 + t) / (10 + t)) after t updates, so that an
    average does not stay near the initial weights for thousands of steps."""

    def __init__(self, model: nn.Module, decays: Sequence[float]) -> None:
        if not decays or any(not 0 < d < 1 for d in decays):
            raise ValueError(f"decays must lie strictly between 0 and 1, not {list(decays)}")
        self.decays = tuple(decays)
        self._params = [p for p in model.parameters()]
        self._averages = {d: [p.detach().clone() for p in self._params] for d in self.decays}
        self.updates = 0

    def update(self) -> None:
        """Fold the model's current weights into each average."""
        self.updates += 1
        current = [p.detach() for p in self._params]
        with torch.no_grad():
            for decay, average in self._averages.items():
                effective = min(decay, (1 + self.updates) / (10 + self.updates))
                torch._foreach_lerp_(average, current, 1.0 - effective)

    @contextmanager
    def swapped_in(self, decay: float) -> Iterator[None]:
        """The model holds the average of `decay` inside the block, its own weights again after."""
        saved = [p.detach().clone() for p in self._params]
        self.load(decay)
        try:
            yield
        finally:
            with torch.no_grad():
                for param, own in zip(self._params, saved):
                    param.copy_(own)

    def load(self, decay: float) -> None:
        """Replace the model's weights by the average of `decay` for good."""
        with torch.no_grad():
            for param, average in zip(self._params, self._averages[decay]):
                param.copy_(average)
