"""Require or disallow "Yoda" conditions.

## What it does
With the default `"never"`, reports comparisons whose literal comes first (`"red" === color`,
`-1 < x`); with `"always"`, reports those whose literal comes last. Literals are ESTree's:
strings, numbers, booleans, `null`, regexes, plus negative numbers and templates without
substitutions.

## Why is this bad?
"If red equals the color" reads backwards. Putting the literal first guarded against `=`
typos once; linters (no-cond-assign) catch those now, and the inverted order only slows the
reader down.

## Example
```js
if ("red" === color) {}   // reported
if (color === "red") {}   // ok
if (-1 < index) {}        // reported: write `index > -1`
```

## Fix safety
The fix swaps the operands (and mirrors `<`, `<=`, `>`, `>=`), copying every comment and
space between them. A literal has no side effects and JavaScript evaluates `a < b` and
`b > a` identically (`NaN` included), so the fix is **safe**. As ESLint, it adds a space where
the swapped operand would run into the token beside it, parentheses where it would begin a
statement with `function`, `class` or `{`, and a `;` where the statement would continue the
previous line.

## Options
As ESLint: `"never"` (default) or `"always"`, then `{"exceptRange": false, "onlyEquality":
false}`. `exceptRange` allows range tests such as `(0 <= x && x < 10)` (parenthesised);
`onlyEquality` only reports `==` and `===`.

## References
- ESLint: https://eslint.org/docs/latest/rules/yoda
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.adjacency import can_be_adjacent
from engine.rules.asi import is_start_of_expression_statement, needs_preceding_semicolon
from engine.rules.literals import is_static_template, string_value
from engine.rules.nodes import outer_parenthesized, without_parentheses
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.static_value import number_value
from engine.rules.tokens import next_token, previous_token

RULE = RuleMeta(
    id="yoda",
    type="suggestion",
    description='Require or disallow "Yoda" conditions.',
    messages={"expected": "Expected literal to be on the {{expectedSide}} side of {{operator}}."},
    node_types=("binary_expression",),
    fixable="always",
    recommended=False,
    eslint_equivalent=True,
    default_options=("never", {"exceptRange": False, "onlyEquality": False}),
)

_COMPARISONS = frozenset({"==", "===", "!=", "!==", "<", ">", "<=", ">="})
_EQUALITY = frozenset({"==", "==="})
_RANGE_OPERATORS = frozenset({"<", "<="})
_FLIPPED = {"===": "===", "!==": "!==", "==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_LITERALS = frozenset({"string", "number", "true", "false", "null", "regex"})
# Tokens after which the swapped text would continue the previous expression.
_CONTINUING_STARTS = ("(", "[", "+", "-", "`", "/")


@dataclass(frozen=True)
class Options:
    always: bool = False
    except_range: bool = False
    only_equality: bool = False


def parse_options(raw: list[Any]) -> Options:
    when = raw[0] if raw else "never"
    if when not in ("always", "never"):
        raise OptionsError(f'expected "always" or "never", got {when!r}')
    extra = raw[1] if len(raw) > 1 else {}
    if not isinstance(extra, dict) or set(extra) - {"exceptRange", "onlyEquality"}:
        raise OptionsError('expected an object like {"exceptRange": false, "onlyEquality": false}')
    for key, value in extra.items():
        if not isinstance(value, bool):
            raise OptionsError(f'"{key}" must be a boolean, got {value!r}')
    return Options(when == "always", extra.get("exceptRange", False), extra.get("onlyEquality", False))


# What `_looks_like_literal` accepts, as node types a query can match on one operand side.
_LITERAL_SHAPES = '[(string) (number) (true) (false) (null) (regex) (unary_expression) (template_string) (parenthesized_expression)]'


def node_types_for(options: Options) -> tuple[str, ...]:
    """Only a literal-like operand on the side that must not hold one (the operator is
    tested in Python: an alternation of tokens costs tree-sitter more)."""
    if options.always:
        return (f"(binary_expression right: {_LITERAL_SHAPES})",)
    return (f"(binary_expression left: {_LITERAL_SHAPES})",)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    op = node.child_by_field_name("operator")
    if op is None or op.type not in _COMPARISONS:
        return
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return
    options: Options = ctx.options
    expected_literal, expected_other = (left, right) if options.always else (right, left)
    if not _looks_like_literal(expected_other) or _looks_like_literal(expected_literal):
        return
    if options.only_equality and op.type not in _EQUALITY:
        return
    if options.except_range and _is_range_test(outer_parenthesized(node).parent, ctx):
        return
    flipped = _flipped_text(node, op, ctx)
    fixes = []
    if flipped is not None:
        fixes.append(ctx.replace(node.start_byte, node.end_byte, flipped, Applicability.SAFE, "Swap the operands"))
    data = {"operator": op.type, "expectedSide": "left" if options.always else "right"}
    ctx.report(node, "expected", data=data, fixes=fixes)


def _looks_like_literal(node: tree_sitter.Node) -> bool:
    node = without_parentheses(node)
    if node.type in _LITERALS:
        return True
    if node.type == "unary_expression":
        op = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        return op is not None and op.type == "-" and argument is not None and without_parentheses(argument).type == "number"
    return is_static_template(node)


_NOT_LITERAL = object()
_DECIMAL_STRING = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_RADIX_STRING = re.compile(r"0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+")


def _literal_value(node: tree_sitter.Node, ctx: RuleContext) -> Any:
    """ESLint's `getNormalizedLiteral(...).value`, or _NOT_LITERAL for other operands."""
    node = without_parentheses(node)
    if node.type in ("string", "template_string"):
        value = string_value(node)
        return _NOT_LITERAL if value is None else value
    if node.type in ("true", "false"):
        return node.type == "true"
    if node.type in ("null", "regex"):
        return None if node.type == "null" else ctx.text(node)
    negative = node.type == "unary_expression" and _looks_like_literal(node)
    if negative:
        node = without_parentheses(node.child_by_field_name("argument") or node)
    number = number_value(ctx.text(node)) if node.type == "number" else None
    if number is None:
        return _NOT_LITERAL
    return -number if negative else number


