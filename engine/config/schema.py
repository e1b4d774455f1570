"""The schema of Thea's config table (`.thea.toml` top level, or `[tool.thea]`).

Declarative only: values are data, checked here key by key; nothing names code to run.

    extends = "recommended"              # | "all" | "none"
    preset = "development"               # | "production" | "edge"
    ml = false
    ignore = ["dist/", "*.min.js"]       # gitignore-style, relative to this file's directory
    max-file-size = "1MiB"               # or bytes
    report-unused-directives = true
    no-inline-config = false             # true: `/* eslint ... */` comments warn, none applies

    [rules]
    eqeqeq = ["error", "smart"]
    no-debugger = "off"

    [model]
    path = "models/m2"                   # relative to this file's directory
    workers = 4
    context-length = 8192
    confidence-threshold = 0.8
    device = "cpu"                       # | "auto"
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pathspec

from engine.config.errors import ConfigError, did_you_mean
from engine.config.presets import CONFIDENCE_RANGE, CONTEXT_LENGTH_RANGE, DEVICES, PRESETS, WORKERS_RANGE
from engine.config.rule_settings import EXTENDS, RuleEntry, parse_rule_entries
from engine.config.validate import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_size,
    check_str,
    check_string_list,
)

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
MAX_FILE_SIZE_RANGE = (1, 1024**3)

TOP_LEVEL_KEYS = (
    "extends", "ignore", "max-file-size", "ml", "model", "no-inline-config", "preset", "report-unused-directives", "rules",
)
MODEL_KEYS = ("confidence-threshold", "context-length", "device", "path", "workers")


@dataclass(frozen=True)
class FileConfig:
    """One config file's settings, validated; None means "not set here"."""

    path: Path | None = None  # None: no config file, every setting at its default
    rules: Mapping[str, RuleEntry] = field(default_factory=dict)
    extends: str = "recommended"
    ignore: tuple[str, ...] = ()
    max_file_size: int | None = None
    report_unused_directives: bool | None = None
    no_inline_config: bool | None = None  # ESLint's linterOptions.noInlineConfig
    ml: bool | None = None
    preset: str | None = None
    model_path: str | None = None
    workers: int | None = None
    context_length: int | None = None
    confidence_threshold: float | None = None
    device: str | None = None


def parse_file_config(table: Mapping[str, Any], path: Path) -> FileConfig:
    """Validate Thea's table from the config file at `path` (raises ConfigError)."""
    _reject_unknown(table, TOP_LEVEL_KEYS, "", path)
    where = {"path": path}
    values: dict[str, Any] = {}
    if "rules" in table:
        values["rules"] = parse_rule_entries(table["rules"], **where)
    if "extends" in table:
        values["extends"] = check_choice(table["extends"], EXTENDS, key="extends", **where)
    if "ignore" in table:
        values["ignore"] = _check_patterns(table["ignore"], path)
    if "max-file-size" in table:
        values["max_file_size"] = check_size(table["max-file-size"], *MAX_FILE_SIZE_RANGE, key="max-file-size", **where)
    if "report-unused-directives" in table:
        values["report_unused_directives"] = check_bool(
            table["report-unused-directives"], key="report-unused-directives", **where
        )
    if "no-inline-config" in table:
        values["no_inline_config"] = check_bool(table["no-inline-config"], key="no-inline-config", **where)
    if "ml" in table:
        values["ml"] = check_bool(table["ml"], key="ml", **where)
    if "preset" in table:
        values["preset"] = check_choice(table["preset"], PRESETS, key="preset", **where)
    if "model" in table:
        values.update(_parse_model(table["model"], path))
    return FileConfig(path, **values)


def _parse_model(model: Any, path: Path) -> dict[str, Any]:
    if not isinstance(model, Mapping):
        raise ConfigError.expected("a table", model, key="model", path=path)
    _reject_unknown(model, MODEL_KEYS, "model.", path)
    values: dict[str, Any] = {}
    if "path" in model:
        given = check_str(model["path"], key="model.path", path=path)
        # relative to the config file, so the setting means the same from any cwd
        values["model_path"] = os.path.normpath(path.parent / given)
    if "workers" in model:
        values["workers"] = check_int(model["workers"], *WORKERS_RANGE, key="model.workers", path=path)
    if "context-length" in model:
        values["context_length"] = check_int(
            model["context-length"], *CONTEXT_LENGTH_RANGE, key="model.context-length", path=path
        )
    if "confidence-threshold" in model:
        values["confidence_threshold"] = check_float(
            model["confidence-threshold"], *CONFIDENCE_RANGE, key="model.confidence-threshold", path=path
        )
    if "device" in model:
        values["device"] = check_choice(model["device"], DEVICES, key="model.device", path=path)
    return values


def _check_patterns(value: Any, path: Path) -> tuple[str, ...]:
    patterns = check_string_list(value, key="ignore", path=path)
    for index, pattern in enumerate(patterns):
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except ValueError as error:
            raise ConfigError.expected("a gitignore-style pattern", pattern, key=f"ignore[{index}]", path=path) from error
    return patterns


def _reject_unknown(table: Mapping[str, Any], known: tuple[str, ...], prefix: str, path: Path) -> None:
    for key in table:
        if key not in known:
            raise ConfigError("unknown key" + did_you_mean(key, known), key=f"{prefix}{key}", path=path)
