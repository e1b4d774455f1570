"""Fixtures for the pool's tests: a detector checkpoint, and one 2-actor pool per module.

Real Ray, real actors, real model code. The shipped checkpoint is used when it is in the
repository; otherwise a tiny random one (tests/pool/tiny_detector.py). Starting Ray costs
seconds on 2 cores, so a module shares one pool.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterator

import pytest

from engine.model.detector import DEFAULT_MODEL
from engine.pool.detector import DetectorSpec
from engine.pool.service import PoolService, start_pool
from tests.pool import tiny_detector


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if (DEFAULT_MODEL / "config.json").is_file() and _loads(DEFAULT_MODEL):
        return DEFAULT_MODEL
    return tiny_detector.build(tmp_path_factory.mktemp("tiny-detector"))


def _loads(directory: Path) -> bool:
    """Whether the model code in the tree loads this checkpoint. While the model is being
    changed the shipped weights may lag behind it: these tests are about the pool, so they
    then run the tiny model (tests/model are the ones to fail on the checkpoint)."""
    from engine.model.detector import Detector

    try:
        Detector(directory)
    except Exception as error:  # any load failure: shapes, keys, config
        warnings.warn(f"the shipped checkpoint does not load ({type(error).__name__}); the pool tests use the tiny one")
        return False
    return True


@pytest.fixture(scope="session")
def spec(checkpoint: Path) -> DetectorSpec:
    # threshold 0: every candidate site is a finding, so results are never trivially empty
    return DetectorSpec(str(checkpoint), context_length=8192, confidence_threshold=0.0)


@pytest.fixture(scope="module")
def service(spec: DetectorSpec) -> Iterator[PoolService]:
    with start_pool(spec, workers=2, max_restarts=2, queue_limit=8) as running:
        yield running
