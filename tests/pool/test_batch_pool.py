"""`thea check --ml --workers 2` through the pool, and `thea health`, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pool.tiny_detector import program

pytestmark = pytest.mark.slow

THEA = [sys.executable, "-m", "engine.cli"]


def _thea(args: list[str], cwd: Path, checkpoint: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "THEA_RAY_ADDRESS"}
    env["THEA_MODEL_PATH"] = str(checkpoint)
    return subprocess.run(["nice", "-n", "10", *THEA, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_two_pool_workers_report_exactly_what_one_in_process_run_does(checkpoint: Path, tmp_path: Path) -> None:
    (tmp_path / ".thea.toml").write_text('extends = "none"\n[rules]\neqeqeq = "warn"\n')
    for index in range(6):
        (tmp_path / f"f{index:02d}.js").write_text(("if (a == b) {}\n" if index % 3 == 0 else "") + program(index, 4))
    one = _thea(["check", "--ml", "--confidence", "0", "--workers", "1", "-f", "json", "."], tmp_path, checkpoint)
    two = _thea(["check", "--ml", "--confidence", "0", "--workers", "2", "-f", "json", "-v", "."], tmp_path, checkpoint)
    assert one.returncode == two.returncode == 0, two.stderr[-2000:]
    assert "2 workers" in two.stderr  # it did go through the pool
    assert one.stdout == two.stdout
    files = json.loads(two.stdout)
    rules = {message["ruleId"] for file in files for message in file["messages"]}
    assert "eqeqeq" in rules and any(rule.startswith("ml/") for rule in rules)


def test_health_probes_every_actor(checkpoint: Path, tmp_path: Path) -> None:
    result = _thea(["health", "--workers", "2", "--format", "json"], tmp_path, checkpoint)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["ok"] and report["owned"] and [a["index"] for a in report["actors"]] == [0, 1]
    assert all(a["ok"] and a["pid"] and a["probe_s"] >= 0 and a["rss_bytes"] > 0 for a in report["actors"])


def test_health_check_fails_when_the_cluster_is_unreachable(checkpoint: Path, tmp_path: Path) -> None:
    result = _thea(["--health-check", "--ray-address", "127.0.0.1:1"], tmp_path, checkpoint)
    assert result.returncode == 1
    assert "cannot reach the Ray cluster" in result.stdout and "UNHEALTHY" in result.stdout
