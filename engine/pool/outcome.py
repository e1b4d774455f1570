"""What a document submitted to the pool comes back as: a PoolResult, or one of these."""

from __future__ import annotations

from dataclasses import dataclass

from engine.finding import Finding


@dataclass(frozen=True)
class PoolResult:
    uri: str
    version: int
    findings: list[Finding]
    seconds: float  # the actor's analysis time
    actor: int  # which slot answered
    attempts: int
    cpu_seconds: float = 0.0  # the actor's CPU time for the analysis


class PoolUnavailable(Exception):
    """The pool cannot analyse: shut down, or every actor is dead."""


class Superseded(Exception):
    """A newer version of the document was submitted; this one was not (or no longer) wanted."""


class QueueFull(Exception):
    """`submit` timed out waiting for room in the queue."""


class DetectorFailed(Exception):
    """The detector raised on this document (a bug, not a dead actor): not retried."""
