"""The rewrites of object-shorthand: a property's function into a method, and back.

`{a: function() {}}` becomes `{a() {}}` and `{a: async x => {...}}` becomes
`{async a(x) {...}}` (ESLint's `makeFunctionShorthand`); `{a() {}}` becomes
`{a: function() {}}` (`makeFunctionLongform`). The text kept is copied verbatim; the
applicability follows the rule's "Fix safety" section.
"""

from __future__ import annotations

import tree_sitter

from engine.fix.edit import Applicability, Fix
from engine.rules.rule import RuleContext
from engine.rules.tokens import first_token, next_token, previous_token

# Functions that give `this`, `arguments`, `super` and `new.target` their own meaning.
_OWN_THIS = frozenset({"function_expression", "function_declaration", "generator_function",
                       "generator_function_declaration", "method_definition"})


def _has_child(node: tree_sitter.Node, token_type: str) -> bool:
    return any(child.type == token_type for child in node.children)


def _comment_in(data: bytes, start: int, end: int) -> bool:
    """Whether the text between two tokens (only punctuation, keywords, spaces) holds a comment."""
    return b"/" in data[start:end]


def shorthand_fix(pair: tree_sitter.Node, key: tree_sitter.Node, value: tree_sitter.Node, ctx: RuleContext) -> list[Fix]:
    data = ctx.source.data
    key_start, key_end = key.start_byte, key.end_byte  # a computed key's brackets included
    if _comment_in(data, key_end, value.start_byte):
        return []  # `key: /* c */ function() {}`: ESLint gives no fix
    is_async, is_generator = _has_child(value, "async"), _has_child(value, "*")
    prefix = ("async " if is_async else "") + ("*" if is_generator else "") + ctx.source.slice(key_start, key_end)
    dropped = [(value.end_byte, pair.end_byte)]  # closing parentheses around the value
    if value.type == "arrow_function":
        arrow = next((child for child in value.children if child.type == "=>"), None)
        params = value.child_by_field_name("parameter") or value.child_by_field_name("parameters")
        first = first_token(value)
        if arrow is None or params is None or first is None:
            return []
        if is_async:
            first = next_token(first) or first
        before_arrow = previous_token(arrow)
        if before_arrow is None:
            return []
        param_text = ctx.source.slice(first.start_byte, before_arrow.end_byte)
        if params.type != "formal_parameters" and params.start_byte == first.start_byte:
            param_text = f"({param_text})"
        text = prefix + param_text + ctx.source.slice(arrow.end_byte, value.end_byte)
        dropped += [(value.start_byte, first.start_byte), (before_arrow.end_byte, arrow.start_byte)]
        applicability = Applicability.SAFE  # the rule only converts arrows without lexical `this`
    else:
        keyword = next((child for child in value.children if child.type == "function"), None)
        star = next((child for child in value.children if child.type == "*"), None)
        before_params = star if is_generator and star is not None else keyword
        if before_params is None:
            return []
        text = prefix + ctx.source.slice(before_params.end_byte, value.end_byte)
        dropped.append((value.start_byte, before_params.end_byte))
        constructible = not is_async and not is_generator
        applicability = Applicability.UNSAFE if constructible or _duplicate_params(value, ctx) else Applicability.SAFE
    if any(_comment_in(data, start, end) for start, end in dropped):
        applicability = Applicability.UNSAFE
    return [ctx.replace(key_start, pair.end_byte, text, applicability, "Use method shorthand")]


def longform_fix(method: tree_sitter.Node, key: tree_sitter.Node, ctx: RuleContext) -> list[Fix]:
    """`{a() {}}` to `{a: function() {}}`: the function becomes constructible, hence unsafe."""
    header = ("async function" if _has_child(method, "async") else "function") + ("*" if _has_child(method, "*") else "")
    key_start, key_end = key.start_byte, key.end_byte  # a computed key's brackets included
    text = f"{ctx.source.slice(key_start, key_end)}: {header}"
    return [ctx.replace(method.start_byte, key_end, text, Applicability.UNSAFE, "Use longform method syntax")]


def uses_lexical_this(arrow: tree_sitter.Node) -> bool:
    """Whether `this`, `super`, `new.target` or `arguments` in the arrow refers to the enclosing
    function (as a method, the arrow would get its own)."""
    stack = list(arrow.children)
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in ("this", "super") or (kind == "meta_property" and node.text == b"new.target"):
            return True
        if kind == "identifier" and node.text == b"arguments":
            return True
        if kind not in _OWN_THIS and node.child_count:
            stack.extend(node.children)
    return False


def _duplicate_params(function: tree_sitter.Node, ctx: RuleContext) -> bool:
    """`function(a, a)` is allowed in sloppy code; a method with it is a syntax error."""
    params = function.child_by_field_name("parameters")
    if params is None:
        return False
    names = [ctx.text(child) for child in params.named_children if child.type == "identifier"]
    return len(names) != len(set(names))
