"""Disallow the use of `console`.

## What it does
Reports member accesses on the global `console` (`console.log(...)`, `console["warn"]`,
`foo(console.error)`), except the methods listed in `allow`. A `console` declared in the
file (a parameter, an import, a local variable) is not the global one and is not reported.

## Why is this bad?
Code shipped to a browser should not write to the console of its users; logging in a
library bypasses the application's own logging. Debug output left behind is noise.

## Example
```js
console.log("here");          // reported
logger.info("here");          // ok
function f(console) { console.log(1); }  // ok: a local `console`
```

## Fix safety
No automatic fix, as in ESLint: removing a call removes its side effects (its arguments
are evaluated). A **display-only** suggestion removes a `console.x(...)` call statement
when it stands alone in a statement list and its removal does not join the neighbouring
lines into one statement (automatic semicolon insertion).

## Options
As ESLint: `{"allow": ["warn", "error", ...]}`, console methods that are not reported.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-console
"""

from __future__ import annotations

from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.static_value import static_property_name
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.scope import name_scopes
from engine.rules.tokens import next_token, previous_token

RULE = RuleMeta(
    id="no-console",
    type="suggestion",
    description="Disallow the use of `console`.",
    messages={
        "unexpected": "Unexpected console statement.",
        "limited": "Unexpected console statement. Only these console methods are allowed: {{ allowed }}.",
        "removeConsole": "Remove the console.{{ propertyName }}().",
        "removeMethodCall": "Remove the console method call.",
    },
    # One visit per file: the `console` identifiers come from one query (engine.rules.scope).
    node_types=("program",),
    only_with_text=(b"console",),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=({},),
)

_MEMBER_TYPES = frozenset({"member_expression", "subscript_expression"})
_STATEMENT_LISTS = frozenset({"program", "statement_block", "switch_case", "switch_default"})
_JSX_NAME_PARENTS = frozenset({"jsx_opening_element", "jsx_closing_element", "jsx_self_closing_element"})
_SAFE_BEFORE = frozenset({":", ";", "{"})
_UNSAFE_AFTER_START = ("[", "(", "/", "+", "-", "`")


def parse_options(raw: list[Any]) -> tuple[str, ...]:
    options = raw[0] if raw else {}
    if not isinstance(options, dict) or set(options) - {"allow"} or len(raw) > 1:
        raise OptionsError('expected an object like {"allow": ["warn", "error"]}')
    allow = options.get("allow", [])
    if "allow" in options and (
        not isinstance(allow, list) or not allow or not all(isinstance(item, str) for item in allow)
        or len(set(allow)) != len(allow)
    ):
        raise OptionsError('"allow" must be a non-empty list of distinct method names')
    return tuple(allow)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    allowed: tuple[str, ...] = ctx.options
    scopes = name_scopes(ctx.tree, ctx.cache, "console")
    for identifier in scopes.identifiers:
        if not scopes.is_global_reference(identifier):
            continue
        object_node = identifier
        while object_node.parent is not None and object_node.parent.type == "parenthesized_expression":
            object_node = object_node.parent
        member = object_node.parent
        if member is None or member.type not in _MEMBER_TYPES or member.child_by_field_name("object") != object_node:
            continue
        if _is_jsx_name(member):
            continue
        name = static_property_name(member)
        if name is not None and name in allowed:
            continue
        fixes = _suggestion(member, name, ctx)
        ctx.report(
            member,
            "limited" if allowed else "unexpected",
            data={"allowed": ", ".join(allowed)},
            start=member.start_byte,
            end=member.end_byte,
            fixes=fixes,
        )


def _is_jsx_name(member: tree_sitter.Node) -> bool:
    """`<console.Log />`: a JSX tag name, no reference to the variable."""
    current = member
    while current.parent is not None and current.parent.type == "member_expression":
        current = current.parent
    return current.parent is not None and current.parent.type in _JSX_NAME_PARENTS


