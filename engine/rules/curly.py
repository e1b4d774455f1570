"""Enforce consistent brace style for all control statements.

## What it does
With the default `"all"`, reports the body of an `if`, `else`, `for`, `for...in`,
`for...of`, `while` or `do` that is not a block: `if (a) b();` should be `if (a) { b(); }`.
The other options allow leaving braces out of some one-statement bodies (see Options).

## Why is this bad?
A body without braces invites the classic bug of adding a second, indented line that
looks inside the statement but is not:
```js
if (failed)
  log(error);
  return;        // always runs
```

## Example
```js
if (ready) start();        // reported
if (ready) { start(); }    // ok
```

## Fix safety
Adding braces around a single statement is **safe**: the braces wrap the body's tokens and
leave comments where they are (a line comment after the body stays after the `}`).
Removing unnecessary braces (options other than `"all"`) is also **safe**: as in ESLint it is
only offered when the body is one statement that is not a declaration, cannot capture a
following `else`, and needs no semicolon that the braces supplied; comments inside stay.

## Options
As ESLint: `"all"` (default); `"multi"` (braces only for blocks of several statements);
`"multi-line"` (a one-statement body may go without braces when it sits on one line
with its head); `"multi-or-nest"` (braces exactly when the body spans several lines);
the last three accept a second option `"consistent"` (all branches of an if-else chain
alike).

## References
- ESLint: https://eslint.org/docs/latest/rules/curly
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.adjacency import can_be_adjacent
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.tokens import first_token, last_token, next_token, previous_token

RULE = RuleMeta(
    id="curly",
    type="suggestion",
    description="Enforce consistent brace style for all control statements.",
    messages={
        "missingCurlyAfter": "Expected { after '{{name}}'.",
        "missingCurlyAfterCondition": "Expected { after '{{name}}' condition.",
        "unexpectedCurlyAfter": "Unnecessary { after '{{name}}'.",
        "unexpectedCurlyAfterCondition": "Unnecessary { after '{{name}}' condition.",
    },
    node_types=("if_statement", "while_statement", "do_statement", "for_statement", "for_in_statement"),
    fixable="always",
    recommended=False,
    eslint_equivalent=True,
    default_options=("all",),
)

_LEXICAL = frozenset({"lexical_declaration", "function_declaration", "generator_function_declaration", "class_declaration"})
_LOOPS_WITH_BODY = frozenset({"for_statement", "for_in_statement", "labeled_statement", "with_statement", "while_statement"})
_FUNCTION_EXPRESSIONS = frozenset({"function_expression", "generator_function", "arrow_function"})
_ASI_HAZARD_STARTS = ("(", "[", "/", "`", "+", "-")


@dataclass(frozen=True)
class Options:
    mode: str = "all"  # "all" | "multi" | "multi-line" | "multi-or-nest"
    consistent: bool = False


def parse_options(raw: list[Any]) -> Options:
    mode = raw[0] if raw else "all"
    if mode == "all" and len(raw) <= 1:
        return Options()
    if mode not in ("multi", "multi-line", "multi-or-nest") or len(raw) > 2:
        raise OptionsError(f'expected "all", or "multi" / "multi-line" / "multi-or-nest" optionally with "consistent", got {raw!r}')
    if len(raw) == 2 and raw[1] != "consistent":
        raise OptionsError(f'expected "consistent" as the second option, got {raw[1]!r}')
    return Options(mode, len(raw) == 2)


@dataclass
class _Check:
    """One body to check: ESLint's `prepareCheck` result."""

    body: tree_sitter.Node
    name: str
    condition: bool
    actual: bool
    expected: bool | None


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    kind = node.type
    if kind == "if_statement":
        if _is_else_if(node):
            return  # checked with the whole chain, from its first `if`
        checks = _if_chain(node, ctx)
        if ctx.options.consistent:
            want = any(c.expected if c.expected is not None else c.actual for c in checks)
            for item in checks:
                item.expected = want
    else:
        body = node.child_by_field_name("body")
        if body is None:
            return
        if kind == "for_in_statement":
            operator = node.child_by_field_name("operator")
            name, condition = ("for-of" if operator is not None and operator.type == "of" else "for-in"), False
        else:
            name, condition = {"while_statement": ("while", True), "do_statement": ("do", False),
                               "for_statement": ("for", True)}[kind]
        checks = [_prepare(body, name, condition, ctx)]
    for item in checks:
        if item.expected is not None and item.expected != item.actual:
            _report(item, ctx)


