"""The rule registry: one explicit, sorted list of rule modules.

A new rule is a new file in this package plus one line here.
"""

from __future__ import annotations

import functools
import importlib

from engine.rules.rule import Rule

RULE_MODULES: tuple[str, ...] = (
    "curly",
    "dot_notation",
    "eqeqeq",
    "missing_token",
    "no_compare_neg_zero",
    "no_cond_assign",
    "no_console",
    "no_constant_condition",
    "no_debugger",
    "no_dupe_else_if",
    "no_dupe_keys",
    "no_duplicate_case",
    "no_else_return",
    "no_emoji",
    "no_empty",
    "no_extra_boolean_cast",
    "no_lonely_if",
    "no_self_assign",
    "no_self_compare",
    "no_sparse_arrays",
    "no_unneeded_ternary",
    "no_unsafe_finally",
    "no_unsafe_negation",
    "no_useless_catch",
    "no_useless_computed_key",
    "no_useless_rename",
    "no_var",
    "object_shorthand",
    "prefer_exponentiation_operator",
    "prefer_template",
    "spaced_operator",
    "syntax_error",
    "use_isnan",
    "valid_typeof",
    "yoda",
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
