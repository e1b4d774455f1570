"""Checks for single configuration values: type, range, choice; each raises ConfigError.

`where` is passed through to ConfigError (path, key, origin) so every message names its
place. TOML, JSON and environment strings all arrive here; booleans are never numbers
(Python's `True == 1` would otherwise let `workers = true` through).
"""

from __future__ import annotations

import math
import re
from typing import Any, Collection

from engine.config.errors import ConfigError, did_you_mean

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 1000**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "gib": 1024**3,
}


def check_int(value: Any, low: int, high: int, **where: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError.expected(f"an integer from {low} to {high}", value, **where)
    return value


def check_float(value: Any, low: float, high: float, **where: Any) -> float:
    number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan
    if not low <= number <= high:  # NaN fails here too
        raise ConfigError.expected(f"a number from {low:g} to {high:g}", value, **where)
    return number


def check_bool(value: Any, **where: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError.expected("true or false", value, **where)
    return value


def check_str(value: Any, **where: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError.expected("a non-empty string", value, **where)
    return value


def check_choice(value: Any, choices: Collection[str], **where: Any) -> str:
    if isinstance(value, str) and value in choices:
        return value
    hint = did_you_mean(value, choices) if isinstance(value, str) else ""
    options = " | ".join(f'"{choice}"' for choice in choices)
    raise ConfigError.expected(options, value, hint, **where)


def check_string_list(value: Any, **where: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError.expected("an array of strings", value, **where)
    return tuple(value)


def check_size(value: Any, low: int, high: int, **where: Any) -> int:
    """Bytes as an integer or a string with a unit: "512KiB", "1MiB", "2 MB"."""
    what = f'a size in bytes from {low} to {high} (an integer or a string like "1MiB")'
    size: float | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, str):
        match = _SIZE.match(value)
        factor = _SIZE_UNITS.get(match.group(2).lower()) if match else None
        if match and factor is not None:
            size = float(match.group(1)) * factor
    if size is None or not low <= size <= high:
        raise ConfigError.expected(what, value, **where)
    return int(size)


def parse_env_int(text: str, low: int, high: int, **where: Any) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise ConfigError.expected(f"an integer from {low} to {high}", text, **where) from None
    return check_int(number, low, high, **where)


def parse_env_float(text: str, low: float, high: float, **where: Any) -> float:
    try:
        number = float(text.strip())
    except ValueError:
        raise ConfigError.expected(f"a number from {low:g} to {high:g}", text, **where) from None
    try:
        return check_float(number, low, high, **where)
    except ConfigError:
        raise ConfigError.expected(f"a number from {low:g} to {high:g}", text, **where) from None
