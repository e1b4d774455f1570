"""The detector on a tiny untrained checkpoint: save/load of the ensemble directory, whole
documents, long documents split into overlapping windows, findings' shape."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from engine.fix.edit import Applicability
from engine.model.checkpoint import Calibration, load_calibration, member_dirs, save_detector
from engine.model.config import TheaM2Config
from engine.model.detector import Detector
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.tokenizer import train_tokenizer
from engine.parse import Source

FUNCTION = "function f{i}(a, b) {{ if (!a) {{ return b - {i}; }} return g(a, b) < a.length; }}\n"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.manual_seed(0)
    tokenizer = train_tokenizer([FUNCTION.format(i=i) for i in range(50)], vocab_size=300)
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=16, num_hidden_layers=1,
                          intermediate_size=32, max_position_embeddings=4096, hyena_filter_order=8)
    members = [TheaM2ForBugDetection(config).eval() for _ in range(3)]
    directory = tmp_path_factory.mktemp("detector")
    save_detector(directory, members, tokenizer, Calibration([1.0] * 3, [1.0] * 3, threshold=0.0, context_length=4096))
    return directory


def test_ensemble_directory_round_trip(tiny: Path) -> None:
    assert len(member_dirs(tiny)) == 3
    assert load_calibration(tiny).loc_temperatures == [1.0, 1.0, 1.0]
    assert Detector(tiny).members[2].config.hidden_size == 16


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
