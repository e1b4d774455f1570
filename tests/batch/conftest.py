"""Shared pieces of the batch tests: a fresh copy of the fixture project, the real CLI run as
a subprocess, and path normalisation for golden files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURE = HERE / "fixtures" / "project"
GOLDEN = HERE / "golden"
ROOT_MARK = "<ROOT>"


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of tests/batch/fixtures/project."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Completed:
    """`python -m engine.cli ARGS` in `cwd`, as a user runs it."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    environment.pop("NO_COLOR", None)
    completed = subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Completed(completed.returncode, completed.stdout, completed.stderr)


def normalise(text: str, root: Path) -> str:
    """Absolute paths (and file URIs) of the project copy replaced by <ROOT>."""
    real = str(root.resolve())
    return text.replace(root.resolve().as_uri(), "file://" + ROOT_MARK).replace(real, ROOT_MARK).replace(str(root), ROOT_MARK)
