"""What a literal or a property key is, statically, as ESLint's `getStaticPropertyName`.

ESLint compares object keys and literal operands by value: `a`, `'a'`, `"\\x61"` and
`[`a`]` name the same key; `1`, `1.0`, `0x1` and `1n` all name the key "1". tree-sitter only
gives raw text, so this module cooks strings (with `engine.rules.literals`) and prints
numbers as JavaScript's `Number.prototype.toString` does.
"""

from __future__ import annotations

import math

import tree_sitter

from engine.rules.literals import string_value
from engine.rules.nodes import unparenthesized

# Literal node types whose `String(value)` is their own source text.
_VERBATIM_LITERALS = frozenset({"null", "true", "false", "regex"})


def number_value(raw: str) -> float | int | None:
    """The value of a numeric literal: an int for a BigInt (`10n`), else a float."""
    text = raw.replace("_", "")
    bigint = text.endswith("n")
    if bigint:
        text = text[:-1]
    lowered = text.lower()
    try:
        if lowered.startswith(("0x", "0o", "0b")):
            value: float | int = int(lowered, 0)
        elif len(text) > 1 and text[0] == "0" and text.isdigit():
            # Legacy octal (`017`), unless a digit 8 or 9 makes it decimal (`019`).
            value = int(text, 8) if set(text) <= set("01234567") else int(text, 10)
        else:
            value = int(text, 10) if bigint else float(text)
    except ValueError:
        return None
    if bigint:
        return int(value)
    return float(value)


def js_number_string(value: float) -> str:
    """`String(value)` for a JavaScript number (ECMA-262 Number::toString, radix 10)."""
    if math.isnan(value):
        return "NaN"
    if value == 0:
        return "0"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    sign = "-" if value < 0 else ""
    # repr gives the shortest round-tripping digits, as JavaScript requires.
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + (int(exponent) if exponent else 0)  # decimal point after `point` digits
    point -= len(whole + fraction) - len((whole + fraction).lstrip("0"))
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    exp = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + (digits if k == 1 else digits[0] + "." + digits[1:]) + exp


def static_string_value(node: tree_sitter.Node) -> str | None:
    """`String(value)` of a literal or of a template literal without substitutions, else None
    (ESLint's `getStaticStringValue`). Parentheses are looked through, as ESTree drops them."""
    node = unparenthesized(node)
    kind = node.type
    if kind in ("string", "template_string"):
        return string_value(node)
    if kind == "number":
        value = number_value(node.text.decode() if node.text is not None else "")
        if value is None:
            return None
        return str(value) if isinstance(value, int) else js_number_string(value)
    if kind in _VERBATIM_LITERALS:
        return node.text.decode("utf-8", "surrogatepass") if node.text is not None else None
    return None


def static_property_name(node: tree_sitter.Node) -> str | None:
    """The static name of a property, method or member access, else None.

    `node` is a `pair`, `method_definition`, `field_definition`, `shorthand_property_identifier`,
    `member_expression` or `subscript_expression`, or in a destructuring pattern a
    `pair_pattern` or `shorthand_property_identifier_pattern`.
    """
    kind = node.type
    if kind in ("shorthand_property_identifier", "shorthand_property_identifier_pattern"):
        return _text(node)
    if kind in ("pair", "pair_pattern"):
        key = node.child_by_field_name("key")
    elif kind == "method_definition":
        key = node.child_by_field_name("name")
    elif kind == "field_definition":
        key = node.child_by_field_name("property")
    elif kind == "member_expression":
        key = node.child_by_field_name("property")
    elif kind == "subscript_expression":
        index = node.child_by_field_name("index")
        return static_string_value(index) if index is not None else None
    else:
        return None
    if key is None:
        return None
    if key.type == "property_identifier":
        return _text(key)
    if key.type == "computed_property_name":
        inner = next((child for child in key.named_children if child.type != "comment"), None)
        return static_string_value(inner) if inner is not None else None
    return static_string_value(key)  # a string or number key; a private name gives None


def _text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "surrogatepass") if node.text is not None else ""
