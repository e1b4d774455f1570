"""The shipped detector directory: M2-BERT model(s) whose detection heads are the ensemble's
members, the tokenizer and the calibration, loaded through the standard transformers API with
safetensors only.

    <dir>/config.json, model.safetensors   model 0 (loads on its own)
    <dir>/member-<i>/config.json, model.safetensors   further models, if any (each adds its heads)
    <dir>/tokenizer.json, calibration.json, MODEL_CARD.md, train.log

Weights are stored in fp16 and loaded as fp32.
"""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors import SafetensorError
from tokenizers import Tokenizer
from transformers.utils import logging as hf_logging

from engine.model.calibration_file import (  # re-exported: the checkpoint's calibration part
    Calibration,
    CheckpointError,
    MemberCalibration,
    load_calibration,
    save_calibration,
)
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.tokenizer import TOKENIZER_FILE, load_tokenizer

WEIGHTS_FILE = "model.safetensors"


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


def load_detector(directory: Path) -> tuple[list[TheaM2ForBugDetection], Tokenizer, Calibration]:
    """The members, tokenizer and calibration of a local detector directory (CheckpointError
    says what is missing or wrong)."""
    if not directory.is_dir():
        raise CheckpointError(f"{directory}: no such directory")
    if not (directory / TOKENIZER_FILE).is_file():
        raise CheckpointError(f"{directory}: no {TOKENIZER_FILE}")
    return load_members(directory), load_tokenizer(directory), load_calibration(directory)
