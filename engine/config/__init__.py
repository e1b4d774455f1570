"""Thea's configuration: declarative TOML, presets, environment and overrides, and discovery.

Sources, highest precedence first: command line or editor (`Overrides`) > environment
(`THEA_MODEL_PATH`, `THEA_MAX_WORKERS`, `THEA_CONTEXT_LENGTH`, `THEA_CONFIDENCE_THRESHOLD`)
> the nearest config file (`.thea.toml`, or `[tool.thea]` in `pyproject.toml`) > preset.
Config files are data read with tomllib; no code from a workspace is ever run.

    cache = ConfigCache()
    config = cache.resolve(Path("src/app.js"), Overrides(workers=4))
    lint_source(source, rules=config.rule_set)
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from engine.config.cache import ConfigCache
from engine.config.discovery import DiscoveredFile, discover_files
from engine.config.environment import VARIABLES as ENVIRONMENT_VARIABLES
from engine.config.errors import ConfigError
from engine.config.loader import CONFIG_NAMES
from engine.config.overrides import Overrides
from engine.config.presets import DEFAULT_PRESET, PRESETS, ModelSettings
from engine.config.resolved import ResolvedConfig
from engine.config.schema import DEFAULT_MAX_FILE_SIZE

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_MAX_FILE_SIZE",
    "DEFAULT_PRESET",
    "ENVIRONMENT_VARIABLES",
    "PRESETS",
    "ConfigCache",
    "ConfigError",
    "DiscoveredFile",
    "ModelSettings",
    "Overrides",
    "ResolvedConfig",
    "discover_files",
    "resolve_config",
]


def resolve_config(
    file_path: Path, overrides: Overrides | None = None, environ: Mapping[str, str] | None = None
) -> ResolvedConfig:
    """One-shot `ConfigCache().resolve(...)`, for callers that resolve a single file."""
    return ConfigCache().resolve(file_path, overrides, environ)
