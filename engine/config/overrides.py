"""Settings given by the command line or an editor: the top of the precedence chain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Collection, Mapping

from engine.config.errors import ConfigError, did_you_mean
from engine.config.presets import CONFIDENCE_RANGE, CONTEXT_LENGTH_RANGE, PRESETS, WORKERS_RANGE
from engine.config.rule_settings import RuleEntry, parse_rule_entries
from engine.config.validate import check_bool, check_choice, check_float, check_int, check_str

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")

# Editors send camelCase JSON, people type kebab-case; all spellings map to a field.
_ALIASES = {
    "max_workers": "workers",
    "confidence_threshold": "confidence",
}


@dataclass(frozen=True)
class Overrides:
    """Each field None (or empty) means "not given"; given ones beat every other source.

    `rules` takes ESLint-style entries: `{"eqeqeq": "off" | "warn" | ["error", "smart"] | 0/1/2}`.
    Validated on construction (ConfigError names `origin`), so a bad value fails before any
    file is linted.
    """

    preset: str | None = None
    workers: int | None = None
    confidence: float | None = None
    context_length: int | None = None
    model_path: str | None = None
    rules: Mapping[str, Any] = field(default_factory=dict)
    ml: bool | None = None
    inline_config: bool | None = None  # False: --no-inline-config, directive comments ignored
    origin: str = field(default="command line", compare=False)
    _rule_entries: Mapping[str, RuleEntry] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        where = {"origin": self.origin}
        if self.preset is not None:
            check_choice(self.preset, PRESETS, key="preset", **where)
        if self.workers is not None:
            check_int(self.workers, *WORKERS_RANGE, key="workers", **where)
        if self.confidence is not None:
            check_float(self.confidence, *CONFIDENCE_RANGE, key="confidence", **where)
        if self.context_length is not None:
            check_int(self.context_length, *CONTEXT_LENGTH_RANGE, key="context_length", **where)
        if self.model_path is not None:
            check_str(self.model_path, key="model_path", **where)
        if self.ml is not None:
            check_bool(self.ml, key="ml", **where)
        if self.inline_config is not None:
            check_bool(self.inline_config, key="inline_config", **where)
        object.__setattr__(self, "_rule_entries", parse_rule_entries(self.rules, **where))

    @property
    def rule_entries(self) -> Mapping[str, RuleEntry]:
        """`rules`, validated and parsed."""
        return self._rule_entries

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, origin: str, *, extra_keys: Collection[str] = ()) -> Overrides:
        """From an editor's settings (the `thea` section) or any JSON-like mapping.

        Keys may be camelCase, snake_case or kebab-case (`contextLength`, `context_length`,
        `context-length`); `maxWorkers` and `confidenceThreshold` are accepted aliases.
        JSON null means "not given". A mapping holding only a `thea` section is unwrapped.
        `extra_keys` are keys the caller handles itself (editor-only settings); they are
        skipped, every other unknown key is a ConfigError with a did-you-mean.
        """
        if data is None:
            return cls(origin=origin)
        if not isinstance(data, Mapping):
            raise ConfigError.expected("an object", data, origin=origin)
        if set(data) == {"thea"} and isinstance(data["thea"], Mapping):
            data = data["thea"]
        known = {f.name for f in fields(cls) if f.init and f.name != "origin"}
        values: dict[str, Any] = {}
        spelled: dict[str, str] = {}
        for key, value in data.items():
            if key in extra_keys:
                continue
            name = _field_name(key) if isinstance(key, str) else ""
            if name not in known:
                camel = sorted(_camel(candidate) for candidate in known | set(_ALIASES))
                raise ConfigError("unknown setting" + did_you_mean(str(key), camel), key=str(key), origin=origin)
            if value is None:
                continue
            values[name] = value
            spelled[name] = key
        try:
            return cls(**values, origin=origin)
        except ConfigError as error:
            # name the key the way the user spelled it: "contextLength", "rules.eqeqeq"
            head, dot, tail = (error.key or "").partition(".")
            key = spelled.get(head, head) + dot + tail
            raise ConfigError(error.message, key=key or None, origin=origin) from None


def _field_name(key: str) -> str:
    snake = _CAMEL_HUMP.sub(r"_\1", key).replace("-", "_").lower()
    return _ALIASES.get(snake, snake)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