def _suggestion(member: tree_sitter.Node, name: str | None, ctx: RuleContext) -> list[Fix]:
    call = member.parent
    if (
        call is None
        or call.type != "call_expression"
        or call.child_by_field_name("function") != member
        or any(child.type == "optional_chain" for child in call.children)  # `console.log?.()`: a ChainExpression
        or any(child.type == "optional_chain" for child in member.children)
    ):
        return []
    arguments = call.child_by_field_name("arguments")
    statement = call.parent
    if (
        arguments is None
        or arguments.type != "arguments"  # a tagged template is no CallExpression
        or statement is None
        or statement.type != "expression_statement"
        or statement.parent is None
        or statement.parent.type not in _STATEMENT_LISTS
        or _asi_hazard(statement)
    ):
        return []
    if member.type == "member_expression":
        title = RULE.messages["removeConsole"].replace("{{ propertyName }}", name or "")
    else:
        title = RULE.messages["removeMethodCall"]
    return [ctx.replace(statement.start_byte, statement.end_byte, "", Applicability.DISPLAY_ONLY, title)]


def _asi_hazard(statement: tree_sitter.Node) -> bool:
    """Removing `statement` would let the previous line continue into the next one."""
    after = next_token(statement)
    before = previous_token(statement)
    if after is None or before is None or after.text is None or before.text is None:
        return False
    text = after.text.decode("utf-8", "replace")
    return (
        text.startswith(_UNSAFE_AFTER_START)
        and text not in ("++", "--")
        and before.text.decode("utf-8", "replace") not in _SAFE_BEFORE
    )


VALID = [
    Valid("Console.info(foo)"),
    Valid("logger.log(1)"),
    Valid("console.info(foo)", options=[{"allow": ["info"]}]),
    Valid("console.warn(foo)", options=[{"allow": ["error", "warn"]}]),
    Valid("console['error'](foo)", options=[{"allow": ["error"]}]),
    Valid("function f(console) { console.log(1); }"),
    Valid("import console from 'my-console'; console.log(1);"),
    Valid("let console = { log() {} }; console.log(1);"),
    Valid("{ const { console } = window; console.log(1); }"),
    Valid("a.console.log(1);"),
    Valid("const x = console;"),
    Valid("const el = <console.Log />;"),
]

INVALID = [
    Invalid("console.log(foo)", [Expected("unexpected", 1, 1, 1, 12)]),
    Invalid("console.error(foo)", [Expected("unexpected", 1, 1)]),
    Invalid("console['log'](foo)", [Expected("unexpected", 1, 1)]),
    Invalid("foo(console.log)", [Expected("unexpected", 1, 5)]),
    Invalid("console?.log(1)", [Expected("unexpected", 1, 1)]),
    Invalid("console.log(foo)", [Expected("limited", 1, 1)], options=[{"allow": ["warn"]}]),
    Invalid("if (a) console.warn(foo)", [Expected("unexpected", 1, 8)]),
    Invalid("function f() { console.log(1) }\nfunction g(console) {}", [Expected("unexpected", 1, 16)]),
    Invalid("const s = '😀'; console.log(s, <b>{s}</b>);", [Expected("unexpected", 1, 17)]),
    Invalid("console.log(/* keep */ x);\nconsole.table(y)", [Expected("unexpected", 1, 1), Expected("unexpected", 2, 1)]),
]

FIXES = [
    FixCase("a();\nconsole.log(1);\nb();", "a();\nconsole.log(1);\nb();"),
    FixCase("a();\nconsole.log(1);\nb();", "a();\n\nb();", applicability=Applicability.DISPLAY_ONLY),
    # Removing the call would glue `a()` to `[1].forEach(f)`: no suggestion.
    FixCase("a()\nconsole.log(1);\n[1].forEach(f)", "a()\nconsole.log(1);\n[1].forEach(f)", applicability=Applicability.DISPLAY_ONLY),
    # Not a statement of its own: no suggestion.
    FixCase("if (a) console.log(1)", "if (a) console.log(1)", applicability=Applicability.DISPLAY_ONLY),
]
