"""Helix (25.01.1, Debian trixie's build) against the real Thea server, driven through tmux:
the diagnostic shows inline and in the diagnostics picker with its code, the quick fix is picked
from `Space a`, `:w` saves, and the file on disk is asserted byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.editors import samples
from tests.editors.installer import install
from tests.editors.terminal import Terminal

pytestmark = pytest.mark.slow

LSP_TIMEOUT_S = 20  # server start (tree-sitter, rules) plus the first lint: ~1 s here
UI_TIMEOUT_S = 10


@pytest.fixture(scope="session")
def hx() -> Path:
    return install("helix")


def write_config(config_home: Path, server_command: list[str], env: dict[str, str]) -> None:
    helix = config_home / "helix"
    helix.mkdir(parents=True, exist_ok=True)
    # TOML strings are JSON strings for these values; inline diagnostics put the message on screen
    (helix / "languages.toml").write_text(
        "[language-server.thea]\n"
        f"command = {json.dumps(server_command[0])}\n"
        f"args = {json.dumps(server_command[1:])}\n"
        f"environment = {{ PYTHONPATH = {json.dumps(env['PYTHONPATH'])} }}\n\n"
        '[[language]]\nname = "javascript"\nlanguage-servers = ["thea"]\n'
    )
    (helix / "config.toml").write_text(
        '[editor]\nend-of-line-diagnostics = "hint"\n'
        '[editor.inline-diagnostics]\ncursor-line = "warning"\nother-lines = "warning"\n'
    )


def menu_index(screen: str, cursor_row_text: str, title: str) -> int:
    """Position of `title` in the code-action menu, which Helix draws right under the cursor line."""
    rows = screen.splitlines()
    cursor_row = next(i for i, row in enumerate(rows) if cursor_row_text in row)
    title_row = next(i for i, row in enumerate(rows) if title in row)
    assert title_row > cursor_row, f"menu not under the cursor line:\n{screen}"
    return title_row - cursor_row - 1


def test_quick_fix(hx: Path, editor_env: dict[str, str], tmp_path: Path, thea_server_command: list[str]) -> None:
    write_config(Path(editor_env["XDG_CONFIG_HOME"]), thea_server_command, editor_env)
    work = tmp_path / "work"
    work.mkdir()
    file = work / "sample.js"
    file.write_text(samples.LOOSE)
    terminal = Terminal(tmp_path / "tmux.sock")
    terminal.start([str(hx), "sample.js"], cwd=work, env={**editor_env, "TERM": "xterm-256color"})
    try:
        terminal.wait_for_text(samples.MESSAGE, LSP_TIMEOUT_S)

        terminal.keys("Space", "d")  # diagnostics picker: severity, code, message
        picker = terminal.wait_for(lambda s: samples.RULE in s and samples.MESSAGE in s,
                                   "diagnostics picker row", UI_TIMEOUT_S)
        assert any(samples.RULE in row and samples.MESSAGE in row for row in picker.splitlines()), picker
        terminal.keys("Escape")
        terminal.wait_for(lambda s: "severity" not in s, "picker closed", UI_TIMEOUT_S)

        title = f"{samples.QUICK_FIX_TITLE} (unsafe)"
        # `]d` from the top selects the first diagnostic's range, as a user would before asking
        # for code actions (Helix sends only the diagnostics that touch the selection)
        terminal.keys("g", "g", "]", "d", "Space", "a")
        menu = terminal.wait_for_text(title, UI_TIMEOUT_S)
        for _ in range(menu_index(menu, "if (a == 1) {", title)):
            terminal.keys("Down")
        terminal.keys("Enter")
        terminal.wait_for_text("if (a === 1) {", UI_TIMEOUT_S)
        terminal.keys(":w", "Enter")
        terminal.wait_for_text("written", UI_TIMEOUT_S)
        terminal.wait_for(lambda s: samples.MESSAGE not in s, "diagnostic cleared", LSP_TIMEOUT_S)
        terminal.keys(":q", "Enter")
    finally:
        terminal.close()
    assert file.read_text() == samples.LOOSE_FIXED
