"""Enforce comparing `typeof` expressions against valid strings.

## What it does
Reports the literal compared (`==`, `===`, `!=`, `!==`) with a `typeof` expression when it
is not one of the strings `typeof` can return: `"undefined"`, `"object"`, `"boolean"`,
`"number"`, `"string"`, `"function"`, `"symbol"` and `"bigint"`. Comparing with the global
`undefined` (instead of the string) is reported too.

## Why is this bad?
A misspelt type (`"strnig"`, `"nunber"`) or a non-string makes the comparison constant,
and the branch it guards silently never (or always) runs.

## Example
```js
typeof foo === "strnig"     // reported
typeof foo == "undefimed"   // reported
typeof bar === undefined    // reported: compare with the string "undefined"
typeof foo === "string"     // ok
```

## Fix safety
No automatic fix, as in ESLint. For `typeof x === undefined`, a **display-only** suggestion
writes `"undefined"` instead: it changes the result of the test (which was always false), so
a person must confirm it was the intent.

## Options
`{"requireStringLiterals": false}` (default). With `true`, a `typeof` expression may only be
compared with a string literal (or another `typeof`); anything else is reported as
`notString`.

## References
- ESLint: https://eslint.org/docs/latest/rules/valid-typeof
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.literals import is_static_template, string_value
from engine.rules.nodes import is_typeof_expression, unparenthesized
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.scope import name_scopes

RULE = RuleMeta(
    id="valid-typeof",
    type="problem",
    description="Enforce comparing `typeof` expressions against valid strings.",
    messages={
        "invalidValue": "Invalid typeof comparison value.",
        "notString": "Typeof comparisons should be to string literals.",
        "suggestString": 'Use `"{{type}}"` instead of `{{type}}`.',
    },
    node_types=("unary_expression",),
    fixable="sometimes",
    eslint_equivalent=True,
    default_options=({"requireStringLiterals": False},),
)

VALID_TYPES = frozenset({"symbol", "undefined", "object", "boolean", "number", "string", "function", "bigint"})
_OPERATORS = frozenset({"==", "===", "!=", "!=="})
_LITERALS = frozenset({"string", "number", "regex", "null", "true", "false"})


@dataclass(frozen=True)
class Options:
    require_string_literals: bool = False


def parse_options(raw: list[Any]) -> Options:
    extra = raw[0] if raw else {}
    if not isinstance(extra, dict) or set(extra) - {"requireStringLiterals"}:
        raise OptionsError('expected an object like {"requireStringLiterals": false}')
    value = extra.get("requireStringLiterals", False)
    if not isinstance(value, bool):
        raise OptionsError(f'"requireStringLiterals" must be a boolean, got {value!r}')
    return Options(value)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if not is_typeof_expression(node):
        return
    slot, parent = node, node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        slot, parent = parent, parent.parent
    if parent is None or parent.type != "binary_expression":
        return
    operator = parent.child_by_field_name("operator")
    if operator is None or operator.type not in _OPERATORS:
        return
    left = parent.child_by_field_name("left")
    sibling = parent.child_by_field_name("right" if left == slot else "left")
    if sibling is None:
        return
    sibling = unparenthesized(sibling)
    kind = sibling.type
    strict: bool = ctx.options.require_string_literals
    if kind in _LITERALS or is_static_template(sibling):
        value = string_value(sibling) if kind in ("string", "template_string") else None
        if value not in VALID_TYPES:
            ctx.report(sibling, "invalidValue")
    elif kind in ("undefined", "identifier") and sibling.text == b"undefined":
        if not name_scopes(ctx.tree, ctx.cache, "undefined").is_global_reference(sibling):
            if strict:
                ctx.report(sibling, "notString")
            return
        suggestion = ctx.replace(sibling.start_byte, sibling.end_byte, '"undefined"', Applicability.DISPLAY_ONLY,
                                 'Use `"undefined"` instead of `undefined`')
        ctx.report(sibling, "notString" if strict else "invalidValue", fixes=[suggestion])
    elif strict and not is_typeof_expression(sibling):
        ctx.report(sibling, "notString")


VALID = [
    Valid("typeof foo === 'string'"),
    Valid("typeof foo === 'object'"),
    Valid("typeof foo === 'function'"),
    Valid("typeof foo === 'undefined'"),
    Valid("typeof foo === 'boolean'"),
    Valid("typeof foo === 'number'"),
    Valid("typeof foo === 'bigint'"),
    Valid("'string' === typeof foo"),
    Valid("typeof foo === typeof bar"),
    Valid("typeof foo === baz"),
    Valid("typeof foo !== someType"),
    Valid("typeof bar != someType"),
    Valid("typeof foo == 'symbol'"),
    Valid("typeof foo === `str${bar}`"),
    Valid("typeof foo === `string`"),
    Valid("typeof foo === 'str\\x69ng'"),
    Valid("typeof foo > 'strnig'"),
    Valid("var undefined; typeof foo === undefined"),
    Valid("function f(undefined) { return typeof foo === undefined; }"),
    Valid("typeof foo === 'string'", options=[{"requireStringLiterals": True}]),
    Valid("typeof foo === typeof bar", options=[{"requireStringLiterals": True}]),
    Valid("var x = typeof foo + 'strnig'"),
]

INVALID = [
    Invalid("typeof foo === 'strnig'", [Expected("invalidValue", 1, 16, 1, 24)]),
    Invalid("'strnig' === typeof foo", [Expected("invalidValue", 1, 1)]),
    Invalid("if (typeof bar === 'umdefined') {}", [Expected("invalidValue", 1, 20)]),
    Invalid("typeof foo !== 'strnig'", [Expected("invalidValue", 1, 16)]),
    Invalid("typeof foo != 'strnig'", [Expected("invalidValue", 1, 15)]),
    Invalid("typeof foo == 'strnig'", [Expected("invalidValue", 1, 15)]),
    Invalid("typeof foo === `strnig`", [Expected("invalidValue", 1, 16)]),
    Invalid("typeof foo === 5", [Expected("invalidValue", 1, 16)]),
    Invalid("typeof foo === null", [Expected("invalidValue", 1, 16)]),
    Invalid("typeof foo === /string/", [Expected("invalidValue", 1, 16)]),
    Invalid("(typeof foo) === ('strnig')", [Expected("invalidValue", 1, 19)]),
    Invalid("typeof foo === undefined", [Expected("invalidValue", 1, 16)]),
    Invalid("undefined === typeof foo", [Expected("invalidValue", 1, 1)]),
    Invalid("typeof foo === undefined", [Expected("notString", 1, 16)], options=[{"requireStringLiterals": True}]),
    Invalid("typeof foo === Object", [Expected("notString", 1, 16)], options=[{"requireStringLiterals": True}]),
    Invalid("typeof foo === `${string}`", [Expected("notString", 1, 16)], options=[{"requireStringLiterals": True}]),
    Invalid("typeof foo === /* c */ 'strnig'", [Expected("invalidValue", 1, 24)]),
    Invalid("const s = '😀'; typeof s === 'strnig'", [Expected("invalidValue", 1, 30)]),
    Invalid("<A b={typeof c === 'fucntion'} />", [Expected("invalidValue", 1, 20)]),
]

FIXES = [
    FixCase("typeof foo === undefined", "typeof foo === undefined"),  # a suggestion only
    FixCase("typeof foo === undefined", 'typeof foo === "undefined"', applicability=Applicability.DISPLAY_ONLY),
]
