"""Findings on the wire between actors and the pool: plain tuples, and back.

Plain values keep the actor's answer independent of how Ray pickles engine classes (a
cluster joined with `--ray-address` may run workers started from another checkout): only
ints, floats, strings and tuples cross the process boundary.
"""

from __future__ import annotations

from typing import Iterable

from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Edit, Fix

# (start, end, text)
WireEdit = tuple[int, int, str]
# (edits, applicability label, title)
WireFix = tuple[tuple[WireEdit, ...], str, str]
# (rule_id, message_id, message, start, end, severity, fixes, confidence, tags)
WireFinding = tuple[str, str, str, int, int, int, tuple[WireFix, ...], float | None, tuple[str, ...]]


def to_wire(findings: Iterable[Finding]) -> list[WireFinding]:
    return [
        (
            f.rule_id,
            f.message_id,
            f.message,
            f.start,
            f.end,
            int(f.severity),
            tuple(
                (tuple((e.start, e.end, e.text) for e in fix.edits), fix.applicability.label, fix.title)
                for fix in f.fixes
            ),
            f.confidence,
            tuple(sorted(f.tags)),
        )
        for f in findings
    ]


def from_wire(rows: Iterable[WireFinding]) -> list[Finding]:
    return [
        Finding(
            rule_id,
            message_id,
            message,
            start,
            end,
            Severity(severity),
            tuple(
                Fix(tuple(Edit(*edit) for edit in edits), Applicability.from_label(label), title)
                for edits, label, title in fixes
            ),
            confidence,
            frozenset(tags),
        )
        for rule_id, message_id, message, start, end, severity, fixes, confidence, tags in rows
    ]
