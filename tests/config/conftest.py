"""Shared helpers: real config files and trees written under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a config file above the test's tree (none expected) or the real cwd must not leak in
    monkeypatch.chdir(tmp_path)
    for name in ("THEA_MODEL_PATH", "THEA_MAX_WORKERS", "THEA_CONTEXT_LENGTH", "THEA_CONFIDENCE_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
