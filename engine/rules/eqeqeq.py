"""Require `===` and `!==`.

## What it does
Reports `==` and `!=`, which convert their operands before comparing.

## Why is this bad?
The conversions of loose equality are famously surprising (`[] == false`, `"0" == false`,
`null == 0` is false but `null >= 0` is true); strict equality compares without them.

## Example
```js
if (count == 0) {}      // reported
if (count === 0) {}     // ok
```

## Fix safety
The fix is **safe** when the rewrite provably keeps the meaning: one side is a `typeof`
expression, or both sides are literals of the same type. Otherwise the fix is **unsafe**:
the operands may have different types at run time (`x == null` also matches `undefined`).

## Options
As ESLint: `"always"` (default) with `{"null": "always" | "never" | "ignore"}`; `"smart"`
allows comparing two literals, a `typeof` expression, and comparisons with `null`;
`"allow-null"` is the deprecated form of `["always", {"null": "ignore"}]`.

## References
- ESLint: https://eslint.org/docs/latest/rules/eqeqeq
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.nodes import is_typeof_expression, literal_typeof, unparenthesized
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="eqeqeq",
    type="suggestion",
    description="Require the use of `===` and `!==`.",
    messages={"unexpected": "Expected '{{expected}}' and instead saw '{{actual}}'."},
    node_types=("binary_expression",),
    fixable="always",
    eslint_equivalent=True,
    default_options=("always",),
)


@dataclass(frozen=True)
class Options:
    mode: str = "always"  # "always" | "smart"
    null: str = "always"  # "always" | "never" | "ignore"


def parse_options(raw: list[Any]) -> Options:
    mode = raw[0] if raw else "always"
    if mode == "allow-null":
        return Options("always", "ignore")
    if mode not in ("always", "smart"):
        raise OptionsError(f"expected \"always\", \"smart\" or \"allow-null\", got {mode!r}")
    extra = raw[1] if len(raw) > 1 else {}
    if not isinstance(extra, dict) or set(extra) - {"null"}:
        raise OptionsError('expected an object like {"null": "always" | "never" | "ignore"}')
    null = extra.get("null", "always")
    if null not in ("always", "never", "ignore"):
        raise OptionsError(f'"null" must be "always", "never" or "ignore", got {null!r}')
    return Options(mode, null)


def node_types_for(options: Options) -> tuple[str, ...]:
    if options.mode == "always" and options.null == "never":
        return RULE.node_types  # strict comparisons with null are reported too
    return ('(binary_expression operator: ["==" "!="])',)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    op = node.child_by_field_name("operator")
    if op is None or op.type not in ("==", "!=", "===", "!=="):
        return
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return
    options: Options = ctx.options
    typeof_side = is_typeof_expression(left) or is_typeof_expression(right)
    same_literals = _same_type_literals(left, right)
    with_null = unparenthesized(left).type == "null" or unparenthesized(right).type == "null"

    if op.type in ("===", "!=="):
        # Only "always" + {null: "never"} reports strict comparisons (with null).
        if options.mode == "always" and options.null == "never" and with_null:
            _report(ctx, op, op.type, op.type[:-1], Applicability.UNSAFE)
        return
    if options.mode == "smart" and (typeof_side or same_literals or with_null):
        return
    if options.mode == "always" and with_null and options.null in ("ignore", "never"):
        return
    safe = typeof_side or same_literals
    _report(ctx, op, op.type, op.type + "=", Applicability.SAFE if safe else Applicability.UNSAFE)


def _same_type_literals(left: tree_sitter.Node, right: tree_sitter.Node) -> bool:
    left_type, right_type = literal_typeof(left), literal_typeof(right)
    return left_type is not None and left_type == right_type


def _report(ctx: RuleContext, op: tree_sitter.Node, actual: str, expected: str, applicability: Applicability) -> None:
    fix = ctx.replace(op.start_byte, op.end_byte, expected, applicability, f"Replace '{actual}' with '{expected}'")
    ctx.report(op, "unexpected", data={"expected": expected, "actual": actual}, fixes=[fix])


VALID = [
    Valid("a === b"),
    Valid("a !== b"),
    Valid("typeof a == 'number'", options=["smart"]),
    Valid("'hello' != 'world'", options=["smart"]),
    Valid("a == null", options=["smart"]),
    Valid("null == a", options=["always", {"null": "ignore"}]),
    Valid("a != null", options=["allow-null"]),
    Valid("a == null", options=["always", {"null": "never"}]),
]

INVALID = [
    Invalid("a == b", [Expected("unexpected", 1, 3, 1, 5)]),
    Invalid("a != b", [Expected("unexpected", 1, 3)]),
    Invalid("if (x == 1) {}\nwhile (y != z) {}", [Expected("unexpected", 1, 7), Expected("unexpected", 2, 10)]),
    Invalid("typeof a == 'number'", [Expected("unexpected", 1, 10)]),
    Invalid("a == b", [Expected("unexpected", 1, 3)], options=["smart"]),
    Invalid("a == null", [Expected("unexpected", 1, 3)]),
    Invalid("a === null", [Expected("unexpected", 1, 3)], options=["always", {"null": "never"}]),
    Invalid("const s = '😀'; s == t", [Expected("unexpected", 1, 19)]),
]

FIXES = [
    FixCase("typeof a == 'number'", "typeof a === 'number'"),
    FixCase("'a' != 'b'", "'a' !== 'b'"),
    FixCase("a == b", "a == b"),  # not provably equal: no safe fix
    FixCase("a == b", "a === b", applicability=Applicability.UNSAFE),
    FixCase("x == null /* keep */", "x === null /* keep */", applicability=Applicability.UNSAFE),
]
