"""The one place that maps byte offsets <-> (line, column) <-> code points.

tree-sitter reports UTF-8 byte offsets; LSP clients speak UTF-8, UTF-16 or UTF-32 columns;
ESLint's JSON speaks 1-based lines, 1-based UTF-16 columns and UTF-16 `range` offsets.
Everything in Thea stores byte offsets into `Source.data` (the UTF-8 text, BOM removed) and
converts here, on the way out.

Line breaks are `\\r\\n`, `\\n` and `\\r` (LSP's definition): U+2028 and U+2029 are not line
breaks for LSP positions. ESLint's coordinates (`eslint_location`) do break at them, as
ESLint itself does.
"""

from __future__ import annotations

import bisect
import itertools
import codecs
import re
from dataclasses import dataclass
from typing import Literal

PositionEncoding = Literal["utf-8", "utf-16", "utf-32"]

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_ESLINT_LINE_BREAK = re.compile(rb"\r\n|\r|\n|\xe2\x80\xa8|\xe2\x80\xa9")


class DecodeError(ValueError):
    """The bytes of a file are not text in an encoding Thea reads (UTF-8, or UTF-16 with a BOM)."""


@dataclass(frozen=True, slots=True)
class Encoding:
    """How a file was stored on disk, so that a rewrite keeps it byte for byte."""

    codec: str = "utf-8"  # "utf-8", "utf-16-le" or "utf-16-be"
    bom: bool = False

    def encode(self, text: str) -> bytes:
        body = text.encode(self.codec, "surrogatepass")
        if not self.bom:
            return body
        marks = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
        return marks[self.codec] + body


def decode_bytes(raw: bytes) -> tuple[str, Encoding]:
    """Decode file bytes; raise DecodeError for binary data or an unknown encoding."""
    if raw.startswith(codecs.BOM_UTF8):
        codec, bom, body = "utf-8", True, raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith(codecs.BOM_UTF16_LE):
        codec, bom, body = "utf-16-le", True, raw[2:]
    elif raw.startswith(codecs.BOM_UTF16_BE):
        codec, bom, body = "utf-16-be", True, raw[2:]
    else:
        codec, bom, body = "utf-8", False, raw
    if codec == "utf-8" and b"\x00" in body:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        raise DecodeError(f"not valid {codec.upper()}: byte {error.start} cannot be decoded") from None
    return text, Encoding(codec, bom)


def _line_starts(data: bytes) -> list[int]:
    """Byte offsets where lines start (after `\\n`, `\\r\\n` or a lone `\\r`)."""
    if b"\r" in data:
        return [0] + [m.end() for m in _LINE_BREAK.finditer(data)]
    # Only `\\n`: the running sum of line lengths, in C.
    starts = list(itertools.accumulate(map((1).__add__, map(len, data.split(b"\n"))), initial=0))
    starts.pop()  # the end of the text, not the start of a line
    return starts


