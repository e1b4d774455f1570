"""Require template literals instead of string concatenation.

## What it does
Reports a `+` concatenation that mixes a string literal (or template) with anything that is
not one: `"Hello, " + name + "!"`. The whole chain is reported once, at its start.
Concatenating only literals (`"a" + "b"`, often used to wrap long lines) is not reported.

## Why is this bad?
A template shows the resulting string in one piece, `` `Hello, ${name}!` ``, without the
quotes, pluses and spaces that are easy to get wrong.

## Example
```js
const a = "Hello, " + name + "!";   // reported
const b = `Hello, ${name}!`;        // ok
const c = "a" + "b";                // ok
```

## Fix safety
The fix rewrites the chain as one template, keeping comments inside `${}` (as ESLint), and
leaves sums that do not involve a string inside one placeholder (`a + b + "c"` becomes
`` `${a + b}c` ``). `+` converts an object operand with `valueOf` first, a template with
`toString` first, so the result can differ for objects: the fix is **safe** only when every
operand is provably a primitive (literals, arithmetic, comparisons, `typeof`, `!`, ...) and
**unsafe** otherwise. It is also unsafe when a comment in the parentheses around the first or
last operand would be dropped, and, as in ESLint, not offered when a string has an octal
escape (`"\\1"`), which templates forbid.

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/prefer-template
"""

from __future__ import annotations

import logging
import re

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.asi import is_start_of_expression_statement, needs_preceding_semicolon
from engine.rules.literals import has_octal_or_decimal_escape
from engine.rules.nodes import without_parentheses
from engine.rules.primitive import is_primitive
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid

logger = logging.getLogger(__name__)

RULE = RuleMeta(
    id="prefer-template",
    type="suggestion",
    description="Require template literals instead of string concatenation.",
    messages={"unexpectedStringConcatenation": "Unexpected string concatenation."},
    node_types=('(binary_expression operator: "+")',),
    fixable="sometimes",
    recommended=False,
    eslint_equivalent=True,
)

_STRINGS = frozenset({"string", "template_string"})  # ESLint's `isStringLiteral`
_LOGICAL = frozenset({"&&", "||", "??"})  # ESTree LogicalExpression, not BinaryExpression
# In a string body: an unescaped `${` or backtick (preceded by an even number of backslashes).
_TEMPLATE_SPECIAL = re.compile(r"(?<!\\)\\*(\$\{|`)")


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if not _is_concat(node):
        return
    outer = node
    while outer.parent is not None and outer.parent.type == "parenthesized_expression":
        outer = outer.parent
    if outer.parent is not None and _is_concat(outer.parent):
        return  # not the top of the chain
    leaves = _leaves(node)
    if any(leaf.type in _STRINGS for leaf in leaves) and any(leaf.type not in _STRINGS for leaf in leaves):
        ctx.report(node, "unexpectedStringConcatenation", fixes=_fix(node, leaves, ctx))


def _operator(node: tree_sitter.Node) -> str | None:
    op = node.child_by_field_name("operator")
    return op.type if op is not None else None


def _is_concat(node: tree_sitter.Node) -> bool:
    return node.type == "binary_expression" and _operator(node) == "+"


def _operands(node: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node]:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    assert left is not None and right is not None
    return without_parentheses(left), without_parentheses(right)


