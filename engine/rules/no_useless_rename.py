"""Disallow renaming import, export, and destructured assignments to the same name.

## What it does
Reports renames to the name a binding already has: `import { a as a }`,
`export { a as a }`, and destructuring `const { a: a } = obj` (also with a default,
`{ a: a = 1 }`, and with a string key, `{ "a": a }`).

## Why is this bad?
The rename does nothing; the reader still has to check that both names are equal.

## Example
```js
import { foo as foo } from "bar";   // reported
import { foo } from "bar";          // ok
const { a: a } = obj;               // reported
const { a: b } = obj;               // ok
```

## Fix safety
Dropping the rename keeps the same binding, so the fix is **safe**. As ESLint, it is not
offered when a comment inside the specifier or property would be lost.

## Options
As ESLint: `{"ignoreDestructuring": false, "ignoreImport": false, "ignoreExport": false}`.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-useless-rename
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.literals import string_value
from engine.rules.nodes import without_parentheses
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.tokens import has_comment_inside

RULE = RuleMeta(
    id="no-useless-rename",
    type="suggestion",
    description="Disallow renaming import, export, and destructured assignments to the same name.",
    messages={"unnecessarilyRenamed": "{{type}} {{name}} unnecessarily renamed."},
    node_types=("object_pattern", "import_specifier", "export_specifier"),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=({"ignoreDestructuring": False, "ignoreImport": False, "ignoreExport": False},),
)

_OPTION_KEYS = ("ignoreDestructuring", "ignoreImport", "ignoreExport")


@dataclass(frozen=True)
class Options:
    ignore_destructuring: bool = False
    ignore_import: bool = False
    ignore_export: bool = False


def parse_options(raw: list[Any]) -> Options:
    value = raw[0] if raw else {}
    if not isinstance(value, dict) or set(value) - set(_OPTION_KEYS):
        raise OptionsError('expected an object like {"ignoreDestructuring": false, "ignoreImport": false, '
                           '"ignoreExport": false}')
    for key, flag in value.items():
        if not isinstance(flag, bool):
            raise OptionsError(f'"{key}" must be a boolean, got {flag!r}')
    return Options(*(value.get(key, False) for key in _OPTION_KEYS))


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    options: Options = ctx.options
    if node.type == "object_pattern":
        if not options.ignore_destructuring:
            _check_pattern(node, ctx)
        return
    original = node.child_by_field_name("name")
    alias = node.child_by_field_name("alias")
    if original is None or alias is None:
        return
    if node.type == "import_specifier":
        if not options.ignore_import and _export_name(original) == ctx.text(alias):
            _report(node, original, alias, "Import", ctx)
    elif not options.ignore_export and _export_name(original) == _export_name(alias):
        _report(node, original, original, "Export", ctx)


def _check_pattern(node: tree_sitter.Node, ctx: RuleContext) -> None:
    for prop in node.named_children:
        if prop.type != "pair_pattern":
            continue
        key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
        if key is None or value is None:
            continue
        if key.type == "property_identifier":
            name: str | None = ctx.text(key)
        elif key.type == "string":
            name = string_value(key)
        else:
            continue  # computed keys may be anything; a number never equals a name
        target = without_parentheses(value)
        if target.type == "assignment_pattern":
            target = target.child_by_field_name("left") or target
        if name and target.type == "identifier" and ctx.text(target) == name:
            _report(prop, key, without_parentheses(value), "Destructuring assignment", ctx)


def _export_name(node: tree_sitter.Node) -> str | None:
    """ESLint's `getModuleExportName`: an identifier's name or a string's value."""
    if node.type == "string":
        return string_value(node)
    return node.text.decode("utf-8", "surrogatepass") if node.text is not None else None


def _report(node: tree_sitter.Node, initial: tree_sitter.Node, replacement: tree_sitter.Node, kind: str,
            ctx: RuleContext) -> None:
    name = string_value(initial) if initial.type == "string" else ctx.text(initial)
    ctx.report(node, "unnecessarilyRenamed", data={"type": kind, "name": name},
               fixes=_fix(node, initial, replacement, ctx))


