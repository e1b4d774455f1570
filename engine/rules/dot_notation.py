"""Enforce dot notation whenever possible.

## What it does
Reports property accesses written with brackets and a constant name that is a valid
identifier (`foo["bar"]`, `foo[`bar`]`, `foo[true]`, `foo[null]`), which read more easily
as `foo.bar`. With `allowKeywords: false` it also reports dot accesses to ES3 keywords
(`foo.class`), which old engines reject.

## Why is this bad?
Bracket notation with a constant name hides a plain property access behind string quoting;
dot notation says the same thing with less noise and lets tools see the property name.

## Example
```js
const x = foo["bar"];   // reported
const y = foo.bar;      // ok
const z = foo[bar];     // ok: computed
const w = foo["a-b"];   // ok: not an identifier
```

## Fix safety
Rewriting `foo["bar"]` as `foo.bar` (and `foo.class` as `foo["class"]`) reads the same
property, so the fix is **safe**. As in ESLint there is no fix when a comment lies between
the brackets (or between the dot and the name), since the rewrite would drop it. A space is
kept where the name would otherwise run into the next token (`foo["a"]in b`) or a number
(`5["toFixed"]` becomes `5 .toFixed`).

## Options
As ESLint: an object `{"allowKeywords": true, "allowPattern": ""}`. `allowKeywords: false`
reports `foo.class` and leaves `foo["class"]` alone; `allowPattern` is a regular expression
of names that may stay in brackets (e.g. `"^[a-z]+(_[a-z]+)+$"` for snake_case).

## References
- ESLint: https://eslint.org/docs/latest/rules/dot-notation
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.rules.adjacency import can_be_adjacent
from engine.rules.literals import string_value
from engine.rules.nodes import without_parentheses
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.tokens import has_comment_inside, next_token

RULE = RuleMeta(
    id="dot-notation",
    type="suggestion",
    description="Enforce dot notation whenever possible.",
    messages={
        "useDot": "[{{key}}] is better written in dot notation.",
        "useBrackets": ".{{key}} is a syntax error.",
    },
    node_types=("subscript_expression", "member_expression"),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=({"allowKeywords": True, "allowPattern": ""},),
)

_VALID_IDENTIFIER = re.compile(r"[a-zA-Z_$][\w$]*", re.ASCII)
# `[0-9]+` without a fraction or exponent: `5.toFixed` would read as the number `5.`.
_DECIMAL_INTEGER = re.compile(r"0|0[0-7]*[89]\d*|[1-9](?:_?\d)*")
# ESLint's list of ES3 keywords (lib/rules/utils/keywords.js).
KEYWORDS = frozenset(
    "abstract boolean break byte case catch char class const continue debugger default delete do double "
    "else enum export extends false final finally float for function goto if implements import in "
    "instanceof int interface long native new null package private protected public return short static "
    "super switch synchronized this throw throws transient true try typeof var void volatile while with".split()
)


@dataclass(frozen=True)
class Options:
    allow_keywords: bool = True
    allow_pattern: re.Pattern[str] | None = None


def parse_options(raw: list[Any]) -> Options:
    value = raw[0] if raw else {}
    if not isinstance(value, dict) or set(value) - {"allowKeywords", "allowPattern"}:
        raise OptionsError('expected an object like {"allowKeywords": true, "allowPattern": ""}')
    allow_keywords = value.get("allowKeywords", True)
    if not isinstance(allow_keywords, bool):
        raise OptionsError(f'"allowKeywords" must be a boolean, got {allow_keywords!r}')
    pattern = value.get("allowPattern", "")
    if not isinstance(pattern, str):
        raise OptionsError(f'"allowPattern" must be a string, got {pattern!r}')
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error as error:
        raise OptionsError(f'"allowPattern" is not a valid regular expression: {error}') from None
    return Options(allow_keywords, compiled)


def node_types_for(options: Options) -> tuple[str, ...]:
    # `a.class` is only reported with allowKeywords: false; skip member expressions otherwise.
    return RULE.node_types if not options.allow_keywords else ("subscript_expression",)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if node.type == "subscript_expression":
        _check_brackets(node, ctx)
    elif not ctx.options.allow_keywords:
        _check_dot(node, ctx)


def _check_brackets(node: tree_sitter.Node, ctx: RuleContext) -> None:
    index = node.child_by_field_name("index")
    if index is None:
        return
    key = without_parentheses(index)
    if key.type in ("string", "template_string"):
        value = string_value(key)
    elif key.type in ("true", "false", "null"):
        value = key.type
    else:
        return
    options: Options = ctx.options
    if value is None or not _VALID_IDENTIFIER.fullmatch(value):
        return
    if not options.allow_keywords and value in KEYWORDS:
        return
    if options.allow_pattern is not None and options.allow_pattern.search(value):
        return
    if key.type == "template_string":
        display = f"`{value}`"
    else:  # JSON.stringify of the literal's value: `"b"`, `true`, `null`
        display = value if key.type in ("true", "false", "null") else json.dumps(value)
    ctx.report(key, "useDot", data={"key": display}, fixes=_dot_fix(node, key, value, ctx))


def _dot_fix(node: tree_sitter.Node, key: tree_sitter.Node, value: str, ctx: RuleContext) -> list[Fix]:
    left = next((child for child in node.children if child.type == "["), None)
    right = next((child for child in reversed(node.children) if child.type == "]"), None)
    if left is None or right is None or _comment_between(node, left.end_byte, right.start_byte, ctx):
        return []
    obj = node.child_by_field_name("object")
    optional = any(child.type == "optional_chain" for child in node.children)
    prefix = ""
    if not optional:
        bare = without_parentheses(obj) if obj is not None else None
        prefix = " ." if bare is not None and bare.type == "number" and _DECIMAL_INTEGER.fullmatch(ctx.text(bare)) else "."
    suffix = ""
    after = next_token(node)
    if after is not None and after.start_byte == right.end_byte and not can_be_adjacent(value, ctx.text(after)):
        suffix = " "
    return [ctx.replace(left.start_byte, right.end_byte, prefix + value + suffix, Applicability.SAFE, f"Use .{value}")]


def _check_dot(node: tree_sitter.Node, ctx: RuleContext) -> None:
    prop = node.child_by_field_name("property")
    if prop is None or prop.type != "property_identifier":
        return
    name = ctx.text(prop)
    if name not in KEYWORDS:
        return
    fixes = []
    obj = node.child_by_field_name("object")
    optional = any(child.type == "optional_chain" for child in node.children)
    dot = next((child for child in node.children if child.type in (".", "optional_chain")), None)
    let_object = obj is not None and obj.type == "identifier" and ctx.text(obj) == "let" and not optional
    if dot is not None and not let_object and not _comment_between(node, dot.end_byte, prop.start_byte, ctx):
        edits = [Edit(prop.start_byte, prop.end_byte, f'["{name}"]')]
        if not optional:
            edits.append(Edit(dot.start_byte, dot.end_byte, ""))
        fixes.append(Fix(tuple(edits), Applicability.SAFE, f'Use ["{name}"]'))
    ctx.report(prop, "useBrackets", data={"key": name}, fixes=fixes)


def _comment_between(node: tree_sitter.Node, start: int, end: int, ctx: RuleContext) -> bool:
    """Whether a comment of `node` lies in [start, end)."""
    for child in node.children:
        if child.end_byte <= start or child.start_byte >= end:
            continue
        if child.type == "comment" or has_comment_inside(child, ctx.source.data):
            return True
    return False


VALID = [
    Valid("a.b;"),
    Valid("a.b.c;"),
    Valid("a['12'];"),
    Valid("a[b];"),
    Valid("a[0];"),
    Valid("a['a-b'];"),
    Valid("a['ä'];"),  # not an ASCII identifier: ESLint's pattern is ASCII only
    Valid("a[`time${range}`];"),
    Valid("a[undefined];"),
    Valid("a['class'];", options=[{"allowKeywords": False}]),
    Valid("a['snake_case'];", options=[{"allowPattern": "^[a-z]+(_[a-z]+)+$"}]),
    Valid("class C { #b; m() { this.#b; } }"),
    Valid("<div data-x={a.b} />"),
]

INVALID = [
    Invalid("a['b'];", [Expected("useDot", 1, 3, 1, 6)]),
    Invalid('a["b"]["c"];', [Expected("useDot", 1, 3), Expected("useDot", 1, 8)]),
    Invalid("a[true];", [Expected("useDot", 1, 3)]),
    Invalid("a[null];", [Expected("useDot", 1, 3)]),
    Invalid("a[`time`];", [Expected("useDot", 1, 3)]),
    Invalid("a[('b')];", [Expected("useDot", 1, 4)]),
    Invalid("a['\\u0062'];", [Expected("useDot", 1, 3)]),
    Invalid("a?.['b'];", [Expected("useDot", 1, 5)]),
    Invalid("a[/* c */ 'b'];", [Expected("useDot", 1, 11)]),
    Invalid("const s = '😀'; s['b'];", [Expected("useDot", 1, 19)]),
    Invalid("const e = <div onClick={a['b']} />;", [Expected("useDot", 1, 27)]),
    Invalid("a.class;", [Expected("useBrackets", 1, 3)], options=[{"allowKeywords": False}]),
]

FIXES = [
    FixCase("a['b'];", "a.b;"),
    FixCase('a["b"]["c"];', "a.b.c;"),
    FixCase("a?.['b'];", "a?.b;"),
    FixCase("5['toFixed'](1);", "5 .toFixed(1);"),
    FixCase("a['b']in c;", "a.b in c;"),
    FixCase("a[`b`] + a[true];", "a.b + a.true;"),
    FixCase("a[/* c */ 'b'];", "a[/* c */ 'b'];"),  # the comment would be lost: no fix
    FixCase("const s = '😀'; s['b'];", "const s = '😀'; s.b;"),
    FixCase("a.class;", 'a["class"];', options=[{"allowKeywords": False}]),
    FixCase("a?.class;", 'a?.["class"];', options=[{"allowKeywords": False}]),
]
