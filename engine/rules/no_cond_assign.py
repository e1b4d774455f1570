"""Disallow assignment operators in conditional expressions.

## What it does
Reports an assignment used as the test of an `if`, `while`, `do...while` or `for`
statement or of a `?:` expression. With the default `"except-parens"` an assignment wrapped
in an extra pair of parentheses is allowed (`while ((m = re.exec(s)))`: one pair beyond the
statement's own; for a `for` test or a `?:` test, any pair). With `"always"` every
assignment anywhere inside a test is reported, parenthesized or not.

## Why is this bad?
`if (user = admin)` is almost always a typo for `if (user === admin)`: it assigns, and
tests the assigned value. Extra parentheses mark the rare intended case.

## Example
```js
if (x = 0) {}                       // reported
while ((node = node.parent)) {}     // ok with "except-parens"
if (x === 0) {}                     // ok
```

## Options
A string, as ESLint: `"except-parens"` (default) or `"always"`.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-cond-assign
"""

from __future__ import annotations

from typing import Any

import tree_sitter

from engine.rules.rule import Expected, Invalid, OptionsError, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-cond-assign",
    type="problem",
    description="Disallow assignment operators in conditional expressions.",
    messages={
        "unexpected": "Unexpected assignment within {{type}}.",
        "missing": "Expected a conditional expression and instead saw an assignment.",
    },
    node_types=(
        "if_statement", "while_statement", "do_statement", "for_statement", "ternary_expression",
        "assignment_expression", "augmented_assignment_expression",
    ),
    eslint_equivalent=True,
    default_options=("except-parens",),
)

_ASSIGNMENTS = frozenset({"assignment_expression", "augmented_assignment_expression"})
_CONDITIONALS = frozenset({"if_statement", "while_statement", "do_statement", "for_statement", "ternary_expression"})
_FUNCTIONS = frozenset({
    "function_declaration", "function_expression", "generator_function_declaration", "generator_function",
    "arrow_function", "method_definition",
})
# ESLint's wording of the statement in "Unexpected assignment within ..."; a `?:` keeps its ESTree type.
_DESCRIPTIONS = {
    "do_statement": "a 'do...while' statement",
    "for_statement": "a 'for' statement",
    "if_statement": "an 'if' statement",
    "while_statement": "a 'while' statement",
    "ternary_expression": "ConditionalExpression",
}


def parse_options(raw: list[Any]) -> str:
    mode = raw[0] if raw else "except-parens"
    if mode not in ("except-parens", "always") or len(raw) > 1:
        raise OptionsError(f'expected "except-parens" or "always", got {raw!r}')
    return mode


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if ctx.options == "always":
        if node.type in _ASSIGNMENTS:
            _check_always(node, ctx)
        return
    if node.type in _ASSIGNMENTS:
        return
    test = node.child_by_field_name("condition")
    if test is None:
        return
    inner, depth = _strip_parens(test)
    if inner.type not in _ASSIGNMENTS:
        return
    # ESLint exempts a `for` test wrapped once and any other test wrapped twice. tree-sitter
    # keeps the `if`/`while`/`do` parentheses as a parenthesized_expression, which counts as
    # one of the two there; a `?:` test has no parentheses of its own.
    needed = 1 if node.type == "for_statement" else 2
    if depth < needed:
        ctx.report(inner, "missing")


def _check_always(node: tree_sitter.Node, ctx: RuleContext) -> None:
    current = node
    while current.parent is not None and current.type not in _FUNCTIONS:
        parent = current.parent
        if parent.type in _CONDITIONALS and parent.child_by_field_name("condition") == current:
            ctx.report(node, "unexpected", data={"type": _DESCRIPTIONS[parent.type]})
            return
        current = parent


def _strip_parens(node: tree_sitter.Node) -> tuple[tree_sitter.Node, int]:
    """The expression inside any parentheses (comments skipped), and how many pairs wrap it."""
    depth = 0
    while node.type == "parenthesized_expression":
        inner = [child for child in node.named_children if child.type != "comment"]
        if len(inner) != 1:
            break
        node, depth = inner[0], depth + 1
    return node, depth


VALID = [
    Valid("if (a === b) {}"),
    Valid("if ((a = b)) {}"),
    Valid("while ((node = node.parent)) {}"),
    Valid("do {} while ((m = re.exec(s)));"),
    Valid("for (;(a = b);) {}"),
    Valid("x = ((a = b)) ? 1 : 2"),
    Valid("if (f(a = b)) {}"),
    Valid("if (a) { b = c; }"),
    Valid("for (i = 0; i < n; i = i + 1) {}"),
    Valid("if (a === b) {}", options=["always"]),
    Valid("if (function () { a = b; }) {}", options=["always"]),
    Valid("if (() => { a = b }) {}", options=["always"]),
]

INVALID = [
    Invalid("if (a = b) {}", [Expected("missing", 1, 5, 1, 10)]),
    Invalid("while (a = b) {}", [Expected("missing", 1, 8)]),
    Invalid("do {} while (a = b);", [Expected("missing", 1, 14)]),
    Invalid("for (;a = b;) {}", [Expected("missing", 1, 7)]),
    Invalid("x = (a = b) ? 1 : 2", [Expected("missing", 1, 6)]),
    Invalid("if (a += 1) {}", [Expected("missing", 1, 5)]),
    Invalid("if (a ||= b) {}", [Expected("missing", 1, 5)]),
    Invalid("if (/* why */ a = b) {}", [Expected("missing", 1, 15)]),
    Invalid("const s = '😀'; if (x = s) {}", [Expected("missing", 1, 21)]),
    Invalid("if (el = <div />) {}", [Expected("missing", 1, 5)]),
    Invalid(
        "if ((a = b)) {}",
        [Expected("unexpected", 1, 6)],
        options=["always"],
    ),
    Invalid(
        "while (x && (a = b)) {}",
        [Expected("unexpected", 1, 14)],
        options=["always"],
    ),
    Invalid("x = (a = b) ? 1 : 2", [Expected("unexpected", 1, 6)], options=["always"]),
    Invalid("if (f(a = b)) {}", [Expected("unexpected", 1, 7)], options=["always"]),
]
