"""Report tokens the parser had to assume (`f(a, b;`, `if (a { }`, `[1, 2;`).

## What it does
When tree-sitter recovers from a syntax error by assuming a token that is not in the text
(a MISSING node: `)`, `]`, `}`, `;`, `:`, ...), this rule reports it at the place the token
belongs and offers to insert it.

## Why is this bad?
The file is a syntax error: nothing in it runs. An unclosed bracket is the commonest
cause, and the parser's own recovery usually says exactly which token is missing where.

## Example
```js
if (ready { start(); }   // reported: missing ')' after `ready`
if (ready) { start(); }  // ok
```

## Fix safety
The fix inserts the token where the parser assumed it, and is offered only when the file
then parses with fewer syntax errors. It is **unsafe**: the parser's guess closes the
construct as early as possible, while the author may have meant it to end later
(`f(a, g(b)` could be `f(a, g(b))` or `f(a, g)(b)`), so a person should look. A missing
name (an identifier, a string) is reported without a fix: there is nothing to insert.

## Options
None.

## References
- tree-sitter (error recovery, MISSING nodes): https://tree-sitter.github.io/tree-sitter/
"""

from __future__ import annotations

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.parse.parser import count_syntax_errors
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.syntax_errors import missing_nodes, reparse

RULE = RuleMeta(
    id="missing-token",
    type="problem",
    description="Report tokens missing from the source, as found by the parser's error recovery.",
    messages={
        "missing": "Missing '{{token}}'.",
        "missingName": "Missing {{token}}.",
    },
    # The root only: MISSING nodes carry the type of the token they stand for, so they are
    # looked up with a query of their own, and only in a tree that has an error.
    node_types=("program",),
    fixable="sometimes",
)

_MAX_REPARSES = 64  # per file (incremental re-parses)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if not node.has_error or node.parent is not None:
        return
    errors = count_syntax_errors(ctx.tree)
    reparses = 0
    for missing in missing_nodes(ctx.tree):
        at = missing.start_byte
        if missing.is_named:  # an identifier, a string...: a name would have to be invented
            ctx.report(None, "missingName", data={"token": missing.type.replace("_", " ")}, start=at, end=at)
            continue
        token = missing.type
        fixes = []
        if reparses < _MAX_REPARSES:
            reparses += 1
            text = _spaced(ctx.source.data, at, token)
            if count_syntax_errors(reparse(ctx.source, ctx.tree, [Edit(at, at, text)])) < errors:
                fixes.append(Fix((Edit(at, at, text),), Applicability.UNSAFE, f"Insert '{token}'"))
        ctx.report(None, "missing", data={"token": token}, start=at, end=at, fixes=fixes)


def _spaced(data: bytes, at: int, token: str) -> str:
    """A keyword token gets a space where it would run into a neighbouring word."""
    if not token[-1:].isalnum():
        return token
    before = data[at - 1 : at].decode("latin-1") if at else ""
    after = data[at : at + 1].decode("latin-1")
    return (" " if _is_word(before) else "") + token + (" " if _is_word(after) else "")


def _is_word(char: str) -> bool:
    return bool(char) and (char.isalnum() or char in "_$")


VALID = [
    Valid("f(a, b);"),
    Valid("if (a) { b(); }"),
    Valid("a = = b;"),  # an ERROR node, but nothing missing
]

INVALID = [
    Invalid("f(a, b;", [Expected("missing", 1, 7, 1, 7)]),
    Invalid("if (a { b() }", [Expected("missing", 1, 6)]),
    Invalid("function f() { return 1;", [Expected("missing", 1, 25)]),
    Invalid("x = {a: 1;", [Expected("missing", 1, 10)]),
    Invalid("a = [1, 2;", [Expected("missing", 1, 10)]),
    Invalid("for (let i = 0 i < 3; i++) {}", [Expected("missing", 1, 15)]),
    Invalid("class A { m() {}", [Expected("missing", 1, 17)]),
    Invalid("const s = '😀'; f(s;", [Expected("missing", 1, 20)]),
]

FIXES = [
    FixCase("f(a, b;", "f(a, b;"),  # unsafe only
    FixCase("f(a, b;", "f(a, b);", applicability=Applicability.UNSAFE),
    FixCase("if (a { b() }", "if (a) { b() }", applicability=Applicability.UNSAFE),
    FixCase("x = {a: 1;", "x = {a: 1};", applicability=Applicability.UNSAFE),
    FixCase("a = [1, 2;", "a = [1, 2];", applicability=Applicability.UNSAFE),
    FixCase("class A { m() {}", "class A { m() {}}", applicability=Applicability.UNSAFE),
]
