"""The detector pool on a real local Ray instance with 2 real actors."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import wait

import pytest

from engine.parse import Source, parse
from engine.pool.detector import DetectorSpec, load_detector
from engine.pool.health import check
from engine.pool.orchestrator import PoolUnavailable, Superseded
from engine.pool.service import PoolService
from engine.pool.snapshot import DocumentSnapshot
from tests.pool.tiny_detector import program

pytestmark = pytest.mark.slow


def _expected(spec: DetectorSpec, text: str) -> list[object]:
    import torch

    torch.set_num_threads(spec.threads)  # as in an actor: same reductions, same floats
    detector = load_detector(spec)
    source = Source(text)
    return list(detector.detect(source, parse(source)))


def test_documents_spread_over_both_actors_with_in_process_results(service: PoolService, spec: DetectorSpec) -> None:
    texts = [program(seed) for seed in range(8)]
    futures = [service.pool.submit(DocumentSnapshot(f"file:///d{i}.js", 1, text)) for i, text in enumerate(texts)]
    results = [future.result(timeout=120) for future in futures]
    assert [r.uri for r in results] == [f"file:///d{i}.js" for i in range(8)]
    assert {r.actor for r in results} == {0, 1}
    # what an actor finds is what the same detector finds in-process
    assert results[3].findings == _expected(spec, texts[3])
    assert results[3].findings, "threshold 0 reports every site"


def test_stale_versions_are_dropped(service: PoolService) -> None:
    pool = service.pool
    # keep both actors busy so that the versions below queue up behind them
    blockers = [pool.submit(DocumentSnapshot(f"file:///big{i}.js", 1, program(100 + i, functions=150))) for i in range(2)]
    versions = [pool.submit(DocumentSnapshot("file:///edited.js", v, program(v))) for v in range(1, 6)]
    wait(blockers + versions, timeout=120)
    for future in versions[:-1]:
        assert isinstance(future.exception(), Superseded)
    newest = versions[-1].result()
    assert newest.version == 5 and newest.attempts == 1
    # an older version arriving late is refused at once
    late = pool.submit(DocumentSnapshot("file:///edited.js", 3, program(3)))
    assert isinstance(late.exception(timeout=5), Superseded)


def test_health_probe_reaches_every_actor(service: PoolService) -> None:
    reports = check(service.pool, timeout_s=60)
    assert [r.index for r in reports] == [0, 1]
    assert all(r.ok and r.pid and r.rss_bytes and r.probe_s is not None for r in reports), reports
    assert len({r.pid for r in reports}) == 2
    # N actors on N cores: each computes with exactly one intra-op thread
    assert [r.torch_threads for r in reports] == [1, 1]


def test_killed_actor_work_is_retried_elsewhere_and_the_actor_restarts(service: PoolService) -> None:
    pool = service.pool
    big = DocumentSnapshot("file:///victim.js", 1, program(7, functions=200))
    future = pool.submit(big)
    deadline = time.monotonic() + 30
    victim = None
    while victim is None and time.monotonic() < deadline:
        victim = next((s for s in pool.status() if s["busy"] == big.uri), None)
        time.sleep(0.01)
    assert victim is not None, pool.status()
    os.kill(int(victim["pid"]), signal.SIGKILL)  # type: ignore[arg-type]
    result = future.result(timeout=120)
    assert result.attempts == 2 and result.actor != victim["index"] and result.findings
    # the killed actor comes back (Ray restarts it) with a new process
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = pool.status()[int(victim["index"])]  # type: ignore[arg-type]
        if status["state"] == "ready":
            break
        time.sleep(0.2)
    assert status["state"] == "ready" and status["pid"] != victim["pid"] and status["restarts"] == 1
    later = [pool.submit(DocumentSnapshot(f"file:///after{i}.js", 1, program(i))) for i in range(4)]
    assert {f.result(timeout=120).actor for f in later} == {0, 1}


def test_ray_kill_without_restart_leaves_a_working_pool_then_none(spec: DetectorSpec, service: PoolService) -> None:
    import ray

    pool = service.pool
    (first, handle_a, _), (second, handle_b, _) = pool.actors()
    ray.kill(handle_a, no_restart=True)
    assert pool.analyze(DocumentSnapshot("file:///one.js", 1, program(1)), timeout=120).actor == second
    ray.kill(handle_b, no_restart=True)
    with pytest.raises((PoolUnavailable,)):
        for attempt in range(5):  # the pool learns of a dead actor when a call to it fails
            pool.analyze(DocumentSnapshot(f"file:///two{attempt}.js", 1, program(attempt)), timeout=120)
    assert not pool.alive
