"""Disallow assignments where both sides are exactly the same.

## What it does
Reports assignments (`=`, `&&=`, `||=`, `??=`) of a variable or property to itself,
including the matching positions of a destructuring assignment: `[a, b] = [a, c]` reports
`a`, `({a} = {a})` reports `a`. Properties count as the same when they read the same
object and the same static key (`a.b = a["b"]`).

## Why is this bad?
A self-assignment does nothing (a setter aside); it is usually an unfinished edit or a typo
for another name.

## Example
```js
foo = foo;                // reported
[a, b] = [a, c];          // reported: a
obj.count = obj.count;    // reported
foo = bar;                // ok
```

## Options
`{"props": true}` (default): also report properties (`a.b = a.b`). With `false`, only
variables are checked.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-self-assign
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import tree_sitter

from engine.rules.literals import string_value
from engine.rules.nodes import unparenthesized
from engine.rules.rule import Expected, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.static_value import static_property_name, static_string_value

RULE = RuleMeta(
    id="no-self-assign",
    type="problem",
    description="Disallow assignments where both sides are exactly the same.",
    messages={"selfAssignment": "'{{name}}' is assigned to itself."},
    node_types=("assignment_expression", "augmented_assignment_expression"),
    eslint_equivalent=True,
    default_options=({"props": True},),
)

_OPERATORS = frozenset({"=", "&&=", "||=", "??="})
_IDENTIFIERS = frozenset({"identifier", "undefined", "shorthand_property_identifier", "shorthand_property_identifier_pattern"})
_MEMBERS = frozenset({"member_expression", "subscript_expression"})
_LITERALS = frozenset({"string", "number", "regex", "null", "true", "false"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Options:
    props: bool = True


def parse_options(raw: list[Any]) -> Options:
    extra = raw[0] if raw else {}
    if not isinstance(extra, dict) or set(extra) - {"props"}:
        raise OptionsError('expected an object like {"props": true}')
    props = extra.get("props", True)
    if not isinstance(props, bool):
        raise OptionsError(f'"props" must be a boolean, got {props!r}')
    return Options(props)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    operator = node.child_by_field_name("operator")
    if (operator.type if operator is not None else "=") not in _OPERATORS:
        return

    def report(right: tree_sitter.Node) -> None:
        ctx.report(right, "selfAssignment", data={"name": _SPACES.sub("", ctx.text(right))})

    _each_self_assignment(node.child_by_field_name("left"), node.child_by_field_name("right"), ctx.options.props, report)


def _each_self_assignment(
    left: tree_sitter.Node | None, right: tree_sitter.Node | None, props: bool, report: Callable[[tree_sitter.Node], None]
) -> None:
    if left is None or right is None:
        return
    left, right = unparenthesized(left), unparenthesized(right)
    lkind, rkind = left.type, right.type
    if lkind in _IDENTIFIERS and rkind in _IDENTIFIERS:
        if left.text == right.text:
            report(right)
    elif lkind == "array_pattern" and rkind == "array":
        lefts, rights = _elements(left), _elements(right)
        for index in range(min(len(lefts), len(rights))):
            left_element, right_element = lefts[index], rights[index]
            if left_element is not None and left_element.type == "rest_pattern" and index < len(rights) - 1:
                break  # [...a] = [...a, 1]
            _each_self_assignment(left_element, right_element, props, report)
            if right_element is not None and right_element.type == "spread_element":
                break  # later indices are unknown
    elif lkind == "rest_pattern" and rkind == "spread_element":
        _each_self_assignment(_only_child(left), _only_child(right), props, report)
    elif lkind == "object_pattern" and rkind == "object":
        rights = _named(right)
        if not rights:
            return
        start = 0
        for index, prop in enumerate(rights):
            if prop.type == "spread_element":
                start = index + 1  # only properties after the last spread surely win
        for left_prop in _named(left):
            for right_prop in rights[start:]:
                _each_self_property(left_prop, right_prop, props, report)
    elif props and lkind in _MEMBERS and rkind in _MEMBERS and _same_reference(left, right):
        report(right)


def _each_self_property(
    left: tree_sitter.Node, right: tree_sitter.Node, props: bool, report: Callable[[tree_sitter.Node], None]
) -> None:
    """A property of an object pattern against one of an object literal (plain `key: value` only)."""
    if left.type not in ("pair_pattern", "shorthand_property_identifier_pattern"):
        return  # `{a = 1}` and `...rest` have no plain value to compare
    if right.type not in ("pair", "shorthand_property_identifier"):
        return  # methods, accessors and spreads
    name = static_property_name(left)
    if name is None or name != static_property_name(right):
        return
    left_value = left if left.type == "shorthand_property_identifier_pattern" else left.child_by_field_name("value")
    right_value = right if right.type == "shorthand_property_identifier" else right.child_by_field_name("value")
    _each_self_assignment(left_value, right_value, props, report)


def _named(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    return [child for child in node.named_children if child.type != "comment"]


def _only_child(node: tree_sitter.Node) -> tree_sitter.Node | None:
    children = _named(node)
    return children[0] if children else None


def _elements(node: tree_sitter.Node) -> list[tree_sitter.Node | None]:
    """The elements of an array or array pattern, None for each hole (`[a, , b]`)."""
    elements: list[tree_sitter.Node | None] = []
    expecting = True
    for child in node.children:
        kind = child.type
        if kind in ("[", "comment"):
            continue
        if kind == "]":
            break
        if kind == ",":
            if expecting:
                elements.append(None)
            expecting = True
        else:
            elements.append(child)
            expecting = False
    return elements


def _estree_kind(node: tree_sitter.Node) -> str:
    kind = node.type
    if kind in _MEMBERS:
        return "member"
    if kind in _IDENTIFIERS:
        return "identifier"
    if kind in _LITERALS:
        return "literal"
    return kind


def _same_reference(left: tree_sitter.Node, right: tree_sitter.Node) -> bool:
    """ESLint's `isSameReference`: both sides read the same thing (`a.b` and `a?.["b"]` alike)."""
    left, right = unparenthesized(left), unparenthesized(right)
    kind = _estree_kind(left)
    if kind != _estree_kind(right):
        return False
    if kind in ("this", "super"):
        return True
    if kind in ("identifier", "private_property_identifier"):
        return left.text == right.text
    if kind == "literal":
        return _same_literal(left, right)
    if kind != "member":
        return False
    left_object, right_object = left.child_by_field_name("object"), right.child_by_field_name("object")
    if left_object is None or right_object is None:
        return False
    name = static_property_name(left)
    if name is not None:
        return _same_reference(left_object, right_object) and name == static_property_name(right)
    left_key, right_key = _member_key(left), _member_key(right)
    return (
        left.type == right.type  # both computed or both not
        and left_key is not None
        and right_key is not None
        and _same_reference(left_object, right_object)
        and _same_reference(left_key, right_key)
    )


