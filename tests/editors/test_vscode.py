"""VS Code (code-server 4.100.3 = VS Code 1.100.3) with our extension from editors/vscode, packaged as
a .vsix, against the real Thea server; the workbench runs in headless Chromium driven by
vscode_driver.mjs (playwright-core). Asserted: the Problems entry (message, rule id, position), the
status bar item, the quick fix from Ctrl+. and `source.fixAll.thea` on save (each by the file's bytes
on disk), and a `thea.rules` change reaching the running server.

Each test opens a new browser page, which code-server serves with its own extension host and so its
own Thea server; all of them stop with code-server's process group at the end of the module."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.editors import samples
from tests.editors.environment import REPO_ROOT, editor_environment
from tests.editors.installer import install

logger = logging.getLogger(__name__)
pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("vscode_driver.mjs")
DRIVER_TIMEOUT_S = 180
START_TIMEOUT_S = 60


@dataclass
class Workbench:
    url: str
    workspace: Path
    settings: Path  # the profile's settings.json
    root: Path  # profile, logs and screenshots


@pytest.fixture(scope="module")
def code_server() -> Path:
    """code-server, Chromium, and the npm workspace (the extension's toolchain, playwright-core)."""
    return install("vscode")


@pytest.fixture(scope="module")
def vsix(code_server: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the extension exactly as it ships: tsc, esbuild bundle, vsce package."""
    out = tmp_path_factory.mktemp("vsix") / "thea.vsix"
    done = subprocess.run(["npm", "run", "package", "-w", "editors/vscode", "--", "-o", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"packaging the extension failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def workbench(code_server: Path, vsix: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    root = tmp_path_factory.mktemp("code-server")
    env = editor_environment(root)  # code-server writes config.yaml and logs under the XDG dirs
    profile = ["--user-data-dir", str(root / "user"), "--extensions-dir", str(root / "extensions"),
               "--config", str(root / "config.yaml")]
    subprocess.run([str(code_server), *profile, "--install-extension", str(vsix)],
                   env=env, check=True, capture_output=True, timeout=120)
    settings = {
        "thea.interpreter": sys.executable,
        "editor.codeActionsOnSave": {"source.fixAll.thea": "explicit"},
        "files.autoSave": "off",  # VS Code for the web defaults to afterDelay: saving is the test's job
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "git.enabled": False,
    }
    (root / "user" / "User").mkdir(parents=True, exist_ok=True)
    (root / "user" / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    workspace = root / "ws"
    workspace.mkdir()
    port = free_port()
    log = (root / "code-server.log").open("w")
    # its own process group: code-server keeps the extension host and our server alive after the
    # browser leaves, so the whole group is stopped at the end
    server = subprocess.Popen(
        [str(code_server), "--bind-addr", f"127.0.0.1:{port}", "--auth", "none", "--disable-telemetry",
         "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
         *profile, str(workspace)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", server)
        yield Workbench(f"http://127.0.0.1:{port}/?folder={workspace}", workspace,
                        root / "user" / "User" / "settings.json", root)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def wait_healthy(url: str, server: subprocess.Popen) -> None:
    end = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < end:
        assert server.poll() is None, f"code-server exited with {server.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"code-server not healthy within {START_TIMEOUT_S} s")


def drive(workbench: Workbench, file: Path, scenario: str) -> dict:
    done = subprocess.run(
        ["node", str(DRIVER)],
        env={**os.environ, "CS_URL": workbench.url, "FILE": str(file), "SCENARIO": scenario,
             "MESSAGE": samples.MESSAGE, "RULE": samples.RULE, "TITLE": f"{samples.QUICK_FIX_TITLE} (unsafe)",
             "SHOT": str(workbench.root / scenario), "SETTINGS": str(workbench.settings)},
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=DRIVER_TIMEOUT_S,
    )
    logger.info("driver log:\n%s", done.stderr)
    assert done.returncode == 0, (
        f"VS Code driver failed (screenshots in {workbench.root}):\n{done.stderr[-4000:]}\n{server_logs(workbench)}"
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_logs(workbench: Workbench) -> str:
    """The extension's output channel of every window (one extension host, one server each)."""
    logs = sorted(workbench.root.glob("user/logs/*/exthost*/thea.thea-vscode/Thea.log"))
    return "\n".join(f"--- {log}\n{log.read_text()[-3000:]}" for log in logs)


def test_quick_fix(workbench: Workbench) -> None:
    file = workbench.workspace / "sample.js"
    file.write_text(samples.LOOSE)

    seen = drive(workbench, file, "quickfix")

    # the Problems row reads "Expected '===' and instead saw '=='. thea(eqeqeq) [Ln 2, Col 7]" on screen
    assert f"{samples.SOURCE} {samples.RULE}" in seen["problems"]
    assert f"[Ln {samples.LOOSE_LINE + 1}, Col {samples.LOOSE_COLUMN + 1}]" in seen["problems"]
    assert "Thea" in seen["status"], seen["status"]  # the status bar item, with its check mark (running)
    assert file.read_text() == samples.LOOSE_FIXED


def test_fix_all_on_save(workbench: Workbench) -> None:
    file = workbench.workspace / "mixed.js"
    file.write_text(samples.MIXED)

    seen = drive(workbench, file, "fixonsave")

    assert f"{samples.SOURCE} {samples.RULE}" in seen["problems"]
    assert file.read_text() == samples.MIXED_FIXED_ALL


def test_rules_setting_reaches_the_server(workbench: Workbench) -> None:
    """`thea.rules` edited while the server runs: the finding goes with eqeqeq off and comes back."""
    file = workbench.workspace / "settings.js"
    file.write_text(samples.LOOSE)
    before = json.loads(workbench.settings.read_text())

    seen = drive(workbench, file, "rules")  # fails unless the Problems entry leaves, then returns

    assert f"{samples.SOURCE} {samples.RULE}" in seen["problems"]
    assert json.loads(workbench.settings.read_text()) == before
    assert file.read_text() == samples.LOOSE  # nothing saved, nothing changed
