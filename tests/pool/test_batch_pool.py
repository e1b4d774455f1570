"""`thea check --ml --workers 2` through the pool, and `thea health`, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pool import tiny_detector
from tests.pool.tiny_detector import program

pytestmark = pytest.mark.slow

THEA = [sys.executable, "-m", "engine.cli"]


def _thea(args: list[str], cwd: Path, checkpoint: Path | None) -> subprocess.CompletedProcess[str]:
    """`checkpoint` None: each config's own `[model] path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEA_")}
    if checkpoint is not None:
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


def test_one_pool_serves_configs_with_other_thresholds_and_models_as_an_in_process_run_does(
    checkpoint: Path, tmp_path: Path
) -> None:
    # The first config found (the root's) reports only above 0.99; `low/` reports everything
    # (threshold 0) from the same checkpoint; `tiny/` names another checkpoint, without a
    # threshold (its calibrated one, 0). The pool must not impose the first config's choices.
    tiny = tiny_detector.build(tmp_path / "tiny-checkpoint")
    project = tmp_path / "project"
    for folder, model in (("", f'path = "{checkpoint}"\nconfidence-threshold = 0.99'),
                          ("low", f'path = "{checkpoint}"\nconfidence-threshold = 0'), ("tiny", f'path = "{tiny}"')):
        (project / folder).mkdir(parents=True, exist_ok=True)
        (project / folder / ".thea.toml").write_text(f'extends = "none"\n[model]\n{model}\n')
        for index in range(2):
            (project / folder / f"f{index}.js").write_text(program(index + 10 * len(folder), 3))
    one = _thea(["check", "--ml", "--workers", "1", "-f", "json", "."], project, None)
    two = _thea(["check", "--ml", "--workers", "2", "-f", "json", "-v", "."], project, None)
    assert one.returncode == two.returncode == 0, two.stderr[-2000:]
    assert "2 workers" in two.stderr
    assert one.stdout == two.stdout
    found = {Path(file["filePath"]).parent.name: file["messages"] for file in json.loads(two.stdout)}
    assert found["low"] and found["tiny"]  # every candidate site at threshold 0
    assert all(message["confidence"] >= 0.99 for message in found["project"])


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


def test_ml_on_an_unreachable_cluster_exits_2_naming_ray_not_the_model(checkpoint: Path, tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(program(0))
    result = _thea(["check", "--ml", "--ray-address", "127.0.0.1:1", "a.js"], tmp_path, checkpoint)
    assert result.returncode == 2
    assert "--ml needs the ML detector: cannot start the ML detector pool" in result.stderr
    assert "THEA_MODEL_PATH" not in result.stderr  # the checkpoint is fine: no hint to change it
