"""What crosses the process boundary: findings as plain tuples, documents as byte arrays."""

from __future__ import annotations

import pickle

from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Edit, Fix
from engine.pool.snapshot import DocumentSnapshot
from engine.pool.wire import from_wire, to_wire


def test_findings_round_trip_as_plain_values() -> None:
    findings = [
        Finding("ml/wrong-operator", "wrong-operator", "`a < b` may be the wrong operator", 3, 8, Severity.WARNING,
                (Fix((Edit(5, 6, "<="),), Applicability.DISPLAY_ONLY, "Use `<=`"),), 0.73),
        Finding("eqeqeq", "unexpected", "Expected '==='", 0, 2, Severity.ERROR,
                (Fix((Edit(0, 1, "x"), Edit(1, 2, "===")), Applicability.UNSAFE, "Use ==="),), None,
                frozenset({"unnecessary", "deprecated"})),
    ]
    rows = to_wire(findings)
    # only builtins: the other side needs no engine classes to unpickle them
    assert pickle.loads(pickle.dumps(rows)) == rows
    assert all(type(value).__module__ == "builtins" for row in rows for value in row)
    assert from_wire(rows) == findings


def test_snapshot_payload_is_the_utf8_bytes() -> None:
    snapshot = DocumentSnapshot("file:///é.js", 7, "const s = '😀';\r\n")
    payload = snapshot.payload()
    assert payload.dtype.name == "uint8" and payload.tobytes() == snapshot.text.encode("utf-8")
    payload.setflags(write=False)  # as Ray hands it over: a read-only view
    assert DocumentSnapshot.from_payload(snapshot.uri, snapshot.version, payload) == snapshot


def test_the_pool_finds_the_shipped_model_where_the_detector_does() -> None:
    from engine.model.detector import default_model_path as detectors_default
    from engine.pool.detector import default_model_path

    assert default_model_path() == detectors_default()
