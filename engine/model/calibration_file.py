"""calibration.json: a detector's calibration (temperatures, offsets, the default reporting
threshold), read and checked key by key. Torch is imported only to hand a member's values to
the scorer, so the batch driver and the server can read a checkpoint's threshold without it.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

CALIBRATION_FILE = "calibration.json"


class CheckpointError(ValueError):
    """A detector directory that cannot be loaded: the file, and what is wrong with it."""


@dataclass
class Calibration:
    """Per member temperatures for localisation and repair logits, an offset added to the
    no-bug logit (the prior of a bug per document differs between training windows and whole
    documents) and one added to the site logits of each bug kind (training labels some kinds'
    sites far more often than others: a prior the documents do not share; empty: none);
    `disagreement_weight` k in confidence = mean - k * std over members; `threshold`: the
    default reporting threshold."""

    loc_temperatures: list[float] = field(default_factory=list)
    repair_temperatures: list[float] = field(default_factory=list)
    no_bug_offsets: list[float] = field(default_factory=list)
    kind_offsets: list[list[float]] = field(default_factory=list)  # [member][kind]
    disagreement_weight: float = 1.0
    threshold: float = 0.5
    context_length: int = 32768
    notes: dict[str, float] = field(default_factory=dict)

    def member(self, index: int) -> MemberCalibration:
        """Member `index`'s values; identity values for a member the calibration lacks."""

        def pick(values: list, default):  # type: ignore[no-untyped-def]
            return values[index] if index < len(values) else default

        import torch  # here, not at import: see the module docstring

        kinds = pick(self.kind_offsets, None)
        return MemberCalibration(pick(self.loc_temperatures, 1.0), pick(self.repair_temperatures, 1.0),
                                 pick(self.no_bug_offsets, 0.0), None if kinds is None else torch.tensor(kinds))


@dataclass(frozen=True, slots=True)
class MemberCalibration:
    """One member's calibration, as `engine.model.scoring.scores` takes it."""

    loc_temperature: float
    repair_temperature: float
    no_bug_offset: float
    kind_offsets: torch.Tensor | None  # (kinds,)


def save_calibration(directory: Path, calibration: Calibration) -> None:
    (directory / CALIBRATION_FILE).write_text(json.dumps(asdict(calibration), indent=2) + "\n")


def load_calibration(directory: Path) -> Calibration:
    """calibration.json, checked field by field; identity values (threshold 0.5) without one."""
    path = directory / CALIBRATION_FILE
    if not path.exists():
        logger.warning("%s: no %s: uncalibrated confidences, threshold 0.5", directory, CALIBRATION_FILE)
        return Calibration()
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(f"{path}: not readable JSON ({error})") from error
    return _calibration_from_json(values, path)


def _calibration_from_json(values: Any, path: Path) -> Calibration:
    if not isinstance(values, dict):
        raise CheckpointError(f"{path}: expected a JSON object")
    known = {f.name for f in fields(Calibration)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise CheckpointError(f"{path}: unknown key {unknown[0]!r} (expected some of {', '.join(sorted(known))})")

    def expect(ok: bool, key: str, what: str) -> None:
        if not ok:
            raise CheckpointError(f"{path}: {key}: expected {what}, got {json.dumps(values[key])[:80]}")

    def number(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

    for key in ("loc_temperatures", "repair_temperatures"):
        if key in values:
            expect(isinstance(values[key], list) and all(number(v) and v > 0 for v in values[key]), key,
                   "a list of positive numbers")
    if "no_bug_offsets" in values:
        expect(isinstance(values["no_bug_offsets"], list) and all(map(number, values["no_bug_offsets"])),
               "no_bug_offsets", "a list of numbers")
    if "kind_offsets" in values:
        rows = values["kind_offsets"]
        expect(isinstance(rows, list) and all(isinstance(r, list) and all(map(number, r)) for r in rows),
               "kind_offsets", "a list of lists of numbers (one per member)")
    if "disagreement_weight" in values:
        expect(number(values["disagreement_weight"]) and values["disagreement_weight"] >= 0,
               "disagreement_weight", "a number >= 0")
    if "threshold" in values:
        expect(number(values["threshold"]) and 0 <= values["threshold"] <= 1, "threshold", "a number from 0 to 1")
    if "context_length" in values:
        length = values["context_length"]
        expect(isinstance(length, int) and not isinstance(length, bool) and length > 0, "context_length",
               "a positive integer")
    if "notes" in values:
        expect(isinstance(values["notes"], dict), "notes", "an object")
    return Calibration(**values)
