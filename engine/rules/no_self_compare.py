"""Disallow comparisons where both sides are exactly the same.

## What it does
Reports `==`, `===`, `!=`, `!==`, `<`, `>`, `<=` and `>=` whose two operands are written
with the same tokens (whitespace, comments and the parentheses around each operand
ignored).

## Why is this bad?
Comparing a value with itself is either constant or a disguised `NaN` test (`x !== x` is
true only for `NaN`); both are clearer written out (`Number.isNaN(x)`). Most often one side
was meant to be something else.

## Example
```js
if (x === x) {}          // reported
if (a.b < (a.b)) {}      // reported
if (Number.isNaN(x)) {}  // ok
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-self-compare
"""

from __future__ import annotations

from itertools import zip_longest

import tree_sitter

from engine.rules.nodes import binary_parts, unparenthesized
from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.tokens import tokens

RULE = RuleMeta(
    id="no-self-compare",
    type="problem",
    description="Disallow comparisons where both sides are exactly the same.",
    messages={"comparingToSelf": "Comparing to itself is potentially pointless."},
    # Not narrowed by operator in the query: an alternation of eight tokens costs tree-sitter
    # more than the Python test below.
    node_types=("binary_expression",),
    eslint_equivalent=True,
)

_COMPARISONS = frozenset({"===", "==", "!==", "!=", ">", "<", ">=", "<="})


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    parts = binary_parts(node, _COMPARISONS)
    if parts is None:
        return
    _, left, right = parts
    if _same_tokens(unparenthesized(left), unparenthesized(right)):
        ctx.report(node, "comparingToSelf")


def _same_tokens(left: tree_sitter.Node, right: tree_sitter.Node) -> bool:
    if left.type != right.type:
        return False  # the same tokens parse to the same kind of node
    if left.text == right.text:
        return True
    # Lazily, token by token: most operand pairs differ at the first token.
    for a, b in zip_longest(tokens(left), tokens(right)):
        if a is None or b is None or a.text != b.text:
            return False
    return True


VALID = [
    Valid("if (x === y) { }"),
    Valid("if (1 === 2) { }"),
    Valid("y=x*x"),
    Valid("foo.bar.baz === foo.bar.qux"),
    Valid("class C { #field; foo() { this.#field === this['#field']; } }"),
    Valid("x === x + 0"),
    Valid("'a' === \"a\""),
    Valid("x = x"),
    Valid("x + x"),
    Valid("a.b === a?.b"),
]

INVALID = [
    Invalid("if (x === x) { }", [Expected("comparingToSelf", 1, 5, 1, 12)]),
    Invalid("if (x !== x) { }", [Expected("comparingToSelf", 1, 5)]),
    Invalid("if (x > x) { }", [Expected("comparingToSelf", 1, 5)]),
    Invalid("if ('x' > 'x') { }", [Expected("comparingToSelf", 1, 5)]),
    Invalid("do {} while (x === x)", [Expected("comparingToSelf", 1, 14)]),
    Invalid("x === x", [Expected("comparingToSelf", 1, 1)]),
    Invalid("x !== x", [Expected("comparingToSelf", 1, 1)]),
    Invalid("x == x", [Expected("comparingToSelf", 1, 1)]),
    Invalid("x != x", [Expected("comparingToSelf", 1, 1)]),
    Invalid("x >= x", [Expected("comparingToSelf", 1, 1)]),
    Invalid("x <= x", [Expected("comparingToSelf", 1, 1)]),
    Invalid("foo.bar().baz.qux >= foo.bar ().baz .qux", [Expected("comparingToSelf", 1, 1)]),
    Invalid("class C { #field; foo() { this.#field === this.#field; } }", [Expected("comparingToSelf", 1, 27)]),
    Invalid("(a) === a", [Expected("comparingToSelf", 1, 1)]),
    Invalid("f(a /* c */, b) === f(a, b)", [Expected("comparingToSelf", 1, 1)]),
    Invalid("const s = '😀'; s.x === s.x", [Expected("comparingToSelf", 1, 17)]),
    Invalid("<A/> === <A />", [Expected("comparingToSelf", 1, 1)]),
]
