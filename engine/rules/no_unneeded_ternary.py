"""Disallow ternary operators when simpler alternatives exist.

## What it does
Reports conditional expressions whose two results are boolean literals (`x ? true : false`,
`x ? false : true`), which are the condition itself, its negation, or a constant. With
`defaultAssignment: false` it also reports `x ? x : y`, which is `x || y`.

## Why is this bad?
`isYes = answer === 1 ? true : false` makes the reader evaluate a ternary to find out that
it is the comparison; `isYes = answer === 1` says it directly.

## Example
```js
const isYes = answer === 1 ? true : false;   // reported: `answer === 1`
const isNo = answer === 1 ? false : true;    // reported: `answer !== 1`
const value = a ? a : b;                     // ok by default; `a || b` with defaultAssignment: false
```

## Fix safety
Rewriting `c ? true : false` as `c` (when `c` is a comparison or `!`), `!!c` otherwise, and
`c ? false : true` as `!c` (`a !== b` for `a === b`) gives the same value in every case:
the fix is **safe**. `c ? true : true` becomes `true` only when `c` is an identifier (as
ESLint); reading it can still throw (an undeclared name), so that fix is **unsafe**. Any
comment outside the condition would be dropped by the rewrite: such fixes are **unsafe**.

## Options
As ESLint: `{"defaultAssignment": true}` (default); `false` reports `x ? x : y`.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-unneeded-ternary
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.adjacency import can_be_adjacent
from engine.rules.nodes import without_parentheses
from engine.rules.precedence import precedence
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.tokens import has_comment_inside, previous_token

RULE = RuleMeta(
    id="no-unneeded-ternary",
    type="suggestion",
    description="Disallow ternary operators when simpler alternatives exist.",
    messages={
        "unnecessaryConditionalExpression": "Unnecessary use of boolean literals in conditional expression.",
        "unnecessaryConditionalAssignment": "Unnecessary use of conditional expression for default assignment.",
    },
    node_types=("ternary_expression",),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=({"defaultAssignment": True},),
)

_BOOLEAN_OPERATORS = frozenset({"==", "===", "!=", "!==", ">", ">=", "<", "<=", "in", "instanceof"})
_INVERSES = {"==": "!=", "!=": "==", "===": "!==", "!==": "==="}
_UNARY_PRECEDENCE = 16  # ESLint's getPrecedence scale, as engine.rules.precedence
_OR_PRECEDENCE = 4


@dataclass(frozen=True)
class Options:
    default_assignment: bool = True


def parse_options(raw: list[Any]) -> Options:
    value = raw[0] if raw else {}
    if not isinstance(value, dict) or set(value) - {"defaultAssignment"}:
        raise OptionsError('expected an object like {"defaultAssignment": true}')
    allow = value.get("defaultAssignment", True)
    if not isinstance(allow, bool):
        raise OptionsError(f'"defaultAssignment" must be a boolean, got {allow!r}')
    return Options(allow)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    test = node.child_by_field_name("condition")
    consequent = node.child_by_field_name("consequence")
    alternate = node.child_by_field_name("alternative")
    if test is None or consequent is None or alternate is None:
        return
    yes, no = without_parentheses(consequent), without_parentheses(alternate)
    if yes.type in ("true", "false") and no.type in ("true", "false"):
        fix = _boolean_fix(node, test, yes.type, no.type, ctx)
        ctx.report(node, "unnecessaryConditionalExpression", fixes=[fix] if fix is not None else [])
        return
    bare_test = without_parentheses(test)
    if (
        not ctx.options.default_assignment
        and bare_test.type == "identifier"
        and yes.type == "identifier"
        and ctx.text(bare_test) == ctx.text(yes)
    ):
        parenthesised = alternate.type == "parenthesized_expression"
        low = precedence(no) < _OR_PRECEDENCE or _operator(no) == "??"
        other = f"({ctx.text(alternate)})" if low and not parenthesised else ctx.text(alternate)
        fix = ctx.replace(node.start_byte, node.end_byte, f"{ctx.text(test)} || {other}",
                          _applicability(node, test, ctx), "Use '||'")
        ctx.report(node, "unnecessaryConditionalAssignment", fixes=[fix])


def _boolean_fix(node: tree_sitter.Node, test: tree_sitter.Node, yes: str, no: str, ctx: RuleContext) -> Fix | None:
    bare_test = without_parentheses(test)
    if yes == no:
        if bare_test.type != "identifier":
            return None  # `f() ? true : true` would drop the call
        before = previous_token(node)
        prefix = " " if before is not None and before.end_byte == node.start_byte and not can_be_adjacent(
            ctx.text(before), yes) else ""
        return ctx.replace(node.start_byte, node.end_byte, prefix + yes, Applicability.UNSAFE, f"Replace with '{yes}'")
    if no == "true":
        text = _inverted(test, ctx)
    elif _is_boolean_expression(bare_test):
        text = ctx.text(test)
    else:
        text = "!" + _inverted(test, ctx)
    return ctx.replace(node.start_byte, node.end_byte, text, _applicability(node, test, ctx), "Simplify the condition")


def _is_boolean_expression(node: tree_sitter.Node) -> bool:
    if node.type == "binary_expression":
        return _operator(node) in _BOOLEAN_OPERATORS
    return node.type == "unary_expression" and _operator(node) == "!"


def _inverted(test: tree_sitter.Node, ctx: RuleContext) -> str:
    """ESLint's `invertExpression`: `a !== b` for `a === b`, else `!test` or `!(test)`."""
    bare = without_parentheses(test)
    op = bare.child_by_field_name("operator") if bare.type == "binary_expression" else None
    if op is not None and op.type in _INVERSES:
        source = ctx.source
        return source.slice(test.start_byte, op.start_byte) + _INVERSES[op.type] + source.slice(op.end_byte, test.end_byte)
    if precedence(bare) < _UNARY_PRECEDENCE:
        return f"!({ctx.text(test)})"
    return f"!{ctx.text(test)}"


