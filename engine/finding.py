"""A finding: one problem at one place, from a pattern rule or the ML detector."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from engine.fix.edit import Applicability, Fix


class Severity(enum.IntEnum):
    """ESLint's numbers: 1 warning, 2 error."""

    WARNING = 1
    ERROR = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """`start`/`end` are byte offsets into the analysed Source's UTF-8 data.

    `fixes` is ordered best first; each fix carries its own applicability. `confidence` is
    set by the ML detector only.
    """

    rule_id: str
    message_id: str
    message: str
    start: int
    end: int
    severity: Severity = Severity.ERROR
    fixes: tuple[Fix, ...] = ()
    confidence: float | None = None
    tags: frozenset[str] = field(default_factory=frozenset)  # "unnecessary", "deprecated"

    @property
    def safe_fix(self) -> Fix | None:
        return next((fix for fix in self.fixes if fix.applicability == Applicability.SAFE), None)

    def reported_at(self, threshold: float) -> bool:
        """Whether the finding passes a reporting threshold (a pattern rule's, without a
        confidence, always does)."""
        return self.confidence is None or self.confidence >= threshold

    def best_fix(self, at_most: Applicability) -> Fix | None:
        """The first fix whose label is no more cautious than `at_most`."""
        return next((fix for fix in self.fixes if fix.applicability <= at_most), None)
