"""Disallow `if` statements as the only statement in `else` blocks.

## What it does
Reports an `if` statement that is the only statement of an `else` block:
`else { if (b) {...} }` says the same as `else if (b) {...}`.

## Why is this bad?
The extra block and indentation hide that the branches form one `if ... else if` chain.

## Example
```js
if (a) {
  foo();
} else {
  if (b) {     // reported
    bar();
  }
}
```

## Fix safety
The fix replaces the `else` block by the `if` it contains, which keeps the meaning: the
fix is **safe**. As in ESLint there is no fix when anything but whitespace (a comment)
surrounds the inner `if` inside the braces, or when ASI could join the inner `if`'s last
statement to the code after the block. Braces that are needed (a following `else` would
attach to the inner `if`) are not reported.

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-lonely-if
"""

from __future__ import annotations

import re

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.tokens import last_token, next_token, previous_token

RULE = RuleMeta(
    id="no-lonely-if",
    type="suggestion",
    description="Disallow `if` statements as the only statement in `else` blocks.",
    messages={"unexpectedLonelyIf": "Unexpected if as the only statement in an else block."},
    node_types=("(else_clause (statement_block (if_statement) @target))",),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
)

# Statements whose body may hold an `if` that an appended `else` would attach to.
_BODY_STATEMENTS = frozenset({"for_statement", "for_in_statement", "labeled_statement", "with_statement",
                              "while_statement"})
_CONTINUING = re.compile(r"[(\[/+`-]")


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    block = node.parent
    if block is None or block.type != "statement_block":
        return
    clause = block.parent
    if clause is None or clause.type != "else_clause" or clause.parent is None:
        return
    if [child for child in block.named_children if child.type != "comment"] != [node]:
        return
    if _has_unsafe_if(node) and _followed_by_else(block):
        return  # the braces keep a following `else` off the inner `if`
    fix = _fix(node, block, ctx)
    ctx.report(node, "unexpectedLonelyIf", fixes=[fix] if fix is not None else [])


def _has_unsafe_if(node: tree_sitter.Node | None) -> bool:
    """Whether an `else` appended after `node` would attach to an `if` inside it."""
    while node is not None:
        if node.type == "if_statement":
            clause = node.child_by_field_name("alternative")
            if clause is None:
                return True
            node = next((child for child in clause.named_children if child.type != "comment"), None)
        elif node.type in _BODY_STATEMENTS:
            node = node.child_by_field_name("body")
        else:
            return False
    return False


def _followed_by_else(block: tree_sitter.Node) -> bool:
    after = next_token(block)
    return after is not None and after.type == "else"


def _fix(node: tree_sitter.Node, block: tree_sitter.Node, ctx: RuleContext) -> Fix | None:
    data = ctx.source.data
    opening, closing = block.children[0], block.children[-1]
    if opening.type != "{" or closing.type != "}":
        return None
    if data[opening.end_byte : node.start_byte].strip() or data[node.end_byte : closing.start_byte].strip():
        return None  # a comment beside the inner `if` would be lost
    consequent = node.child_by_field_name("consequence")
    last_if = last_token(consequent) if consequent is not None else None
    after = next_token(closing)
    if (
        consequent is not None
        and consequent.type != "statement_block"
        and last_if is not None
        and last_if.type != ";"
        and after is not None
        and (
            ctx.source.line_of(consequent.end_byte) == ctx.source.line_of(after.start_byte)
            or _CONTINUING.match(ctx.text(after))
            or last_if.type in ("++", "--")
        )
    ):
        return None  # ASI: the inner `if`'s last statement would run into the next token
    else_keyword = previous_token(opening)
    space = " " if else_keyword is not None and else_keyword.end_byte == opening.start_byte else ""
    return ctx.replace(opening.start_byte, closing.end_byte, space + ctx.text(node), Applicability.SAFE,
                       "Use 'else if'")


VALID = [
    Valid("if (a) { b(); } else if (c) { d(); }"),
    Valid("if (a) { b(); } else { if (c) { d(); } e(); }"),
    Valid("if (a) { b(); } else { c(); if (d) { e(); } }"),
    Valid("if (a) { b(); } else { if (c) { d(); } ; }"),
    Valid("if (x) if (a) {} else { if (c) d() } else e()"),  # the braces are needed
    Valid("if (a) { if (b) {} }"),
    Valid("while (a) { if (b) {} }"),
]

INVALID = [
    Invalid("if (a) { b(); } else { if (c) { d(); } }", [Expected("unexpectedLonelyIf", 1, 24, 1, 39)]),
    Invalid("if (a) {\n  b();\n} else {\n  if (c) {\n    d();\n  } else {\n    e();\n  }\n}",
            [Expected("unexpectedLonelyIf", 4, 3)]),
    Invalid("if (a) b(); else { /* c */ if (c) d(); }", [Expected("unexpectedLonelyIf", 1, 28)]),
    Invalid("if (a) {} else { if (b) {} else { if (c) {} } }",
            [Expected("unexpectedLonelyIf", 1, 18), Expected("unexpectedLonelyIf", 1, 35)]),
    Invalid("const s = '😀'; if (a) {} else { if (b) {} }", [Expected("unexpectedLonelyIf", 1, 34)]),
    Invalid("if (a) {} else { if (b) { x = <div>{c}</div>; } }", [Expected("unexpectedLonelyIf", 1, 18)]),
]

FIXES = [
    FixCase("if (a) { b(); } else { if (c) { d(); } }", "if (a) { b(); } else if (c) { d(); }"),
    FixCase("if (a) {\n  b();\n} else {\n  if (c) {\n    d();\n  }\n}", "if (a) {\n  b();\n} else if (c) {\n    d();\n  }"),
    FixCase("if (a) {} else{if (b) {}}", "if (a) {} else if (b) {}"),
    FixCase("if (a) b(); else { /* c */ if (c) d(); }", "if (a) b(); else { /* c */ if (c) d(); }"),
    FixCase("if (a) {} else { if (b) c() }\n(d)()", "if (a) {} else { if (b) c() }\n(d)()"),
    FixCase("if (a) {} else { if (b) {} else { if (c) {} } }", "if (a) {} else if (b) {} else if (c) {}"),
]
