"""The value of `--rule`, in ESLint's syntax or as JSON.

ESLint parses `--rule` with levn: `'eqeqeq: error'`, `'eqeqeq: [error, smart]'`,
`'eqeqeq: [error, always, {null: ignore}]'`, several rules separated by commas, with or
without the outer braces; strings may be bare words or quoted. JSON (`'{"eqeqeq": "warn"}'`)
is the same syntax with every string quoted. Bare `true`, `false` and `null` and numbers
are those values. The result is {rule id: raw entry}, validated later by the config.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<punct>[{}\[\],:])
      | "(?P<dq>(?:[^"\\]|\\.)*)"
      | '(?P<sq>(?:[^'\\]|\\.)*)'
      | (?P<word>[^\s{}\[\],:"']+)
    )""",
    re.VERBOSE,
)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?$")
_KEYWORDS: dict[str, Any] = {"true": True, "false": False, "null": None}


class RuleFlagError(ValueError):
    """The text of `--rule` is not a rule mapping."""


def parse_rule_flag(text: str) -> dict[str, Any]:
    """{rule id: entry} from one `--rule` value."""
    tokens = _tokenize(text)
    parser = _Parser(tokens, text)
    if tokens and tokens[0] == ("punct", "{"):
        value = parser.value()
    else:
        value = parser.pairs(closing=None)
    if parser.position != len(tokens):
        raise RuleFlagError(f"unexpected {_show(tokens[parser.position])} in --rule {text!r}")
    if not isinstance(value, dict) or not value:
        raise RuleFlagError(f"expected 'rule-id: severity' or 'rule-id: [severity, options...]', got {text!r}")
    return value


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise RuleFlagError(f"cannot read --rule {text!r} at character {position + 1}")
        position = match.end()
        if match.group("punct"):
            tokens.append(("punct", match.group("punct")))
        elif match.group("dq") is not None or match.group("sq") is not None:
            raw = match.group("dq") if match.group("dq") is not None else match.group("sq")
            tokens.append(("string", re.sub(r"\\(.)", r"\1", raw)))
        else:
            word = match.group("word")
            if word in _KEYWORDS:
                tokens.append(("keyword", word))
            elif _NUMBER.match(word):
                tokens.append(("number", word))
            else:
                tokens.append(("string", word))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise RuleFlagError(f"--rule {self.text!r} ends too early")
        self.position += 1
        return token

    def expect(self, punct: str) -> None:
        token = self.take()
        if token != ("punct", punct):
            raise RuleFlagError(f"expected '{punct}' but found {_show(token)} in --rule {self.text!r}")

    def value(self) -> Any:
        token = self.take()
        if token == ("punct", "["):
            items: list[Any] = []
            while self.peek() != ("punct", "]"):
                items.append(self.value())
                if self.peek() == ("punct", ","):
                    self.take()
                elif self.peek() != ("punct", "]"):
                    raise RuleFlagError(f"expected ',' or ']' in --rule {self.text!r}")
            self.take()
            return items
        if token == ("punct", "{"):
            result = self.pairs(closing="}")
            self.expect("}")
            return result
        kind, text = token
        if kind == "punct":
            raise RuleFlagError(f"unexpected {_show(token)} in --rule {self.text!r}")
        if kind == "keyword":
            return _KEYWORDS[text]
        if kind == "number":
            return float(text) if any(c in text for c in ".eE") else int(text)
        return text

    def pairs(self, closing: str | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self.peek() is not None and self.peek() != ("punct", closing):
            kind, key = self.take()
            if kind == "punct":
                raise RuleFlagError(f"expected a key but found '{key}' in --rule {self.text!r}")
            self.expect(":")
            result[key] = self.value()  # a key is its text: `null: ignore` keys "null"
            if self.peek() == ("punct", ","):
                self.take()
        return result


def _show(token: tuple[str, str]) -> str:
    return f"'{token[1]}'" if token[0] == "punct" else repr(token[1])
