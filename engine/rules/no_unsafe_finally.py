"""Disallow control flow statements in `finally` blocks.

## What it does
Reports `return`, `throw`, `break` and `continue` statements inside a `finally` block that
would leave the block: a `return`/`throw` not inside a nested function or class, a `break`
not inside a nested loop or `switch`, a `continue` not inside a nested loop, and a labelled
`break`/`continue` whose label lies outside the `finally` block.

## Why is this bad?
Leaving a `finally` block overrides whatever the `try` or `catch` was doing: a `return` in
`finally` discards the `try` block's return value and swallows any exception in flight.
```js
function f() {
  try { throw new Error("lost"); } finally { return 1; }  // returns 1, error gone
}
```

## Example
```js
try { work(); } finally { return cleanup(); }            // reported
try { work(); } finally { cleanup(); }                   // ok
try { work(); } finally { for (;;) { break; } }          // ok: the break stays inside
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-unsafe-finally
"""

from __future__ import annotations

import tree_sitter

from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-unsafe-finally",
    type="problem",
    description="Disallow control flow statements in `finally` blocks.",
    messages={"unsafeUsage": "Unsafe usage of {{nodeType}}."},
    node_types=("return_statement", "throw_statement", "break_statement", "continue_statement"),
    eslint_equivalent=True,
)

ESTREE_TYPES = {
    "return_statement": "ReturnStatement",
    "throw_statement": "ThrowStatement",
    "break_statement": "BreakStatement",
    "continue_statement": "ContinueStatement",
}
# Where the search for an enclosing `finally` stops: the statement cannot leave these.
_FUNCTION_OR_CLASS = frozenset({
    "program", "function_declaration", "function_expression", "generator_function_declaration",
    "generator_function", "method_definition", "arrow_function", "class_declaration", "class",
})
_CONTINUE_SENTINELS = _FUNCTION_OR_CLASS | {"do_statement", "while_statement", "for_statement", "for_in_statement"}
_BREAK_SENTINELS = _CONTINUE_SENTINELS | {"switch_statement"}


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    label_node = node.child_by_field_name("label")
    label = label_node.text if label_node is not None else None
    if label is None and node.type == "break_statement":
        sentinels = _BREAK_SENTINELS
    elif label is None and node.type == "continue_statement":
        sentinels = _CONTINUE_SENTINELS
    else:
        sentinels = _FUNCTION_OR_CLASS
    if _leaves_finally(node, label, sentinels):
        ctx.report(node, "unsafeUsage", data={"nodeType": ESTREE_TYPES[node.type]})


def _leaves_finally(node: tree_sitter.Node, label: bytes | None, sentinels: frozenset[str]) -> bool:
    label_inside = False
    current: tree_sitter.Node | None = node
    while current is not None and current.type not in sentinels:
        parent = current.parent
        if label is not None and parent is not None and parent.type == "labeled_statement":
            own = parent.child_by_field_name("label")
            label_inside = label_inside or (own is not None and own.text == label)
        if current.type == "finally_clause":
            return not (label is not None and label_inside)
        current = parent
    return False


VALID = [
    Valid("try { a(); } finally { b(); }"),
    Valid("function f() { try { return 1; } finally { cleanup(); } }"),
    Valid("try {} finally { function g() { return 1; } }"),
    Valid("try {} finally { const g = () => { throw err; }; }"),
    Valid("try {} finally { class C { m() { return 1; } } }"),
    Valid("try {} finally { while (a) { break; } }"),
    Valid("try {} finally { for (const x of xs) { continue; } }"),
    Valid("try {} finally { switch (a) { case 1: break; } }"),
    Valid("try {} finally { outer: for (;;) { for (;;) { break outer; } } }"),
    Valid("try {} finally { block: { break block; } }"),
]

INVALID = [
    Invalid(
        "function f() { try {} finally { return 1; } }",
        [Expected("unsafeUsage", 1, 33, 1, 42)],
    ),
    Invalid("try {} finally { throw new Error('x'); }", [Expected("unsafeUsage", 1, 18)]),
    Invalid("for (;;) { try {} finally { break; } }", [Expected("unsafeUsage", 1, 29)]),
    Invalid("for (;;) { try {} finally { continue; } }", [Expected("unsafeUsage", 1, 29)]),
    Invalid(
        "outer: for (;;) { try {} finally { switch (a) { case 1: break outer; } } }",
        [Expected("unsafeUsage", 1, 57)],
    ),
    Invalid(
        "for (;;) { try {} finally { switch (a) { case 1: continue; } } }",
        [Expected("unsafeUsage", 1, 50)],
    ),
    Invalid(
        "function f() {\n  try {} finally {\n    if (a) {\n      // bail\n      return;\n    }\n  }\n}",
        [Expected("unsafeUsage", 5, 7)],
    ),
    Invalid(
        "function f() { try {} finally { /* 😀 */ return <div />; } }",
        [Expected("unsafeUsage", 1, 42)],
    ),
    Invalid(
        "function f() { try {} catch (e) {} finally { try {} finally { return 2; } } }",
        [Expected("unsafeUsage", 1, 63)],
    ),
]
