"""Disallow empty block statements.

## What it does
Reports a block `{}` with no statement and no comment inside, and a `switch` with no case.
Function bodies may be empty; so may class static blocks (not block statements in ESTree).

## Why is this bad?
An empty block usually marks unfinished code, or an error silently swallowed by an empty
`catch`. When emptiness is intended, a comment inside says so and silences the rule.

## Example
```js
if (ready) {}                 // reported
try { load(); } catch (e) {}  // reported
try { load(); } catch (e) {
  // a missing file is fine   // ok
}
function noop() {}            // ok
```

## Fix safety
No automatic fix, as in ESLint. A **display-only** suggestion writes `/* empty */` inside
the braces: it silences the rule, but only a person knows whether the block should do
something instead.

## Options
`{"allowEmptyCatch": false}` (default). With `true`, an empty `catch` block is allowed.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-empty
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-empty",
    type="suggestion",
    description="Disallow empty block statements.",
    messages={
        "unexpected": "Empty {{type}} statement.",
        "suggestComment": "Add comment inside empty {{type}} statement.",
    },
    node_types=("statement_block", "switch_body"),
    fixable="sometimes",
    eslint_equivalent=True,
    default_options=({"allowEmptyCatch": False},),
)

# Parents whose `statement_block` is a function body (or a static block): allowed to be empty.
_BODY_OWNERS = frozenset({
    "function_declaration", "function_expression", "generator_function_declaration", "generator_function",
    "arrow_function", "method_definition", "class_static_block",
})


@dataclass(frozen=True)
class Options:
    allow_empty_catch: bool = False


def parse_options(raw: list[Any]) -> Options:
    extra = raw[0] if raw else {}
    if not isinstance(extra, dict) or set(extra) - {"allowEmptyCatch"}:
        raise OptionsError('expected an object like {"allowEmptyCatch": false}')
    allow = extra.get("allowEmptyCatch", False)
    if not isinstance(allow, bool):
        raise OptionsError(f'"allowEmptyCatch" must be a boolean, got {allow!r}')
    return Options(allow)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if node.named_child_count and node.named_child(0).type != "comment":
        return  # a statement: it cannot stand after the closing brace
    children = node.children
    # tree-sitter can take a comment after the closing brace into the block (`if (a) {} // c`
    # followed by a statement on the next line): only what lies between the braces counts.
    close = next((index for index, child in enumerate(children) if child.type == "}"), None)
    if close is None or any(child.is_named for child in children[:close]):
        return  # a statement or a comment inside: not empty
    parent = node.parent
    if node.type == "switch_body":
        kind = "switch"  # reported from the opening brace to the closing one, as ESLint
    else:
        if parent is None or parent.type in _BODY_OWNERS:
            return
        if ctx.options.allow_empty_catch and parent.type == "catch_clause":
            return
        kind = "block"
    first, last = children[0], children[close]
    if first.type != "{" or last.start_byte == last.end_byte:
        return  # a block that error recovery made up
    suggestion = ctx.replace(
        first.end_byte, last.start_byte, " /* empty */ ", Applicability.DISPLAY_ONLY,
        f"Add comment inside empty {kind} statement",
    )
    ctx.report(node, "unexpected", data={"type": kind}, start=first.start_byte, end=last.end_byte, fixes=[suggestion])


VALID = [
    Valid("if (foo) { bar() }"),
    Valid("while (foo) { bar() }"),
    Valid("for (;foo;) { bar() }"),
    Valid("try { foo() } catch (ex) { foo() }"),
    Valid("switch(foo) {case 'foo': break;}"),
    Valid("(function() { }())"),
    Valid("var foo = () => {};"),
    Valid("function foo() { }"),
    Valid("class A { m() {} static {} }"),
    Valid("if (foo) {/* empty */}"),
    Valid("while (foo) {\n// empty\n}"),
    Valid("switch (foo) { /* empty */ }"),
    Valid("if (foo) { ; }"),
    Valid("try { foo(); } catch (ex) {}", options=[{"allowEmptyCatch": True}]),
    Valid("try { foo(); } catch (ex) {} finally { bar(); }", options=[{"allowEmptyCatch": True}]),
]

INVALID = [
    Invalid("try {} catch (ex) {throw ex}", [Expected("unexpected", 1, 5, 1, 7)]),
    Invalid("try { foo() } catch (ex) {}", [Expected("unexpected", 1, 26)]),
    Invalid("try { foo() } catch (ex) {throw ex} finally {}", [Expected("unexpected", 1, 45)]),
    Invalid("if (foo) {}", [Expected("unexpected", 1, 10)]),
    Invalid("while (foo) {}", [Expected("unexpected", 1, 13)]),
    Invalid("for (;foo;) {}", [Expected("unexpected", 1, 13)]),
    Invalid("switch(foo) {}", [Expected("unexpected", 1, 13, 1, 15)]),
    Invalid("switch (foo) /* c */ {\n}", [Expected("unexpected", 1, 22, 2, 2)]),
    Invalid("try {} catch (ex) {}", [Expected("unexpected", 1, 5)], options=[{"allowEmptyCatch": True}]),
    Invalid("if (a) {} else {}", [Expected("unexpected", 1, 8), Expected("unexpected", 1, 16)]),
    Invalid("{}", [Expected("unexpected", 1, 1)]),
    Invalid("const s = '😀'; if (s) {}", [Expected("unexpected", 1, 24)]),
    Invalid("const el = <div>{(() => { if (a) {} })()}</div>;", [Expected("unexpected", 1, 34)]),
    Invalid("if (a) {} // note\nb();", [Expected("unexpected", 1, 8, 1, 10)]),
]

FIXES = [
    FixCase("if (foo) {}", "if (foo) {}"),  # a suggestion only: nothing applied automatically
    FixCase("if (foo) {}", "if (foo) { /* empty */ }", applicability=Applicability.DISPLAY_ONLY),
    FixCase("switch (foo) {\n}", "switch (foo) { /* empty */ }", applicability=Applicability.DISPLAY_ONLY),
]
