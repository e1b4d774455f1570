"""The value of a configuration comment (`eqeqeq: [2, smart], no-var: off`) as ESLint 10 reads it.

`@eslint/plugin-kit`'s ConfigCommentParser.parseJSONLikeConfig: first levn's `Object` type
(implicit braces; bare words; quotes optional; each value cast as levn's `*`: undefined,
null, NaN, booleans, JavaScript numbers, else a string), kept only when every setting
starts with a valid severity; otherwise JSON, after quoting bare keys and adding one comma
that a commaless list lacks (`eqeqeq:2 no-var:2`). A failure of both is a ConfigParseError.
The JSON error's wording is Python's, not V8's.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from engine.directives import JS_SPACE_CHARS

# ESLint's severities; `True == 1` in Python, so booleans are excluded where they are looked up.
SEVERITY_VALUES = frozenset({0, 1, 2, "off", "warn", "error"})


@dataclass(frozen=True)
class ConfigParseError:
    text: str  # the text given to the JSON reader
    error: str


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = _Undefined()  # levn's `undefined`
_SPECIAL = r"\[\]\(\)}{:,"
_TOKEN = re.compile(
    r'("(?:\\"|[^"])*")'
    r"|('(?:\\'|[^'])*')"
    r"|(/(?:\\/|[^/])*/[a-zA-Z]*)"
    r"|(#.*#)"
    rf"|([{_SPECIAL}])"
    rf"|([^\s{_SPECIAL}](?:\s*[^\s{_SPECIAL}]+)*)"
    r"|\s*"
)
_BARE_KEY = re.compile(r"(?<![-a-zA-Z0-9/])([-a-zA-Z0-9/]+):")
_COMMALESS = re.compile(r"([\]0-9])\s+(?=\")")
_JS_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_JS_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F]+)")
_STRING_ESCAPE = re.compile(r"\\([^u]|u[0-9a-fA-F]{4})")


def parse_config_value(text: str) -> dict[str, Any] | ConfigParseError:
    """The rules object of a configuration comment's value (after `eslint`)."""
    try:
        config = _levn_object(text)
        if all(_valid_severity(value) for value in config.values()):
            return config
    except _LevnError:
        pass  # as ESLint: fall back to JSON
    normalized = _COMMALESS.sub(r"\1,", _BARE_KEY.sub(r'"\1":', text), count=1)
    try:
        loaded = json.loads("{" + normalized + "}", parse_constant=_reject_constant)
    except ValueError as error:
        return ConfigParseError(normalized, str(error))
    return loaded


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Unexpected token '{name[0]}'")  # JSON has no NaN or Infinity


def _valid_severity(setting: Any) -> bool:
    first = (setting[0] if setting else UNDEFINED) if isinstance(setting, list) else setting
    return is_severity(first)


def is_severity(value: Any) -> bool:
    """`value` is one of ESLint's severities (`true` is not, though Python's True == 1)."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool) and value in SEVERITY_VALUES


class _LevnError(ValueError):
    pass


def _levn_object(text: str) -> dict[str, Any]:
    """levn.parse("Object", text): implicit braces, bare words, then each value cast as `*`."""
    tokens = [token for token in _TOKEN.split(text) if token]
    fields = _fields(tokens, tokens[:1] == ["{"])
    if tokens:  # levn re-reads the whole text as a tuple, which is not an Object
        raise _LevnError("not an object")
    return {_cast_string(key): _cast(value) for key, value in fields.items()}


def _expect(tokens: list[str], op: str) -> None:
    if not tokens or tokens[0] != op:
        raise _LevnError(f"expected {op!r}")
    tokens.pop(0)


def _fields(tokens: list[str], delimited: bool) -> dict[str, Any]:
    if delimited:
        _expect(tokens, "{")
    result: dict[str, Any] = {}
    until = ",}" if delimited else ","
    while tokens and (not delimited or tokens[0] != "}"):
        key = _value(tokens, ":")
        _expect(tokens, ":")
        result[key] = _element(tokens, until)
        if tokens and tokens[0] == ",":
            tokens.pop(0)
    if delimited:
        _expect(tokens, "}")
    return result


def _list(tokens: list[str], open_: str, close: str) -> list[Any]:
    _expect(tokens, open_)
    result = []
    while tokens and tokens[0] != close:
        result.append(_element(tokens, "," + close))
        if tokens and tokens[0] == ",":
            tokens.pop(0)
    _expect(tokens, close)
    return result


def _value(tokens: list[str], until: str) -> str:
    out = []
    while tokens and tokens[0] not in until:
        out.append(tokens.pop(0))
    return "".join(out)


def _element(tokens: list[str], until: str) -> Any:
    head = tokens[0] if tokens else ""
    if head == "[":
        return _list(tokens, "[", "]")
    if head == "(":
        return _list(tokens, "(", ")")
    if head == "{":
        return _fields(tokens, True)
    return _value(tokens, until)


def _cast(node: Any) -> Any:
    """levn's `*` type on a parsed node (explicit: quotes keep a string a string)."""
    if isinstance(node, list):
        return [_cast(item) for item in node]
    if isinstance(node, dict):
        return {_cast_string(key): _cast(value) for key, value in node.items()}
    if node == "undefined":
        return UNDEFINED
    if node == "null":
        return None
    if node == "NaN":
        return math.nan
    if node in ("true", "false"):
        return node == "true"
    number = js_number(node)
    if not math.isnan(number):
        return int(number) if number.is_integer() else number
    return _cast_string(node)


def _cast_string(text: str) -> str:
    for quote in ('"', "'"):
        if len(text) >= 2 and text[0] == quote and text[-1] == quote:
            return _STRING_ESCAPE.sub(lambda m: _unescape(m.group(1), quote), text[1:-1])
    return text


def _unescape(escaped: str, quote: str) -> str:
    simple = {quote: quote, "\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
    if escaped in simple:
        return simple[escaped]
    if escaped.startswith("u"):
        return chr(int(escaped[1:], 16))
    return escaped


def js_number(text: str) -> float:
    """JavaScript's `Number(text)` for a string: NaN when it is not a number."""
    text = text.strip(JS_SPACE_CHARS)
    if not text:
        return 0.0
    if text in ("Infinity", "+Infinity", "-Infinity"):
        return -math.inf if text[0] == "-" else math.inf
    if match := _JS_RADIX.fullmatch(text):
        base = {"x": 16, "o": 8, "b": 2}[match.group(1).lower()]
        try:
            return float(int(match.group(2), base))
        except ValueError:
            return math.nan
    if _JS_DECIMAL.fullmatch(text):
        return float(text)
    return math.nan


def js_string(value: Any) -> str:
    """JavaScript's `String(value)` for a parsed configuration value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ",".join("" if item is None or item is UNDEFINED else js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)