def _operator(node: tree_sitter.Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


def _applicability(node: tree_sitter.Node, test: tree_sitter.Node, ctx: RuleContext) -> Applicability:
    """Unsafe when a comment outside the condition would be dropped."""
    data = ctx.source.data
    for child in node.children:
        if child == test:
            continue
        if child.type == "comment" or has_comment_inside(child, data):
            return Applicability.UNSAFE
    return Applicability.SAFE


VALID = [
    Valid("config.newIsCap = config.newIsCap !== false"),
    Valid("var a = x === 2 ? 'Yes' : 'No';"),
    Valid("var a = x === 2 ? true : 'No';"),
    Valid("var a = x ? 'Yes' : false;"),
    Valid("var a = x ? x : 1;"),
    Valid("var a = x ? y : x;", options=[{"defaultAssignment": False}]),
    Valid("var a = x ? x : 1;", options=[{"defaultAssignment": True}]),
]

INVALID = [
    Invalid("var a = x === 2 ? true : false;", [Expected("unnecessaryConditionalExpression", 1, 9, 1, 31)]),
    Invalid("var a = x >= 2 ? true : false;", [Expected("unnecessaryConditionalExpression", 1, 9)]),
    Invalid("var a = x ? true : false;", [Expected("unnecessaryConditionalExpression", 1, 9)]),
    Invalid("var a = (x) ? (false) : (true);", [Expected("unnecessaryConditionalExpression", 1, 9)]),
    Invalid("var a = f() ? true : true;", [Expected("unnecessaryConditionalExpression", 1, 9)]),
    Invalid("var a = x ? x : 1;", [Expected("unnecessaryConditionalAssignment", 1, 9)],
            options=[{"defaultAssignment": False}]),
    Invalid("const s = '😀', a = x ? true : false;", [Expected("unnecessaryConditionalExpression", 1, 21)]),
    Invalid("const e = <div hidden={x ? true : false} />;", [Expected("unnecessaryConditionalExpression", 1, 24)]),
]

FIXES = [
    FixCase("var a = x === 2 ? true : false;", "var a = x === 2;"),
    FixCase("var a = x === 2 ? false : true;", "var a = x !== 2;"),
    FixCase("var a = x >= 2 ? false : true;", "var a = !(x >= 2);"),
    FixCase("var a = x ? true : false;", "var a = !!x;"),
    FixCase("var a = (x || y) ? false : true;", "var a = !((x || y));"),
    FixCase("var a = !x ? true : false;", "var a = !x;"),
    FixCase("var a = f() ? true : true;", "var a = f() ? true : true;"),
    FixCase("var a = x ? true : true;", "var a = x ? true : true;"),  # reading `x` may throw: unsafe only
    FixCase("var a = x ? true : true;", "var a = true;", applicability=Applicability.UNSAFE),
    FixCase("var a = x ? /* yes */ true : false;", "var a = x ? /* yes */ true : false;"),
    FixCase("var a = x ? x : y || z;", "var a = x || y || z;", options=[{"defaultAssignment": False}]),
    FixCase("var a = x ? x : y ? 1 : 2;", "var a = x || (y ? 1 : 2);", options=[{"defaultAssignment": False}]),
]
