"""The rule registry: one explicit, sorted list of rule modules.

A new rule is a new file in this package plus one line here.
"""

from __future__ import annotations

import functools
import importlib

from engine.rules.rule import Rule

RULE_MODULES: tuple[str, ...] = (
    "eqeqeq",
    "no_debugger",
)


@functools.cache
def all_rules() -> dict[str, Rule]:
    """Every rule, keyed by id, in registry order."""
    rules: dict[str, Rule] = {}
    for name in RULE_MODULES:
        rule = Rule.from_module(importlib.import_module(f"engine.rules.{name}"))
        if rule.id in rules:
            raise RuntimeError(f"duplicate rule id {rule.id!r} in engine.rules.{name}")
        rules[rule.id] = rule
    return rules


def get_rule(rule_id: str) -> Rule | None:
    return all_rules().get(rule_id)
