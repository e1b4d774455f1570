"""The SHIPPED checkpoint in models/: loads through the standard API and finds the planted
bugs in the fixtures (written for these tests, not from the corpus), silent on their clean twins."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.model.detector import DEFAULT_MODEL, Detector
from engine.model.modeling import TheaM2ForBugDetection
from engine.parse import Source

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL / "model.safetensors").exists(), reason="no shipped checkpoint")


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(DEFAULT_MODEL)


def test_the_checkpoint_is_safetensors_and_loads_through_from_pretrained() -> None:
    assert not list(DEFAULT_MODEL.rglob("*.bin")) and not list(DEFAULT_MODEL.rglob("*.pt"))
    for name in ("config.json", "model.safetensors", "tokenizer.json", "calibration.json", "MODEL_CARD.md"):
        assert (DEFAULT_MODEL / name).exists(), name
    model = TheaM2ForBugDetection.from_pretrained(DEFAULT_MODEL, use_safetensors=True)
    assert model.config.model_type == "thea-m2-bert"


# Each fixture pair was written for these tests (not taken from the training corpus): the
# clean file, and its twin with one planted bug of the kind named.
# Known shortfall (issue 4 stays open): the planted swap is the top suspect of its file at 0.19
# (argument roles: the callee is declared in the file), but 0.19 is under the default threshold
# 0.56 (at which the 95% upper bound of the false-alarm rate on 65,600 clean validation lines
# stays within the target). The file is short (fewer candidate sites than a training window), so
# its prior of a bug is scaled down (no_bug_min_sites 52). The planted wrong operator is found at 0.85. Strict: once
# a checkpoint reports the swap, the case turns red and the mark must go. (The ranking test
# below holds for both.)
MISSED_SWAP = pytest.mark.xfail(
    strict=True,
    reason="the planted swap scores 0.19 (first in its file, under 0.56); a model trained with "
           "--argument-names scores it 0.99 but has more false alarms",
)
CASES = [
    pytest.param("swapped_arguments", "ml/swapped-arguments", "factor, rectangle", "rectangle, factor",
                 marks=MISSED_SWAP),
    ("wrong_operator", "ml/wrong-operator", "<=", "<"),
]


@pytest.mark.parametrize(("name", "rule_id", "flagged", "repair"), CASES)
def test_finds_the_planted_bug_and_its_repair(detector: Detector, name: str, rule_id: str, flagged: str,
                                              repair: str) -> None:
    _assert_finds_only_the_planted_bug(detector, name, rule_id, flagged)


@pytest.mark.parametrize("name", ["swapped_arguments", "wrong_operator"])
def test_the_clean_twins_are_silent_at_the_default_threshold(detector: Detector, name: str) -> None:
    assert detector.detect(Source((FIXTURES / f"{name}_clean.js").read_text())) == []


def test_at_a_lowered_threshold_reports_the_planted_wrong_operator_alone() -> None:
    """The reporting path end to end with the shipped weights (range, message, confidence, the
    repair that restores the clean twin), at threshold 0.5 (an option): the bug alone in its
    file, nothing in the clean twin."""
    _assert_finds_only_the_planted_bug(Detector(DEFAULT_MODEL, threshold=0.5), "wrong_operator", "ml/wrong-operator", "<=")


def _assert_finds_only_the_planted_bug(detector: Detector, name: str, rule_id: str, flagged: str) -> None:
    buggy = Source((FIXTURES / f"{name}.js").read_text())
    clean = Source((FIXTURES / f"{name}_clean.js").read_text())
    findings = detector.detect(buggy)
    assert [f.rule_id for f in findings] == [rule_id], [f.message for f in findings]
    finding = findings[0]
    assert buggy.slice(finding.start, finding.end) == flagged
    assert 0 <= finding.confidence <= 1 and f"{finding.confidence:.2f}" in finding.message
    fix = finding.fixes[0]
    assert fix.applicability.label in ("unsafe", "display_only")
    from engine.fix.apply import apply_edits

    assert apply_edits(buggy, fix.edits).text == clean.text  # the repair restores the clean twin
    assert detector.detect(clean) == []


@pytest.mark.parametrize(("name", "kind", "flagged", "repair"), [
    ("swapped_arguments", "swapped-arguments", "factor, rectangle", "rectangle, factor"),
    ("wrong_operator", "wrong-operator", "<=", "<"),
])
def test_ranks_the_planted_bug_first_and_above_its_clean_twin(detector: Detector, name: str, kind: str, flagged: str,
                                                              repair: str) -> None:
    """Threshold aside: the planted bug is the top suspect in its file, with the right repair,
    and the same site scores lower in the clean twin."""
    buggy = Source((FIXTURES / f"{name}.js").read_text())
    clean = Source((FIXTURES / f"{name}_clean.js").read_text())
    ranked = sorted(detector.score(buggy), key=lambda d: -d.prediction.confidence)
    top = ranked[0]
    assert (top.site.kind, buggy.slice(top.site.start, top.site.end), top.repair.edit.text) == (kind, flagged, repair)
    twin = [d for d in detector.score(clean) if (d.site.kind, d.site.start) == (kind, top.site.start)]
    assert len(twin) == 1 and twin[0].prediction.confidence < top.prediction.confidence
