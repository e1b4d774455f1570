"""Fixtures shared by the real-editor tests: the server command and a scratch environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def thea_server_command() -> list[str]:
    """The real server, as every editor starts it (vscode-languageclient appends --stdio too)."""
    return [sys.executable, "-m", "thea_lsp", "--stdio"]


@pytest.fixture
def editor_env(tmp_path: Path) -> dict[str, str]:
    """The environment for an editor process: its config, state and logs go to the test's tmp dir."""
    env = dict(os.environ)
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / "xdg" / name.lower())
    # the server is imported from this checkout whatever the editor's working directory
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env
