"""Open documents: their text and tree (one thread owns them) and immutable snapshots.

A `DocumentModel` is only touched by the document lane (a single worker thread), so edits
apply in the order the client sent them and never race an analysis. Each edit goes through
`engine.parse.parser.Document.apply`: the old tree is edited and re-parsed incrementally.
What leaves the lane is a `Snapshot`: the Source (immutable) and a copy of the tree
(tree-sitter trees are not thread-safe; a copy is cheap and shares unchanged subtrees).

A document is parsed only when it will be analysed: a JavaScript file, not ignored, not
over `max_file_size`, and not binary. The others keep their text only, so that an edit
bringing one back under the limit can be analysed again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import tree_sitter
from lsprotocol import types

from engine.config.resolved import ResolvedConfig
from engine.parse.parser import Document, TextChange, language_for_path
from engine.parse.source import PositionEncoding, Source

logger = logging.getLogger(__name__)

JAVASCRIPT_LANGUAGE_IDS = frozenset({"javascript", "javascriptreact", "js", "jsx"})

# Resolves the config of a path: (config or None, a problem to show or None).
ConfigResolver = Callable[[Path | None], "tuple[ResolvedConfig | None, str | None]"]


@dataclass(frozen=True)
class Notice:
    """Something the user should know about a whole document, shown as one diagnostic."""

    message: str
    severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Information


@dataclass(frozen=True)
class Snapshot:
    """One version of a document, as every finding source sees it. Never mutated."""

    uri: str
    version: int
    path: Path | None
    source: Source
    tree: tree_sitter.Tree | None  # None: not analysed (see `notices`, or not JavaScript)
    config: ResolvedConfig | None
    notices: tuple[Notice, ...] = field(default=())

    @property
    def analysable(self) -> bool:
        return self.tree is not None and self.config is not None


class DocumentModel:
    """The current text of one open document, and its tree when it is analysed."""

    def __init__(self, uri: str, path: Path | None, language_id: str, text: str, version: int) -> None:
        self.uri = uri
        self.path = path
        self.language_id = language_id
        self.version = version
        self._source = Source(text)
        self._document: Document | None = None
        self._config: ResolvedConfig | None = None
        self._config_problem: str | None = None
        # Both depend only on the path, language and config: asked on every snapshot, so
        # worked out once (a pathspec match and Path arithmetic cost more than a small edit).
        self._javascript = self._find_is_javascript()
        self._ignored = False

    @property
    def source(self) -> Source:
        return self._document.source if self._document is not None else self._source

    def configure(self, resolve: ConfigResolver) -> bool:
        """(Re)resolve the document's config: on open, and when settings or config files
        change. True when the config (or its problem) is not the one in use."""
        config, problem = resolve(self.path)
        changed = config is not self._config or problem != self._config_problem
        self._config, self._config_problem = config, problem
        self._ignored = config is not None and self.path is not None and config.is_ignored(self.path, is_dir=False)
        return changed

    def apply(self, changes: list[types.TextDocumentContentChangeEvent], version: int, encoding: PositionEncoding) -> None:
        """Apply LSP content changes, in order (ranges in the negotiated encoding)."""
        text_changes = [_text_change(change) for change in changes]
        if self._document is not None:
            self._document.apply(text_changes, version, encoding)
        else:
            self._source = _apply_text(self._source, text_changes, encoding)
        self.version = version

    def snapshot(self) -> Snapshot:
        """The current version; parses (or drops the tree) when analysability changed."""
        notices, blocked = self._notices()
        wanted = self._config is not None and not blocked and self._is_javascript() and not self._is_ignored()
        if wanted and self._document is None:
            self._document = Document(self._source.text, self.version, self._source.encoding)
        elif not wanted and self._document is not None:
            self._source, self._document = self._document.source, None
        tree = self._document.tree.copy() if self._document is not None else None
        return Snapshot(self.uri, self.version, self.path, self.source, tree, self._config, notices)

    def _notices(self) -> tuple[tuple[Notice, ...], bool]:
        """What to tell the user about the document, and whether it must not be analysed."""
        if not self._is_javascript():
            return (), False
        notices: list[Notice] = []
        if self._config_problem is not None:
            notices.append(Notice(self._config_problem, types.DiagnosticSeverity.Warning))
        if self._config is None or self._is_ignored():
            return tuple(notices), False
        source = self.source
        limit = self._config.max_file_size
        if len(source.data) > limit:
            size, most = human_size(len(source.data)), human_size(limit)
            notices.append(Notice(f"Thea: not analysed: the file is {size}, over max_file_size ({most})."))
            return tuple(notices), True
        if "\x00" in source.text:
            notices.append(Notice("Thea: not analysed: the file contains NUL bytes (binary data?)."))
            return tuple(notices), True
        return tuple(notices), False

    def _is_javascript(self) -> bool:
        return self._javascript

    def _find_is_javascript(self) -> bool:
        if self.path is not None and self.path.suffix:
            if language_for_path(self.path) is not None:
                return True
        return self.language_id.lower() in JAVASCRIPT_LANGUAGE_IDS

    def _is_ignored(self) -> bool:
        return self._ignored


def _text_change(change: types.TextDocumentContentChangeEvent) -> TextChange:
    if isinstance(change, types.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return TextChange(change.text, (start.line, start.character), (end.line, end.character))
    return TextChange(change.text)


def _apply_text(source: Source, changes: list[TextChange], encoding: PositionEncoding) -> Source:
    """Text-only edits, for a document that is not parsed (same semantics as Document.apply)."""
    for change in changes:
        if change.start is None or change.end is None:
            source = Source(change.text, source.encoding)
            continue
        start = source.offset(*change.start, encoding)
        end = max(start, source.offset(*change.end, encoding))
        data = source.data[:start] + change.text.encode("utf-8", "surrogatepass") + source.data[end:]
        source = Source(data.decode("utf-8", "surrogatepass"), source.encoding)
    return source


def human_size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"
