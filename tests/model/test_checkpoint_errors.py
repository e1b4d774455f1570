"""A detector directory that cannot be loaded says which file and what is wrong with it, and a
path that is not a local directory never turns into a model-hub download."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from engine.model.checkpoint import CheckpointError, load_detector
from tests.model.tiny_detector import build_tiny_detector


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_detector(tmp_path_factory.mktemp("detector"), members=2)


@pytest.fixture()
def copy(tiny: Path, tmp_path: Path) -> Path:
    return shutil.copytree(tiny, tmp_path / "checkpoint")


def test_a_missing_directory_is_named_even_when_it_looks_like_a_hub_repo_id(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for path in (Path("models/typo"), tmp_path / "absent"):  # "models/typo" is also a valid hub repo id
        with pytest.raises(CheckpointError, match="no such directory"):
            load_detector(path)


def test_pickled_weights_are_never_loaded(copy: Path) -> None:
    torch.save({"weights": torch.zeros(1)}, copy / "pytorch_model.bin")
    (copy / "model.safetensors").unlink()
    with pytest.raises(CheckpointError, match=r"no model\.safetensors \(weights load only from safetensors\)"):
        load_detector(copy)


def test_truncated_weights_name_the_file(copy: Path) -> None:
    weights = copy / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(CheckpointError, match=r"model\.safetensors: cannot load"):
        load_detector(copy)


def test_a_missing_tokenizer_is_named(copy: Path) -> None:
    (copy / "tokenizer.json").unlink()
    with pytest.raises(CheckpointError, match=r"no tokenizer\.json"):
        load_detector(copy)


@pytest.mark.parametrize(("change", "message"), [
    ({"threshold": "x"}, 'threshold: expected a number from 0 to 1, got "x"'),
    ({"threshold": 1.5}, "threshold: expected a number from 0 to 1, got 1.5"),
    ({"loc_temperatures": [1.0, 0.0]}, "loc_temperatures: expected a list of positive numbers"),
    ({"kind_offsets": [1.0]}, "kind_offsets: expected a list of lists of numbers"),
    ({"context_length": True}, "context_length: expected a positive integer"),
    ({"thresold": 0.8}, "unknown key 'thresold'"),
])
def test_an_invalid_calibration_names_the_key_and_what_was_expected(copy: Path, change: dict, message: str) -> None:
    path = copy / "calibration.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
    with pytest.raises(CheckpointError) as raised:
        load_detector(copy)
    assert str(raised.value).startswith(f"{path}: {message}")


def test_a_calibration_that_is_not_json_is_named(copy: Path) -> None:
    (copy / "calibration.json").write_bytes(b"\xff{ not json")
    with pytest.raises(CheckpointError, match=r"calibration\.json: not readable JSON"):
        load_detector(copy)
