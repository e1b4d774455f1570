"""Fixtures for the pool's tests: a detector checkpoint, and one 2-actor pool per module.

Real Ray, real actors, real model code. The shipped checkpoint is used when it is in the
repository; otherwise a tiny random one (tests/pool/tiny_detector.py). Starting Ray costs
seconds on 2 cores, so a module shares one pool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from engine.model.detector import DEFAULT_MODEL
from engine.pool.detector import DetectorSpec
from engine.pool.service import PoolService, start_pool
from tests.pool import tiny_detector


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if (DEFAULT_MODEL / "config.json").is_file():
        return DEFAULT_MODEL  # the real shipped model: a checkpoint that does not load fails here
    return tiny_detector.build(tmp_path_factory.mktemp("tiny-detector"))


@pytest.fixture(scope="session")
def spec(checkpoint: Path) -> DetectorSpec:
    # threshold 0: every candidate site is a finding, so results are never trivially empty
    return DetectorSpec(str(checkpoint), context_length=8192, confidence_threshold=0.0)


@pytest.fixture(scope="module")
def service(spec: DetectorSpec) -> Iterator[PoolService]:
    with start_pool(spec, workers=2, max_restarts=2, queue_limit=8) as running:
        yield running
