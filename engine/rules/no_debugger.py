"""Disallow `debugger` statements.

## What it does
Reports every `debugger` statement.

## Why is this bad?
A `debugger` statement left in shipped code stops execution for every user with developer
tools open; it belongs in a breakpoint, not in the source.

## Example
```js
function load() {
  debugger; // reported
}
```

## Fix safety
No automatic fix, as in ESLint: removing the statement changes what a debugging user sees.
A **display-only** suggestion removes it.

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-debugger
"""

from __future__ import annotations

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-debugger",
    type="problem",
    description="Disallow the use of `debugger`.",
    messages={"unexpected": "Unexpected 'debugger' statement."},
    node_types=("debugger_statement",),
    fixable="sometimes",
    eslint_equivalent=True,
)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    parent = node.parent
    # Removing the only statement of an `if` without braces would leave `if (x)` dangling.
    removable = parent is not None and parent.type in ("program", "statement_block", "switch_case", "switch_default")
    fixes = []
    if removable:
        fixes.append(ctx.replace(node.start_byte, node.end_byte, "", Applicability.DISPLAY_ONLY, "Remove 'debugger' statement"))
    ctx.report(node, "unexpected", fixes=fixes)


VALID = [
    Valid("var test = { debugger: 1 }; test.debugger;"),
    Valid("// debugger"),
]

INVALID = [
    Invalid("if (foo) debugger", [Expected("unexpected", 1, 10)]),
    Invalid("function f() {\n  debugger;\n}", [Expected("unexpected", 2, 3, 2, 12)]),
]

FIXES = [
    FixCase("debugger;", "debugger;"),
    FixCase("a();\ndebugger;", "a();\n", applicability=Applicability.DISPLAY_ONLY),
]