def _is_else_if(node: tree_sitter.Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "else_clause"


def _if_chain(node: tree_sitter.Node, ctx: RuleContext) -> list[_Check]:
    checks = []
    current: tree_sitter.Node | None = node
    while current is not None:
        consequence = current.child_by_field_name("consequence")
        if consequence is not None:
            checks.append(_prepare(consequence, "if", True, ctx))
        clause = current.child_by_field_name("alternative")
        alternative = _statement_of(clause) if clause is not None else None
        if alternative is None:
            break
        if alternative.type == "if_statement":
            current = alternative
        else:
            checks.append(_prepare(alternative, "else", False, ctx))
            break
    return checks


def _statement_of(clause: tree_sitter.Node) -> tree_sitter.Node | None:
    return next((child for child in clause.named_children if child.type != "comment"), None)


def _statements(block: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in block.named_children if child.type != "comment"]


def _prepare(body: tree_sitter.Node, name: str, condition: bool, ctx: RuleContext) -> _Check:
    options: Options = ctx.options
    has_block = body.type == "statement_block"
    if options.mode == "all":
        return _Check(body, name, condition, has_block, True)  # braces always (the default)
    expected: bool | None = None
    statements = _statements(body) if has_block else []
    if has_block and (len(statements) != 1 or _braces_necessary(body, statements[0])):
        expected = True
    elif options.mode == "multi":
        expected = False
    elif options.mode == "multi-line":
        if not _is_collapsed_one_liner(body, ctx):
            expected = True
    elif options.mode == "multi-or-nest":
        if has_block:
            statement = statements[0]
            comment_first = any(
                child.type == "comment" and child.start_byte < statement.start_byte for child in body.named_children
            )
            expected = not _is_one_liner(statement, ctx) or comment_first
        else:
            expected = not _is_one_liner(body, ctx)
    else:
        expected = True
    return _Check(body, name, condition, has_block, expected)


def _braces_necessary(block: tree_sitter.Node, statement: tree_sitter.Node) -> bool:
    """ESLint's `areBracesNecessary`: the one statement is a declaration, or an `if` in it
    would capture an `else` that follows the block."""
    if statement.type in _LEXICAL:
        return True
    following = next_token(block)
    return _has_unsafe_if(statement) and following is not None and following.type == "else"


def _has_unsafe_if(node: tree_sitter.Node) -> bool:
    if node.type == "if_statement":
        clause = node.child_by_field_name("alternative")
        alternative = _statement_of(clause) if clause is not None else None
        return alternative is None or _has_unsafe_if(alternative)
    if node.type in _LOOPS_WITH_BODY:
        body = node.child_by_field_name("body")
        return body is not None and _has_unsafe_if(body)
    return False


def _last_excluding_semicolon(node: tree_sitter.Node) -> tree_sitter.Node | None:
    last = last_token(node)
    if last is not None and last.type == ";":
        return previous_token(last)
    return last


def _is_collapsed_one_liner(body: tree_sitter.Node, ctx: RuleContext) -> bool:
    before, last = previous_token(body), _last_excluding_semicolon(body)
    if before is None or last is None:
        return False
    return ctx.source.line_of(before.start_byte) == ctx.source.line_of(last.end_byte)


def _is_one_liner(node: tree_sitter.Node, ctx: RuleContext) -> bool:
    if node.type == "empty_statement":
        return True
    first, last = first_token(node), _last_excluding_semicolon(node)
    if first is None or last is None:
        return True
    return ctx.source.line_of(first.start_byte) == ctx.source.line_of(last.end_byte)


def _report(item: _Check, ctx: RuleContext) -> None:
    body = item.body
    first, last = first_token(body), last_token(body)
    if first is None or last is None:
        return
    start, end = first.start_byte, last.end_byte  # ESTree's range: trailing comments excluded
    data = {"name": item.name}
    if item.expected:
        message_id = "missingCurlyAfterCondition" if item.condition else "missingCurlyAfter"
        fix = ctx.replace(start, end, "{" + ctx.source.slice(start, end) + "}", Applicability.SAFE, "Add braces")
        ctx.report(body, message_id, data=data, start=start, end=end, fixes=[fix])
    else:
        message_id = "unexpectedCurlyAfterCondition" if item.condition else "unexpectedCurlyAfter"
        removal = _remove_braces(body, ctx)
        ctx.report(body, message_id, data=data, start=start, end=end, fixes=[removal] if removal else [])


def _remove_braces(block: tree_sitter.Node, ctx: RuleContext) -> Fix | None:
    opening, closing = first_token(block), last_token(block)
    if opening is None or closing is None or _needs_semicolon(closing, ctx):
        return None
    inner = ctx.source.slice(opening.end_byte, closing.start_byte)
    before = previous_token(block)
    after_opening = next_token(opening)
    space = ""
    if before is not None and after_opening is not None and before.end_byte == block.start_byte:
        if not can_be_adjacent(_text(before), _text(after_opening)):
            space = " "  # `else{foo();}` -> `else foo();`
    return ctx.replace(block.start_byte, block.end_byte, space + inner, Applicability.SAFE, "Remove braces")


def _needs_semicolon(closing: tree_sitter.Node, ctx: RuleContext) -> bool:
    """ESLint's `needsSemicolon`: removing the braces would join the last statement with what follows."""
    before, after = previous_token(closing), next_token(closing)
    if before is None or before.type == ";" or after is None:
        return False
    owner = before.parent
    if before.type == "}" and owner is not None and owner.type == "statement_block" and (
        owner.parent is None or owner.parent.type not in _FUNCTION_EXPRESSIONS
    ):
        return False
    if ctx.source.line_of(before.end_byte) == ctx.source.line_of(after.start_byte):
        return True
    if _text(after).startswith(_ASI_HAZARD_STARTS):
        return True
    return before.type in ("++", "--")


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "surrogatepass") if node.text is not None else ""


