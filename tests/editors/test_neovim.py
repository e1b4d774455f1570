"""Neovim's built-in LSP client against the real Thea server: the oldest Neovim we support (0.7.2,
Debian bookworm) and a current one (0.11.4, PyPI wheel). Each case is one headless nvim process
driven by nvim_client.lua; the file on disk after `:write` is asserted byte for byte."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.editors import samples
from tests.editors.installer import install

pytestmark = pytest.mark.slow

CLIENT = Path(__file__).with_name("nvim_client.lua")
LSP_TIMEOUT_MS = 20_000  # first start of the server imports tree-sitter and the rules: ~1 s here
NVIM_TIMEOUT_S = 90


@pytest.fixture(scope="session", params=["0.7.2", "0.11.4"])
def nvim(request: pytest.FixtureRequest) -> tuple[str, Path]:
    script = {"0.7.2": "neovim-apt", "0.11.4": "neovim-pypi"}[request.param]
    return request.param, install(script)


@dataclass
class Run:
    nvim: str
    offset_encoding: str
    before: list[dict]
    titles: list[str]
    applied: str
    after: list[dict]


def run_nvim(nvim: Path, env: dict[str, str], tmp_path: Path, file: Path, **spec: object) -> Run:
    out = tmp_path / "result.json"
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps({"file": str(file), "out": str(out), "rule": samples.RULE,
                                     "timeout_ms": LSP_TIMEOUT_MS, **spec}))
    done = subprocess.run(
        [str(nvim), "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {CLIENT}"],
        env={**env, "THEA_NVIM_SPEC": str(spec_file)},
        capture_output=True,
        text=True,
        timeout=NVIM_TIMEOUT_S,
        cwd=tmp_path,
    )
    assert out.exists(), f"nvim wrote no result (exit {done.returncode}): {done.stderr[-2000:]}"
    result = json.loads(out.read_text())
    assert "error" not in result, f"nvim {result['nvim']}: {result['error']}\n{done.stderr[-2000:]}"
    # vim.json encodes an empty list as {}
    return Run(nvim=result["nvim"], offset_encoding=result["offset_encoding"], applied=result["applied"],
               before=result["before"] or [], titles=result["titles"] or [], after=result["after"] or [])


def of_rule(diagnostics: list[dict]) -> list[dict]:
    return [d for d in diagnostics if d["code"] == samples.RULE]


def test_quick_fix(nvim: tuple[str, Path], editor_env: dict[str, str], tmp_path: Path,
                   thea_server_command: list[str]) -> None:
    version, binary = nvim
    file = tmp_path / "sample.js"
    file.write_text(samples.LOOSE)

    run = run_nvim(binary, editor_env, tmp_path, file, cmd=thea_server_command, mode="quickfix",
                   title=samples.QUICK_FIX_TITLE)

    assert run.nvim == version
    [finding] = of_rule(run.before)
    assert (finding["lnum"], finding["col"], finding["end_col"]) == (samples.LOOSE_LINE, samples.LOOSE_COLUMN,
                                                                     samples.LOOSE_COLUMN + 2)
    assert (finding["message"], finding["source"]) == (samples.MESSAGE, samples.SOURCE)
    assert run.applied == f"{samples.QUICK_FIX_TITLE} (unsafe)"
    assert file.read_text() == samples.LOOSE_FIXED
    assert of_rule(run.after) == []


def test_fix_all_applies_only_safe_fixes(nvim: tuple[str, Path], editor_env: dict[str, str], tmp_path: Path,
                                         thea_server_command: list[str]) -> None:
    _, binary = nvim
    file = tmp_path / "mixed.js"
    file.write_text(samples.MIXED)

    run = run_nvim(binary, editor_env, tmp_path, file, cmd=thea_server_command, mode="fixall",
                   kind="source.fixAll.thea")

    assert len(of_rule(run.before)) == 2
    assert file.read_text() == samples.MIXED_FIXED_ALL
    [left] = of_rule(run.after)  # `x == b` has only an unsafe fix: fix-all leaves it
    assert left["col"] == samples.MIXED_FIXED_ALL.splitlines()[1].index("x == b") + 2


def test_column_after_emoji(nvim: tuple[str, Path], editor_env: dict[str, str], tmp_path: Path,
                            thea_server_command: list[str]) -> None:
    version, binary = nvim
    file = tmp_path / "emoji.js"
    file.write_text(samples.EMOJI, encoding="utf-8")

    run = run_nvim(binary, editor_env, tmp_path, file, cmd=thea_server_command, mode="quickfix",
                   title=samples.QUICK_FIX_TITLE)

    # 0.7 offers no position encodings (UTF-16 then); 0.11 offers utf-8 first and the server takes it
    assert run.offset_encoding == ("utf-16" if version == "0.7.2" else "utf-8")
    [finding] = of_rule(run.before)
    assert (finding["lnum"], finding["col"], finding["end_col"]) == (0, samples.EMOJI_COLUMN,
                                                                     samples.EMOJI_COLUMN + 2)
    assert file.read_text(encoding="utf-8") == samples.EMOJI_FIXED
