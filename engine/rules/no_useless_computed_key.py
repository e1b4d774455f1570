"""Disallow unnecessary computed property keys in objects and classes.

## What it does
Reports computed keys whose expression is a string or number literal (`{["a"]: 1}`,
`class C { [0]() {} }`, `const {["a"]: b} = c`), which could be written without brackets.

## Why is this bad?
Brackets announce a key computed at run time; around a literal they only add noise.

## Example
```js
const a = { ["0"]: 0 };     // reported
const b = { "0": 0 };       // ok
const c = { [x]: 0 };       // ok
```

## Fix safety
Removing the brackets defines the same key, so the fix is **safe**. The keys whose meaning
would change are not reported, as in ESLint: `"__proto__"` in an object literal (sets the
prototype without brackets), `"constructor"` in a class and a static `"prototype"`. As in
ESLint there is no fix when a comment lies between the brackets, and a space is kept where
the key would run into a keyword (`get[2]()` becomes `get 2()`).

## Options
As ESLint: `{"enforceForClassMembers": true}` (default); `false` only checks object literals
and destructuring patterns.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-useless-computed-key
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.adjacency import can_be_adjacent
from engine.rules.literals import string_value
from engine.rules.nodes import without_parentheses
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.tokens import has_comment_inside, next_token, previous_token

RULE = RuleMeta(
    id="no-useless-computed-key",
    type="suggestion",
    description="Disallow unnecessary computed property keys in objects and classes.",
    messages={"unnecessarilyComputedProperty": "Unnecessarily computed property [{{property}}] found."},
    node_types=("computed_property_name",),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=({"enforceForClassMembers": True},),
)

_OBJECT_MEMBERS = frozenset({"pair", "pair_pattern", "method_definition"})


@dataclass(frozen=True)
class Options:
    enforce_for_class_members: bool = True


def parse_options(raw: list[Any]) -> Options:
    value = raw[0] if raw else {}
    if not isinstance(value, dict) or set(value) - {"enforceForClassMembers"}:
        raise OptionsError('expected an object like {"enforceForClassMembers": true}')
    enforce = value.get("enforceForClassMembers", True)
    if not isinstance(enforce, bool):
        raise OptionsError(f'"enforceForClassMembers" must be a boolean, got {enforce!r}')
    return Options(enforce)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    member = node.parent
    if member is None or member.parent is None or not _is_key_of(node, member):
        return
    inner = next((child for child in node.named_children if child.type != "comment"), None)
    if inner is None:
        return
    key = without_parentheses(inner)
    if key.type == "string":
        value: str | None = string_value(key)
    elif key.type == "number" and not ctx.text(key).endswith("n"):
        value = None  # a number: never one of the special names
    else:
        return
    in_class = member.parent.type == "class_body"
    if in_class:
        if not ctx.options.enforce_for_class_members:
            return
        static = any(child.type == "static" for child in member.children)
        banned = ("constructor", "prototype") if member.type == "field_definition" and static else (
            ("prototype",) if static else ("constructor",))
        if value in banned:
            return
    elif member.type not in _OBJECT_MEMBERS:
        return
    elif member.parent.type == "object" and value == "__proto__":
        return
    key_text = ctx.text(key)
    end = member.end_byte
    if member.type == "field_definition":
        # ESTree's PropertyDefinition ends after its `;`, which tree-sitter leaves to the class body.
        after = next_token(member)
        if after is not None and after.type == ";":
            end = after.end_byte
    ctx.report(member, "unnecessarilyComputedProperty", data={"property": key_text}, start=member.start_byte, end=end,
               fixes=_fix(node, key_text, ctx))


def _is_key_of(node: tree_sitter.Node, member: tree_sitter.Node) -> bool:
    for field in ("key", "name", "property"):
        if member.child_by_field_name(field) == node:
            return True
    return False


def _fix(node: tree_sitter.Node, key_text: str, ctx: RuleContext) -> list[Fix]:
    if has_comment_inside(node, ctx.source.data):
        return []
    before = previous_token(node)
    space = before is not None and before.end_byte == node.start_byte and not can_be_adjacent(ctx.text(before), key_text)
    return [ctx.replace(node.start_byte, node.end_byte, (" " if space else "") + key_text, Applicability.SAFE,
                        f"Use {key_text} as the key")]


VALID = [
    Valid("({ 'a': 0, b() {} })"),
    Valid("({ [x]: 0 });"),
    Valid("({ a: 0, [b](){} })"),
    Valid("({ ['__proto__']: [] })"),
    Valid("({ [1n]: 0 })"),
    Valid("({ [`a`]: 0 })"),  # a template is no Literal
    Valid("class Foo { ['constructor']() {} }"),
    Valid("class Foo { static ['prototype']() {} }"),
    Valid("class Foo { ['constructor'] = 1 }"),
    Valid("class Foo { static ['constructor'] = 1 }"),
    Valid("class Foo { ['a']() {} }", options=[{"enforceForClassMembers": False}]),
]

INVALID = [
    Invalid("({ ['0']: 0 })", [Expected("unnecessarilyComputedProperty", 1, 4, 1, 12)]),
    Invalid("({ ['0+1,234']: 0 })", [Expected("unnecessarilyComputedProperty", 1, 4)]),
    Invalid("({ [0]: 0 })", [Expected("unnecessarilyComputedProperty", 1, 4)]),
    Invalid("({ [('x')]: 0 })", [Expected("unnecessarilyComputedProperty", 1, 4)]),
    Invalid("({ get ['x']() {} })", [Expected("unnecessarilyComputedProperty", 1, 4)]),
    Invalid("({ async ['x']() {} })", [Expected("unnecessarilyComputedProperty", 1, 4)]),
    Invalid("var { ['__proto__']: a } = b", [Expected("unnecessarilyComputedProperty", 1, 7)]),
    Invalid("class Foo { static ['constructor']() {} }", [Expected("unnecessarilyComputedProperty", 1, 13)]),
    Invalid("class Foo { ['prototype'] = 1 }", [Expected("unnecessarilyComputedProperty", 1, 13)]),
    Invalid("class Foo { ['x'] = 1 /* c */ ; ['y'] }", [Expected("unnecessarilyComputedProperty", 1, 13, 1, 32),
                                                        Expected("unnecessarilyComputedProperty", 1, 33, 1, 38)]),
    Invalid("({ [/* c */ 'x']: 0 })", [Expected("unnecessarilyComputedProperty", 1, 4)]),
    Invalid("const s = '😀', o = { ['x']: 0 };", [Expected("unnecessarilyComputedProperty", 1, 23)]),
    Invalid("const e = <div {...{ ['x']: 0 }} />;", [Expected("unnecessarilyComputedProperty", 1, 22)]),
]

FIXES = [
    FixCase("({ ['0']: 0 })", "({ '0': 0 })"),
    FixCase("({ [('x')]: 0, [1]() {} })", "({ 'x': 0, 1() {} })"),
    FixCase("({ get[2]() {} })", "({ get 2() {} })"),
    FixCase("({ [/* c */ 'x']: 0 })", "({ [/* c */ 'x']: 0 })"),  # the comment would be lost: no fix
    FixCase("class Foo { static ['a'] = 1 }", "class Foo { static 'a' = 1 }"),
]
