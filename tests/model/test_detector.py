"""The detector on a tiny untrained checkpoint: save/load of the ensemble directory, whole
documents, long documents split into overlapping windows, findings' shape."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from engine.fix.edit import Applicability
from engine.model.checkpoint import load_calibration, member_dirs
from engine.model.detector import Detector
from tests.model.tiny_detector import FUNCTION, build_tiny_detector
from engine.parse import Source

@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_detector(tmp_path_factory.mktemp("detector"), members=3)


def test_ensemble_directory_round_trip(tiny: Path) -> None:
    assert len(member_dirs(tiny)) == 1  # one encoder, its three heads the members
    assert load_calibration(tiny).loc_temperatures == [1.0, 1.0, 1.0]
    detector = Detector(tiny)
    assert detector.members[0].config.hidden_size == 16
    assert len(detector.members[0].heads) == 3


def test_the_heads_are_members_that_disagree(tiny: Path) -> None:
    from engine.model.ensemble import member_scores
    from engine.model.features import featurize
    from engine.model.sites import find_sites
    from engine.model.tokenizer import encode, marker_ids
    from engine.parse import parse

    detector = Detector(tiny)
    source = Source(FUNCTION.format(i=3))
    features = featurize(encode(detector.tokenizer, source), find_sites(parse(source)), marker_ids(detector.tokenizer))
    per_member = member_scores(detector.members, [features], detector.calibration)
    assert len(per_member) == 3
    assert not torch.allclose(per_member[0].site_prob, per_member[1].site_prob), "heads start apart"


def test_long_documents_are_split_into_overlapping_windows(tiny: Path) -> None:
    source = Source("".join(FUNCTION.format(i=i) for i in range(40)))
    whole = Detector(tiny, context_length=4096)
    split = Detector(tiny, context_length=256)
    from engine.model.tokenizer import encode
    from engine.parse import parse

    tree = parse(source)
    encoded = encode(split.tokenizer, source)
    windows = split._windows(tree, encoded)
    assert len(windows) > 2 and windows[0][0] == 0 and windows[-1][1] == len(encoded)
    assert all(b[0] < a[1] for a, b in zip(windows, windows[1:])), "windows overlap"
    assert all(end - start <= 256 for start, end in windows)
    whole_sites = [(d.site.start, d.site.kind) for d in whole.score(source, tree)]
    split_sites = [(d.site.start, d.site.kind) for d in split.score(source, tree)]
    assert split_sites == whole_sites  # every site scored exactly once


def test_findings_are_ml_ids_with_a_non_safe_fix_and_a_confidence(tiny: Path) -> None:
    findings = Detector(tiny).detect(Source(FUNCTION.format(i=3)))
    assert findings  # threshold 0: every site is reported
    for finding in findings:
        assert finding.rule_id.startswith("ml/") and 0 <= finding.confidence <= 1
        assert finding.fixes and all(fix.applicability != Applicability.SAFE for fix in finding.fixes)


def test_directives_silence_ml_findings(tiny: Path) -> None:
    code = "// thea-disable-next-line ml/negation\n" + FUNCTION.format(i=3)
    detector = Detector(tiny)
    before = [f.rule_id for f in detector.detect(Source(code))]
    after = [f.rule_id for f in detector.detect_with_directives(Source(code))]
    assert "ml/negation" in before and "ml/negation" not in after and len(after) == len(before) - 1
