"""Ray around the pool: loopback only, token authentication on, nothing left after SIGTERM,
and joining a cluster started with `ray start --head` on the loopback."""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from engine.pool.cluster import ClusterError
from engine.pool.detector import DetectorSpec
from engine.pool.health import check
from engine.pool.service import start_pool
from engine.pool.snapshot import DocumentSnapshot
from tests.pool.pool_owner import running

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


@pytest.fixture(scope="module")
def owner(checkpoint: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, object]]]:
    process = subprocess.Popen(
        ["nice", "-n", "10", PYTHON, "-m", "tests.pool.pool_owner", str(checkpoint), "2"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = process.stdout.readline() if process.stdout else ""
    if not line:
        process.kill()
        pytest.fail("the pool owner did not start")
    info = json.loads(line)
    yield process, info
    if process.poll() is None:
        process.kill()
        process.wait()


def _listeners(pids: set[int]) -> list[tuple[str, int]]:
    """(local address, pid) of every listening TCP socket of `pids` (via `ss -ltnp`)."""
    out = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        fields = line.split()
        local = fields[3]
        for pid in pids:
            if f"pid={pid}," in line:
                found.append((local, pid))
    return found


def _is_loopback(local: str) -> bool:
    host = local.rsplit(":", 1)[0].strip("[]")
    if host.startswith("::ffff:"):
        host = host[len("::ffff:"):]
    if host in ("*", "0.0.0.0", "::"):
        return False
    return ipaddress.ip_address(host).is_loopback


def test_every_ray_port_listens_on_the_loopback_only(owner: tuple[subprocess.Popen[str], dict[str, object]]) -> None:
    _, info = owner
    pids = {int(info["pid"]), *map(int, info["descendants"])}  # type: ignore[call-overload]
    listeners = _listeners(pids)
    assert len(listeners) >= 4, listeners  # GCS, raylet, workers at least
    assert [entry for entry in listeners if not _is_loopback(entry[0])] == []


def test_a_local_instance_runs_only_what_the_pool_needs(owner: tuple[subprocess.Popen[str], dict[str, object]]) -> None:
    """No autoscaler monitor, no log monitor, no idle workers (engine/pool/local_node.py)."""
    _, info = owner
    commands = []
    for pid in map(int, info["descendants"]):  # type: ignore[call-overload]
        try:
            commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    unwanted = ("autoscaler/_private/monitor.py", "log_monitor.py", "ray::IDLE")
    assert [c for c in commands if any(u in c for u in unwanted)] == []
    assert sum("ray::DetectorActor" in c for c in commands) == 2
    for needed in ("gcs_server", "raylet", "ray::DashboardAgent", "ray::RuntimeEnvAgent"):
        assert any(needed in c for c in commands), (needed, commands)


def test_joining_without_the_token_is_refused(owner: tuple[subprocess.Popen[str], dict[str, object]]) -> None:
    _, info = owner
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN="not-the-token", RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0")
    script = f"import ray; ray.init(address={info['address']!r}); print('JOINED')"
    result = subprocess.run([PYTHON, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert "JOINED" not in result.stdout
    assert result.returncode != 0
    assert "auth" in (result.stderr + result.stdout).lower()


def test_sigterm_leaves_no_processes_and_no_temp_dir(owner: tuple[subprocess.Popen[str], dict[str, object]]) -> None:
    process, info = owner
    descendants = [int(pid) for pid in info["descendants"]]  # type: ignore[union-attr]
    assert len(descendants) >= 4 and set(info["actors"]) <= set(descendants)  # type: ignore[arg-type]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    deadline = time.monotonic() + 30
    alive = descendants
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if running(pid)]
        time.sleep(0.2)
    assert alive == [], [Path(f"/proc/{pid}/cmdline").read_bytes()[:80] for pid in alive]
    assert not Path(str(info["temp_dir"])).exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_address_fails_fast() -> None:
    started = time.monotonic()
    with pytest.raises(ClusterError):
        start_pool(DetectorSpec("unused"), workers=1, address=f"127.0.0.1:{_free_port()}")
    assert time.monotonic() - started < 10


def test_joining_a_cluster_started_with_ray_start_on_the_loopback(
    spec: DetectorSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "f" * 32 + "0" * 32
    env = dict(os.environ, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=token, RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0")
    port = _free_port()
    temp_dir = tempfile.mkdtemp(prefix="thea-head-")  # short: Ray's socket paths must fit 107 bytes
    ray_cli = str(Path(PYTHON).with_name("ray"))
    head = subprocess.Popen(
        ["nice", "-n", "10", ray_cli, "start", "--head", "--node-ip-address", "127.0.0.1", f"--port={port}",
         "--num-cpus", "2", "--include-dashboard=false", "--temp-dir", temp_dir, "--block"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        monkeypatch.setenv("RAY_AUTH_TOKEN", token)
        address = f"127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until the GCS accepts connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with start_pool(spec, workers=2, address=address) as service:
            assert not service.cluster.owned
            result = service.pool.analyze(DocumentSnapshot("file:///joined.js", 3, "let x = 1;\nif (x < 2) x = x - 1;\n"), 120)
            assert result.version == 3 and result.findings
            assert all(report.ok for report in check(service.pool))
        assert head.poll() is None, "closing a joined pool must leave the cluster running"
    finally:
        head.send_signal(signal.SIGTERM)
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()
        shutil.rmtree(temp_dir, ignore_errors=True)
