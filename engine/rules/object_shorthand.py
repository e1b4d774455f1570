"""Require or disallow method and property shorthand syntax for object literals.

## What it does
With the default `"always"`, reports object-literal properties that have a shorthand form:
`{a: a}` and `{"a": a}` (write `{a}`), and `{a: function() {}}` (write `{a() {}}`). Named
function expressions, getters and setters, `__proto__` keys and arrow functions are left
alone. Other modes report the opposite (`"never"`) or mixes (`"consistent"`).

## Why is this bad?
ES2015 shorthand says "this property is that variable" or "this is a method" directly;
the long forms repeat the name and make the reader compare the two spellings.

## Example
```js
const o = {
  x: x,               // reported: `x`
  "y": y,             // reported: `y`
  run: function() {}, // reported: `run() {}`
  named: function named() {},  // ok
};
```

## Fix safety
`{a: a}` to `{a}` binds the same value: **safe** (no fix when a comment inside the property
would be lost). Turning `a: function() {}` into a method changes what the function is: a
method cannot be called with `new` and has no `prototype`, so code using the function as a
constructor breaks. That fix is **unsafe** for plain functions and **safe** for `async`
functions and generators, which are not constructors either way (generators keep their
`prototype`). It is withheld, as in ESLint, when a comment between the key and the function
would be lost, and unsafe when a comment elsewhere in the dropped text would. With
`"never"`, turning a method into `a: function() {}` makes it constructible: **unsafe**.

## Options
As ESLint: `"always"` (default), `"methods"`, `"properties"`, `"never"`, `"consistent"` or
`"consistent-as-needed"`; then, for `"always"`/`"methods"`, `{"ignoreConstructors": false,
"methodsIgnorePattern": "", "avoidQuotes": false, "avoidExplicitReturnArrows": false}`, or for
`"properties"` `{"avoidQuotes": false}`.

## References
- ESLint: https://eslint.org/docs/latest/rules/object-shorthand
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.literals import string_value
from engine.rules.nodes import without_parentheses
from engine.rules.object_shorthand_fixes import longform_fix, shorthand_fix, uses_lexical_this
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid
from engine.rules.static_value import static_property_name
from engine.rules.tokens import has_comment_inside

RULE = RuleMeta(
    id="object-shorthand",
    type="suggestion",
    description="Require or disallow method and property shorthand syntax for object literals.",
    messages={
        "expectedAllPropertiesShorthanded": "Expected shorthand for all properties.",
        "expectedLiteralMethodLongform": "Expected longform method syntax for string literal keys.",
        "expectedPropertyShorthand": "Expected property shorthand.",
        "expectedPropertyLongform": "Expected longform property syntax.",
        "expectedMethodShorthand": "Expected method shorthand.",
        "expectedMethodLongform": "Expected longform method syntax.",
        "unexpectedMix": "Unexpected mix of shorthand and non-shorthand properties.",
    },
    node_types=("pair", "method_definition", "shorthand_property_identifier", "object"),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
    default_options=("always",),
)

_MODES = ("always", "methods", "properties", "never", "consistent", "consistent-as-needed")
_METHOD_KEYS = frozenset({"ignoreConstructors", "methodsIgnorePattern", "avoidQuotes", "avoidExplicitReturnArrows"})
_FUNCTIONS = frozenset({"function_expression", "generator_function"})
_JSDOC_TYPE = re.compile(r"^/\*\s*\*[\s\S]*@type")


@dataclass(frozen=True)
class Options:
    mode: str = "always"
    ignore_constructors: bool = False
    methods_ignore_pattern: re.Pattern[str] | None = None
    avoid_quotes: bool = False
    avoid_explicit_return_arrows: bool = False

    @property
    def methods(self) -> bool:
        return self.mode in ("always", "methods")

    @property
    def properties(self) -> bool:
        return self.mode in ("always", "properties")


def parse_options(raw: list[Any]) -> Options:
    mode = raw[0] if raw else "always"
    if mode not in _MODES:
        raise OptionsError(f"expected one of {', '.join(repr(m) for m in _MODES)}, got {mode!r}")
    extra = raw[1] if len(raw) > 1 else {}
    allowed = _METHOD_KEYS if mode in ("always", "methods") else {"avoidQuotes"} if mode == "properties" else set()
    if len(raw) > 2 or not isinstance(extra, dict) or set(extra) - allowed:
        raise OptionsError(f"expected at most an object with {sorted(allowed) or 'no keys'} after {mode!r}")
    pattern = extra.get("methodsIgnorePattern", "")
    if not isinstance(pattern, str):
        raise OptionsError(f'"methodsIgnorePattern" must be a string, got {pattern!r}')
    for key in _METHOD_KEYS - {"methodsIgnorePattern"}:
        if not isinstance(extra.get(key, False), bool):
            raise OptionsError(f'"{key}" must be a boolean, got {extra[key]!r}')
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error as error:
        raise OptionsError(f'"methodsIgnorePattern" is not a valid regular expression: {error}') from None
    return Options(mode, extra.get("ignoreConstructors", False), compiled, extra.get("avoidQuotes", False),
                   extra.get("avoidExplicitReturnArrows", False))


def node_types_for(options: Options) -> tuple[str, ...]:
    """Objects only for the consistency modes, methods and shorthands only where reported."""
    # A pair can only be shortened when its value is a name or a function.
    wanted = ["(pair value: [(identifier) (function_expression) (generator_function) (arrow_function) "
              "(parenthesized_expression)])"]
    if options.mode in ("consistent", "consistent-as-needed"):
        wanted.append("object")
    if options.mode == "never" or options.avoid_quotes:
        wanted.append("method_definition")
    if options.mode == "never":
        wanted.append("shorthand_property_identifier")
    return tuple(wanted)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    options: Options = ctx.options
    if node.type == "object":
        if options.mode in ("consistent", "consistent-as-needed"):
            _check_consistency(node, options.mode == "consistent-as-needed", ctx)
        return
    if node.parent is None or node.parent.type != "object":
        return  # class members, patterns
    if node.type == "pair":
        _check_pair(node, options, ctx)
    elif node.type == "shorthand_property_identifier":
        if options.mode == "never":
            name = ctx.text(node)
            fix = ctx.replace(node.end_byte, node.end_byte, f": {name}", Applicability.SAFE, "Use longform syntax")
            ctx.report(node, "expectedPropertyLongform", fixes=[fix])
    else:
        _check_method(node, options, ctx)


def _check_method(node: tree_sitter.Node, options: Options, ctx: RuleContext) -> None:
    """A concise method `{a() {}}`: reported by "never", or by avoidQuotes for string keys."""
    if any(child.type in ("get", "set") for child in node.children):
        return
    key = node.child_by_field_name("name")
    if key is None or _is_proto_key(key, ctx):
        return
    if options.mode == "never":
        message = "expectedMethodLongform"
    elif options.avoid_quotes and key.type == "string":
        message = "expectedLiteralMethodLongform"
    else:
        return
    body = node.child_by_field_name("body")
    if body is not None and _uses_super(body):
        return  # `super` only works in a method
    ctx.report(node, message, fixes=longform_fix(node, key, ctx))


def _check_pair(node: tree_sitter.Node, options: Options, ctx: RuleContext) -> None:
    key, raw_value = node.child_by_field_name("key"), node.child_by_field_name("value")
    if key is None or raw_value is None or _is_proto_key(key, ctx):
        return
    value = without_parentheses(raw_value)
    is_function = value.type in _FUNCTIONS or value.type == "arrow_function"
    if key.type == "computed_property_name" and not is_function:
        return
    if options.methods and is_function and value.child_by_field_name("name") is None:
        name = static_property_name(node)
        if options.ignore_constructors and name is not None and _is_constructor_name(name):
            return
        if options.methods_ignore_pattern is not None and name is not None and options.methods_ignore_pattern.search(name):
            return
        if options.avoid_quotes and key.type == "string":
            return
        arrow_ok = (
            value.type == "arrow_function"
            and options.avoid_explicit_return_arrows
            and (value.child_by_field_name("body") or value).type == "statement_block"
            and not uses_lexical_this(value)
        )
        if value.type in _FUNCTIONS or arrow_ok:
            ctx.report(node, "expectedMethodShorthand", fixes=shorthand_fix(node, key, value, ctx))
        return
    if value.type != "identifier" or not options.properties:
        return
    name = ctx.text(value)
    if key.type == "property_identifier" and ctx.text(key) == name:
        if _has_jsdoc_type(node, ctx, loose=False):
            return
    elif key.type == "string" and string_value(key) == name:
        if options.avoid_quotes or _has_jsdoc_type(node, ctx, loose=True):
            return
    else:
        return
    fixes = [] if has_comment_inside(node, ctx.source.data) else [
        ctx.replace(node.start_byte, node.end_byte, name, Applicability.SAFE, "Use property shorthand")]
    ctx.report(node, "expectedPropertyShorthand", fixes=fixes)


def _check_consistency(node: tree_sitter.Node, check_redundancy: bool, ctx: RuleContext) -> None:
    properties = [
        child for child in node.named_children
        if child.type in ("pair", "shorthand_property_identifier")
        or (child.type == "method_definition" and not any(c.type in ("get", "set") for c in child.children))
    ]
    if not properties:
        return
    shorthand = sum(1 for child in properties if child.type != "pair")
    if shorthand == len(properties):
        return
    if shorthand > 0:
        ctx.report(node, "unexpectedMix")
    elif check_redundancy and all(_is_redundant(child, ctx) for child in properties):
        ctx.report(node, "expectedAllPropertiesShorthanded")


def _is_redundant(pair: tree_sitter.Node, ctx: RuleContext) -> bool:
    key, raw_value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
    if key is None or raw_value is None or _is_proto_key(key, ctx):
        return False
    value = without_parentheses(raw_value)
    if value.type in _FUNCTIONS:
        return value.child_by_field_name("name") is None
    return value.type == "identifier" and static_property_name(pair) == ctx.text(value)


def _is_proto_key(key: tree_sitter.Node, ctx: RuleContext) -> bool:
    if key.type == "property_identifier":
        return ctx.text(key) == "__proto__"
    return key.type == "string" and string_value(key) == "__proto__"


def _is_constructor_name(name: str) -> bool:
    """ESLint: the first character that is not `_`, `$` or a digit is an upper-case letter."""
    first = next((char for char in name if char not in "_$0123456789"), None)
    return first is not None and first.isalpha() and first == first.upper() and first != first.lower()


def _has_jsdoc_type(node: tree_sitter.Node, ctx: RuleContext, *, loose: bool) -> bool:
    """A `/** @type ... */` comment inside the property (a type annotation to keep)."""
    if not has_comment_inside(node, ctx.source.data):
        return False
    for comment in _comments(node):
        text = ctx.text(comment)
        if loose and text.startswith("/**") and "@type" in text:
            return True
        if not loose and _JSDOC_TYPE.match(text):
            return True
    return False


def _comments(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    found = []
    for child in node.children:
        if child.type == "comment":
            found.append(child)
        elif child.child_count:
            found.extend(_comments(child))
    return found


def _uses_super(node: tree_sitter.Node) -> bool:
    """Whether `super` appears in a method body, outside nested non-arrow functions."""
    for child in node.children:
        if child.type == "super":
            return True
        if child.type in _FUNCTIONS or child.type in ("function_declaration", "generator_function_declaration",
                                                         "method_definition", "class_body"):
            continue
        if child.child_count and _uses_super(child):
            return True
    return False


VALID = [
    Valid("var x = {y() {}};"),
    Valid("var x = {y};"),
    Valid("var x = {a: b};"),
    Valid("var x = {a: function b() {}};"),  # named: keeps its own name binding
    Valid("var x = {a: () => {}};"),
    Valid("var x = {get a() {}, set a(v) {}};"),
    Valid("var x = {__proto__: __proto__};"),
    Valid("var x = {'__proto__': function() {}};"),
    Valid("var x = {[y]: y};"),
    Valid("var x = {a: /** @type {number} */ (a)};"),
    Valid("var {a: a} = b;"),  # a pattern: no-useless-rename's business
    Valid("class A { a = function() {} }"),
    Valid("var x = {a: function() {}};", options=["properties"]),
    Valid("var x = {'a': function() {}};", options=["always", {"avoidQuotes": True}]),
    Valid("var x = {A: function() {}};", options=["always", {"ignoreConstructors": True}]),
    Valid("var x = {a: a, b: c};", options=["never"]),
    Valid("var x = {a, b};", options=["consistent"]),
]

INVALID = [
    Invalid("var x = {x: x};", [Expected("expectedPropertyShorthand", 1, 10, 1, 14)]),
    Invalid("var x = {'x': x};", [Expected("expectedPropertyShorthand", 1, 10)]),
    Invalid("var x = {y: function() {}};", [Expected("expectedMethodShorthand", 1, 10)]),
    Invalid("var x = {[y]: function() {}};", [Expected("expectedMethodShorthand", 1, 10)]),
    Invalid("var x = {y: (function() {})};", [Expected("expectedMethodShorthand", 1, 10)]),
    Invalid("var x = {y: async function*() {}};", [Expected("expectedMethodShorthand", 1, 10)]),
    Invalid("var x = {a: /* c */ a};", [Expected("expectedPropertyShorthand", 1, 10)]),
    Invalid("var s = '😀', x = {a: a};", [Expected("expectedPropertyShorthand", 1, 20)]),
    Invalid("var e = <div {...{a: a}} />;", [Expected("expectedPropertyShorthand", 1, 19)]),
    Invalid("var x = {a: () => { return 1; }};", [Expected("expectedMethodShorthand", 1, 10)],
            options=["always", {"avoidExplicitReturnArrows": True}]),
    Invalid("var x = {a, b() {}};",
            [Expected("expectedPropertyLongform", 1, 10), Expected("expectedMethodLongform", 1, 13)], options=["never"]),
    Invalid("var x = {'a'() {}};", [Expected("expectedLiteralMethodLongform", 1, 10)],
            options=["always", {"avoidQuotes": True}]),
    Invalid("var x = {a, b: c};", [Expected("unexpectedMix", 1, 9)], options=["consistent"]),
    Invalid("var x = {a: a, b: b};", [Expected("expectedAllPropertiesShorthanded", 1, 9)],
            options=["consistent-as-needed"]),
]

FIXES = [
    FixCase("var x = {x: x, 'y': y};", "var x = {x, y};"),
    FixCase("var x = {a: /* c */ a};", "var x = {a: /* c */ a};"),  # the comment would be lost: no fix
    FixCase("var x = {y: async function() { await z; }};", "var x = {async y() { await z; }};"),
    FixCase("var x = {y: function*() {}};", "var x = {*y() {}};"),
    FixCase("var x = {y: function() {}};", "var x = {y: function() {}};"),  # `new x.y()` would break
    FixCase("var x = {y: function(a) { return a; }};", "var x = {y(a) { return a; }};",
            applicability=Applicability.UNSAFE),
    FixCase("var x = {[y]: (function() {})};", "var x = {[y]() {}};", applicability=Applicability.UNSAFE),
    FixCase("var x = {a: () => { return 1; }};", "var x = {a() { return 1; }};",
            options=["always", {"avoidExplicitReturnArrows": True}]),
    FixCase("var x = {a: x => { return this; }};", "var x = {a: x => { return this; }};",
            options=["always", {"avoidExplicitReturnArrows": True}]),
    FixCase("var x = {a, async *b() {}};", "var x = {a: a, b: async function*() {}};",
            applicability=Applicability.UNSAFE, options=["never"]),
]
