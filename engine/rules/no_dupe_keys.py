"""Disallow duplicate keys in object literals.

## What it does
Reports a key of an object literal that an earlier property of the same literal already
defines. Keys are compared by value: `a`, `"a"`, `'\\x61'` and `["a"]` are the same key, and
so are `1`, `1.0` and `0x1`. A getter and a setter of the same name are one accessor pair,
not a duplicate.

## Why is this bad?
The later property silently wins: the earlier value is computed and thrown away. It is almost
always a merge accident or a copy-paste slip.

## Example
```js
const config = {
  port: 80,
  host: "localhost",
  port: 8080,          // reported
};
const point = { get x() { return 1; }, set x(v) {} };  // ok: an accessor pair
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-dupe-keys
"""

from __future__ import annotations

import tree_sitter

from engine.rules.nodes import unparenthesized
from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.static_value import static_property_name

RULE = RuleMeta(
    id="no-dupe-keys",
    type="problem",
    description="Disallow duplicate keys in object literals.",
    messages={"unexpected": "Duplicate key '{{name}}'."},
    node_types=("object",),  # destructuring targets are `object_pattern`: not checked, as ESLint
    eslint_equivalent=True,
)

_GETTER, _SETTER = 1, 2
_INIT = _GETTER | _SETTER  # a plain value answers both reads and writes


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    defined: dict[str, int] = {}  # name -> the kinds (get/set) defined so far
    for prop in node.named_children:
        kind = _kind(prop)
        if kind == 0:
            continue
        name = static_property_name(prop)
        if name is None:
            continue
        if name == "__proto__" and prop.type == "pair" and _is_plain_key(prop):
            continue  # `__proto__: x` sets the prototype; a second one is a syntax error anyway
        if defined.get(name, 0) & kind:
            ctx.report(_key(prop), "unexpected", data={"name": name})
        defined[name] = defined.get(name, 0) | kind


def _kind(prop: tree_sitter.Node) -> int:
    """The accessor kinds a property defines; 0 for what defines no static key (spread)."""
    if prop.type in ("pair", "shorthand_property_identifier"):
        return _INIT
    if prop.type != "method_definition":
        return 0
    for child in prop.children:
        if child.type == "get":
            return _GETTER
        if child.type == "set":
            return _SETTER
        if child.is_named and child.type != "comment":
            break  # reached the name: a plain method
    return _INIT


def _is_plain_key(pair: tree_sitter.Node) -> bool:
    key = pair.child_by_field_name("key")
    return key is not None and key.type != "computed_property_name"


def _key(prop: tree_sitter.Node) -> tree_sitter.Node:
    """The node ESLint reports: the key, inside brackets when computed, without parentheses."""
    if prop.type == "shorthand_property_identifier":
        return prop
    key = prop.child_by_field_name("key" if prop.type == "pair" else "name")
    if key is None:
        return prop
    if key.type == "computed_property_name":
        inner = next((child for child in key.named_children if child.type != "comment"), None)
        return unparenthesized(inner) if inner is not None else key
    return key


VALID = [
    Valid("var foo = { __proto__: 1, two: 2};"),
    Valid("var x = { a: b, [a]: b }.a;"),
    Valid("var x = { get a() {}, set a(b) {} };"),
    Valid("var x = { a: 1, b: { a: 2 } };"),
    Valid("var x = ({ null: 1, [/(?<zero>0)/]: 2 })"),
    Valid("var {a, a} = obj"),
    Valid("({a, a} = obj)"),
    Valid("var x = { a: 1, ...b, c: 2 }"),
    Valid("var x = { '': 1, ' ': 2 }"),
    Valid("var x = { [a]: 1, [a]: 2 }"),
    Valid("var x = { __proto__: null, ['__proto__']: null }"),
    Valid("var x = { '__proto__': null, ['__proto__']: null }"),
    Valid("var x = { a: 1, b: 2, c: 3 }; // a: 1"),
]

INVALID = [
    Invalid("var x = { a: b, ['a']: b };", [Expected("unexpected", 1, 18, 1, 21)]),
    Invalid("var x = { y: 1, y: 2 };", [Expected("unexpected", 1, 17)]),
    Invalid("var foo = { 0x1: 1, 1: 2};", [Expected("unexpected", 1, 21)]),
    Invalid("var foo = { 1: 1, 1.0: 2, '1': 3 };", [Expected("unexpected", 1, 19), Expected("unexpected", 1, 27)]),
    Invalid("var x = { \"z\": 1, z: 2 };", [Expected("unexpected", 1, 19)]),
    Invalid("var x = { 'a\\x62': 1, ab: 2 };", [Expected("unexpected", 1, 23)]),
    Invalid("var x = { [`a`]: 1, [('a')]: 2 };", [Expected("unexpected", 1, 23)]),
    Invalid("var x = { 1n: 1, 1: 2 };", [Expected("unexpected", 1, 18)]),
    Invalid("var x = { a: 1, get a() {} };", [Expected("unexpected", 1, 21)]),
    Invalid("var x = { a: 1, set a(v) {} };", [Expected("unexpected", 1, 21)]),
    Invalid("var x = { get a() {}, get a() {} };", [Expected("unexpected", 1, 27)]),
    Invalid("var x = { a, a() {} };", [Expected("unexpected", 1, 14)]),
    Invalid("var x = { __proto__, __proto__() {} };", [Expected("unexpected", 1, 22)]),
    Invalid("var x = { ['__proto__']: 1, ['__proto__']: 2 };", [Expected("unexpected", 1, 30)]),
    Invalid("var x = {\n  a: 1, // a\n  /* b */ a: 2,\n};", [Expected("unexpected", 3, 11)]),
    Invalid("var s = '😀', x = { a: 1, a: 2 };", [Expected("unexpected", 1, 27)]),
    Invalid("var x = <div style={{ color: 1, color: 2 }} />;", [Expected("unexpected", 1, 33)]),
    Invalid("f({ a: 1, a: 2, a: 3 });", [Expected("unexpected", 1, 11), Expected("unexpected", 1, 17)]),
]
