"""Model settings and the named presets that default them.

The presets come from Thea's original design: `development` starts fast on a laptop,
`production` runs the full model with the ML detector on, `edge` stays on the CPU and only
shows findings the model is very sure of. A preset only supplies defaults; the config
file, the environment and the command line override it, field by field.

A confidence threshold of None means the checkpoint's own: the one its calibration chose so
that false alarms on clean held-out code stay within target (`calibration.json`). A fixed
number here would outlive the checkpoint it was chosen for.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from engine.config.validate import check_choice, check_float, check_int

WORKERS_RANGE = (1, 256)
# The model's own window is 32768 tokens; four times that leaves room for a longer
# checkpoint without accepting absurd values. Not forced to a power of two: the M2
# sequence mixer pads its FFT convolution, so any length works.
CONTEXT_LENGTH_RANGE = (128, 32768 * 4)
CONFIDENCE_RANGE = (0.0, 1.0)
DEVICES = ("auto", "cpu")


@dataclass(frozen=True)
class ModelSettings:
    """What the ML detector and its worker pool are configured with."""

    preset: str
    model_path: str | None
    max_workers: int
    context_length: int
    confidence_threshold: float | None  # None: the checkpoint's calibrated threshold
    device: str  # "cpu" | "auto" (an accelerator when one is present)

    def __post_init__(self) -> None:
        # each source validates with its own file and key first; this is the backstop
        # for settings built directly in code
        check_int(self.max_workers, *WORKERS_RANGE, key="max_workers")
        check_int(self.context_length, *CONTEXT_LENGTH_RANGE, key="context_length")
        if self.confidence_threshold is not None:
            check_float(self.confidence_threshold, *CONFIDENCE_RANGE, key="confidence_threshold")
        check_choice(self.device, DEVICES, key="device")


DEFAULT_PRESET = "development"

PRESETS: Mapping[str, ModelSettings] = MappingProxyType(
    {
        settings.preset: settings
        for settings in (
            ModelSettings("development", None, max_workers=2, context_length=8192, confidence_threshold=None, device="auto"),
            ModelSettings("production", None, max_workers=16, context_length=32768, confidence_threshold=None, device="auto"),
            ModelSettings("edge", None, max_workers=2, context_length=8192, confidence_threshold=0.9, device="cpu"),
        )
    }
)

# Presets that turn the ML detector on unless `ml = false` says otherwise.
ML_PRESETS = frozenset({"production"})
