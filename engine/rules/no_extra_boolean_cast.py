"""Disallow unnecessary boolean casts.

## What it does
Reports `!!x` and `Boolean(x)` where the value is already used as a boolean: the test of
`if`, `while`, `do ... while`, `for` and `? :`, the operand of `!`, and the argument of
`Boolean(...)` or `new Boolean(...)`.

## Why is this bad?
The context converts the value to a boolean anyway; the extra cast is noise that suggests
the author did not know it.

## Example
```js
if (!!user) {}            // reported
if (Boolean(user)) {}     // reported
const ok = !!user;        // ok: here the cast makes a boolean
if (user) {}              // ok
```

## Fix safety
The fix removes the cast, adding parentheses where precedence needs them (`!!(a, b) ? x : y`
becomes `(a, b) ? x : y`), and `Boolean()` becomes `false` (`!Boolean()`, `true`). It is
**safe**: converting to a boolean has no side effects and the context converts anyway. As in
ESLint, no fix is offered when a comment lies inside the reported expression (it would be
lost), nor for `Boolean(...spread)` or `Boolean(a, b)`. `Boolean` must be the global: a local
variable of that name is not reported.

## Options
`{"enforceForInnerExpressions": false}` (default): with `true`, casts are also reported in the
operands of `||`, `&&`, the right side of `??`, the branches of `? :` and the last
expression of a sequence, when those are used as booleans. The deprecated
`{"enforceForLogicalOperands": true}` does it for `||` and `&&` only.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-extra-boolean-cast
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.adjacency import can_be_adjacent
from engine.rules.nodes import unparenthesized
from engine.rules.precedence import is_mixed_logical_and_coalesce, precedence
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.scope import name_scopes
from engine.rules.tokens import first_token, has_comment_inside, previous_token

RULE = RuleMeta(
    id="no-extra-boolean-cast",
    type="suggestion",
    description="Disallow unnecessary boolean casts.",
    messages={"unexpectedCall": "Redundant Boolean call.", "unexpectedNegation": "Redundant double negation."},
    # `!` of a `!` (maybe parenthesized), and calls of a plain identifier (`Boolean(x)`).
    node_types=(
        '(unary_expression operator: "!" argument: [(unary_expression) (parenthesized_expression)])',
        '(call_expression function: (identifier) @_callee (#eq? @_callee "Boolean"))',
    ),
    fixable="sometimes",
    eslint_equivalent=True,
    default_options=({},),
)

# Statements and expressions whose `condition` is converted to a boolean.
_TESTED = frozenset({"if_statement", "do_statement", "while_statement", "ternary_expression", "for_statement"})
# Statements whose condition's parentheses are their own syntax, not grouping.
_PAREN_HEADS = frozenset({"if_statement", "do_statement", "while_statement", "switch_statement", "with_statement"})


@dataclass(frozen=True)
class Options:
    logical_operands: bool = False  # the deprecated enforceForLogicalOperands
    inner_expressions: bool = False


def parse_options(raw: list[Any]) -> Options:
    extra = raw[0] if raw else {}
    if not isinstance(extra, dict) or len(extra) > 1 or set(extra) - {"enforceForInnerExpressions", "enforceForLogicalOperands"}:
        raise OptionsError('expected {"enforceForInnerExpressions": boolean} or {"enforceForLogicalOperands": boolean}')
    for key, value in extra.items():
        if not isinstance(value, bool):
            raise OptionsError(f"{key!r} must be a boolean, got {value!r}")
    return Options(extra.get("enforceForLogicalOperands", False), extra.get("enforceForInnerExpressions", False))


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if node.type == "unary_expression":
        _check_negation(node, ctx)
    else:
        _check_call(node, ctx)


def _check_negation(outer: tree_sitter.Node, ctx: RuleContext) -> None:
    argument = outer.child_by_field_name("argument")
    if not _is_not(outer) or argument is None:
        return
    inner = unparenthesized(argument)
    if not _is_not(inner) or not _in_flagged_context(outer, ctx):
        return
    fixes = []
    operand = inner.child_by_field_name("argument")
    if operand is not None and not has_comment_inside(outer, ctx.source.data):
        operand = unparenthesized(operand)
        text = ctx.text(operand)
        if _needs_parens(outer, operand):
            text = f"({text})"
        else:
            text = _spaced(outer, operand, text)
        fixes.append(ctx.replace(outer.start_byte, outer.end_byte, text, Applicability.SAFE, "Remove the double negation"))
    ctx.report(outer, "unexpectedNegation", fixes=fixes)


def _check_call(call: tree_sitter.Node, ctx: RuleContext) -> None:
    if not _is_boolean_call(call, ctx) or not _in_flagged_context(call, ctx):
        return
    arguments = _arguments(call)
    fix = None
    data = ctx.source.data
    if not arguments:
        parent, _ = _estree_parent(call)
        if parent is not None and _is_not(parent):  # !Boolean() -> true
            if not has_comment_inside(parent, data):
                fix = ctx.replace(parent.start_byte, parent.end_byte, _spaced(parent, None, "true"),
                                  Applicability.SAFE, "Replace with 'true'")
        elif not has_comment_inside(call, data):  # Boolean() -> false
            fix = ctx.replace(call.start_byte, call.end_byte, "false", Applicability.SAFE, "Replace with 'false'")
    elif len(arguments) == 1 and arguments[0].type != "spread_element" and not has_comment_inside(call, data):
        argument = unparenthesized(arguments[0])
        text = ctx.text(argument)
        if _needs_parens(call, argument):
            text = f"({text})"
        fix = ctx.replace(call.start_byte, call.end_byte, text, Applicability.SAFE, "Remove the Boolean call")
    ctx.report(call, "unexpectedCall", fixes=[fix] if fix else [])


def _is_not(node: tree_sitter.Node) -> bool:
    if node.type != "unary_expression":
        return False
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type == "!"


def _arguments(call: tree_sitter.Node) -> list[tree_sitter.Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type != "arguments":
        return []
    return [child for child in arguments.named_children if child.type != "comment"]


def _is_boolean_call(node: tree_sitter.Node, ctx: RuleContext) -> bool:
    """`Boolean(...)` or `new Boolean(...)` with the global `Boolean`."""
    if node.type == "call_expression":
        callee = node.child_by_field_name("function")
    elif node.type == "new_expression":
        callee = node.child_by_field_name("constructor")
    else:
        return False
    if callee is None or callee.type != "identifier" or callee.text != b"Boolean":
        return False
    return name_scopes(ctx.tree, ctx.cache, "Boolean").is_global_reference(callee)


def _estree_parent(node: tree_sitter.Node) -> tuple[tree_sitter.Node | None, tree_sitter.Node]:
    """(the ESTree parent, the outermost parenthesized form of `node` under it)."""
    slot = node
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        slot, parent = parent, parent.parent
    return parent, slot


def _field(parent: tree_sitter.Node, child: tree_sitter.Node) -> str | None:
    for index, candidate in enumerate(parent.children):
        if candidate == child:
            return parent.field_name_for_child(index)
    return None


def _in_boolean_context(node: tree_sitter.Node, ctx: RuleContext) -> bool:
    parent, slot = _estree_parent(node)
    if parent is None:
        return False
    if parent.type == "arguments":
        call = parent.parent
        arguments = [child for child in parent.named_children if child.type != "comment"]
        return call is not None and bool(arguments) and arguments[0] == slot and _is_boolean_call(call, ctx)
    if parent.type in _TESTED:
        return _field(parent, slot) == "condition"
    return _is_not(parent)


def _in_flagged_context(node: tree_sitter.Node, ctx: RuleContext) -> bool:
    options: Options = ctx.options
    if options.logical_operands or options.inner_expressions:
        parent, slot = _estree_parent(node)
        if parent is not None and parent.type == "binary_expression":
            operator = parent.child_by_field_name("operator")
            op = operator.type if operator is not None else ""
            if op in ("||", "&&"):
                return _in_flagged_context(parent, ctx)
            if options.inner_expressions and op == "??" and parent.child_by_field_name("right") == slot:
                return _in_flagged_context(parent, ctx)
        if options.inner_expressions and parent is not None:
            if parent.type == "ternary_expression" and _field(parent, slot) in ("consequence", "alternative"):
                return _in_flagged_context(parent, ctx)
            if parent.type == "sequence_expression" and parent.named_children[-1] == slot:
                return _in_flagged_context(parent, ctx)
    return _in_boolean_context(node, ctx)


def _has_grouping_parens(node: tree_sitter.Node) -> bool:
    parent, slot = _estree_parent(node)
    if slot == node:
        return False
    if slot.parent is not None and slot.parent.type in _PAREN_HEADS and _field(slot.parent, slot) in ("condition", "value", "object"):
        return slot.named_children[0] != node  # one pair is the statement's own syntax
    return True


def _needs_parens(previous: tree_sitter.Node, replacement: tree_sitter.Node) -> bool:
    """Whether `replacement`, put where `previous` is, needs parentheses (ESLint's needsParens)."""
    if _has_grouping_parens(previous):
        return False  # the parentheses around `previous` stay
    parent, slot = _estree_parent(previous)
    if parent is None:
        return True
    kind = parent.type
    if kind == "arguments":
        return unparenthesized(replacement).type == "sequence_expression"
    if kind in ("if_statement", "do_statement", "while_statement", "for_statement", "sequence_expression"):
        return False
    if kind == "ternary_expression":
        if _field(parent, slot) == "condition":
            return precedence(replacement) <= precedence(parent)
        return precedence(replacement) < 1
    if kind == "unary_expression":
        return precedence(replacement) < precedence(parent)
    if kind == "binary_expression":
        if is_mixed_logical_and_coalesce(replacement, parent):
            return True
        if parent.child_by_field_name("left") == slot:
            return precedence(replacement) < precedence(parent)
        return precedence(replacement) <= precedence(parent)
    return True  # not a context this rule reports in: wrap, to be safe


def _spaced(replaced: tree_sitter.Node, replacement: tree_sitter.Node | None, text: str) -> str:
    """`text` with a space in front when it would otherwise glue onto the token before."""
    before = previous_token(replaced)
    if before is None or before.end_byte != replaced.start_byte:
        return text
    first = first_token(replacement) if replacement is not None else None
    first_text = first.text.decode("utf-8", "surrogatepass") if first is not None and first.text else text
    if can_be_adjacent(before.text.decode("utf-8", "surrogatepass") if before.text else "", first_text):
        return text
    return " " + text


VALID = [
    Valid("var foo = !!bar;"),
    Valid("function foo() { return !!bar; }"),
    Valid("var foo = bar() ? !!baz : !!bat"),
    Valid("for(!!foo;;) {}"),
    Valid("for(;; !!foo) {}"),
    Valid("var foo = Boolean(bar);"),
    Valid("var foo = bar ? Boolean(baz) : Boolean(bat)"),
    Valid("if (Boolean) {}"),
    Valid("function f(Boolean) { if (Boolean(x)) {} }"),
    Valid("if (!!a || b) {}"),
    Valid("if (x) { const Boolean = y; if (Boolean(z)) {} }"),
    Valid("if (new Boolean(x)) {}"),
    Valid("while (a && Boolean(b)) {}"),
]

INVALID = [
    Invalid("if (!!foo) {}", [Expected("unexpectedNegation", 1, 5, 1, 10)]),
    Invalid("do {} while (!!foo)", [Expected("unexpectedNegation", 1, 14)]),
    Invalid("while (!!foo) {}", [Expected("unexpectedNegation", 1, 8)]),
    Invalid("!!foo ? bar : baz", [Expected("unexpectedNegation", 1, 1)]),
    Invalid("for (; !!foo;) {}", [Expected("unexpectedNegation", 1, 8)]),
    Invalid("!!!foo", [Expected("unexpectedNegation", 1, 2)]),
    Invalid("Boolean(!!foo)", [Expected("unexpectedNegation", 1, 9)]),
    Invalid("new Boolean(!!foo)", [Expected("unexpectedNegation", 1, 13)]),
    Invalid("if (Boolean(foo)) {}", [Expected("unexpectedCall", 1, 5)]),
    Invalid("do {} while (Boolean(foo))", [Expected("unexpectedCall", 1, 14)]),
    Invalid("!Boolean(foo)", [Expected("unexpectedCall", 1, 2)]),
    Invalid("!Boolean()", [Expected("unexpectedCall", 1, 2)]),
    Invalid("if ((!!foo)) {}", [Expected("unexpectedNegation", 1, 6)]),
    Invalid("if (!(!foo)) {}", [Expected("unexpectedNegation", 1, 5)]),
    Invalid("if (Boolean?.(foo)) {}", [Expected("unexpectedCall", 1, 5)]),
    Invalid("if (!!a || b) {}", [Expected("unexpectedNegation", 1, 5)], options=[{"enforceForLogicalOperands": True}]),
    Invalid("if (c ? !!a : b) {}", [Expected("unexpectedNegation", 1, 9)], options=[{"enforceForInnerExpressions": True}]),
    Invalid("if (x ?? !!a) {}", [Expected("unexpectedNegation", 1, 10)], options=[{"enforceForInnerExpressions": True}]),
    Invalid("const s = '😀'; if (!!s) {}", [Expected("unexpectedNegation", 1, 21)]),
    Invalid("const el = <div hidden={!!a ? 1 : 2} />;", [Expected("unexpectedNegation", 1, 25)]),
    Invalid("if (!!/* keep */foo) {}", [Expected("unexpectedNegation", 1, 5)]),
]

FIXES = [
    FixCase("if (!!foo) {}", "if (foo) {}"),
    FixCase("if (Boolean(foo)) {}", "if (foo) {}"),
    FixCase("!!!foo", "!foo"),
    FixCase("!Boolean()", "true"),
    FixCase("if (Boolean()) {}", "if (false) {}"),
    FixCase("!!(a, b) ? c : d", "(a, b) ? c : d"),
    FixCase("!!(a ? b : c) ? d : e", "(a ? b : c) ? d : e"),
    FixCase("!Boolean(a + b)", "!(a + b)"),
    FixCase("if (Boolean((a, b))) {}", "if (a, b) {}"),
    FixCase("new Boolean(Boolean(a, b))", "new Boolean(Boolean(a, b))"),
    FixCase("if (!!/* keep */foo) {}", "if (!!/* keep */foo) {}"),  # a comment would be lost: no fix
    FixCase("while(!Boolean(...a)) {}", "while(!Boolean(...a)) {}"),
    FixCase("x = !!!(a ?? b)", "x = !(a ?? b)"),
]
