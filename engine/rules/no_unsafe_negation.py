"""Disallow negating the left operand of relational operators.

## What it does
Reports `!key in object` and `!obj instanceof Ctor`, where `!` applies to the left operand
only. With `enforceForOrderingRelations`, also `!a < b`, `!a > b`, `!a <= b`, `!a >= b`.
Parentheses around the negation (`(!key) in object`) state that it is meant.

## Why is this bad?
`!key in object` reads as "key is not in object" but means `(!key) in object`: it tests
whether `"true"` or `"false"` is a key. `!obj instanceof Ctor` is `false instanceof Ctor`,
always false.

## Example
```js
if (!key in object) {}         // reported
if (!(key in object)) {}       // ok
if (!(obj instanceof Ctor)) {} // ok
```

## Fix safety
No automatic fix, as in ESLint. Two **display-only** suggestions: negate the whole
comparison (`!(key in object)`, which changes what the code does, to what it surely meant),
or parenthesize the negation (`(!key) in object`, which keeps the behaviour and states it).
Only a person can tell which was meant.

## Options
`{"enforceForOrderingRelations": false}` (default). With `true`, `<`, `>`, `<=` and `>=`
are checked too.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-unsafe-negation
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-unsafe-negation",
    type="problem",
    description="Disallow negating the left operand of relational operators.",
    messages={
        "unexpected": "Unexpected negating the left operand of '{{operator}}' operator.",
        "suggestNegatedExpression": (
            "Negate '{{operator}}' expression instead of its left operand. This changes the current behavior."
        ),
        "suggestParenthesisedNegation": (
            "Wrap negation in '()' to make the intention explicit. This preserves the current behavior."
        ),
    },
    node_types=('(binary_expression left: (unary_expression operator: "!"))',),
    fixable="sometimes",
    eslint_equivalent=True,
    default_options=({"enforceForOrderingRelations": False},),
)

_ALWAYS = frozenset({"in", "instanceof"})
_ORDERING = frozenset({"<", ">", "<=", ">="})


@dataclass(frozen=True)
class Options:
    ordering_relations: bool = False


def parse_options(raw: list[Any]) -> Options:
    extra = raw[0] if raw else {}
    if not isinstance(extra, dict) or set(extra) - {"enforceForOrderingRelations"}:
        raise OptionsError('expected an object like {"enforceForOrderingRelations": false}')
    value = extra.get("enforceForOrderingRelations", False)
    if not isinstance(value, bool):
        raise OptionsError(f'"enforceForOrderingRelations" must be a boolean, got {value!r}')
    return Options(value)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    operator = node.child_by_field_name("operator")
    op = operator.type if operator is not None else ""
    if op not in _ALWAYS and not (ctx.options.ordering_relations and op in _ORDERING):
        return
    left = node.child_by_field_name("left")
    # A parenthesized left operand is a `parenthesized_expression`: the negation is explicit.
    if left is None or left.type != "unary_expression":
        return
    negation = left.child_by_field_name("operator")
    if negation is None or negation.type != "!":
        return
    negate_all = ctx.replace(
        negation.end_byte, node.end_byte, f"({ctx.source.slice(negation.end_byte, node.end_byte)})",
        Applicability.DISPLAY_ONLY, f"Negate '{op}' expression instead of its left operand",
    )
    wrap = ctx.replace(left.start_byte, left.end_byte, f"({ctx.text(left)})", Applicability.DISPLAY_ONLY,
                       "Wrap negation in '()'")
    ctx.report(left, "unexpected", data={"operator": op}, fixes=[negate_all, wrap])


VALID = [
    Valid("a in b"),
    Valid("a in b === false"),
    Valid("!(a in b)"),
    Valid("(!a) in b"),
    Valid("a instanceof b"),
    Valid("!(a instanceof b)"),
    Valid("(!a) instanceof b"),
    Valid("if (!(key in object)) {}"),
    Valid("!a < b"),
    Valid("!(a < b)", options=[{"enforceForOrderingRelations": True}]),
    Valid("foo(!a, b) in c"),
    Valid("-a in b"),
]

INVALID = [
    Invalid("!a in b", [Expected("unexpected", 1, 1, 1, 3)]),
    Invalid("(!a in b)", [Expected("unexpected", 1, 2)]),
    Invalid("!(a) in b", [Expected("unexpected", 1, 1)]),
    Invalid("!a instanceof b", [Expected("unexpected", 1, 1)]),
    Invalid("(!a instanceof b)", [Expected("unexpected", 1, 2)]),
    Invalid("!(a) instanceof b", [Expected("unexpected", 1, 1)]),
    Invalid("if (! a in b) {}", [Expected("unexpected", 1, 5)]),
    Invalid("!a < b", [Expected("unexpected", 1, 1)], options=[{"enforceForOrderingRelations": True}]),
    Invalid("!a >= b", [Expected("unexpected", 1, 1)], options=[{"enforceForOrderingRelations": True}]),
    Invalid("!/* c */a in b", [Expected("unexpected", 1, 1)]),
    Invalid("const s = '😀'; !s in b", [Expected("unexpected", 1, 17)]),
    Invalid("<A b={!c in d} />", [Expected("unexpected", 1, 7)]),
]

FIXES = [
    FixCase("!a in b", "!a in b"),  # suggestions only
    FixCase("if (!key in object) {}", "if (!(key in object)) {}", applicability=Applicability.DISPLAY_ONLY),
    FixCase("!a instanceof /* c */ b", "!(a instanceof /* c */ b)", applicability=Applicability.DISPLAY_ONLY),
]
