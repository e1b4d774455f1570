"""Write a fixed source back to its file, as the file was: same encoding, BOM, line endings
and mode, replaced atomically, and never over a change made on disk since it was read.

The sequence for one file:

1. `read_snapshot(path)` keeps the bytes and the `stat` that the lint saw;
2. fixes are computed with their inserted text in the file's own line ending
   (`dominant_eol` + `with_line_endings`), so a `\\n` a rule inserts into a CRLF file
   becomes `\\r\\n` and no other line is touched;
3. `write_fixed(snapshot, source)` encodes the text as the file was encoded; identical
   bytes are not written at all (the mtime stays); a file whose bytes or mtime moved since
   the snapshot is left alone and reported; otherwise a temporary file in the same directory
   gets the bytes and the mode, is fsynced, and `os.replace`s the original, so a reader sees
   the old file or the new one, never half of one. (A replaced file is a new inode: a
   hard link elsewhere keeps the old text; a symbolic link is followed and stays a link.)
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.finding import Finding
from engine.fix.edit import Edit, Fix
from engine.parse.source import Source

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file as it was read for linting."""

    path: Path  # as given; a symbolic link is resolved when writing, so the link stays a link
    raw: bytes
    mtime_ns: int
    size: int
    mode: int


class WriteStatus(enum.Enum):
    WRITTEN = "written"
    UNCHANGED = "unchanged"  # the fixed bytes equal the file's: not touched
    CHANGED_ON_DISK = "changed-on-disk"  # modified since it was read: not overwritten
    FAILED = "failed"  # an OS error; the original is intact


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    status: WriteStatus
    detail: str = ""


def read_snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """Read a file's bytes and the stat they belong to (OSError propagates)."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        raw = handle.read()
    return Snapshot(Path(path), raw, info.st_mtime_ns, info.st_size, stat.S_IMODE(info.st_mode))


def dominant_eol(text: str) -> str:
    """The line ending most lines of `text` use ("\\n" for a file without line breaks)."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf and cr > crlf:
        return "\r"
    return "\n"


def with_line_endings(findings: list[Finding], eol: str) -> list[Finding]:
    """The findings with every line break their fixes insert written as `eol`."""
    if eol == "\n":
        return findings
    return [_finding_with_eol(finding, eol) if finding.fixes else finding for finding in findings]


def _finding_with_eol(finding: Finding, eol: str) -> Finding:
    fixes = tuple(
        Fix(tuple(Edit(edit.start, edit.end, _convert_eol(edit.text, eol)) for edit in fix.edits), fix.applicability, fix.title)
        if any("\n" in edit.text or "\r" in edit.text for edit in fix.edits)
        else fix
        for fix in finding.fixes
    )
    return dataclasses.replace(finding, fixes=fixes)


def _convert_eol(text: str, eol: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", eol)


def write_fixed(snapshot: Snapshot, source: Source) -> WriteOutcome:
    """Replace the file of `snapshot` with `source`, encoded as the file was."""
    data = source.encoding.encode(source.text)
    if data == snapshot.raw:
        return WriteOutcome(WriteStatus.UNCHANGED)
    try:
        real = Path(os.path.realpath(snapshot.path))
        current = os.stat(real)
        if current.st_mtime_ns != snapshot.mtime_ns or current.st_size != snapshot.size:
            return _changed(snapshot)
        if real.read_bytes() != snapshot.raw:
            return _changed(snapshot)
        _replace_atomically(real, data, snapshot.mode)
    except FileNotFoundError:
        return WriteOutcome(WriteStatus.CHANGED_ON_DISK, "the file was deleted since it was read")
    except OSError as error:
        logger.info("cannot write %s: %s", snapshot.path, error)
        return WriteOutcome(WriteStatus.FAILED, f"cannot write the file: {error.strerror or error}")
    return WriteOutcome(WriteStatus.WRITTEN)


def _changed(snapshot: Snapshot) -> WriteOutcome:
    logger.info("%s changed on disk since it was read; fixes not written", snapshot.path)
    return WriteOutcome(WriteStatus.CHANGED_ON_DISK, "the file changed on disk since it was read")


def _replace_atomically(path: Path, data: bytes, mode: int) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".thea-tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        _keep_owner(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _keep_owner(original: Path, temporary: str) -> None:
    # A new file belongs to whoever runs Thea; give it back to the original owner where allowed
    # (root fixing another user's checkout). Elsewhere the owner is already the same.
    if not hasattr(os, "chown"):
        return
    info = os.stat(original)
    if (info.st_uid, info.st_gid) == (os.getuid(), os.getgid()):
        return
    try:
        os.chown(temporary, info.st_uid, info.st_gid)
    except PermissionError:
        logger.debug("cannot keep the owner of %s", original)