def _js_less_or_equal(a: Any, b: Any) -> bool:
    """JavaScript's `a <= b` for literal values (strings compare as strings, others as numbers)."""
    if isinstance(a, str) and isinstance(b, str):
        return a <= b
    left, right = _to_number(a), _to_number(b)
    return not (math.isnan(left) or math.isnan(right)) and left <= right


def _to_number(value: Any) -> float:
    """JavaScript's `Number(value)` for a literal's value."""
    if value is None or isinstance(value, bool):
        return float(bool(value))
    if not isinstance(value, str):
        return float(value)
    text = value.strip()
    if not text:
        return 0.0
    if _DECIMAL_STRING.fullmatch(text):
        return float(text)
    if _RADIX_STRING.fullmatch(text):
        return float(int(text, 0))
    return {"Infinity": math.inf, "+Infinity": math.inf, "-Infinity": -math.inf}.get(text, math.nan)


def _same_reference(a: tree_sitter.Node, b: tree_sitter.Node, ctx: RuleContext) -> bool:
    a, b = without_parentheses(a), without_parentheses(b)
    simple = ("identifier", "member_expression", "subscript_expression", "this")
    return a.type in simple and a.type == b.type and ctx.text(a).replace(" ", "") == ctx.text(b).replace(" ", "")


def _is_range_test(parent: tree_sitter.Node | None, ctx: RuleContext) -> bool:
    """`(0 <= x && x < 1)` or `(x < 0 || 1 <= x)`: parenthesised, `<`/`<=`, literals in order."""
    if parent is None or parent.type != "binary_expression":
        return False
    before, after = previous_token(parent), next_token(parent)
    if before is None or after is None or before.type != "(" or after.type != ")":
        return False
    op = parent.child_by_field_name("operator")
    left = without_parentheses(parent.child_by_field_name("left") or parent)
    right = without_parentheses(parent.child_by_field_name("right") or parent)
    if op is None or left.type != "binary_expression" or right.type != "binary_expression":
        return False
    left_op, right_op = left.child_by_field_name("operator"), right.child_by_field_name("operator")
    if left_op is None or right_op is None or left_op.type not in _RANGE_OPERATORS or right_op.type not in _RANGE_OPERATORS:
        return False
    ll, lr = left.child_by_field_name("left"), left.child_by_field_name("right")
    rl, rr = right.child_by_field_name("left"), right.child_by_field_name("right")
    if ll is None or lr is None or rl is None or rr is None:
        return False
    if op.type == "&&" and _same_reference(lr, rl, ctx):
        low, high = _literal_value(ll, ctx), _literal_value(rr, ctx)
    elif op.type == "||" and _same_reference(ll, rr, ctx):
        low, high = _literal_value(lr, ctx), _literal_value(rl, ctx)
    else:
        return False
    if low is _NOT_LITERAL and high is _NOT_LITERAL:
        return False
    if low is _NOT_LITERAL or high is _NOT_LITERAL:
        return True
    return _js_less_or_equal(low, high)


