"""Edits and fixes: what a finding proposes, with how far it can be trusted."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Applicability(enum.IntEnum):
    """How much a fix can be trusted; a larger value is a more cautious label.

    SAFE: mechanical, keeps meaning and comments; applied by fix-all and `--fix`.
    UNSAFE: valid code whose behaviour may change; a quick fix, or `--unsafe-fixes`.
    DISPLAY_ONLY: a suggestion that may be wrong; never applied automatically.
    """

    SAFE = 0
    UNSAFE = 1
    DISPLAY_ONLY = 2

    @property
    def label(self) -> str:
        return {0: "safe", 1: "unsafe", 2: "display_only"}[self.value]

    @classmethod
    def from_label(cls, label: str) -> Applicability:
        return {"safe": cls.SAFE, "unsafe": cls.UNSAFE, "display_only": cls.DISPLAY_ONLY}[label]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace bytes [start, end) of a Source's UTF-8 data with `text`."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid edit range [{self.start}, {self.end})")


@dataclass(frozen=True, slots=True)
class Fix:
    """One way to resolve a finding: non-overlapping edits, applied together."""

    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    def __post_init__(self) -> None:
        edits = tuple(sorted(self.edits, key=lambda e: (e.start, e.end)))
        for before, after in zip(edits, edits[1:]):
            if before.end > after.start:
                raise ValueError(f"overlapping edits in fix {self.title!r}")
        object.__setattr__(self, "edits", edits)

    @property
    def start(self) -> int:
        return self.edits[0].start

    @property
    def end(self) -> int:
        return self.edits[-1].end

    @classmethod
    def replace(cls, start: int, end: int, text: str, applicability: Applicability, title: str) -> Fix:
        return cls((Edit(start, end, text),), applicability, title)
