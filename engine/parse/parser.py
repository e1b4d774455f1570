"""tree-sitter front end: one JavaScript grammar (JSX included) for .js .mjs .cjs .jsx, and an
incrementally re-parsed `Document` for the language server."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import PurePath

import tree_sitter
import tree_sitter_javascript

from engine.parse.source import Encoding, PositionEncoding, Source

JAVASCRIPT_SUFFIXES = frozenset({".js", ".mjs", ".cjs", ".jsx"})

_local = threading.local()


@functools.cache
def javascript() -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_javascript.language())


def language_for_path(path: str | PurePath) -> tree_sitter.Language | None:
    """The grammar for a file name, or None when Thea does not lint that kind of file."""
    return javascript() if PurePath(path).suffix.lower() in JAVASCRIPT_SUFFIXES else None


def _parser() -> tree_sitter.Parser:
    # tree-sitter parsers are not thread-safe; one per thread is cheap and never contended.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = tree_sitter.Parser(javascript())
    return parser


def parse(source: Source, old_tree: tree_sitter.Tree | None = None) -> tree_sitter.Tree:
    """Parse a whole source; with `old_tree` (already `edit`ed), re-use its unchanged parts."""
    if old_tree is None:
        return _parser().parse(source.data)
    return _parser().parse(source.data, old_tree)


def count_syntax_errors(tree: tree_sitter.Tree) -> int:
    """ERROR and MISSING nodes in a tree: the measure every fix is checked against."""
    if not tree.root_node.has_error:
        return 0
    count = 0
    cursor = tree.walk()
    while True:
        node = cursor.node
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return count


@dataclass(frozen=True, slots=True)
class TextChange:
    """One edit in LSP terms: a (line, column) range in some encoding and its new text.
    `start is None` replaces the whole document."""

    text: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None


class Document:
    """A source plus its tree, re-parsed incrementally as edits arrive (the server's model)."""

    __slots__ = ("source", "tree", "version")

    def __init__(self, text: str, version: int = 0, encoding: Encoding = Encoding()) -> None:
        self.source = Source(text, encoding)
        self.tree = parse(self.source)
        self.version = version

    def apply(self, changes: list[TextChange], version: int, position_encoding: PositionEncoding = "utf-16") -> None:
        """Apply LSP content changes in order; each edits the old tree, then one re-parse
        with the old tree re-uses every unchanged subtree."""
        tree: tree_sitter.Tree | None = self.tree
        source = self.source
        for change in changes:
            if change.start is None or change.end is None:
                source, tree = Source(change.text, source.encoding), None
                continue
            start = source.offset(*change.start, position_encoding)
            end = max(start, source.offset(*change.end, position_encoding))
            new_data = source.data[:start] + change.text.encode("utf-8", "surrogatepass") + source.data[end:]
            new_source = Source(new_data.decode("utf-8", "surrogatepass"), source.encoding)
            if tree is not None:
                new_end = start + len(change.text.encode("utf-8", "surrogatepass"))
                tree.edit(
                    start_byte=start,
                    old_end_byte=end,
                    new_end_byte=new_end,
                    start_point=_point(source, start),
                    old_end_point=_point(source, end),
                    new_end_point=_point(new_source, new_end),
                )
            source = new_source
        self.source = source
        self.tree = parse(source, tree)
        self.version = version


def _point(source: Source, offset: int) -> tuple[int, int]:
    line = source.line_of(offset)
    return line, offset - source.line_starts[line]
