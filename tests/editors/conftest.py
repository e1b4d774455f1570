"""Fixtures shared by the real-editor tests: the server command and a scratch environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.editors.environment import editor_environment


@pytest.fixture(scope="session")
def thea_server_command() -> list[str]:
    """The real server, as every editor starts it (vscode-languageclient appends --stdio too)."""
    return [sys.executable, "-m", "thea_lsp", "--stdio"]


@pytest.fixture
def editor_env(tmp_path: Path) -> dict[str, str]:
    return editor_environment(tmp_path)