def _flipped_text(node: tree_sitter.Node, op: tree_sitter.Node, ctx: RuleContext) -> str | None:
    """ESLint's `getFlippedString`: the operands swapped, the text between them kept."""
    last_left, first_right = previous_token(op), next_token(op)
    if last_left is None or first_right is None:
        return None
    source = ctx.source
    left_text = source.slice(node.start_byte, last_left.end_byte)
    before_op = source.slice(last_left.end_byte, op.start_byte)
    after_op = source.slice(op.end_byte, first_right.start_byte)
    right_text = source.slice(first_right.start_byte, node.end_byte)
    token_before, token_after = previous_token(node), next_token(node)
    first_right_text = ctx.text(first_right)
    prefix = suffix = ""
    if token_before is not None and token_before.end_byte == node.start_byte and not can_be_adjacent(
        ctx.text(token_before), first_right_text
    ):
        prefix = " "
    if token_after is not None and token_after.start_byte == node.end_byte and not can_be_adjacent(
        ctx.text(last_left), ctx.text(token_after)
    ):
        suffix = " "
    flipped = right_text + before_op + _FLIPPED[op.type] + after_op + left_text
    at_statement_start = is_start_of_expression_statement(node)
    before_text = ctx.text(token_before) if token_before is not None else ""
    needs_parens = (
        (at_statement_start or (token_before is not None and token_before.type == "default"))
        and _starts_function_or_class(first_right, node)
    ) or ((at_statement_start or before_text == "=>") and first_right_text == "{")
    if needs_parens:
        flipped = f"({flipped})"
    if (
        not prefix
        and at_statement_start
        and (needs_parens or first_right_text.startswith(_CONTINUING_STARTS))
        and (needs_preceding_semicolon(node) or _continues_postfix_update(first_right_text, before_text))
    ):
        prefix = ";"
    return prefix + flipped + suffix


def _starts_function_or_class(token: tree_sitter.Node, node: tree_sitter.Node) -> bool:
    if token.type in ("function", "class"):
        return True
    following = next_token(token)
    return (
        token.type == "async"
        and following is not None
        and following.end_byte <= node.end_byte
        and following.type == "function"
    )


def _continues_postfix_update(first_right_text: str, before_text: str) -> bool:
    """A postfix `++`/`--` ends its statement before `(`/`[` but not before `+`, `-` or a regex."""
    return before_text in ("++", "--") and first_right_text[:1] in ("+", "-", "/")


VALID = [
    Valid("if (value === 'red') {}"),
    Valid("if (value > -1) {}"),
    Valid("if (5 & value) {}"),
    Valid("if (value <= 'red') {}"),
    Valid("if ('a' === 'b') {}"),
    Valid("if (`${x}` === `red`) {}"),
    Valid("if (a in 'b') {}"),
    Valid("if ('red' === value) {}", options=["always"]),
    Valid("f(0 <= x && x < 1)", options=["always", {"exceptRange": True}]),
    Valid("if ((0 < x && x <= 1)) {}", options=["never", {"exceptRange": True}]),
    Valid("if (x < 0 || 1 <= x) {}", options=["never", {"exceptRange": True}]),
    Valid("if (1 < x) {}", options=["never", {"onlyEquality": True}]),
    Valid("<div hidden={x === 1} />"),
]

INVALID = [
    Invalid("if ('red' == value) {}", [Expected("expected", 1, 5, 1, 19)]),
    Invalid("if (null !== value) {}", [Expected("expected", 1, 5)]),
    Invalid("if (-1 < str.indexOf(x)) {}", [Expected("expected", 1, 5)]),
    Invalid("if (`red` === value) {}", [Expected("expected", 1, 5)]),
    Invalid("if (/re/ == value) {}", [Expected("expected", 1, 5)]),
    Invalid("if (('red') == value) {}", [Expected("expected", 1, 5)]),
    Invalid("if (value == 'red') {}", [Expected("expected", 1, 5)], options=["always"]),
    Invalid("if ((0 < x && x <= 1)) {}", [Expected("expected", 1, 6)]),
    Invalid("if (`red` === `${x}`) {}", [Expected("expected", 1, 5)]),
    Invalid("f(0 <= x && 1 < x)", [Expected("expected", 1, 3), Expected("expected", 1, 13)],
            options=["never", {"exceptRange": True}]),
    Invalid("if (1 == x) {}", [Expected("expected", 1, 5)], options=["never", {"onlyEquality": True}]),
    Invalid("const s = '😀'; if (1 === s) {}", [Expected("expected", 1, 21)]),
    Invalid("<div hidden={1 === x} />", [Expected("expected", 1, 14)]),
]

FIXES = [
    FixCase("if ('red' == value) {}", "if (value == 'red') {}"),
    FixCase("if (-1 < a.b) {}", "if (a.b > -1) {}"),
    FixCase("if (0 >= /* c */ x) {}", "if (x <= /* c */ 0) {}"),
    FixCase("if (1 === x) {}", "if (x === 1) {}"),
    FixCase('function f() { return"a"===x }', 'function f() { return x==="a" }'),
    FixCase("() => 1 === {}.a", "() => ({}.a === 1)"),
    FixCase("a = b\n1 === (c || d).e", "a = b\n;(c || d).e === 1"),
    FixCase("const s = '😀'; if (1 === s) {}", "const s = '😀'; if (s === 1) {}"),
]