def _fix(node: tree_sitter.Node, initial: tree_sitter.Node, replacement: tree_sitter.Node, ctx: RuleContext) -> list[Fix]:
    data = ctx.source.data
    if has_comment_inside(node, data) and _comment_outside(node, replacement, data):
        return []  # the rewrite would drop a comment
    return [ctx.replace(initial.start_byte, node.end_byte, ctx.text(replacement), Applicability.SAFE,
                        "Remove the rename")]


def _comment_outside(node: tree_sitter.Node, keep: tree_sitter.Node, data: bytes) -> bool:
    """Whether `node` (which contains `keep`) has a comment outside `keep`."""
    for child in node.children:
        if child == keep:
            continue
        if child.start_byte <= keep.start_byte and keep.end_byte <= child.end_byte:
            if _comment_outside(child, keep, data):
                return True
        elif child.type == "comment" or has_comment_inside(child, data):
            return True
    return False


VALID = [
    Valid("let { foo } = obj;"),
    Valid("let { foo: bar } = obj;"),
    Valid("let { foo: { bar } } = obj;"),
    Valid("let { [foo]: foo } = obj;"),
    Valid("let { 1: foo } = obj;"),
    Valid("let { ...foo } = obj;"),
    Valid("({ foo: bar }) => {};"),
    Valid("import { foo as bar } from 'foo';"),
    Valid("import * as foo from 'foo';"),
    Valid("let foo; export { foo as bar };"),
    Valid("export { foo as default } from 'foo';"),
    Valid("const x = { foo: foo };"),  # an object literal is object-shorthand's business
    Valid("let { foo: foo } = obj;", options=[{"ignoreDestructuring": True}]),
    Valid("import { foo as foo } from 'foo';", options=[{"ignoreImport": True}]),
]

INVALID = [
    Invalid("let { foo: foo } = obj;", [Expected("unnecessarilyRenamed", 1, 7, 1, 15)]),
    Invalid("let { 'foo': foo } = obj;", [Expected("unnecessarilyRenamed", 1, 7)]),
    Invalid("let { foo: foo = 1 } = obj;", [Expected("unnecessarilyRenamed", 1, 7)]),
    Invalid("({ foo: foo } = obj);", [Expected("unnecessarilyRenamed", 1, 4)]),
    Invalid("function f({ a: a, b: { c: c } }) {}",
            [Expected("unnecessarilyRenamed", 1, 14), Expected("unnecessarilyRenamed", 1, 25)]),
    Invalid("import { foo as foo } from 'foo';", [Expected("unnecessarilyRenamed", 1, 10)]),
    Invalid("import { 'foo' as foo } from 'foo';", [Expected("unnecessarilyRenamed", 1, 10)]),
    Invalid("let foo; export { foo as foo };", [Expected("unnecessarilyRenamed", 1, 19)]),
    Invalid("export { 'foo' as 'foo' } from 'foo';", [Expected("unnecessarilyRenamed", 1, 10)]),
    Invalid("let { foo: /* c */ foo } = obj;", [Expected("unnecessarilyRenamed", 1, 7)]),
    Invalid("const s = '😀'; let { a: a } = s;", [Expected("unnecessarilyRenamed", 1, 23)]),
    Invalid("const C = ({ a: a }) => <div>{a}</div>;", [Expected("unnecessarilyRenamed", 1, 14)]),
]

FIXES = [
    FixCase("let { foo: foo } = obj;", "let { foo } = obj;"),
    FixCase("let { 'foo': foo = 1 } = obj;", "let { foo = 1 } = obj;"),
    FixCase("import { foo as foo, bar as baz } from 'foo';", "import { foo, bar as baz } from 'foo';"),
    FixCase("let foo; export { foo as foo };", "let foo; export { foo };"),
    FixCase("let { foo: /* c */ foo } = obj;", "let { foo: /* c */ foo } = obj;"),  # would drop the comment
    FixCase("let { foo: foo = /* c */ 1 } = obj;", "let { foo = /* c */ 1 } = obj;"),
]