def _member_key(node: tree_sitter.Node) -> tree_sitter.Node | None:
    return node.child_by_field_name("index" if node.type == "subscript_expression" else "property")


def _same_literal(left: tree_sitter.Node, right: tree_sitter.Node) -> bool:
    """JavaScript's `===` on two literals (regexes by pattern and flags, as ESLint)."""
    if left.type != right.type:
        return False
    if left.type == "string":
        return string_value(left) == string_value(right)
    if left.type == "number":
        value = static_string_value(left)
        return value is not None and value != "NaN" and value == static_string_value(right) and (
            left.text.endswith(b"n") == right.text.endswith(b"n")  # type: ignore[union-attr]
        )
    return left.text == right.text


VALID = [
    Valid("var a = a"),
    Valid("a = b"),
    Valid("a += a"),
    Valid("a = +a"),
    Valid("a = [a]"),
    Valid("a &= a"),
    Valid("let [a] = a"),
    Valid("[a] = [b]"),
    Valid("[a, b] = [b, a]"),
    Valid("[a,, b] = [, b, a]"),
    Valid("[x, a] = [...x, a]"),
    Valid("[...a] = [...a, 1]"),
    Valid("[a, ...b] = [0, ...b, 1]"),
    Valid("({a} = {})"),
    Valid("({a} = {b})"),
    Valid("({a} = {a() {}})"),
    Valid("({a} = {get a() {}})"),
    Valid("({a: b} = {a: c})"),
    Valid("({a = 1} = {a})"),
    Valid("({a} = {a, ...b})"),
    Valid("a.b = a.c"),
    Valid("a.b = c.b"),
    Valid("a.b = a[b]"),
    Valid("a[b] = a.b"),
    Valid("a.b().c = a.b().c"),
    Valid("b().c = b().c"),
    Valid("a.null = a[/(?<zero>0)/]"),
    Valid("a['0.0'] = a[0.0]"),
    Valid("a.b = a.b", options=[{"props": False}]),
    Valid("this.x = this.y"),
    Valid("class C { #a; m() { this.#a = this.#b; } #b; }"),
]

