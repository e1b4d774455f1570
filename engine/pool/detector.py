"""What a detector actor runs: the engine's in-process ML detector (`engine.model.detector`),
the same one `thea check --ml` runs without a pool, so pooled and in-process findings agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import tree_sitter

from engine.config.presets import ModelSettings
from engine.finding import Finding
from engine.parse.source import Source


@dataclass(frozen=True)
class DetectorSpec:
    """Everything an actor needs to load its detector; small and picklable."""

    model_path: str
    context_length: int | None = None  # None: the checkpoint's own
    confidence_threshold: float | None = None  # None: the checkpoint's calibrated default
    threads: int = 1  # torch threads per actor: the actors, not threads, use the cores

    @classmethod
    def from_settings(cls, settings: ModelSettings, threads: int = 1) -> DetectorSpec:
        path = settings.model_path or str(default_model_path())
        return cls(path, settings.context_length, settings.confidence_threshold, threads)

    def same_model(self, other: DetectorSpec) -> bool:
        """Whether one pool of actors can answer for both (thresholds aside)."""
        return (os.path.realpath(self.model_path), self.context_length) == (
            os.path.realpath(other.model_path), other.context_length)

    def threshold(self) -> float:
        """The reporting threshold this spec applies: its own, else its checkpoint's calibrated
        one, read without torch (CheckpointError if calibration.json is broken)."""
        if self.confidence_threshold is not None:
            return self.confidence_threshold
        from engine.model.calibration_file import load_calibration

        return load_calibration(Path(self.model_path)).threshold


def default_model_path() -> Path:
    """`engine.model.detector.default_model_path()`, without importing that module: it loads
    torch, which the server and the batch driver must not pay for when actors run the model.
    tests/pool/test_wire.py checks that the two agree."""
    return Path(os.environ.get("THEA_MODEL_PATH") or _SHIPPED_MODEL)


_SHIPPED_MODEL = Path(__file__).resolve().parents[2] / "models" / "thea-m2-detector"


class LoadedDetector:
    """The engine's detector with a name for health reports."""

    def __init__(self, spec: DetectorSpec) -> None:
        from engine.model.detector import load

        self._detector = load(spec.model_path, spec.context_length, spec.confidence_threshold)
        self.name = Path(spec.model_path).name
        self.context_length = self._detector.context_length
        self.threshold = self._detector.threshold

    def detect(self, source: Source, tree: tree_sitter.Tree) -> Sequence[Finding]:
        # directives (`thea-disable ml/...`) applied, as batch mode's in-process run does
        return self._detector.detect_with_directives(source, tree)


def load_detector(spec: DetectorSpec) -> LoadedDetector:
    return LoadedDetector(spec)
