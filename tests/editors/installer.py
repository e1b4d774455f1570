"""Installs an editor for the tests by running its script in install/.

The scripts are idempotent (a second run only checks), so a clean clone gets everything on its
first run and later runs pay nothing. An install that cannot happen here (not root, no network)
skips that editor's tests with the script's own words; under CI (`CI` set) it fails instead,
because CI is where the install must work.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest

logger = logging.getLogger(__name__)

INSTALL_DIR = Path(__file__).parent / "install"
INSTALL_TIMEOUT_S = 900  # code-server's npm install with native modules: about a minute warm, more cold


def install(script: str) -> Path:
    """Run install/<script>.sh and return the path it prints, or skip/fail with its output."""
    try:
        done = subprocess.run(
            ["bash", str(INSTALL_DIR / f"{script}.sh")],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
        )
        problem = None if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-1500:]}"
    except subprocess.TimeoutExpired as error:
        done, problem = None, f"timed out after {error.timeout} s"
    if problem is not None:
        message = f"tests/editors/install/{script}.sh could not install the editor ({problem})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert done is not None
    path = Path(done.stdout.strip().splitlines()[-1])
    logger.info("%s: %s", script, path)
    return path
