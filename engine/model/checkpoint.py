"""The shipped detector directory: M2-BERT model(s) whose detection heads are the ensemble's
members, the tokenizer and the calibration, loaded through the standard transformers API with
safetensors only.

    <dir>/config.json, model.safetensors   model 0 (loads on its own)
    <dir>/member-<i>/config.json, model.safetensors   further models, if any (each adds its heads)
    <dir>/tokenizer.json, calibration.json, MODEL_CARD.md, train.log

Weights are stored in fp16 and loaded as fp32.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from tokenizers import Tokenizer
from transformers.utils import logging as hf_logging

from engine.model.modeling import TheaM2ForBugDetection
from engine.model.tokenizer import TOKENIZER_FILE, load_tokenizer

logger = logging.getLogger(__name__)

CALIBRATION_FILE = "calibration.json"
WEIGHTS_FILE = "model.safetensors"


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


def member_dirs(directory: Path) -> list[Path]:
    extra = sorted((p for p in directory.glob("member-*") if p.is_dir()), key=lambda p: int(p.name.split("-")[1]))
    return [directory, *extra]


def save_detector(directory: Path, members: list[TheaM2ForBugDetection], tokenizer: Tokenizer, calibration: Calibration) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for index, member in enumerate(members):
        target = directory if index == 0 else directory / f"member-{index}"
        half = TheaM2ForBugDetection(member.config)
        half.load_state_dict(member.state_dict())
        hf_logging.disable_progress_bar()
        half.half().save_pretrained(target, safe_serialization=True)
    tokenizer.save(str(directory / TOKENIZER_FILE))
    save_calibration(directory, calibration)


def save_calibration(directory: Path, calibration: Calibration) -> None:
    (directory / CALIBRATION_FILE).write_text(json.dumps(asdict(calibration), indent=2) + "\n")


def load_members(directory: Path) -> list[TheaM2ForBugDetection]:
    """Every member's weights, from local safetensors files only: a path that is not a local
    directory must never become a model-hub download (from_pretrained's fallback)."""
    hf_logging.disable_progress_bar()  # no "Loading weights" bars on a linter's stderr
    members = []
    for path in member_dirs(directory):
        if not (path / "config.json").is_file():
            raise CheckpointError(f"{path}: no config.json")
        if not (path / WEIGHTS_FILE).is_file():
            raise CheckpointError(f"{path}: no {WEIGHTS_FILE} (weights load only from safetensors)")
        try:
            model = TheaM2ForBugDetection.from_pretrained(path, use_safetensors=True, local_files_only=True,
                                                          dtype=torch.float32)
        except (OSError, ValueError, RuntimeError, SafetensorError) as error:  # truncated, corrupt, wrong shapes
            raise CheckpointError(f"{path / WEIGHTS_FILE}: cannot load ({type(error).__name__}: {error})") from error
        members.append(model.float().eval())
    return members


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


def load_detector(directory: Path) -> tuple[list[TheaM2ForBugDetection], Tokenizer, Calibration]:
    """The members, tokenizer and calibration of a local detector directory (CheckpointError
    says what is missing or wrong)."""
    if not directory.is_dir():
        raise CheckpointError(f"{directory}: no such directory")
    if not (directory / TOKENIZER_FILE).is_file():
        raise CheckpointError(f"{directory}: no {TOKENIZER_FILE}")
    return load_members(directory), load_tokenizer(directory), load_calibration(directory)
