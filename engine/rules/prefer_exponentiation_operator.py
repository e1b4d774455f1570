"""Disallow the use of `Math.pow` in favor of the `**` operator.

## What it does
Reports calls of the global `Math.pow`, however reached: `Math.pow(a, b)`, `Math["pow"](a, b)`,
`globalThis.Math.pow(a, b)`, `const { pow } = Math; pow(a, b)` (see `engine.rules.references`).
A local variable named `Math` is not the global one and is not reported.

## Why is this bad?
Since ES2016 `a ** b` says the same thing as `Math.pow(a, b)` in an operator that reads like
the mathematics and needs no global lookup.

## Example
```js
const area = Math.pow(side, 2);   // reported
const area = side ** 2;           // ok
```

## Fix safety
The fix rewrites the call to `base ** exponent`, adding parentheses where precedence needs
them (`Math.pow(-a, b)` gives `(-a) ** b`, `-Math.pow(a, b)` gives `-(a ** b)`) and a space
or semicolon where tokens would otherwise merge. It is **safe**: for numbers the operator is
specified as `Math.pow` (both are Number::exponentiate); the only difference is that
`Math.pow` throws on BigInt operands where `**` computes, so no program that runs changes.
As in ESLint there is no fix when the call does not have exactly two arguments, has a
spread argument, or holds a comment (it would be lost).

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/prefer-exponentiation-operator
"""

from __future__ import annotations

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.adjacency import can_be_adjacent
from engine.rules.asi import is_start_of_expression_statement, needs_preceding_semicolon
from engine.rules.nodes import unparenthesized
from engine.rules.precedence import precedence
from engine.rules.references import global_calls
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.tokens import first_token, has_comment_inside, last_token, next_token, previous_token

RULE = RuleMeta(
    id="prefer-exponentiation-operator",
    type="suggestion",
    description="Disallow the use of `Math.pow` in favor of the `**` operator.",
    messages={"useExponentiation": "Use the '**' operator instead of 'Math.pow'."},
    # One visit per file: the references to `Math` come from one query (engine.rules.scope).
    node_types=("program",),
    only_with_text=(b"Math", b"pow"),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
)

EXPONENTIATION = 15  # ESLint's precedence of `**`
# A statement starting with these continues the previous line when that has no semicolon.
_CONTINUATION_STARTS = ("(", "[", "/", "`")


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    for call in global_calls(ctx.tree, ctx.cache, ("Math", "pow")):
        fix = _fix(call, ctx)
        ctx.report(call, "useExponentiation", fixes=[fix] if fix is not None else [])


def _fix(call: tree_sitter.Node, ctx: RuleContext) -> Fix | None:
    arguments_node = call.child_by_field_name("arguments")
    if arguments_node is None:
        return None
    arguments = [child for child in arguments_node.named_children if child.type != "comment"]
    if len(arguments) != 2 or any(arg.type == "spread_element" for arg in arguments):
        return None
    if has_comment_inside(call, ctx.source.data):
        return None
    base, exponent = unparenthesized(arguments[0]), unparenthesized(arguments[1])
    base_precedence = precedence(base)
    paren_base = base_precedence <= EXPONENTIATION or base.type in ("await_expression", "unary_expression")
    paren_exponent = precedence(exponent) < EXPONENTIATION
    paren_all = _needs_parens_in_place(call)
    at_statement_start = is_start_of_expression_statement(call)
    if not paren_all and not paren_base and at_statement_start and _starts_like_a_declaration(base):
        paren_all = True

    prefix = suffix = ""
    if not paren_all:
        before = previous_token(call)
        first = first_token(base)
        if not paren_base and before is not None and first is not None and before.end_byte == call.start_byte:
            if not can_be_adjacent(_text(before), _text(first)):
                prefix = " "  # a+Math.pow(++b, c) -> a+ ++b**c
        after = next_token(call)
        last = last_token(exponent)
        if not paren_exponent and after is not None and last is not None and after.start_byte == call.end_byte:
            if not can_be_adjacent(_text(last), _text(after)):
                suffix = " "  # Math.pow(a, b)in c -> a**b in c
    base_text = _wrap(ctx.text(base), paren_base)
    exponent_text = _wrap(ctx.text(exponent), paren_exponent)
    replacement = _wrap(f"{base_text}**{exponent_text}", paren_all)
    if not prefix and at_statement_start and replacement.startswith(_CONTINUATION_STARTS) and needs_preceding_semicolon(call):
        prefix = ";"
    return ctx.replace(
        call.start_byte, call.end_byte, f"{prefix}{replacement}{suffix}", Applicability.SAFE, "Replace 'Math.pow' with '**'"
    )