class Source:
    """An immutable text with its UTF-8 bytes and a line index.

    >>> s = Source("a\\r\\n😀b")
    >>> s.position(s.data.index(b"b"), "utf-16")
    (1, 2)
    """

    __slots__ = ("text", "data", "line_starts", "encoding", "_ascii", "_utf16_line_starts", "_eslint_line_starts")
    # _eslint_line_starts: None until first asked; [] when the text has no U+2028/U+2029

    def __init__(self, text: str, encoding: Encoding = Encoding()) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self.encoding = encoding
        self._ascii = len(self.data) == len(text)
        self.line_starts = _line_starts(self.data)
        self._utf16_line_starts: list[int] | None = None
        self._eslint_line_starts: list[int] | None = None

    @classmethod
    def from_bytes(cls, raw: bytes) -> Source:
        text, encoding = decode_bytes(raw)
        return cls(text, encoding)

    def __len__(self) -> int:
        return len(self.data)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def slice(self, start: int, end: int) -> str:
        """The text between two byte offsets."""
        return self.data[start:end].decode("utf-8", "surrogatepass")

    def line_of(self, offset: int) -> int:
        """0-based line holding a byte offset (an offset inside `\\r\\n` stays on its line)."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_end(self, line: int) -> int:
        """Byte offset of the end of a line's content (before its line break)."""
        if line + 1 < len(self.line_starts):
            end = self.line_starts[line + 1]
            while end > self.line_starts[line] and self.data[end - 1] in (0x0A, 0x0D):
                end -= 1
            return end
        return len(self.data)

    def line_text(self, line: int) -> str:
        return self.slice(self.line_starts[line], self.line_end(line))

    # --- byte offset -> (line, column) -------------------------------------------------------

    def position(self, offset: int, encoding: PositionEncoding = "utf-16") -> tuple[int, int]:
        """(0-based line, 0-based column in `encoding` units) of a byte offset."""
        offset = max(0, min(offset, len(self.data)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        if self._ascii or encoding == "utf-8":
            return line, offset - start
        prefix = self.data[start:offset].decode("utf-8", "surrogatepass")
        if encoding == "utf-32":
            return line, len(prefix)
        return line, _utf16_length(prefix)

    def eslint_location(self, offset: int) -> tuple[int, int]:
        """ESLint's 1-based line and 1-based UTF-16 column of a byte offset.

        ESLint, unlike LSP, also breaks lines at U+2028 and U+2029 (anywhere, strings and
        comments included), so a text holding them gets a second line index for ESLint."""
        if self._eslint_line_starts is None:
            self._eslint_line_starts = self._find_eslint_line_starts()
        if not self._eslint_line_starts:
            line, column = self.position(offset, "utf-16")
            return line + 1, column + 1
        offset = max(0, min(offset, len(self.data)))
        line = bisect.bisect_right(self._eslint_line_starts, offset) - 1
        prefix = self.data[self._eslint_line_starts[line] : offset].decode("utf-8", "surrogatepass")
        return line + 1, _utf16_length(prefix) + 1

    def _find_eslint_line_starts(self) -> list[int]:
        """ESLint's line starts, or [] where they are the LSP ones (searched once per text)."""
        if self._ascii or (b"\xe2\x80\xa8" not in self.data and b"\xe2\x80\xa9" not in self.data):
            return []
        return [0] + [m.end() for m in _ESLINT_LINE_BREAK.finditer(self.data)]

    def utf16_offset(self, offset: int) -> int:
        """Index of a byte offset in the UTF-16 text (ESLint's `range` and `fix.range`)."""
        if self._ascii:
            return max(0, min(offset, len(self.data)))
        line, column = self.position(offset, "utf-16")
        return self._utf16_starts()[line] + column

    def _utf16_starts(self) -> list[int]:
        if self._utf16_line_starts is None:
            starts, total = [], 0
            bounds = self.line_starts + [len(self.data)]
            for line in range(len(self.line_starts)):
                starts.append(total)
                total += _utf16_length(self.data[bounds[line] : bounds[line + 1]].decode("utf-8", "surrogatepass"))
            self._utf16_line_starts = starts
        return self._utf16_line_starts

    # --- (line, column) -> byte offset -------------------------------------------------------

    def offset(self, line: int, column: int, encoding: PositionEncoding = "utf-16") -> int:
        """Byte offset of a (0-based line, column) position; out-of-range values are clamped
        to the document, as LSP asks (a column past the line end means the line end)."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.data)
        start, end = self.line_starts[line], self.line_end(line)
        column = max(0, column)
        if self._ascii or encoding == "utf-8":
            offset = min(start + column, end)
            # Never split a UTF-8 sequence: move back to the start of the character.
            while offset > start and offset < len(self.data) and (self.data[offset] & 0xC0) == 0x80:
                offset -= 1
            return offset
        units = 0
        offset = start
        for char in self.slice(start, end):
            width = 2 if encoding == "utf-16" and ord(char) > 0xFFFF else 1
            if units + width > column:
                break
            units += width
            offset += len(char.encode("utf-8", "surrogatepass"))
        return offset

    def code_point_offset(self, offset: int) -> int:
        """Index of a byte offset in `text` (Python's code-point indexing)."""
        return len(self.data[: max(0, min(offset, len(self.data)))].decode("utf-8", "surrogatepass"))

    def byte_offset(self, code_point_index: int) -> int:
        """Byte offset of an index into `text`."""
        return len(self.text[:code_point_index].encode("utf-8", "surrogatepass"))


def _utf16_length(text: str) -> int:
    # Encoding in C is ~20x faster than counting astral characters in Python; a lone
    # surrogate (surrogatepass) is one unit either way.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
