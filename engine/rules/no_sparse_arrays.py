"""Disallow sparse arrays.

## What it does
Reports every hole in an array literal: a comma with no element before it, as in `[a, , b]`
or `[, a]`. A single trailing comma (`[a, b,]`) is no hole and is not reported.

## Why is this bad?
A hole is an index that is not even `undefined`: `forEach`, `map` and `in` skip it while
`for...of` and spreading do not. Written on purpose it is rare; written by accident (a
doubled comma) it shifts every later element without any error.

## Example
```js
const colors = ["red", , "blue"];  // reported at the second comma
const colors = ["red", "blue"];    // ok
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-sparse-arrays
"""

from __future__ import annotations

import tree_sitter

from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-sparse-arrays",
    type="problem",
    description="Disallow sparse arrays.",
    messages={"unexpectedSparseArray": "Unexpected comma in middle of array."},
    node_types=("array",),  # destructuring `[a, , b] = c` is an `array_pattern`: holes are fine there
    eslint_equivalent=True,
)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    # As ESLint, each hole is reported at the comma that closes it.
    previous = ""
    for child in node.children:
        kind = child.type
        if kind == "comment":
            continue
        if kind == "," and previous in ("[", ","):
            ctx.report(child, "unexpectedSparseArray")
        previous = kind


VALID = [
    Valid("const a = [1, 2, 3];"),
    Valid("const a = [1, 2, 3,];"),
    Valid("const a = [];"),
    Valid("const [, second] = list;"),
    Valid("[a, , b] = list;"),
    Valid("for (const [, v] of entries) {}"),
    Valid("const a = [/* , */ 1];"),
]

INVALID = [
    Invalid("const a = [,];", [Expected("unexpectedSparseArray", 1, 12, 1, 13)]),
    Invalid("const a = [ 1, , 2];", [Expected("unexpectedSparseArray", 1, 16)]),
    Invalid("const a = [,,];", [Expected("unexpectedSparseArray", 1, 12), Expected("unexpectedSparseArray", 1, 13)]),
    Invalid("const a = [1, /* hole */ , 2];", [Expected("unexpectedSparseArray", 1, 26)]),
    Invalid("f([\n  1,\n  ,\n]);", [Expected("unexpectedSparseArray", 3, 3)]),
    Invalid("const s = '😀'; const a = [s,, s];", [Expected("unexpectedSparseArray", 1, 30)]),
    Invalid("const el = <div items={[a,,b]} />;", [Expected("unexpectedSparseArray", 1, 27)]),
    Invalid("const a = [[1,,2]];", [Expected("unexpectedSparseArray", 1, 15)]),
]
