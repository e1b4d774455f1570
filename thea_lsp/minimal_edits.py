"""Quick-fix edits narrowed to the bytes they really change.

A rule's fix may replace a whole construct to say what it rewrites: no-var replaces the
whole declaration (`var x = f(...)` -> `let x = f(...)`), as ESLint's retainRange does, so
that the fix applier keeps other fixes inside it for the next pass. A quick fix applies one
fix alone, so only the changed bytes need to travel: the same result, a diagnostic's `data`
a fraction of the size (on a 4,300-line file, a fifth of the whole publishDiagnostics), and
the editor keeps marks and folds in the untouched part.

The narrowed range never splits a UTF-8 sequence or a `\\r\\n` (a position between `\\r`
and `\\n` is not a place on a line in LSP terms).
"""

from __future__ import annotations


def narrowed(data: bytes, start: int, end: int, text: str) -> tuple[int, int, str]:
    """The edit replacing `data[start:end]` by `text`, without the prefix and suffix that
    the old and the new text share: (start, end, text) with the same effect."""
    old = data[start:end]
    new = text.encode("utf-8", "surrogatepass")
    if old == new or not old or not new:
        return start, end, text  # a no-op, a pure insertion or a pure deletion: nothing to trim
    most = min(len(old), len(new))
    prefix = _common_prefix(old, new, most)
    suffix = _common_suffix(old, new, most - prefix)
    prefix = _back_to_boundary(old, new, prefix)
    while suffix and not _is_boundary(old, len(old) - suffix):
        suffix -= 1
    if prefix == 0 and suffix == 0:
        return start, end, text
    middle = new[prefix : len(new) - suffix].decode("utf-8", "surrogatepass")
    return start + prefix, end - suffix, middle


def _common_prefix(a: bytes, b: bytes, most: int) -> int:
    """Length of the longest common prefix, at most `most` (binary search over slices:
    each comparison is one memcmp in C, never a Python loop over bytes)."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: bytes, b: bytes, most: int) -> int:
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def _back_to_boundary(old: bytes, new: bytes, prefix: int) -> int:
    # old[:prefix] == new[:prefix], so a boundary in one is a boundary in the other
    while prefix and not (_is_boundary(old, prefix) and _is_boundary(new, prefix)):
        prefix -= 1
    return prefix


def _is_boundary(data: bytes, index: int) -> bool:
    """Whether a cut at `index` keeps every UTF-8 sequence and `\\r\\n` whole."""
    if index <= 0 or index >= len(data):
        return True
    byte = data[index]
    return (byte & 0xC0) != 0x80 and not (byte == 0x0A and data[index - 1] == 0x0D)
