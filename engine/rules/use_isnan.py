"""Require calls to `isNaN()` when checking for `NaN`.

## What it does
Reports comparisons with `NaN` or `Number.NaN` (`==`, `===`, `!=`, `!==`, `<`, `>`, `<=`,
`>=`), a `switch (NaN)` and a `case NaN:`. With `enforceForIndexOf`, also
`indexOf(NaN)` and `lastIndexOf(NaN)`.

## Why is this bad?
`NaN` is the one value unequal to itself: `x === NaN` is always false, `x !== NaN` always
true, and a `case NaN` never matches. `Number.isNaN(x)` is the test that works.

## Example
```js
if (price === NaN) {}          // reported: always false
if (Number.isNaN(price)) {}    // ok
switch (x) { case NaN: }       // reported
```

## Fix safety
No automatic fix, as in ESLint. For `==`, `===`, `!=` and `!==`, **display-only**
suggestions rewrite the test to `Number.isNaN(x)` (negated for `!=`, `!==`) and, for the
loose operators, to `Number.isNaN(Number(x))`, which keeps the conversion `==` made. Both
change what the code does (that is the point), so a person must choose. With
`enforceForIndexOf`, `a.indexOf(NaN)` gets the suggestion `a.findIndex(Number.isNaN)`.

## Options
`{"enforceForSwitchCase": true, "enforceForIndexOf": false}` (defaults): report `switch`
and `case` with `NaN`; report `indexOf(NaN)` / `lastIndexOf(NaN)`.

## References
- ESLint: https://eslint.org/docs/latest/rules/use-isnan
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.rules.nodes import unparenthesized
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.scope import name_scopes
from engine.rules.static_value import static_property_name

RULE = RuleMeta(
    id="use-isnan",
    type="problem",
    description="Require calls to `isNaN()` when checking for `NaN`.",
    messages={
        "comparisonWithNaN": "Use the isNaN function to compare with NaN.",
        "switchNaN": "'switch(NaN)' can never match a case clause. Use Number.isNaN instead of the switch.",
        "caseNaN": "'case NaN' can never match. Use Number.isNaN before the switch.",
        "indexOfNaN": "Array prototype method '{{ methodName }}' cannot find NaN.",
        "replaceWithIsNaN": "Replace with Number.isNaN.",
        "replaceWithCastingAndIsNaN": "Replace with Number.isNaN and cast to a Number.",
        "replaceWithFindIndex": "Replace with Array.prototype.{{ methodName }}.",
    },
    node_types=("binary_expression", "switch_statement", "call_expression"),
    only_with_text=(b"NaN",),  # every report names `NaN` (escaped spellings are not matched)
    fixable="sometimes",
    eslint_equivalent=True,
    default_options=({"enforceForSwitchCase": True, "enforceForIndexOf": False},),
)

_COMPARISONS = frozenset({"<", ">", "<=", ">=", "==", "!=", "===", "!=="})
_EQUALITIES = frozenset({"==", "===", "!=", "!=="})


@dataclass(frozen=True)
class Options:
    switch_case: bool = True
    index_of: bool = False


def parse_options(raw: list[Any]) -> Options:
    extra = raw[0] if raw else {}
    if not isinstance(extra, dict) or set(extra) - {"enforceForSwitchCase", "enforceForIndexOf"}:
        raise OptionsError('expected an object like {"enforceForSwitchCase": true, "enforceForIndexOf": false}')
    for key, value in extra.items():
        if not isinstance(value, bool):
            raise OptionsError(f"{key!r} must be a boolean, got {value!r}")
    return Options(extra.get("enforceForSwitchCase", True), extra.get("enforceForIndexOf", False))


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    kind = node.type
    if kind == "binary_expression":
        _check_comparison(node, ctx)
    elif kind == "switch_statement":
        if ctx.options.switch_case:
            _check_switch(node, ctx)
    elif ctx.options.index_of:
        _check_index_of(node, ctx)


def _is_nan(node: tree_sitter.Node | None, ctx: RuleContext) -> bool:
    """`NaN` or `Number.NaN` (globals), or a sequence ending with one."""
    if node is None:
        return False
    node = unparenthesized(node)
    if node.type == "sequence_expression":
        parts = [child for child in node.named_children if child.type != "comment"]
        node = unparenthesized(parts[-1]) if parts else node
    if node.type == "identifier":
        return node.text == b"NaN" and name_scopes(ctx.tree, ctx.cache, "NaN").is_global_reference(node)
    if node.type in ("member_expression", "subscript_expression"):
        target = node.child_by_field_name("object")
        if target is None:
            return False
        target = unparenthesized(target)
        return (
            target.type == "identifier"
            and target.text == b"Number"
            and static_property_name(node) == "NaN"
            and name_scopes(ctx.tree, ctx.cache, "Number").is_global_reference(target)
        )
    return False


def _check_comparison(node: tree_sitter.Node, ctx: RuleContext) -> None:
    operator = node.child_by_field_name("operator")
    op = operator.type if operator is not None else ""
    if op not in _COMPARISONS:
        return
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return
    left_nan = _is_nan(left, ctx)
    if not left_nan and not _is_nan(right, ctx):
        return
    nan_side, compared = (left, right) if left_nan else (right, left)
    fixes = []
    if op in _EQUALITIES and unparenthesized(nan_side).type != "sequence_expression":
        compared = unparenthesized(compared)
        value = ctx.text(compared)
        if compared.type == "sequence_expression":
            value = f"({value})"
        negation = "!" if op[0] == "!" else ""
        fixes.append(ctx.replace(node.start_byte, node.end_byte, f"{negation}Number.isNaN({value})",
                                 Applicability.DISPLAY_ONLY, "Replace with Number.isNaN"))
        if op in ("==", "!="):
            fixes.append(ctx.replace(node.start_byte, node.end_byte, f"{negation}Number.isNaN(Number({value}))",
                                     Applicability.DISPLAY_ONLY, "Replace with Number.isNaN and cast to a Number"))
    ctx.report(node, "comparisonWithNaN", fixes=fixes)


def _check_switch(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if _is_nan(node.child_by_field_name("value"), ctx):
        ctx.report(node, "switchNaN")
    body = node.child_by_field_name("body")
    for case in body.named_children if body is not None else ():
        if case.type == "switch_case" and _is_nan(case.child_by_field_name("value"), ctx):
            ctx.report(case, "caseNaN")


def _check_index_of(node: tree_sitter.Node, ctx: RuleContext) -> None:
    callee = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if callee is None or arguments is None or arguments.type != "arguments":
        return
    callee = unparenthesized(callee)
    if callee.type not in ("member_expression", "subscript_expression"):
        return
    method = static_property_name(callee)
    args = [child for child in arguments.named_children if child.type != "comment"]
    if method not in ("indexOf", "lastIndexOf") or len(args) > 2 or not args or not _is_nan(args[0], ctx):
        return
    replacement = "findIndex" if method == "indexOf" else "findLastIndex"
    fixes = []
    key = callee.child_by_field_name("index" if callee.type == "subscript_expression" else "property")
    if len(args) == 1 and unparenthesized(args[0]).type != "sequence_expression" and key is not None:
        name = f'"{replacement}"' if callee.type == "subscript_expression" else replacement
        key = unparenthesized(key)
        edits = (Edit(key.start_byte, key.end_byte, name), Edit(args[0].start_byte, args[0].end_byte, "Number.isNaN"))
        fixes.append(Fix(edits, Applicability.DISPLAY_ONLY, f"Replace with Array.prototype.{replacement}"))
    ctx.report(node, "indexOfNaN", data={"methodName": method}, fixes=fixes)


VALID = [
    Valid("var x = NaN;"),
    Valid("isNaN(NaN) === true;"),
    Valid("Number.isNaN(x) === false;"),
    Valid("foo(NaN + 1);"),
    Valid("x = NaN + 1 > 1;"),
    Valid("function f(NaN) { return x === NaN; }"),
    Valid("let Number = {NaN: 1}; x === Number.NaN"),
    Valid("x === Number.NaN.foo"),
    Valid("x === Number[NaN]"),
    Valid("switch(foo) { case bar: break; }"),
    Valid("switch(NaN) { case foo: break; }", options=[{"enforceForSwitchCase": False}]),
    Valid("foo.indexOf(NaN)"),
    Valid("foo.indexOf(NaN, 1, 2)", options=[{"enforceForIndexOf": True}]),
    Valid("foo.includes(NaN)", options=[{"enforceForIndexOf": True}]),
    Valid("x === (NaN, y)"),
]

INVALID = [
    Invalid("123 == NaN;", [Expected("comparisonWithNaN", 1, 1, 1, 11)]),
    Invalid("123 === NaN;", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("NaN === \"abc\";", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("x < NaN;", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("x >= Number.NaN;", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("x !== Number['NaN'];", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("x == Number?.NaN;", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("x === (a, NaN);", [Expected("comparisonWithNaN", 1, 1)]),
    Invalid("if ((x) === (NaN)) {}", [Expected("comparisonWithNaN", 1, 5)]),
    Invalid("switch(NaN) { case foo: break; }", [Expected("switchNaN", 1, 1)]),
    Invalid("switch(foo) { case NaN: break; }", [Expected("caseNaN", 1, 15, 1, 31)]),
    Invalid("switch(NaN) { case NaN: }", [Expected("switchNaN", 1, 1), Expected("caseNaN", 1, 15)]),
    Invalid("switch(foo) { case Number.NaN: }", [Expected("caseNaN", 1, 15)], options=[{"enforceForIndexOf": True}]),
    Invalid("foo.indexOf(NaN)", [Expected("indexOfNaN", 1, 1)], options=[{"enforceForIndexOf": True}]),
    Invalid("foo?.lastIndexOf(Number.NaN, 1)", [Expected("indexOfNaN", 1, 1)], options=[{"enforceForIndexOf": True}]),
    Invalid("const s = '😀'; s == NaN", [Expected("comparisonWithNaN", 1, 17)]),
    Invalid("<A a={x === NaN} />", [Expected("comparisonWithNaN", 1, 7)]),
    Invalid("x /* c */ === NaN", [Expected("comparisonWithNaN", 1, 1)]),
]

FIXES = [
    FixCase("x === NaN", "x === NaN"),  # suggestions only
    FixCase("x === NaN", "Number.isNaN(x)", applicability=Applicability.DISPLAY_ONLY),
    FixCase("NaN !== (a, b)", "!Number.isNaN((a, b))", applicability=Applicability.DISPLAY_ONLY),
    FixCase("x < NaN", "x < NaN", applicability=Applicability.DISPLAY_ONLY),
    FixCase("foo.indexOf(NaN)", "foo.findIndex(Number.isNaN)", applicability=Applicability.DISPLAY_ONLY,
            options=[{"enforceForIndexOf": True}]),
    FixCase("foo['lastIndexOf'](NaN)", "foo[\"findLastIndex\"](Number.isNaN)", applicability=Applicability.DISPLAY_ONLY,
            options=[{"enforceForIndexOf": True}]),
]
