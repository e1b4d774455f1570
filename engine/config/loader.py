"""Reading config files: `.thea.toml` (Thea's keys at the top level) or `pyproject.toml`
(`[tool.thea]`), parsed with tomllib. Nothing here executes anything from the workspace.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from engine.config.errors import ConfigError
from engine.config.schema import FileConfig, parse_file_config

logger = logging.getLogger(__name__)

THEA_TOML = ".thea.toml"
PYPROJECT_TOML = "pyproject.toml"
# Checked in this order in each directory: `.thea.toml` beats `pyproject.toml` beside it.
CONFIG_NAMES = (THEA_TOML, PYPROJECT_TOML)


def read_config_file(path: Path) -> FileConfig | None:
    """The Thea settings in `path`; None for a `pyproject.toml` without `[tool.thea]`."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror or error}", path=path) from None
    try:
        document = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"not UTF-8 (byte {error.start})", path=path) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError.from_toml(error, path) from None
    if path.name != PYPROJECT_TOML:
        logger.debug("config %s", path)
        return parse_file_config(document, path)
    tool = document.get("tool")
    if not isinstance(tool, dict) or "thea" not in tool:
        return None
    table = tool["thea"]
    if not isinstance(table, dict):
        raise ConfigError.expected("a table", table, key="tool.thea", path=path)
    logger.debug("config %s [tool.thea]", path)
    return parse_file_config(table, path)