INVALID = [
    Invalid("a = a", [Expected("selfAssignment", 1, 5, 1, 6)]),
    Invalid("[a] = [a]", [Expected("selfAssignment", 1, 8)]),
    Invalid("[a, b] = [a, b]", [Expected("selfAssignment", 1, 11), Expected("selfAssignment", 1, 14)]),
    Invalid("[a, b] = [a, c]", [Expected("selfAssignment", 1, 11)]),
    Invalid("[a, b] = [, b]", [Expected("selfAssignment", 1, 13)]),
    Invalid("[a, ...b] = [a, ...b]", [Expected("selfAssignment", 1, 14), Expected("selfAssignment", 1, 20)]),
    Invalid("[[a], {b}] = [[a], {b}]", [Expected("selfAssignment", 1, 16), Expected("selfAssignment", 1, 21)]),
    Invalid("({a} = {a})", [Expected("selfAssignment", 1, 9)]),
    Invalid("({a: b} = {a: b})", [Expected("selfAssignment", 1, 15)]),
    Invalid("({'a': b} = {'a': b})", [Expected("selfAssignment", 1, 19)]),
    Invalid("({a: b} = {'a': b})", [Expected("selfAssignment", 1, 17)]),
    Invalid("({a, b} = {a, b})", [Expected("selfAssignment", 1, 12), Expected("selfAssignment", 1, 15)]),
    Invalid("({a, b} = {...x, a, b})", [Expected("selfAssignment", 1, 18), Expected("selfAssignment", 1, 21)]),
    Invalid("a = (a)", [Expected("selfAssignment", 1, 6)]),
    Invalid("a.b = a.b", [Expected("selfAssignment", 1, 7)]),
    Invalid("a.b.c = a.b.c", [Expected("selfAssignment", 1, 9)]),
    Invalid("a[b] = a[b]", [Expected("selfAssignment", 1, 8)]),
    Invalid("a['b'] = a['b']", [Expected("selfAssignment", 1, 10)]),
    Invalid("a[\n    'b'\n] = a[\n    'b'\n]", [Expected("selfAssignment", 3, 5)]),
    Invalid("this.x = this.x", [Expected("selfAssignment", 1, 10)]),
    Invalid("a['/(?<zero>0)/'] = a[/(?<zero>0)/]", [Expected("selfAssignment", 1, 21)]),
    Invalid("a.b = a?.b", [Expected("selfAssignment", 1, 7)]),
    Invalid("a.b.c = (a?.b).c", [Expected("selfAssignment", 1, 9)]),
    Invalid("a[0] = a['0']", [Expected("selfAssignment", 1, 8)]),
    Invalid("class C { #a; m() { this.#a = this.#a; } }", [Expected("selfAssignment", 1, 31)]),
    Invalid("a &&= a", [Expected("selfAssignment", 1, 7)]),
    Invalid("a ||= a", [Expected("selfAssignment", 1, 7)]),
    Invalid("a ??= a", [Expected("selfAssignment", 1, 7)]),
    Invalid("a. b = a /* c */ . b", [Expected("selfAssignment", 1, 8)]),
    Invalid("const s = '😀'; x = x", [Expected("selfAssignment", 1, 21)]),
    Invalid("f(<A onClick={() => { a = a; }} />)", [Expected("selfAssignment", 1, 27)]),
]
