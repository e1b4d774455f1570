"""Parsing: the source model (offsets, lines, encodings) and the tree-sitter front end."""

from engine.parse.source import DecodeError, Encoding, Source
from engine.parse.parser import Document, language_for_path, parse

__all__ = ["DecodeError", "Document", "Encoding", "Source", "language_for_path", "parse"]
