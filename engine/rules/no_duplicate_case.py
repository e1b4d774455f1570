"""Disallow duplicate case labels.

## What it does
Reports a `case` of a `switch` whose test is written exactly as an earlier test of the same
`switch`: the same tokens, ignoring whitespace, comments and the parentheses around the test.

## Why is this bad?
`switch` picks the first matching `case`; a second `case` with the same test can never run
(unless the test has side effects, which is worse). It is usually a copy-paste slip where
another value was meant.

## Example
```js
switch (key) {
  case "up": move(-1); break;
  case "down": move(1); break;
  case "up": jump(); break;   // reported: never reached
}
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-duplicate-case
"""

from __future__ import annotations

import tree_sitter

from engine.rules.nodes import unparenthesized
from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.tokens import tokens

RULE = RuleMeta(
    id="no-duplicate-case",
    type="problem",
    description="Disallow duplicate case labels.",
    messages={"unexpected": "Duplicate case label."},
    node_types=("switch_body",),
    eslint_equivalent=True,
)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    seen: set[tuple[str, tuple[bytes, ...]]] = set()
    for case in node.named_children:
        if case.type != "switch_case":
            continue
        test = case.child_by_field_name("value")
        if test is None:
            continue
        test = unparenthesized(test)
        # ESLint compares the ESTree node type, then the tokens (type and value).
        key = (test.type, tuple(token.text or b"" for token in tokens(test)))
        if key in seen:
            ctx.report(case, "unexpected")
        else:
            seen.add(key)


VALID = [
    Valid("var a = 1; switch (a) {case 1: break; case 2: break; default: break;}"),
    Valid("switch (a) {case '1': break; case 1: break;}"),
    Valid("switch (a) {case f(1): break; case f(2): break;}"),
    Valid("switch (a) {case a.b: break; case a['b']: break;}"),
    Valid("switch (a) {case `a${b}`: break; case `a${c}`: break;}"),
    Valid("switch (a) {case 'a': break; case \"a\": break;}"),
    Valid("switch (a) {case x /* a */ : break; case y: break;}"),
    Valid("switch (a) {case a || b: break; case a ?? b: break;}"),
]

INVALID = [
    Invalid("var a = 1; switch (a) {case 1: break; case 1: break; case 2: break; default: break;}",
            [Expected("unexpected", 1, 39, 1, 53)]),
    Invalid("switch (a) {case one: break; case 2: break; case one: break;}", [Expected("unexpected", 1, 45)]),
    Invalid("switch (a) {case p.p.p1: break; case p. p // c\n .p1: break;}", [Expected("unexpected", 1, 33)]),
    Invalid("switch (a) {case (b): break; case b: break;}", [Expected("unexpected", 1, 30)]),
    Invalid("switch (a) {case f(x, /* a */ y): case f(x,y): break;}", [Expected("unexpected", 1, 35)]),
    Invalid("switch (a) {case `a${ b }`: case `a${b}`: break;}", [Expected("unexpected", 1, 29)]),
    Invalid("switch (a) {\n  case 1:\n  case 1:\n  case 1:\n}", [Expected("unexpected", 3, 3), Expected("unexpected", 4, 3)]),
    Invalid("const s = '😀'; switch (a) { case s: case s: }", [Expected("unexpected", 1, 38)]),
    Invalid("switch (a) { case <A/>: case <A />: }", [Expected("unexpected", 1, 25)]),
]
