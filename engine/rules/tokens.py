"""Tokens in ESLint's sense, read off a tree-sitter tree.

ESLint rules often ask for "the token before/after this node" with comments skipped.
tree-sitter has no token stream, but its leaves are tokens, except for literals it splits
(a string's quotes and fragments, a regex's pattern and flags), which count as one token
here, as in espree. Comments are extras that may sit anywhere among children; they are
skipped. Zero-width leaves (MISSING nodes) are not tokens.
"""

from __future__ import annotations

from typing import Iterator

import tree_sitter

# Node types that are one token although tree-sitter gives them children.
ATOMIC_TYPES = frozenset({"string", "regex", "number", "jsx_text", "hash_bang_line", "comment"})


def is_token(node: tree_sitter.Node) -> bool:
    return node.child_count == 0 or node.type in ATOMIC_TYPES


def _skippable(node: tree_sitter.Node) -> bool:
    return node.type == "comment" or node.start_byte == node.end_byte


def first_token(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first token of `node` (comments skipped)."""
    if _skippable(node):
        return None
    if is_token(node):
        return node
    for child in node.children:
        found = first_token(child)
        if found is not None:
            return found
    return None


def last_token(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The last token of `node` (comments skipped)."""
    if _skippable(node):
        return None
    if is_token(node):
        return node
    for child in reversed(node.children):
        found = last_token(child)
        if found is not None:
            return found
    return None


def next_token(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first token after `node` (comments skipped), or None at the end of the file."""
    current: tree_sitter.Node | None = node
    while current is not None:
        sibling = current.next_sibling
        while sibling is not None:
            found = first_token(sibling)
            if found is not None:
                return found
            sibling = sibling.next_sibling
        current = current.parent
    return None


def previous_token(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The last token before `node` (comments skipped), or None at the start of the file."""
    current: tree_sitter.Node | None = node
    while current is not None:
        sibling = current.prev_sibling
        while sibling is not None:
            found = last_token(sibling)
            if found is not None:
                return found
            sibling = sibling.prev_sibling
        current = current.parent
    return None


def tokens(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    """Every token of `node`, in order, comments skipped."""
    if _skippable(node):
        return
    if is_token(node):
        yield node
        return
    for child in node.children:
        yield from tokens(child)


def has_comment_inside(node: tree_sitter.Node, source_data: bytes) -> bool:
    """Whether a comment lies within `node`'s range (checked on the text first: cheap)."""
    text = source_data[node.start_byte : node.end_byte]
    if b"//" not in text and b"/*" not in text:
        return False
    return _contains_comment(node)


def _contains_comment(node: tree_sitter.Node) -> bool:
    for child in node.children:
        if child.type == "comment" or (child.child_count and child.type not in ATOMIC_TYPES and _contains_comment(child)):
            return True
    return False

