"""Disallow `else` blocks after `return` statements in `if` statements.

## What it does
Reports the `else` of an `if` whose branches all end the function with `return`: the code
after the `if` only runs when the condition is false anyway. With the default
`allowElseIf: true`, a chain `if ... else if ... else` is reported (at its final `else`) only
when every branch before it returns; with `allowElseIf: false`, an `else if` after a
returning branch is reported too.

## Why is this bad?
The `else` adds a level of nesting that carries no meaning; the early-return style keeps
the main path of a function at the left margin.

## Example
```js
function sign(x) {
  if (x < 0) {
    return -1;
  } else {          // reported
    return 1;
  }
}
```

## Fix safety
The fix deletes `else` and the braces of its block, keeping the contents (and, as ESLint,
the spacing). Every branch before it returns (or leaves the block otherwise), so the moved
code runs exactly when it ran before: the fix is **safe**. It is not offered where ESLint
does not offer it: when the `else` is a function declaration, when ASI would join the moved
code to a neighbouring line, or when a `let`/`const`/`class`/function name declared in the
block could collide with another use of the name. ESLint answers that last question with
scope analysis; here (`engine.rules.lexical_collision`) every other occurrence of the name in
the enclosing scope must be shadowed by a nested scope, else the fix is withheld. A comment between `else` and its block would be lost: that fix is
**unsafe**.

## Options
As ESLint: `{"allowElseIf": true}` (default); `false` also reports `else if` after a
returning branch.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-else-return
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.lexical_collision import can_move_up, declared_names
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.tokens import first_token, last_token, next_token, previous_token

RULE = RuleMeta(
    id="no-else-return",
    type="suggestion",
    description="Disallow `else` blocks after `return` statements in `if` statements.",
    messages={"unexpected": "Unnecessary 'else' after 'return'."},
    node_types=("(if_statement alternative: (else_clause))",),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=({"allowElseIf": True},),
)

# ESTree's Program, BlockStatement, StaticBlock and SwitchCase: where one statement may become two.
_STATEMENT_LISTS = frozenset({"program", "statement_block", "switch_case", "switch_default"})
# A first token of moved code that would continue the previous line without a semicolon.
_CONTINUING = re.compile(r"[(\[/+`-]")


@dataclass(frozen=True)
class Options:
    allow_else_if: bool = True


def parse_options(raw: list[Any]) -> Options:
    value = raw[0] if raw else {}
    if not isinstance(value, dict) or set(value) - {"allowElseIf"}:
        raise OptionsError('expected an object like {"allowElseIf": true}')
    allow = value.get("allowElseIf", True)
    if not isinstance(allow, bool):
        raise OptionsError(f'"allowElseIf" must be a boolean, got {allow!r}')
    return Options(allow)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if node.parent is None or node.parent.type not in _STATEMENT_LISTS:
        return
    if not ctx.options.allow_else_if:
        alternate = _alternate(node)
        consequent = node.child_by_field_name("consequence")
        if alternate is not None and consequent is not None and _always_returns(consequent):
            _report(alternate, node, ctx)
        return
    current, owner = node, node
    alternate = None
    while current.type == "if_statement":
        alternate = _alternate(current)
        consequent = current.child_by_field_name("consequence")
        if alternate is None or consequent is None or not _always_returns(consequent):
            return
        owner, current = current, alternate
    if alternate is not None:
        _report(alternate, owner, ctx)


def _alternate(if_node: tree_sitter.Node) -> tree_sitter.Node | None:
    clause = if_node.child_by_field_name("alternative")
    if clause is None:
        return None
    return next((child for child in clause.named_children if child.type != "comment"), None)


def _statements(block: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in block.named_children if child.type != "comment"]


def _naive_has_return(node: tree_sitter.Node) -> bool:
    """The last statement of a block (or the statement itself) is a `return`."""
    if node.type == "statement_block":
        body = _statements(node)
        return bool(body) and body[-1].type == "return_statement"
    return node.type == "return_statement"


def _returns_or_if(node: tree_sitter.Node) -> bool:
    if node.type == "return_statement":
        return True
    if node.type != "if_statement":
        return False
    alternate, consequent = _alternate(node), node.child_by_field_name("consequence")
    return alternate is not None and consequent is not None and _naive_has_return(alternate) and _naive_has_return(consequent)


def _always_returns(node: tree_sitter.Node) -> bool:
    if node.type == "statement_block":
        return any(_returns_or_if(statement) for statement in _statements(node))
    return _returns_or_if(node)


def _report(else_node: tree_sitter.Node, if_node: tree_sitter.Node, ctx: RuleContext) -> None:
    fix = _fix(else_node, if_node, ctx)
    ctx.report(else_node, "unexpected", fixes=[fix] if fix is not None else [])


def _fix(else_node: tree_sitter.Node, if_node: tree_sitter.Node, ctx: RuleContext) -> Fix | None:
    if else_node.type in ("function_declaration", "generator_function_declaration"):
        return None  # a conditional function declaration: hoisting differs between engines
    if not _names_are_free(else_node, if_node, ctx):
        return None
    start_token = first_token(else_node)
    end_token = last_token(else_node)
    if start_token is None or end_token is None:
        return None
    else_token = previous_token(start_token)
    if else_token is None or else_token.type != "else":
        return None
    last_if_token = previous_token(else_token)
    is_block = else_node.type == "statement_block"
    first_inner = next_token(start_token) if is_block else start_token
    consequent = if_node.child_by_field_name("consequence")
    if_maybe_unsafe = consequent is not None and consequent.type != "statement_block" and (
        last_if_token is None or last_if_token.type != ";"
    )
    if if_maybe_unsafe and first_inner is not None and _CONTINUING.match(ctx.text(first_inner)):
        return None
    last_inner = previous_token(end_token)
    if last_inner is not None and last_inner.type != ";":
        after = next_token(end_token)
        if after is not None:
            same_line = ctx.source.line_of(after.start_byte) == ctx.source.line_of(last_inner.start_byte)
            if _CONTINUING.match(ctx.text(after)) or (same_line and after.type != "}"):
                return None
    text = ctx.text(else_node)
    replacement = text[1:-1] if is_block else text
    between = ctx.source.data[else_token.end_byte : else_node.start_byte]
    applicability = Applicability.UNSAFE if b"/" in between else Applicability.SAFE
    return ctx.replace(else_token.start_byte, else_node.end_byte, replacement, applicability, "Remove the 'else'")


def _names_are_free(else_node: tree_sitter.Node, if_node: tree_sitter.Node, ctx: RuleContext) -> bool:
    """Whether the block-scoped names the `else` block declares can move up one scope."""
    if else_node.type != "statement_block":
        return True
    names = declared_names(_statements(else_node))
    if not names or if_node.parent is None:
        return not names
    scope = if_node.parent
    if scope.type in ("switch_case", "switch_default") and scope.parent is not None:
        scope = scope.parent  # a case's declarations belong to the whole switch
    return can_move_up(ctx.tree, names, else_node, scope)


VALID = [
    Valid("function f() { if (a) { return 1; } return 2; }"),
    Valid("function f() { if (a) { b(); } else { return 2; } }"),
    Valid("function f() { if (a) return 1; else if (b) return 2; }"),
    Valid("function f() { if (a) { return 1; } else if (b) { c(); } else { return 3; } }"),
    Valid("function f() { if (a) { if (b) { return 1; } } else { return 2; } }"),
    Valid("function f() { while (x) if (a) return 1; else return 2; }"),  # one statement only
    Valid("function f() { if (a) { return 1; } else if (b) { return 2; } }"),
    Valid("function f() { if (a) { return 1; } else if (b) { return 2; } }", options=[{"allowElseIf": True}]),
]

INVALID = [
    Invalid("function f() { if (a) { return 1; } else { return 2; } }", [Expected("unexpected", 1, 42, 1, 55)]),
    Invalid("function f() { if (a) return 1; else return 2; }", [Expected("unexpected", 1, 38)]),
    Invalid("function f() {\n  if (a) { return 1; }\n  else if (b) { return 2; }\n  else { c(); }\n}",
            [Expected("unexpected", 4, 8)]),
    Invalid("function f() { if (a) { if (b) { return 1 } else { return 2 } } else { c() } }",
            [Expected("unexpected", 1, 50), Expected("unexpected", 1, 70)]),
    Invalid("function f() { if (a) { return 1; } else if (b) { c(); } }", [Expected("unexpected", 1, 42)],
            options=[{"allowElseIf": False}]),
    Invalid("function f() { switch (x) { case 1: if (a) { return 1 } else { b() } } }", [Expected("unexpected", 1, 62)]),
    Invalid("function f() { const s = '😀'; if (a) return 1; else { b(); } }", [Expected("unexpected", 1, 54)]),
    Invalid("function f() { if (a) return 1; else /* c */ { b(); } }", [Expected("unexpected", 1, 46)]),
]

FIXES = [
    FixCase("function f() { if (a) { return 1; } else { return 2; } }",
            "function f() { if (a) { return 1; }  return 2;  }"),
    FixCase("function f() {\n  if (a) return 1;\n  else if (b) return 2;\n  else c();\n}",
            "function f() {\n  if (a) return 1;\n  else if (b) return 2;\n  c();\n}"),
    FixCase("function f() { if (a) { return 1 } else { let x = 2; return x } }",
            "function f() { if (a) { return 1 }  let x = 2; return x  }"),
    # `x` is used elsewhere in the function: moving `let x` up one scope could collide.
    FixCase("function f(x) { if (a) { return x } else { let x = 2; return x } }",
            "function f(x) { if (a) { return x } else { let x = 2; return x } }"),
    # `x` elsewhere is declared in its own block: no collision.
    FixCase("function f() { if (a) { const x = 1; return x } else { const x = 2; g(x) } }",
            "function f() { if (a) { const x = 1; return x }  const x = 2; g(x)  }"),
    # a `var x` below the scope, or a parameter `x`, would collide: no fix.
    FixCase("function f() { if (a) { return 1 } else { let x = 2 } { var x } }",
            "function f() { if (a) { return 1 } else { let x = 2 } { var x } }"),
    FixCase("function f(x) { if (a) { return 1 } else { let x = 2 } }",
            "function f(x) { if (a) { return 1 } else { let x = 2 } }"),
    FixCase("function f() { if (a) { return 1 } else { let x = 2; } function g(x) { var y = x } }",
            "function f() { if (a) { return 1 }  let x = 2;  function g(x) { var y = x } }"),
    # ASI: `return 1` would run into `(b)()`.
    FixCase("function f() { if (a) return 1\n else (b)() }", "function f() { if (a) return 1\n else (b)() }"),
    # The comment would be lost: only an unsafe fix.
    FixCase("function f() { if (a) return 1; else /* c */ { b(); } }",
            "function f() { if (a) return 1; else /* c */ { b(); } }"),
    FixCase("function f() { if (a) return 1; else /* c */ { b(); } }",
            "function f() { if (a) return 1;  b();  }", applicability=Applicability.UNSAFE),
]
