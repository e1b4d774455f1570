"""ESLint-style rule entries (`"warn"`, `2`, `["error", "smart"]`) and the RuleSet they build.

Entries come in layers: the `extends` base, the config file's `rules`, then the command
line's or editor's. A later layer's severity wins; an entry that gives a severity only
keeps the options an earlier layer set, as ESLint's flat config does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from engine.config.errors import ConfigError, describe, did_you_mean
from engine.finding import Severity
from engine.linter import EnabledRule, RuleSet
from engine.rules import all_rules
from engine.rules.rule import OptionsError

EXTENDS = ("recommended", "all", "none")

_SEVERITIES: dict[Any, Severity | None] = {
    "off": None,
    "warn": Severity.WARNING,
    "error": Severity.ERROR,
    0: None,
    1: Severity.WARNING,
    2: Severity.ERROR,
}
_SEVERITY_WHAT = '"off" | "warn" | "error" | 0 | 1 | 2, or an array [severity, ...options]'


@dataclass(frozen=True)
class RuleEntry:
    """One rule's configured severity (None: off) and options, already validated."""

    severity: Severity | None
    raw_options: tuple[Any, ...] | None = None  # None: the entry gave a severity only
    options: Any = None  # the rule's parse of raw_options, when given


def parse_rule_entries(table: Any, **where: Any) -> dict[str, RuleEntry]:
    """Validate a `rules` table; `where` names the file or origin for errors."""
    if not isinstance(table, Mapping):
        raise ConfigError.expected("a table of rule ids to severities", table, key="rules", **where)
    registry = all_rules()
    entries: dict[str, RuleEntry] = {}
    for rule_id, value in table.items():
        key = f"rules.{rule_id}"
        rule = registry.get(rule_id)
        if rule is None:
            raise ConfigError("unknown rule" + did_you_mean(rule_id, registry), key=key, **where)
        entries[rule_id] = _parse_entry(rule_id, value, key, where)
    return entries


def _parse_entry(rule_id: str, value: Any, key: str, where: Mapping[str, Any]) -> RuleEntry:
    is_array = isinstance(value, (list, tuple))
    severity_value = (value[0] if value else None) if is_array else value
    # bool is an int in Python, but `eqeqeq = true` is not a severity
    if isinstance(severity_value, bool) or not isinstance(severity_value, (str, int)) or severity_value not in _SEVERITIES:
        shown = severity_value if is_array and value else value
        hint = did_you_mean(shown, ("off", "warn", "error")) if isinstance(shown, str) else ""
        raise ConfigError.expected(_SEVERITY_WHAT, shown, hint, key=key, **where)
    severity = _SEVERITIES[severity_value]
    raw = tuple(value[1:]) if is_array else ()
    if not raw:
        return RuleEntry(severity)
    rule = all_rules()[rule_id]
    try:
        options = rule.options(list(raw))
    except OptionsError as error:
        raise ConfigError(str(error), key=key, **where) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        # a rule's parser meeting a shape it did not plan for: still the config's fault
        raise ConfigError(f"invalid options {describe(list(raw))}: {error}", key=key, **where) from None
    return RuleEntry(severity, raw, options)


def build_rule_set(
    extends: str,
    layers: Sequence[Mapping[str, RuleEntry]],
    *,
    report_unused_directives: bool = False,
    inline_config: str = "on",
) -> RuleSet:
    """The rules for one file: the `extends` base, then each layer of entries on top."""
    registry = all_rules()
    merged: dict[str, RuleEntry] = {}
    if extends != "none":
        for rule in registry.values():
            if extends == "all" or rule.meta.recommended:
                merged[rule.id] = RuleEntry(rule.meta.default_severity)
    for layer in layers:
        for rule_id, entry in layer.items():
            earlier = merged.get(rule_id)
            if entry.raw_options is None and earlier is not None and earlier.raw_options is not None:
                entry = RuleEntry(entry.severity, earlier.raw_options, earlier.options)
            merged[rule_id] = entry
    enabled = []
    for rule_id, rule in registry.items():  # registry order keeps RuleSets comparable
        entry = merged.get(rule_id)
        if entry is None or entry.severity is None:
            continue
        options = entry.options if entry.raw_options is not None else rule.options(None)
        enabled.append(EnabledRule(rule, entry.severity, options))
    return RuleSet(tuple(enabled), report_unused_directives=report_unused_directives, inline_config=inline_config)
