"""The values of string literals and static template literals, as JavaScript cooks them.

ESLint rules compare `Literal.value` (the cooked string) where tree-sitter only gives the
raw text; `string_value` decodes the escapes (`\\n`, `\\x41`, `\\u{1F600}`, legacy octal,
line continuations). Lone surrogates stay as Python surrogate code points.
"""

from __future__ import annotations

import re

import tree_sitter

_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_LINE_TERMINATORS = "\n\r\u2028\u2029"
_OCTAL_DIGITS = "01234567"
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

# A raw string body with a legacy octal (`\1`, `\01`) or non-octal decimal (`\8`, `\9`) escape.
_OCTAL_OR_DECIMAL_ESCAPE = re.compile(r"^(?:[^\\]|\\.)*\\(?:[1-9]|0\d)", re.DOTALL)


def string_value(node: tree_sitter.Node) -> str | None:
    """The cooked value of a `string` node, or of a `template_string` without substitutions;
    None for anything else (or for a template whose cooked value is undefined)."""
    if node.type == "string":
        raw = node.text.decode("utf-8", "surrogatepass") if node.text is not None else ""
        return cook(raw[1:-1], template=False)
    if node.type == "template_string" and is_static_template(node):
        raw = node.text.decode("utf-8", "surrogatepass") if node.text is not None else ""
        return cook(raw[1:-1].replace("\r\n", "\n").replace("\r", "\n"), template=True)
    return None


def is_static_template(node: tree_sitter.Node) -> bool:
    """A template literal without `${}` substitutions (ESLint's `isStaticTemplateLiteral`)."""
    return node.type == "template_string" and not any(
        child.type == "template_substitution" for child in node.named_children
    )


def has_octal_or_decimal_escape(raw_body: str) -> bool:
    """Whether a string literal's raw body (quotes removed) has `\\1`-`\\9` or `\\0` + digit."""
    return "\\" in raw_body and _OCTAL_OR_DECIMAL_ESCAPE.match(raw_body) is not None


def cook(body: str, *, template: bool) -> str | None:
    """Decode the escapes of a literal's body; None where a template's value is undefined."""
    if "\\" not in body:
        return body
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        char = body[i]
        if char != "\\" or i + 1 >= n:
            out.append(char)
            i += 1
            continue
        escape = body[i + 1]
        i += 2
        if escape in _LINE_TERMINATORS:  # line continuation
            if escape == "\r" and i < n and body[i] == "\n":
                i += 1
        elif escape in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[escape])
        elif escape == "x":
            digits = body[i : i + 2]
            if len(digits) != 2 or not set(digits) <= _HEX_DIGITS:
                return None
            out.append(chr(int(digits, 16)))
            i += 2
        elif escape == "u":
            decoded = _unicode_escape(body, i)
            if decoded is None:
                return None
            code, i = decoded
            out.append(chr(code))
        elif escape == "0" and (i >= n or not body[i].isdigit()):
            out.append("\0")
        elif escape in _OCTAL_DIGITS:
            if template:
                return None
            # Legacy octal: up to three digits when the first is 0-3, else up to two.
            limit = 3 if escape in "0123" else 2
            digits = escape
            while len(digits) < limit and i < n and body[i] in _OCTAL_DIGITS:
                digits += body[i]
                i += 1
            out.append(chr(int(digits, 8)))
        elif escape in "89" and template:
            return None
        else:
            out.append(escape)
    return "".join(out)


def _unicode_escape(body: str, i: int) -> tuple[int, int] | None:
    """(code point, index after) for the text after `\\u` at `i`."""
    if body[i : i + 1] == "{":
        close = body.find("}", i)
        digits = body[i + 1 : close] if close > 0 else ""
        if not digits or not set(digits) <= _HEX_DIGITS or int(digits, 16) > 0x10FFFF:
            return None
        return int(digits, 16), close + 1
    digits = body[i : i + 4]
    if len(digits) != 4 or not set(digits) <= _HEX_DIGITS:
        return None
    return int(digits, 16), i + 4
