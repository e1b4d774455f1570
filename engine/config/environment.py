"""Model settings from environment variables; they beat the config file, lose to the command line.

An empty variable counts as unset (the usual shell idiom `THEA_MAX_WORKERS= thea check`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from engine.config.presets import CONFIDENCE_RANGE, CONTEXT_LENGTH_RANGE, WORKERS_RANGE
from engine.config.validate import parse_env_float, parse_env_int

MODEL_PATH = "THEA_MODEL_PATH"
MAX_WORKERS = "THEA_MAX_WORKERS"
CONTEXT_LENGTH = "THEA_CONTEXT_LENGTH"
CONFIDENCE_THRESHOLD = "THEA_CONFIDENCE_THRESHOLD"
VARIABLES = (MODEL_PATH, MAX_WORKERS, CONTEXT_LENGTH, CONFIDENCE_THRESHOLD)

ORIGIN = "environment"


@dataclass(frozen=True)
class EnvironmentSettings:
    model_path: str | None = None
    workers: int | None = None
    context_length: int | None = None
    confidence_threshold: float | None = None


def relevant(environ: Mapping[str, str]) -> tuple[str | None, ...]:
    """The variables Thea reads, as a cache key."""
    return tuple(environ.get(name) or None for name in VARIABLES)


def read_environment(environ: Mapping[str, str]) -> EnvironmentSettings:
    """Parse Thea's variables from `environ` (raises ConfigError naming the variable)."""
    model_path, workers, context_length, confidence = relevant(environ)
    return EnvironmentSettings(
        model_path=model_path,
        workers=None if workers is None else parse_env_int(workers, *WORKERS_RANGE, key=MAX_WORKERS, origin=ORIGIN),
        context_length=None
        if context_length is None
        else parse_env_int(context_length, *CONTEXT_LENGTH_RANGE, key=CONTEXT_LENGTH, origin=ORIGIN),
        confidence_threshold=None
        if confidence is None
        else parse_env_float(confidence, *CONFIDENCE_RANGE, key=CONFIDENCE_THRESHOLD, origin=ORIGIN),
    )
