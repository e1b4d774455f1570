"""The settings one file is linted with, merged from every source.

Precedence, highest first: command line / editor (Overrides) > environment > config file >
preset. The preset itself is chosen the same way (Overrides, then the file, then
`development`), and so is `ml` (Overrides, the file, then whether the preset turns it on).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from engine.config.environment import EnvironmentSettings
from engine.config.overrides import Overrides
from engine.config.presets import DEFAULT_PRESET, ML_PRESETS, PRESETS, ModelSettings
from engine.config.rule_settings import build_rule_set
from engine.config.schema import DEFAULT_MAX_FILE_SIZE, FileConfig
from engine.linter import RuleSet

# Never linted, whatever the config says (as ESLint and Ruff do): dependencies and VCS data.
DEFAULT_IGNORED_DIRECTORIES = frozenset({"node_modules", ".git"})


@dataclass(frozen=True)
class ResolvedConfig:
    rule_set: RuleSet
    model: ModelSettings
    ml_enabled: bool
    config_path: Path | None
    root: Path  # the directory holding the config file, or the working directory without one
    ignore_patterns: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    report_unused_directives: bool = False
    _ignore_spec: pathspec.GitIgnoreSpec | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._ignore_spec is None and self.ignore_patterns:
            object.__setattr__(self, "_ignore_spec", pathspec.GitIgnoreSpec.from_lines(self.ignore_patterns))

    def is_ignored(self, path: Path, *, is_dir: bool | None = None) -> bool:
        """Whether `path` is excluded: under `node_modules` or `.git`, or matched by `ignore`.

        `ignore` patterns are relative to `root` and match nothing outside it. `.gitignore`
        is not consulted here: that is discovery's business (a file an editor opens, or one
        named on the command line, is linted even when git ignores it).
        `is_dir` saves a stat when the caller knows (patterns like `build/` match directories only).
        """
        absolute = Path(os.path.abspath(path))
        try:
            relative: Path | None = absolute.relative_to(self.root)
        except ValueError:
            relative = None
        parts = relative.parts if relative is not None else absolute.parts
        if DEFAULT_IGNORED_DIRECTORIES.intersection(parts):
            return True
        if self._ignore_spec is None or relative is None or not relative.parts:
            return False
        if is_dir is None:
            is_dir = absolute.is_dir()
        return self._ignore_spec.match_file(relative.as_posix() + ("/" if is_dir else ""))


def build_resolved(
    file_config: FileConfig | None, overrides: Overrides, environment: EnvironmentSettings, cwd: Path
) -> ResolvedConfig:
    """Merge the sources for one file (all already validated)."""
    config = file_config if file_config is not None else FileConfig()
    preset_name = _first(overrides.preset, config.preset, DEFAULT_PRESET)
    preset = PRESETS[preset_name]
    model = ModelSettings(
        preset=preset_name,
        model_path=_first(overrides.model_path, environment.model_path, config.model_path, preset.model_path),
        max_workers=_first(overrides.workers, environment.workers, config.workers, preset.max_workers),
        context_length=_first(
            overrides.context_length, environment.context_length, config.context_length, preset.context_length
        ),
        confidence_threshold=_first(
            overrides.confidence, environment.confidence_threshold, config.confidence_threshold, preset.confidence_threshold
        ),
        device=_first(config.device, preset.device),
    )
    report_unused = _first(config.report_unused_directives, False)
    # As ESLint: --no-inline-config ignores directive comments silently; the config's
    # noInlineConfig makes each one a warning that it has no effect.
    inline_config = "off" if overrides.inline_config is False else "warn" if config.no_inline_config else "on"
    return ResolvedConfig(
        rule_set=build_rule_set(
            config.extends, [config.rules, overrides.rule_entries], report_unused_directives=report_unused,
            inline_config=inline_config,
        ),
        model=model,
        ml_enabled=_first(overrides.ml, config.ml, preset_name in ML_PRESETS),
        config_path=config.path,
        root=config.path.parent if config.path is not None else cwd,
        ignore_patterns=config.ignore,
        max_file_size=_first(config.max_file_size, DEFAULT_MAX_FILE_SIZE),
        report_unused_directives=report_unused,
    )


def _first(*values: Any) -> Any:
    """The first value that was given (not None), else None: the precedence chain in one place."""
    return next((value for value in values if value is not None), None)