def _leaves(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The operands of a `+` chain, parentheses looked through, left to right."""
    leaves, stack = [], [node]
    while stack:
        current = stack.pop()
        if _is_concat(current) and current.child_by_field_name("left") and current.child_by_field_name("right"):
            left, right = _operands(current)
            stack += [right, left]
        else:
            leaves.append(current)
    return leaves


def _fix(top: tree_sitter.Node, leaves: list[tree_sitter.Node], ctx: RuleContext) -> list[Fix]:
    if any(leaf.type == "string" and has_octal_or_decimal_escape(ctx.text(leaf)[1:-1]) for leaf in leaves):
        return []
    try:
        text = _Templater(ctx).template(top, None, None)
    except RecursionError:
        logger.debug("concatenation too deep to rewrite at byte %d", top.start_byte)
        return []
    if is_start_of_expression_statement(top) and needs_preceding_semicolon(top):
        text = ";" + text
    data = ctx.source.data
    dropped = data[top.start_byte : leaves[0].start_byte] + data[leaves[-1].end_byte : top.end_byte]
    safe = b"/" not in dropped and all(leaf.type in _STRINGS or is_primitive(leaf) for leaf in leaves)
    return [ctx.replace(top.start_byte, top.end_byte, text, Applicability.SAFE if safe else Applicability.UNSAFE,
                        "Use a template literal")]


class _Templater:
    """ESLint's `getTemplateLiteral`, over tree-sitter nodes (parentheses looked through)."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx

    def template(self, node: tree_sitter.Node, before: str | None, after: str | None) -> str:
        ctx = self.ctx
        if node.type == "string":
            return f"`{_string_body(ctx.text(node))}`"
        if node.type == "template_string":
            return ctx.text(node)
        if _is_concat(node) and any(leaf.type in _STRINGS for leaf in _leaves(node)):
            left, right = _operands(node)
            plus = node.child_by_field_name("operator")
            assert plus is not None
            before_plus = _text_between(ctx.source.data, left.end_byte, plus.start_byte)
            after_plus = _text_between(ctx.source.data, plus.end_byte, right.start_byte)
            if _ends_with_curly(left):
                return self.template(left, before, before_plus + after_plus)[:-1] + self.template(right, None, after)[1:]
            if _starts_with_curly(right):
                return self.template(left, before, None)[:-1] + self.template(right, before_plus + after_plus, after)[1:]
            # Nowhere to put the text between them: two templates joined by `+`. (ESLint passes
            # `after` as the right side's leading text here; kept for identical output.)
            return f"{self.template(left, before, None)}{before_plus}+{after_plus}{self.template(right, after, None)}"
        return f"`${{{before or ''}{ctx.text(node)}{after or ''}}}`"


def _string_body(raw: str) -> str:
    """A string literal's body as a template body: `${` and backticks escaped, quotes unescaped."""
    body = _TEMPLATE_SPECIAL.sub(lambda m: m.group(0) if m.group(0).rfind("\\") % 2 == 0 else "\\" + m.group(0),
                                 raw[1:-1])
    return body.replace("\\" + raw[0], raw[0])


def _is_binary(node: tree_sitter.Node) -> bool:
    return node.type == "binary_expression" and _operator(node) not in _LOGICAL


def _starts_with_curly(node: tree_sitter.Node) -> bool:
    """Whether the node's template form starts with `${` (ESLint's `startsWithTemplateCurly`)."""
    while _is_binary(node):
        node = without_parentheses(node.child_by_field_name("left") or node)
    # ESLint compares a template's first quasi range, which never is empty: always false.
    return node.type not in _STRINGS


def _ends_with_curly(node: tree_sitter.Node) -> bool:
    """ESLint's `endsWithTemplateCurly`, which for a binary asks whether its right side *starts*
    with a curly; kept as is so that the output matches ESLint's."""
    if _is_binary(node):
        return _starts_with_curly(without_parentheses(node.child_by_field_name("right") or node))
    return node.type not in _STRINGS


def _text_between(data: bytes, start: int, end: int) -> str:
    """The whitespace and comments between two tokens, the parentheses between them dropped."""
    text = data[start:end].decode("utf-8", "surrogatepass")
    if "(" not in text and ")" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text.startswith("//", i):
            stop = len(text) if (newline := text.find("\n", i)) < 0 else newline
        elif text.startswith("/*", i):
            stop = len(text) if (close := text.find("*/", i + 2)) < 0 else close + 2
        else:
            if text[i] not in "()":
                out.append(text[i])
            i += 1
            continue
        out.append(text[i:stop])
        i = stop
    return "".join(out)


VALID = [
    Valid("var foo = 'foo' + '\\0';"),
    Valid("var foo = 'bar';"),
    Valid("var foo = 'bar' + 'baz';"),
    Valid("var foo = foo + +'100';"),
    Valid("var foo = `bar`;"),
    Valid("var foo = `hello, ${name}!`;"),
    Valid("var foo = `foo` + `bar` + \"hoge\";"),
    Valid("var foo = a + b;"),
]

INVALID = [
    Invalid("var foo = 'hello, ' + name + '!';", [Expected("unexpectedStringConcatenation", 1, 11, 1, 33)]),
    Invalid("var foo = bar + 'baz';", [Expected("unexpectedStringConcatenation", 1, 11)]),
    Invalid("var foo = bar + `baz`;", [Expected("unexpectedStringConcatenation", 1, 11)]),
    Invalid("var foo = +100 + 'yen';", [Expected("unexpectedStringConcatenation", 1, 11)]),
    Invalid("var foo = ('a') + (b + 'c');", [Expected("unexpectedStringConcatenation", 1, 11)]),
    Invalid("f('a' + b, 'c' + d);",
            [Expected("unexpectedStringConcatenation", 1, 3), Expected("unexpectedStringConcatenation", 1, 12)]),
    Invalid("var foo = 'a' + /* c */ b;", [Expected("unexpectedStringConcatenation", 1, 11)]),
    Invalid("var s = '😀', t = 'a' + b;", [Expected("unexpectedStringConcatenation", 1, 19)]),
    Invalid("var e = <div title={'a' + b} />;", [Expected("unexpectedStringConcatenation", 1, 21)]),
]

FIXES = [
    FixCase("var foo = 'hello, ' + 1 + '!';", "var foo = `hello, ${  1  }!`;"),
    FixCase("var foo = 'hello, ' + name + '!';", "var foo = 'hello, ' + name + '!';"),  # `name` may be an object
    FixCase("var foo = 'hello, ' + name + '!';", "var foo = `hello, ${  name  }!`;", applicability=Applicability.UNSAFE),
    FixCase("var foo = a + b + 'c';", "var foo = `${a + b  }c`;", applicability=Applicability.UNSAFE),
    FixCase("var foo = 'a' + /* c */ (1 - b);", "var foo = `a${  /* c */ 1 - b}`;"),
    FixCase("var foo = \"it's ${x} `q`\" + (n > 1);", "var foo = `it's \\${x} \\`q\\`${  n > 1}`;"),
    FixCase("var foo = '\\1' + x;", "var foo = '\\1' + x;", applicability=Applicability.UNSAFE, filename="test.cjs"),
    FixCase("a = b\n'c' + d.e", "a = b\n;`c${  d.e}`", applicability=Applicability.UNSAFE),
    FixCase("var s = '😀', t = 'a' + !b;", "var s = '😀', t = `a${  !b}`;"),
    FixCase("var foo = (/* c */ 'a') + !b;", "var foo = (/* c */ 'a') + !b;"),  # the comment would be dropped
]
