"""Syntax errors of a tree as data: where tree-sitter put ERROR and MISSING nodes.

The syntax-repair rules (spaced-operator, missing-token) re-parse a file with a candidate
edit and compare these; all of it runs only on trees with `has_error`, so clean files pay
nothing.
"""

from __future__ import annotations

import functools
from typing import Iterable

import tree_sitter

from engine.fix.apply import apply_edits
from engine.fix.edit import Edit
from engine.parse.parser import javascript, parse
from engine.parse.source import Source

Span = tuple[str, int, int]  # ("ERROR" or "MISSING <token>", start byte, end byte)


@functools.cache
def _missing_query() -> tree_sitter.Query:
    return tree_sitter.Query(javascript(), "(MISSING) @missing")


@functools.cache
def _error_query() -> tree_sitter.Query:
    return tree_sitter.Query(javascript(), "(ERROR) @error")


def error_nodes(tree: tree_sitter.Tree) -> list[tree_sitter.Node]:
    """The ERROR nodes of a tree (nested ones included), in source order."""
    if not tree.root_node.has_error:
        return []
    nodes = tree_sitter.QueryCursor(_error_query()).captures(tree.root_node).get("error", [])
    return sorted(nodes, key=lambda node: node.start_byte)


def missing_nodes(tree: tree_sitter.Tree) -> list[tree_sitter.Node]:
    """The MISSING nodes of a tree, in source order (none, at no cost, on a clean tree)."""
    if not tree.root_node.has_error:
        return []
    nodes = tree_sitter.QueryCursor(_missing_query()).captures(tree.root_node).get("missing", [])
    return sorted(nodes, key=lambda node: node.start_byte)


def error_spans(tree: tree_sitter.Tree) -> frozenset[Span]:
    """Every ERROR and MISSING node of a tree, walking only subtrees that hold an error."""
    spans: set[Span] = set()
    if not tree.root_node.has_error:
        return frozenset()
    cursor = tree.walk()
    while True:
        node = cursor.node
        if node.is_error:
            spans.add(("ERROR", node.start_byte, node.end_byte))
        elif node.is_missing:
            spans.add((f"MISSING {node.type}", node.start_byte, node.end_byte))
        if node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return frozenset(spans)


def spans_after_removal(spans: Iterable[Span], removed: list[tuple[int, int]]) -> frozenset[Span]:
    """Map spans of a text from which the byte ranges `removed` (of the original, sorted,
    disjoint) were deleted back to offsets of the original text."""

    def original(offset: int) -> int:
        for start, end in removed:
            if offset >= start:
                offset += end - start
        return offset

    return frozenset((kind, original(start), original(end)) for kind, start, end in spans)


def reparse(source: Source, tree: tree_sitter.Tree, edits: Iterable[Edit]) -> tree_sitter.Tree:
    """The tree of `source` with single-line `edits` applied, parsed incrementally from a copy
    of `tree` (tree-sitter re-uses every subtree the edits do not touch)."""
    edited = tree.copy()
    ordered = sorted(edits, key=lambda edit: edit.start)
    for edit in reversed(ordered):  # back to front: earlier offsets stay valid
        start = _point(source, edit.start)
        new_end = (start[0], start[1] + len(edit.text.encode("utf-8", "surrogatepass")))
        edited.edit(
            start_byte=edit.start,
            old_end_byte=edit.end,
            new_end_byte=edit.start + len(edit.text.encode("utf-8", "surrogatepass")),
            start_point=start,
            old_end_point=_point(source, edit.end),
            new_end_point=new_end,
        )
    return parse(apply_edits(source, ordered), edited)


def _point(source: Source, offset: int) -> tuple[int, int]:
    line = source.line_of(offset)
    return line, offset - source.line_starts[line]
