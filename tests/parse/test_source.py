"""The source model: byte offsets <-> LSP positions (UTF-8/16/32) <-> ESLint coordinates."""

from __future__ import annotations

import pytest

from engine.parse.source import DecodeError, Source

EMOJI = "\U0001F600"  # 4 UTF-8 bytes, 2 UTF-16 units, 1 code point


@pytest.mark.parametrize("text", ["", "a", "\n", "a\nb", "a\n", "\n\n", "a\r\nb\rc\n", "x\r\n\r\ny", "\r"])
def test_line_starts_follow_lsp_line_breaks(text: str) -> None:
    expected, offset = [0], 0
    data = text.encode()
    while offset < len(data):
        if data[offset : offset + 2] == b"\r\n":
            offset += 2
            expected.append(offset)
            continue
        if data[offset : offset + 1] in (b"\r", b"\n"):
            expected.append(offset + 1)
        offset += 1
    assert Source(text).line_starts == expected


def test_positions_in_every_encoding_with_emoji_and_crlf() -> None:
    source = Source(f"a\r\n{EMOJI}b = 1;")
    b = source.data.index(b"b")
    assert source.position(b, "utf-8") == (1, 4)
    assert source.position(b, "utf-16") == (1, 2)
    assert source.position(b, "utf-32") == (1, 1)
    for encoding, column in (("utf-8", 4), ("utf-16", 2), ("utf-32", 1)):
        assert source.offset(1, column, encoding) == b
    assert source.eslint_location(b) == (2, 3)
    assert source.utf16_offset(b) == 5  # "a\r\n" + 2 units of the emoji


def test_line_separators_break_lines_for_eslint_only() -> None:
    source = Source("a\u2028b\nc")
    b, c = source.data.index(b"b"), source.data.index(b"c")
    assert source.position(b) == (0, 2)  # LSP: one line
    assert source.eslint_location(b) == (2, 1)  # ESLint: a new line after U+2028
    assert source.eslint_location(c) == (3, 1)
    assert Source("plain\nascii").eslint_location(6) == (2, 1)


def test_bom_and_utf16_files_decode_and_keep_their_encoding() -> None:
    with_bom = Source.from_bytes(b"\xef\xbb\xbfvar a;\n")
    assert with_bom.text == "var a;\n" and with_bom.encoding.bom
    assert with_bom.encoding.encode(with_bom.text) == b"\xef\xbb\xbfvar a;\n"
    utf16 = Source.from_bytes("\ufeffvar b;".encode("utf-16-le"))
    assert utf16.text == "var b;"


def test_undecodable_bytes_raise_a_clear_error() -> None:
    with pytest.raises(DecodeError, match="byte 9 cannot be decoded"):
        Source.from_bytes(b"var a = '\xc3\x28';")
    with pytest.raises(DecodeError, match="binary"):
        Source.from_bytes(b"\x7fELF\x00\x01")
