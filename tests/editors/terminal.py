"""A terminal editor under tmux: start it, send keys, read the screen.

Each session gets its own tmux server (a socket in the test's tmp dir, no user config), so the
editor sees exactly the environment the test gives it and a crashed test leaves nothing shared.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
from pathlib import Path
from typing import Callable

logger = logging.getLogger(__name__)


class TerminalTimeout(AssertionError):
    """The screen never showed what a test waited for; the message carries the last screen."""


class Terminal:
    def __init__(self, socket: Path, width: int = 160, height: int = 40) -> None:
        self.socket = socket
        self.width = width
        self.height = height

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
                              capture_output=True, text=True, env=env, timeout=10, check=True)
        return done.stdout

    def start(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self._tmux("new-session", "-d", "-s", "editor", "-x", str(self.width), "-y", str(self.height),
                   "-c", str(cwd), shlex.join(command), env=env)

    def keys(self, *keys: str) -> None:
        """tmux key names ("Space", "Enter", "Escape", "Down") or literal strings."""
        self._tmux("send-keys", "-t", "editor", *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "editor")

    def wait_for(self, ready: Callable[[str], bool], what: str, timeout: float) -> str:
        end = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < end:
            try:
                screen = self.screen()
            except subprocess.CalledProcessError:  # the editor exited
                break
            if ready(screen):
                return screen
            time.sleep(0.1)
        raise TerminalTimeout(f"no {what} within {timeout} s; last screen:\n{screen}")

    def wait_for_text(self, text: str, timeout: float) -> str:
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, timeout=10)
