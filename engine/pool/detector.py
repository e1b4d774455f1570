"""What a detector actor runs: the ML detector for one document, loaded once per actor.

`load_detector(spec)` prefers the engine's own in-process detector (`engine.model.detector`,
the one `thea check --ml` runs without a pool) so that pooled and in-process findings are the
same. Until that module exists, `EnsembleDetector` below runs the checkpoint itself with the
engine/model pieces: tree-sitter sites, the BPE tokenizer, the calibrated ensemble; whole
documents up to `context_length` tokens, longer ones in consecutive windows.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import tree_sitter

from engine.config.presets import ModelSettings
from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Fix
from engine.parse.source import Source

logger = logging.getLogger(__name__)

# Where the shipped checkpoint lives when no model path is configured.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "thea-m2"


@dataclass(frozen=True)
class DetectorSpec:
    """Everything an actor needs to load its detector; small and picklable."""

    model_path: str
    context_length: int = 32768
    confidence_threshold: float = 0.5
    threads: int = 1  # torch threads per actor: actors, not threads, use the cores

    @classmethod
    def from_settings(cls, settings: ModelSettings, threads: int = 1) -> DetectorSpec:
        path = settings.model_path or str(DEFAULT_MODEL_DIR)
        return cls(path, settings.context_length, settings.confidence_threshold, threads)


class Detector(Protocol):
    name: str  # shown by `thea health`

    def detect(self, source: Source, tree: tree_sitter.Tree) -> Sequence[Finding]: ...


def load_detector(spec: DetectorSpec) -> Detector:
    try:
        module = importlib.import_module("engine.model.detector")
    except ModuleNotFoundError as error:
        if error.name != "engine.model.detector":
            raise
        return EnsembleDetector(spec)
    return module.load(spec)  # type: ignore[no-any-return]


class EnsembleDetector:
    def __init__(self, spec: DetectorSpec) -> None:
        from engine.model.checkpoint import load_detector as load_checkpoint
        from engine.model.tokenizer import marker_ids

        directory = Path(spec.model_path)
        if not (directory / "config.json").is_file():
            raise FileNotFoundError(f"no detector checkpoint in {directory}")
        self.members, self.tokenizer, self.calibration = load_checkpoint(directory)
        self.markers = marker_ids(self.tokenizer)
        self.spec = spec
        self.name = f"{directory.name} ({len(self.members)} members)"

    def detect(self, source: Source, tree: tree_sitter.Tree) -> list[Finding]:
        import torch

        from engine.model.ensemble import predict
        from engine.model.features import featurize
        from engine.model.sites import find_sites
        from engine.model.tokenizer import encode

        sites = find_sites(tree)
        if not sites:
            return []
        features = featurize(encode(self.tokenizer, source), sites, self.markers)
        length = int(features.ids.shape[0])
        window = self.spec.context_length
        findings: list[Finding] = []
        for start in range(0, max(length, 1), window):
            end = min(start + window, length)
            keep = (features.site_start >= start) & (features.site_end <= end)
            part = features.window(start, end) if (start, end) != (0, length) else features
            if part is None or not bool(keep.any()):
                continue
            original = torch.nonzero(keep).flatten().tolist()
            for prediction in predict(self.members, part, self.calibration):
                if prediction.confidence < self.spec.confidence_threshold:
                    continue
                findings.append(_finding(sites[original[prediction.site]], prediction.repair, prediction.confidence))
        findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
        return findings


def _finding(site: object, repair_index: int, confidence: float) -> Finding:
    repair = site.repairs[repair_index]  # type: ignore[attr-defined]
    kind: str = site.kind  # type: ignore[attr-defined]
    label = repair.label
    fix = Fix((repair.edit,), Applicability.UNSAFE if confidence >= 0.8 else Applicability.DISPLAY_ONLY,
              f"Replace with {repair.edit.text!r}" if repair.edit.text else f"Apply {label}")
    return Finding(
        f"ml/{kind}",
        kind,
        f"Possible {kind.replace('-', ' ')} (confidence {confidence:.2f}).",
        site.start,  # type: ignore[attr-defined]
        site.end,  # type: ignore[attr-defined]
        Severity.WARNING,
        (fix,),
        confidence,
    )
