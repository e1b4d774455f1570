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
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from tokenizers import Tokenizer
from transformers.utils import logging as hf_logging

from engine.model.modeling import TheaM2ForBugDetection
from engine.model.tokenizer import TOKENIZER_FILE, load_tokenizer

logger = logging.getLogger(__name__)

CALIBRATION_FILE = "calibration.json"


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
    hf_logging.disable_progress_bar()  # no "Loading weights" bars on a linter's stderr
    members = []
    for path in member_dirs(directory):
        model = TheaM2ForBugDetection.from_pretrained(path, use_safetensors=True, dtype=torch.float32)
        members.append(model.float().eval())
    return members


def load_calibration(directory: Path) -> Calibration:
    path = directory / CALIBRATION_FILE
    if not path.exists():
        return Calibration()
    return Calibration(**json.loads(path.read_text()))


def load_detector(directory: Path) -> tuple[list[TheaM2ForBugDetection], Tokenizer, Calibration]:
    return load_members(directory), load_tokenizer(directory), load_calibration(directory)