def _needs_parens_in_place(call: tree_sitter.Node) -> bool:
    """Whether `a ** b` standing where `call` stands needs parentheses (ESLint's
    `doesExponentiationExpressionNeedParens`)."""
    parent = call.parent
    if parent is None or parent.type == "parenthesized_expression":
        return False  # already parenthesized
    kind = parent.type
    if kind == "class_heritage":
        return True  # `class A extends (a ** b) {}`
    if kind == "binary_expression":
        operator = parent.child_by_field_name("operator")
        # Only `**` ranks at or above itself; on its right side `a ** b ** c` groups as wanted.
        return operator is not None and operator.type == "**" and parent.child_by_field_name("right") != call
    if kind in ("unary_expression", "await_expression", "update_expression"):
        return True
    if kind == "call_expression":
        return parent.child_by_field_name("function") == call  # callee or template tag
    if kind == "arguments":  # an argument needs none, except in ESLint's `import(...)`
        function = parent.parent.child_by_field_name("function") if parent.parent is not None else None
        return function is not None and function.type == "import"
    if kind == "new_expression":
        return parent.child_by_field_name("constructor") == call
    if kind in ("member_expression", "subscript_expression"):
        return parent.child_by_field_name("object") == call
    return False


def _starts_like_a_declaration(base: tree_sitter.Node) -> bool:
    """`{`, `function`, `class` or `async function` first: at the start of a statement the
    result would parse as a block or a declaration."""
    first = first_token(base)
    if first is None:
        return False
    text = _text(first)
    if text in ("{", "function", "class"):
        return True
    if text == "async":
        following = next_token(first)
        return following is not None and _text(following) == "function"
    return False


def _wrap(text: str, parenthesize: bool) -> str:
    return f"({text})" if parenthesize else text


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "surrogatepass") if node.text is not None else ""


VALID = [
    Valid("a ** b"),
    Valid("Math.max(a, b)"),
    Valid("Math.pow"),
    Valid("new Math.pow(a, b)"),
    Valid("Math.pow`a`"),
    Valid("function f(Math) { return Math.pow(a, b); }"),
    Valid("import Math from 'mathjs'; Math.pow(a, b);"),
    Valid("Math = other; Math.pow(a, b);"),
    Valid("foo.Math.pow(a, b)"),
    Valid("pow(a, b)"),
]

INVALID = [
    Invalid("Math.pow(a, b)", [Expected("useExponentiation", 1, 1, 1, 15)]),
    Invalid("x = Math['pow'](a, b)", [Expected("useExponentiation", 1, 5)]),
    Invalid("x = Math?.pow(a, b)", [Expected("useExponentiation", 1, 5)]),
    Invalid("x = globalThis.Math.pow(a, b)", [Expected("useExponentiation", 1, 5)]),
    Invalid("x = (0, Math.pow)(a, b)", [Expected("useExponentiation", 1, 5)]),
    Invalid("const { pow } = Math; pow(a, b);", [Expected("useExponentiation", 1, 23)]),
    Invalid("const M = Math; M.pow(a, b);", [Expected("useExponentiation", 1, 17)]),
    Invalid("x = Math.pow(a /* base */, b)", [Expected("useExponentiation", 1, 5)]),
    Invalid("const s = '😀'; x = Math.pow(s, 2)", [Expected("useExponentiation", 1, 21)]),
    Invalid("<A size={Math.pow(2, n)} />", [Expected("useExponentiation", 1, 10)]),
    Invalid("function f(M) { Math.pow(M, 2) }", [Expected("useExponentiation", 1, 17)]),
]

FIXES = [
    FixCase("x = Math.pow(a, b)", "x = a**b"),
    FixCase("x = Math.pow(-a, b + c)", "x = (-a)**(b + c)"),
    FixCase("x = -Math.pow(a, b)", "x = -(a**b)"),
    FixCase("x = Math.pow(a, b).toFixed(2)", "x = (a**b).toFixed(2)"),
    FixCase("x = Math.pow(a ** b, c ** d)", "x = (a ** b)**c ** d"),
    FixCase("x = Math.pow((a), (b))", "x = a**b"),
    FixCase("x = a+Math.pow(++b, c)", "x = a+ ++b**c"),
    FixCase("x = Math.pow(a, b)in c", "x = a**b in c"),
    FixCase("f(Math.pow(a, b), Math['pow'](c, 2))", "f(a**b, c**2)"),
    FixCase("a()\nMath.pow(-b, 2)", "a()\n;(-b)**2"),
    FixCase("x = Math.pow(a, b, c)", "x = Math.pow(a, b, c)"),
    FixCase("x = Math.pow(a /* base */, b)", "x = Math.pow(a /* base */, b)"),
    FixCase("x = Math.pow(...args)", "x = Math.pow(...args)", applicability=Applicability.UNSAFE),
]
