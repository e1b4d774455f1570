"""Whether two tokens may be written with nothing between them (ESLint's `canTokensBeAdjacent`).

Fixes that move or rewrite tokens must not glue two of them into one: `typeof` + `x` gives
`typeofx`, `a +` + `+b` gives `a ++b`, `1` + `.a` gives the number `1.`. ESLint re-tokenises
the two texts with espree; here the few ways two JavaScript tokens can merge are checked on
their texts, which is enough for the tokens rules put side by side.
"""

from __future__ import annotations


def is_identifier_part(char: str) -> bool:
    """Characters that continue an identifier, keyword or number (non-ASCII letters included)."""
    return char.isalnum() or char in "_$\\" or ord(char) > 0x7F


def can_be_adjacent(left: str, right: str) -> bool:
    """Whether the token `left` directly followed by the token `right` still reads as those two."""
    if not left or not right:
        return True
    last, first = left[-1], right[0]
    if is_identifier_part(last) and is_identifier_part(first):
        return False
    if left[0] == "/" and last == "/" and len(left) > 1 and is_identifier_part(first):
        return False  # regex flags: `/a/` + `in` reads as `/a/in`
    if first == "." and (left[0].isdigit() or (left[0] == "." and left[1:2].isdigit())):
        return "." in left or any(c in left for c in "xXeEbBoOn")  # `1` + `.a` reads as `1.` `a`
    if last == "." and first.isdigit():
        return False
    if last in "+-" and first == last:
        return False
    if last == "/" and first in "/*":
        return False
    return True
