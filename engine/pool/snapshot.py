"""The pool's unit of work: one immutable version of one document.

A snapshot travels to a detector actor through Ray's object store as a numpy `uint8`
array of its UTF-8 bytes (`payload`): the driver puts it once, every actor that reads it
(a first try, a retry elsewhere) maps the same shared-memory buffer without a copy, and no
document is pickled again per attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class DocumentSnapshot:
    uri: str  # a file URI in the server, the absolute path in batch mode
    version: int  # the editor's document version (batch mode: 0); results carry it back
    text: str

    def payload(self) -> np.ndarray:
        """The text as UTF-8 bytes in a (n,) uint8 array, for `ray.put`."""
        return np.frombuffer(self.text.encode("utf-8"), dtype=np.uint8)

    @classmethod
    def from_payload(cls, uri: str, version: int, payload: np.ndarray) -> DocumentSnapshot:
        # `payload` is a read-only view on the object store; bytes(...) is the one copy made
        return cls(uri, version, bytes(payload).decode("utf-8"))
