"""Disallow constant expressions in conditions.

## What it does
Reports a test whose truthiness is fixed by the code itself: the test of an `if`, of a
`?:`, and (with the default `checkLoops: "allExceptWhileTrue"`) of `while`, `do...while`
and `for` loops, except the idiomatic `while (true)`. A loop with a `yield` inside (in the
same function) is not reported: a generator may loop forever on purpose.

Constant means, as ESLint's `isConstant`: literals, functions, classes, object and array
literals (in a test), `void x`, `typeof x` (in a test), `new X()` (in a test), a template
literal with text, operators over constants, `x || true` / `x && false` style short
circuits, `Boolean(constant)` and the global `undefined`.

## Why is this bad?
A constant test makes one branch dead code; it is usually a leftover from debugging
(`if (false && ...)`) or a bug (`if (x = "a")` typed as an object, `if ([])` always true).

## Example
```js
if (false) { doSomething(); }      // reported
if (typeof x) {}                   // reported: a non-empty string
while (true) { if (done()) break; }  // ok (allExceptWhileTrue)
for (;;) {}                        // ok: no test
if (x) {}                          // ok
```

## Options
As ESLint: `{"checkLoops": "all" | "allExceptWhileTrue" | "none" | true | false}`;
default `"allExceptWhileTrue"`; `true` means `"all"`, `false` means `"none"`.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-constant-condition
"""

from __future__ import annotations

from typing import Any

import tree_sitter

from engine.rules.literals import cook, string_value
from engine.rules.nodes import without_parentheses
from engine.rules.rule import Expected, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.scope import name_scopes
from engine.rules.static_value import number_value

RULE = RuleMeta(
    id="no-constant-condition",
    type="problem",
    description="Disallow constant expressions in conditions.",
    messages={"unexpected": "Unexpected constant condition."},
    node_types=("if_statement", "ternary_expression", "while_statement", "do_statement", "for_statement"),
    eslint_equivalent=True,
    default_options=({"checkLoops": "allExceptWhileTrue"},),
)

_LOOPS = frozenset({"while_statement", "do_statement", "for_statement"})
_LOGICAL = frozenset({"||", "&&", "??"})
# Function nodes that start a new set of tracked loops in ESLint (a `yield` belongs to them).
_FUNCTIONS = frozenset({
    "function_declaration", "function_expression", "generator_function_declaration", "generator_function",
    "method_definition",
})


def parse_options(raw: list[Any]) -> str:
    options = raw[0] if raw else {}
    if not isinstance(options, dict) or set(options) - {"checkLoops"} or len(raw) > 1:
        raise OptionsError('expected an object like {"checkLoops": "allExceptWhileTrue"}')
    mode = options.get("checkLoops", "allExceptWhileTrue")
    if mode is True:
        return "all"
    if mode is False:
        return "none"
    if mode not in ("all", "allExceptWhileTrue", "none"):
        raise OptionsError(f'"checkLoops" must be "all", "allExceptWhileTrue", "none", true or false, got {mode!r}')
    return mode


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    condition = node.child_by_field_name("condition")
    if condition is None or condition.type in (";", "empty_statement"):
        return  # `for (;;)`
    test = without_parentheses(condition)
    kind = node.type
    if kind in _LOOPS:
        mode: str = ctx.options
        if mode == "none":
            return
        if kind == "while_statement" and mode == "allExceptWhileTrue" and test.type == "true":
            return
    if not _Constant(ctx).test(test, True):
        return
    if kind in _LOOPS and _has_own_yield(node, condition):
        return
    ctx.report(test, "unexpected")


def _has_own_yield(loop: tree_sitter.Node, condition: tree_sitter.Node) -> bool:
    """A `yield` of the loop's own function inside the loop (for a `for`, from its test on:
    ESLint starts tracking the loop again when it enters the test)."""
    if b"yield" not in (loop.text or b""):
        return False
    start = condition.start_byte if loop.type == "for_statement" else loop.start_byte
    stack = [loop]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.type in _FUNCTIONS or child.end_byte <= start:
                continue
            if child.type == "yield_expression":
                return True
            if child.child_count:
                stack.append(child)
    return False


