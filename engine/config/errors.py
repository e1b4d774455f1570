"""The one error type of configuration, and the did-you-mean hint its messages carry."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Iterable

# tomllib (3.11) puts the position only in the message: "... (at line 3, column 7)".
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class ConfigError(Exception):
    """A configuration value is wrong: `"<file>: <key>: expected <what>, got <value>"`.

    `path` is the config file (None for the environment or an editor's settings, which
    name themselves by `origin`); `key` is the dotted key inside Thea's table
    (`rules.eqeqeq`, `model.workers`) or the environment variable; `line` is known
    for TOML syntax errors only.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        key: str | None = None,
        origin: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.key = key
        self.origin = origin
        self.line = line
        super().__init__(self._render())

    @classmethod
    def expected(cls, what: str, got: Any, hint: str = "", **where: Any) -> ConfigError:
        """`expected <what>, got <value>`, then a did-you-mean `hint` if any."""
        return cls(f"expected {what}, got {describe(got)}{hint}", **where)

    @classmethod
    def from_toml(cls, error: Exception, path: Path) -> ConfigError:
        match = _TOML_POSITION.search(str(error))
        line = int(match.group(1)) if match else None
        return cls(f"invalid TOML: {error}", path=path, line=line)

    def _render(self) -> str:
        parts = [str(place) for place in (self.path or self.origin, self.key) if place]
        return ": ".join([*parts, self.message])

    def __reduce__(self) -> tuple[Any, ...]:
        # keyword-only constructor: pickling (a process pool) needs the explicit form
        return (_rebuild, (self.message, self.path, self.key, self.origin, self.line))


def _rebuild(message: str, path: Path | None, key: str | None, origin: str | None, line: int | None) -> ConfigError:
    return ConfigError(message, path=path, key=key, origin=origin, line=line)


def describe(value: Any) -> str:
    """A value as the message shows it: TOML-ish, short, type-revealing."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "an array"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`"; did you mean 'x'?"`, `"; did you mean one of 'x', 'y'?"`, or `""`."""
    pool = list(candidates)
    # compare with '_' and '-' unified so "max_file_size" finds "max-file-size"
    normal = {candidate.replace("_", "-").lower(): candidate for candidate in pool}
    wanted = word.replace("_", "-").lower()
    # an abbreviation ("prod") is too short for difflib's ratio, yet plainly meant
    prefixed = [name for name in normal if len(wanted) >= 3 and name.startswith(wanted)]
    close = difflib.get_close_matches(wanted, list(normal), n=3, cutoff=0.6)
    names = [normal[match] for match in dict.fromkeys([*prefixed, *close])][:3]
    if not names:
        return ""
    if len(names) == 1:
        return f"; did you mean '{names[0]}'?"
    return "; did you mean one of " + ", ".join(f"'{name}'" for name in names) + "?"