VALID = [
    Valid("if (a) { b(); }"),
    Valid("if (a) { b(); } else if (c) { d(); } else { e(); }"),
    Valid("while (a) { b(); }"),
    Valid("do { b(); } while (a);"),
    Valid("for (;;) { b(); }"),
    Valid("for (const k in o) { b(); }"),
    Valid("for (const v of o) { b(); }"),
    Valid("if (a) b();", options=["multi"]),
    Valid("if (a) { b(); c(); }", options=["multi"]),
    Valid("if (a) { let x = 1; }", options=["multi"]),
    Valid("if (a) b();", options=["multi-line"]),
    Valid("if (a) {\n  b();\n}", options=["multi-line"]),
    Valid("if (a)\n  b();", options=["multi-or-nest"]),
    Valid("if (a) {\n  b(\n    c);\n}", options=["multi-or-nest"]),
    Valid("if (a) { b(); } else { c(); d(); }", options=["multi", "consistent"]),
    Valid("if (a) { if (b) c(); } else d();", options=["multi"]),
]

INVALID = [
    Invalid("if (a) b();", [Expected("missingCurlyAfterCondition", 1, 8, 1, 12)]),
    Invalid("if (a) { b(); } else c();", [Expected("missingCurlyAfter", 1, 22)]),
    Invalid("if (a) b(); else if (c) d(); else e();", [
        Expected("missingCurlyAfterCondition", 1, 8),
        Expected("missingCurlyAfterCondition", 1, 25),
        Expected("missingCurlyAfter", 1, 35),
    ]),
    Invalid("while (a) b();", [Expected("missingCurlyAfterCondition", 1, 11)]),
    Invalid("do b(); while (a);", [Expected("missingCurlyAfter", 1, 4)]),
    Invalid("for (;;) b();", [Expected("missingCurlyAfterCondition", 1, 10)]),
    Invalid("for (k in o) b();", [Expected("missingCurlyAfter", 1, 14)]),
    Invalid("for (v of o) b();", [Expected("missingCurlyAfter", 1, 14)]),
    Invalid("if (a) ;", [Expected("missingCurlyAfterCondition", 1, 8)]),
    Invalid("if (a) b() // why\nelse c()", [
        Expected("missingCurlyAfterCondition", 1, 8, 1, 11),
        Expected("missingCurlyAfter", 2, 6),
    ]),
    Invalid("const s = '😀'; if (s) render(<b>{s}</b>);", [Expected("missingCurlyAfterCondition", 1, 24)]),
    Invalid("if (a) { b(); }", [Expected("unexpectedCurlyAfterCondition", 1, 8)], options=["multi"]),
    Invalid("if (a)\n  b();", [Expected("missingCurlyAfterCondition", 2, 3)], options=["multi-line"]),
    Invalid("if (a) {\n  b();\n}", [Expected("unexpectedCurlyAfterCondition", 1, 8)], options=["multi-or-nest"]),
    Invalid("if (a)\n  b(\n    c);", [Expected("missingCurlyAfterCondition", 2, 3)], options=["multi-or-nest"]),
    Invalid(
        "if (a) b(); else { c(); d(); }",
        [Expected("missingCurlyAfterCondition", 1, 8)],
        options=["multi", "consistent"],
    ),
]

FIXES = [
    FixCase("if (a) b();", "if (a) {b();}"),
    FixCase("if (a) b() // why\nelse c()", "if (a) {b()} // why\nelse {c()}"),
    FixCase("while (a) /* note */ b++;", "while (a) /* note */ {b++;}"),
    FixCase("if (a) { b(); }", "if (a)  b(); ", options=["multi"]),
    FixCase("if (a) {b()} else{c()}", "if (a) {b()} else c()", options=["multi"]),  # the first would need a `;`
    # Removing these braces would join `b()` with `(c)`: no fix.
    FixCase("if (a) { b() }\n(c)", "if (a) { b() }\n(c)", options=["multi"]),
]