class _Constant:
    """ESLint's `isConstant(scope, node, inBooleanPosition)` over tree-sitter nodes."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx

    def test(self, node: tree_sitter.Node | None, in_boolean: bool) -> bool:
        if node is None:
            return True  # an array hole
        node = without_parentheses(node)
        kind = node.type
        if kind in ("string", "number", "true", "false", "null", "regex", "arrow_function", "function_expression",
                    "generator_function", "class", "object"):
            return True
        if kind == "template_string":
            return (in_boolean and any(_quasis_with_text(node))) or all(
                self.test(_operands(child)[0], False) for child in node.named_children
                if child.type == "template_substitution" and _operands(child)
            )
        if kind == "array":
            return in_boolean or all(self.test(child, False) for child in _operands(node))
        if kind == "unary_expression":
            op = _operator(node)
            argument = node.child_by_field_name("argument")
            if op == "void" or (op == "typeof" and in_boolean):
                return True
            return self.test(argument, op == "!")
        if kind == "binary_expression":
            op = _operator(node)
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op in _LOGICAL:
                return self._logical(op, left, right, in_boolean)
            return self.test(left, False) and self.test(right, False) and op != "in"
        if kind == "new_expression":
            return in_boolean
        if kind == "assignment_expression":
            return self.test(node.child_by_field_name("right"), in_boolean)
        if kind == "augmented_assignment_expression":
            op = _operator(node)
            right = node.child_by_field_name("right")
            return op in ("||=", "&&=") and in_boolean and right is not None and _is_logical_identity(right, op[:-1])
        if kind == "sequence_expression":
            operands = _operands(node)
            return self.test(operands[-1], in_boolean) if operands else False
        if kind == "spread_element":
            operands = _operands(node)
            return self.test(operands[0], in_boolean) if operands else False
        if kind == "call_expression":
            return self._boolean_call(node)
        if kind == "undefined":
            return not name_scopes(self.ctx.tree, self.ctx.cache, "undefined").is_shadowed(node)
        return False

    def _logical(self, op: str, left: tree_sitter.Node | None, right: tree_sitter.Node | None, in_boolean: bool) -> bool:
        left_constant = self.test(left, in_boolean)
        right_constant = self.test(right, in_boolean)
        left_short = left_constant and left is not None and _is_logical_identity(left, op)
        right_short = in_boolean and right_constant and right is not None and _is_logical_identity(right, op)
        return (left_constant and right_constant) or left_short or right_short

    def _boolean_call(self, node: tree_sitter.Node) -> bool:
        callee = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if callee is None or callee.type != "identifier" or callee.text != b"Boolean":
            return False
        if arguments is None or arguments.type != "arguments":
            return False
        operands = _operands(arguments)
        if operands and not self.test(operands[0], True):
            return False
        return name_scopes(self.ctx.tree, self.ctx.cache, "Boolean").is_global_reference(callee)


def _is_logical_identity(node: tree_sitter.Node, op: str) -> bool:
    """Whether `node` decides an `op` expression by itself (`true` for `||`, `false` for `&&`)."""
    node = without_parentheses(node)
    kind = node.type
    if kind in ("string", "number", "true", "false", "null", "regex"):
        value = _truthiness(node)
        return (op == "||" and value is True) or (op == "&&" and value is False)
    if kind == "unary_expression":
        return op == "&&" and _operator(node) == "void"
    if kind == "binary_expression":
        node_op = _operator(node)
        if node_op not in _LOGICAL:
            return False
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return op == node_op and (
            (left is not None and _is_logical_identity(left, op)) or (right is not None and _is_logical_identity(right, op))
        )
    if kind == "augmented_assignment_expression":
        node_op = _operator(node)
        right = node.child_by_field_name("right")
        return node_op in ("||=", "&&=") and op == node_op[:-1] and right is not None and _is_logical_identity(right, op)
    return False


def _truthiness(literal: tree_sitter.Node) -> bool | None:
    """JavaScript's Boolean(value) of a literal, None when unknown (ESLint's getBooleanValue)."""
    kind = literal.type
    if kind in ("true", "regex"):
        return True
    if kind in ("false", "null"):
        return False
    if kind == "string":
        value = string_value(literal)
        return None if value is None else bool(value)
    if kind == "number":
        number = number_value(literal.text.decode() if literal.text is not None else "")
        return None if number is None else bool(number) and number == number  # NaN is falsy
    return None


def _quasis_with_text(template: tree_sitter.Node) -> list[bool]:
    """For each text part of a template literal: whether its cooked value is non-empty."""
    parts: list[bool] = []
    raw: list[bytes] = []
    for child in template.children:
        if child.type in ("`", "template_substitution"):
            if raw:
                text = b"".join(raw).decode("utf-8", "surrogatepass")
                parts.append(bool(cook(text, template=True)))
                raw = []
            continue
        if child.type != "comment" and child.text is not None:
            raw.append(child.text)
    return parts


def _operands(node: tree_sitter.Node) -> list[tree_sitter.Node | None]:
    """Named children without comments; for an array, None for each hole."""
    if node.type != "array":
        return [child for child in node.named_children if child.type != "comment"]
    operands: list[tree_sitter.Node | None] = []
    previous = ""
    for child in node.children:
        if child.type == "comment":
            continue
        if child.type == "," and previous in ("[", ","):
            operands.append(None)
        elif child.is_named:
            operands.append(child)
        previous = child.type
    return operands


def _operator(node: tree_sitter.Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


VALID = [
    Valid("if (a) {}"),
    Valid("if (a === 1) {}"),
    Valid("if (typeof x === 'undefined') {}"),
    Valid("if (x || y) {}"),
    Valid("while (true) { if (done()) break; }"),
    Valid("for (;;) {}"),
    Valid("x = a ? b : c"),
    Valid("if (`${a}`) {}"),
    Valid("if (a in b) {}"),
    Valid("if (Boolean(a)) {}"),
    Valid("function f(undefined) { if (undefined) {} }"),
    Valid("function f(Boolean) { if (Boolean(1)) {} }"),
    Valid("function* g() { while (1) { yield 1; } }"),
    Valid("function* g() { for (;true;) { yield; } }"),
    Valid("if ([a] == [b]) {}"),
    Valid("while (1) {}", options=[{"checkLoops": "none"}]),
    Valid("while (1) {}", options=[{"checkLoops": False}]),
    Valid("if (a ||= b) {}"),
    Valid("if (<div /> && a) {}"),
]

INVALID = [
    Invalid("if (true) {}", [Expected("unexpected", 1, 5, 1, 9)]),
    Invalid("if ((false)) {}", [Expected("unexpected", 1, 6)]),
    Invalid("if ([]) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if ({}) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (() => {}) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (typeof x) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (void x) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (a || true) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (false && a) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (a = 'x') {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (`text${a}`) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (1 + 2) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (new Foo()) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (undefined) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (Boolean(1)) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (a, 1) {}", [Expected("unexpected", 1, 5)]),
    Invalid("if (a &&= false) {}", [Expected("unexpected", 1, 5)]),
    Invalid("x = 0 ? a : b", [Expected("unexpected", 1, 5)]),
    Invalid("x = (/* why */ 1) ? a : b", [Expected("unexpected", 1, 16)]),
    Invalid("while (1) {}", [Expected("unexpected", 1, 8)]),
    Invalid("while (true) {}", [Expected("unexpected", 1, 8)], options=[{"checkLoops": "all"}]),
    Invalid("do {} while (true)", [Expected("unexpected", 1, 14)]),
    Invalid("for (;'x';) {}", [Expected("unexpected", 1, 7)]),
    Invalid("function* g() { while (1) { function* h() { yield; } } }", [Expected("unexpected", 1, 24)]),
    Invalid("function* g() { for (yield; 1;) {} }", [Expected("unexpected", 1, 29)]),
    Invalid("const s = '😀'; if (!s.x || 'y') {}", [Expected("unexpected", 1, 21)]),
    Invalid("if (<a /> || 1) {}", [Expected("unexpected", 1, 5)]),
]
