"""engine/fix/writer.py on real files: encodings, line endings, mode, unchanged files, races."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from engine.finding import Finding
from engine.fix.apply import apply_edits, apply_fixes
from engine.fix.edit import Applicability, Edit, Fix
from engine.fix.writer import WriteStatus, dominant_eol, read_snapshot, with_line_endings, write_fixed
from engine.linter import RuleSet, lint_source
from engine.parse.source import Source

EQEQEQ = RuleSet.only(["eqeqeq"])


def _fix_file(path: Path) -> WriteStatus:
    snapshot = read_snapshot(path)
    source = Source.from_bytes(snapshot.raw)
    fixed = apply_fixes(source, lambda s, t: lint_source(s, t, EQEQEQ), Applicability.SAFE)
    return write_fixed(snapshot, fixed.source).status


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"if (typeof a == 'x') {}\r\n", b"if (typeof a === 'x') {}\r\n"),
        (b"\xef\xbb\xbfif (typeof a == 'x') {}\n", b"\xef\xbb\xbfif (typeof a === 'x') {}\n"),
        (
            b"\xff\xfe" + "if (typeof a == 'é') {}\r\n".encode("utf-16-le"),
            b"\xff\xfe" + "if (typeof a === 'é') {}\r\n".encode("utf-16-le"),
        ),
        (
            b"\xfe\xff" + "if (typeof a == '😀') {}\n".encode("utf-16-be"),
            b"\xfe\xff" + "if (typeof a === '😀') {}\n".encode("utf-16-be"),
        ),
        (b"x = 1;\rif (typeof a == 'x') {}\r", b"x = 1;\rif (typeof a === 'x') {}\r"),
    ],
    ids=["crlf", "utf8-bom", "utf16le-bom", "utf16be-bom", "cr"],
)
def test_encoding_and_line_endings_are_kept(tmp_path: Path, raw: bytes, expected: bytes) -> None:
    path = tmp_path / "a.js"
    path.write_bytes(raw)
    assert _fix_file(path) == WriteStatus.WRITTEN
    assert path.read_bytes() == expected


def test_mode_is_kept_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    path = tmp_path / "a.js"
    path.write_text("if (typeof a == 'x') {}\n")
    os.chmod(path, 0o751)
    assert _fix_file(path) == WriteStatus.WRITTEN
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["a.js"]


def test_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "a.js"
    path.write_text("if (a === b) {}\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert _fix_file(path) == WriteStatus.UNCHANGED
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.js"
    path.write_text("if (typeof a == 'x') {}\n")
    snapshot = read_snapshot(path)
    fixed = apply_edits(Source.from_bytes(snapshot.raw), [Edit(13, 15, "===")])
    path.write_text("if (typeof a == 'y') {}\n")  # same size, new content
    os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))  # even with the old mtime
    assert write_fixed(snapshot, fixed).status == WriteStatus.CHANGED_ON_DISK
    assert path.read_text() == "if (typeof a == 'y') {}\n"
    path.unlink()
    assert write_fixed(snapshot, fixed).status == WriteStatus.CHANGED_ON_DISK
    assert not path.exists()


def test_a_symlinked_file_is_fixed_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.js"
    real.write_text("if (typeof a == 'x') {}\n")
    link = tmp_path / "link.js"
    link.symlink_to(real)
    assert _fix_file(link) == WriteStatus.WRITTEN
    assert link.is_symlink() and real.read_text() == "if (typeof a === 'x') {}\n"


def test_inserted_line_breaks_follow_the_files_line_ending(tmp_path: Path) -> None:
    assert dominant_eol("a\r\nb\r\nc\n") == "\r\n"
    assert dominant_eol("a\nb\r\nc\n") == "\n"
    assert dominant_eol("a\rb\r") == "\r"
    assert dominant_eol("no break") == "\n"
    source = Source("a;\r\nb;\r\n")
    fix = Fix((Edit(2, 2, "\n// added\n"),), Applicability.SAFE, "insert")
    finding = Finding("demo", "m", "m", 0, 1, fixes=(fix,))
    (converted,) = with_line_endings([finding], dominant_eol(source.text))
    assert converted.fixes[0].edits[0].text == "\r\n// added\r\n"
    assert apply_edits(source, converted.fixes[0].edits).text == "a;\r\n// added\r\n\r\nb;\r\n"
    assert with_line_endings([finding], "\n") == [finding]
