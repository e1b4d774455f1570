"""Where the editor tests run things: the checkout, and a scratch environment per editor process."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def editor_environment(scratch: Path) -> dict[str, str]:
    """os.environ with the editor's config, state and logs under `scratch` (never the user's home)
    and this checkout first on PYTHONPATH, so the server is imported from it whatever the cwd."""
    env = dict(os.environ)
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        env[f"XDG_{name}_HOME"] = str(scratch / "xdg" / name.lower())
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env
