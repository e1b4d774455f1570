"""Disallow comparing against `-0`.

## What it does
Reports comparisons (`==`, `===`, `!=`, `!==`, `<`, `<=`, `>`, `>=`) where an operand is the
literal `-0` (any spelling of zero: `-0.0`, `-0x0`, `-(0)`).

## Why is this bad?
Comparisons do not tell `-0` from `+0`: `x === -0` is also true for `x = 0`. Code that
compares against `-0` almost always meant to detect negative zero, which needs `Object.is`.

## Example
```js
if (x === -0) {}          // reported: also true for +0
if (Object.is(x, -0)) {}  // ok: true only for -0
if (x === 0) {}           // ok
```

## Fix safety
No automatic fix, as in ESLint: the code is probably a bug, and either rewrite hides it.
Two **display-only** suggestions: replace `-0` with `0` (keeps today's behaviour), and, for
`===` and `!==` without comments inside and with the global `Object` in scope, rewrite to
`Object.is(x, -0)` / `!Object.is(x, -0)` (changes behaviour to what was probably meant).

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-compare-neg-zero
"""

from __future__ import annotations

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.rules.nodes import binary_parts, unparenthesized
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.scope import name_scopes
from engine.rules.tokens import has_comment_inside

RULE = RuleMeta(
    id="no-compare-neg-zero",
    type="problem",
    description="Disallow comparing against `-0`.",
    messages={
        "unexpected": "Do not use the '{{operator}}' operator to compare against -0.",
        "suggestRemoveMinus": "Replace '-0' with '0' (keeps the current comparison behavior).",
        "suggestObjectIs": "Replace with 'Object.is()' (changes the comparison to distinguish -0 from +0).",
        "suggestNotObjectIs": "Replace with '!Object.is()' (changes the comparison to distinguish -0 from +0).",
    },
    # A negation (or a parenthesized operand that may hold one) on a side; the operator is
    # tested in Python (an alternation of tokens costs tree-sitter more).
    node_types=(
        '(binary_expression left: [(unary_expression operator: "-") (parenthesized_expression)])',
        '(binary_expression right: [(unary_expression operator: "-") (parenthesized_expression)])',
    ),
    fixable="sometimes",
    eslint_equivalent=True,
)

_COMPARISONS = frozenset({">", ">=", "<", "<=", "==", "===", "!=", "!=="})


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    parts = binary_parts(node, _COMPARISONS)
    if parts is None:
        return
    op, left, right = parts
    left, right = unparenthesized(left), unparenthesized(right)
    negative = [side for side in (left, right) if _is_negative_zero(side)]
    if not negative:
        return
    messages = RULE.messages
    fixes = [Fix(tuple(Edit(side.start_byte, side.end_byte, "0") for side in negative),
                 Applicability.DISPLAY_ONLY, messages["suggestRemoveMinus"])]
    if (
        op in ("===", "!==")
        and not has_comment_inside(node, ctx.source.data)
        and not name_scopes(ctx.tree, ctx.cache, "Object").is_shadowed(node)
    ):
        negation, message_id = ("", "suggestObjectIs") if op == "===" else ("!", "suggestNotObjectIs")
        text = f"{negation}Object.is({_operand_text(left, ctx)}, {_operand_text(right, ctx)})"
        fixes.append(ctx.replace(node.start_byte, node.end_byte, text, Applicability.DISPLAY_ONLY, messages[message_id]))
    ctx.report(node, "unexpected", data={"operator": op}, fixes=fixes)


def _is_negative_zero(node: tree_sitter.Node) -> bool:
    """`-0` with a Literal zero argument (parentheses allowed, `-0n` is no number)."""
    if node.type != "unary_expression":
        return False
    op = node.child_by_field_name("operator")
    argument = node.child_by_field_name("argument")
    if op is None or op.type != "-" or argument is None:
        return False
    argument = unparenthesized(argument)
    return argument.type == "number" and argument.text is not None and _is_zero(argument.text.decode())


def _is_zero(literal: str) -> bool:
    text = literal.lower().replace("_", "")
    if text.endswith("n"):
        return False  # a BigInt: `0n === 0` is false in ESLint's value check
    digits = text[2:] if text[:2] in ("0x", "0o", "0b") else text.split("e")[0]
    return bool(digits) and set(digits) <= {"0", "."}


def _operand_text(node: tree_sitter.Node, ctx: RuleContext) -> str:
    text = ctx.text(node)
    return f"({text})" if node.type == "sequence_expression" else text


VALID = [
    Valid("x === 0"),
    Valid("x === -1"),
    Valid("Object.is(x, -0)"),
    Valid("x + -0"),
    Valid("x === -0n"),
    Valid("x === '-0'"),
    Valid("x = -0"),
]

INVALID = [
    Invalid("x === -0", [Expected("unexpected", 1, 1, 1, 9)]),
    Invalid("-0 == x", [Expected("unexpected", 1, 1)]),
    Invalid("if ((x) >= -0.0) {}", [Expected("unexpected", 1, 5)]),
    Invalid("x < -(0x0)", [Expected("unexpected", 1, 1)]),
    Invalid("x !== /* neg */ -0", [Expected("unexpected", 1, 1)]),
    Invalid("const s = '😀'; f(s != (-0))", [Expected("unexpected", 1, 19)]),
    Invalid("<A b={x === -0} />", [Expected("unexpected", 1, 7)]),
]

FIXES = [
    FixCase("x === -0", "x === -0"),
    FixCase("x === -0", "x === 0", applicability=Applicability.DISPLAY_ONLY),
    FixCase("-0 <= (-0)", "0 <= (0)", applicability=Applicability.DISPLAY_ONLY),
]
