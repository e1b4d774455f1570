"""`thea train` end to end on a tiny corpus: its stages (prepare, train, calibrate) and caches
that do not depend on where the corpus lies."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
import torch

from engine.model import calibration, evaluate, train

FILE = """'use strict';
function total{i}(items, limit) {{
  let sum = 0;
  for (let index = 0; index < items.length; index++) {{
    if (items[index] > limit && !items.skip) {{ sum += items[index] - {i}; }}
  }}
  return Math.max(sum, limit) / items.length;
}}
module.exports = total{i};
"""
TINY = ["--steps", "3", "--hidden", "16", "--layers", "1", "--vocab", "300", "--threads", "1", "--members", "2",
        "--batch-tokens", "512", "--train-window", "128", "--no-compile"]  # compiled steps: test_compiled.py


def _corpus(root: Path) -> Path:
    # package names decide the split (engine/model/dataset.py): backbone is held out for
    # validation, axios for test, the others train
    for package, count in (("alpha", 6), ("beta", 6), ("backbone", 4), ("axios", 3)):
        for i in range(count):
            path = root / package / "lib" / f"file{i}.js"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(FILE.format(i=i + 10 * len(package)))
    return root


def test_prepare_train_then_recalibrate(tmp_path: Path) -> None:
    corpus, cache, out = _corpus(tmp_path / "corpus"), tmp_path / "cache", tmp_path / "model"
    common = ["--corpus", str(corpus), "--cache", str(cache), "--out", str(out), *TINY]
    assert train.main([*common, "--prepare-only"]) == 0
    assert not out.exists() and not out.with_name("model.partial").exists()
    cached = sorted(p.name for p in cache.iterdir())
    # "monitor": validation files mutated by the training recipe, for the held-out loss
    assert [name.split("-")[0] for name in cached] == ["monitor", "tokenizer", "train", "validation"]
    rows = torch.load(next(cache.glob("train-*.pt")), weights_only=True)
    assert rows and all(v.dtype == (torch.float16 if k == "site_role_names" else torch.int32)
                        for row in rows for k, v in row.items() if isinstance(v, torch.Tensor)), \
        "training documents are cached compact"

    # the same corpus elsewhere, spelled as an absolute path: the same cache entries serve it
    moved = tmp_path / "elsewhere" / "corpus"
    shutil.copytree(corpus, moved)
    assert train.main(["--corpus", str(moved.resolve()), "--cache", str(cache), "--out", str(out), *TINY,
                       "--prepare-only"]) == 0
    assert sorted(p.name for p in cache.iterdir()) == cached
    assert train.main([*common, "--prepare-only", "--pick", "kinds"]) == 0
    assert len(list(cache.glob("train-*.pt"))) == 2, "bugs picked by kind are cached apart from those picked by site"
    before = set(cache.glob("train-*.pt"))
    assert train.main([*common, "--prepare-only", "--clean-versions", "1"]) == 0
    with_clean = set(cache.glob("train-*.pt")) - before
    assert len(with_clean) == 1, "documents with clean copies are cached apart"
    clean_rows = [row for row in torch.load(with_clean.pop(), weights_only=True) if bool((row["site_label"] < 0).all())]
    assert len(clean_rows) == 12, "one clean copy of each of the 12 training files"

    assert train.main([*common, "--no-calibrate"]) == 0
    uncalibrated = json.loads((out / "calibration.json").read_text())
    assert uncalibrated["loc_temperatures"] == [1.0, 1.0] and uncalibrated["threshold"] == 0.5
    weights = (out / "model.safetensors").read_bytes()
    assert "loss per site at step 0: held-out" in (out / "train.log").read_text()
    machine = f"kernels {torch.backends.cpu.get_cpu_capability()}, PyTorch {torch.__version__}"
    assert machine in (out / "train.log").read_text() and machine in (out / "MODEL_CARD.md").read_text(), \
        "what the rounding depends on is written down beside the weights"
    assert "training steps: eager" in (out / "train.log").read_text()
    assert "Loss per site on fixed windows" in (out / "MODEL_CARD.md").read_text()
    assert re.search(r"in [0-9.]+ minutes \(data preparation [0-9.]+; training steps [0-9.]+; calibration [0-9.]+\)",
                     (out / "MODEL_CARD.md").read_text()), "the card says where the time went"
    assert evaluate.main(["--model", str(out), "--corpus", str(corpus), "--threads", "1", "--card"]) == 0
    assert "## Held-out test results" in (out / "MODEL_CARD.md").read_text()

    assert json.loads((out / "config.json").read_text())["no_bug_min_sites"] == 1, "as trained: no prior chosen yet"
    assert train.main([*common, "--calibrate-only", "--no-bug-min-sites", "7"]) == 0
    assert json.loads((out / "config.json").read_text())["no_bug_min_sites"] == 7
    calibrated = json.loads((out / "calibration.json").read_text())
    assert calibrated["loc_temperatures"] != [1.0, 1.0] and calibrated["threshold"] >= 0.5
    assert len(calibrated["kind_offsets"]) == 2 and all(abs(sum(member)) < 1e-3 for member in calibrated["kind_offsets"])
    assert (out / "model.safetensors").read_bytes() == weights, "recalibration leaves the weights alone"
    card = (out / "MODEL_CARD.md").read_text()
    assert "## Recalibrated" in card and "## Held-out" not in card, "results of the old calibration are dropped"
    assert "the number of sites counted as at least 7" in card
    assert "recalibrated" in (out / "train.log").read_text() and "done in" in (out / "train.log").read_text()
    assert evaluate.main(["--model", str(out), "--corpus", str(corpus), "--threads", "1"]) == 0

    # a whole run calibrates the weights as saved (fp16): recalibrating its checkpoint changes nothing
    assert train.main(common) == 0
    calibration = (out / "calibration.json").read_text()
    assert json.loads((out / "config.json").read_text())["no_bug_min_sites"] == train.NO_BUG_MIN_SITES
    assert train.main([*common, "--calibrate-only"]) == 0
    assert (out / "calibration.json").read_text() == calibration

    # the each-bug localisation term trains from the same caches, and its card says so
    each = tmp_path / "each-bug"
    assert train.main([*common, "--out", str(each), "--no-calibrate", "--pointer", "each-bug"]) == 0
    assert "(`--pointer each-bug`)" in (each / "MODEL_CARD.md").read_text()
    assert "--pointer" not in (out / "MODEL_CARD.md").read_text(), "the any-bug card says nothing of it"


def test_recalibration_refuses_a_model_of_another_tokenizer(tmp_path: Path) -> None:
    from tests.model.tiny_detector import build_tiny_detector

    corpus, cache = _corpus(tmp_path / "corpus"), tmp_path / "cache"
    out = build_tiny_detector(tmp_path / "model", members=2)
    with pytest.raises(SystemExit, match="tokenizer differs"):
        train.main(["--corpus", str(corpus), "--cache", str(cache), "--out", str(out), *TINY, "--calibrate-only"])
    assert (out / "model.safetensors").exists(), "the detector is left as it was"


def test_the_false_alarm_bound_is_the_exact_poisson_one() -> None:
    # P(X <= k) = 5% at the bound: the textbook values for 0, 1 and 3 events
    assert [round(calibration.poisson_upper_bound(k), 3) for k in (0, 1, 3)] == [2.996, 4.744, 7.754]


def test_the_data_caches_are_keyed_by_every_module_that_builds_the_data() -> None:
    """A change to how sites are found or bugs injected must rebuild the cached training data:
    every engine.model module the data pipeline imports is in the digest, but the model's own."""
    here = Path(train.__file__).parent
    keyed, seen, todo = set(train._DATA_MODULES), set(), ["dataset.py"]
    while todo:
        name = todo.pop()
        seen.add(name)
        for node in ast.walk(ast.parse((here / name).read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine.model."):
                imported = node.module.rsplit(".", 1)[1] + ".py"
                if imported != "modeling.py" and imported not in seen:  # modeling: the network, not the data
                    todo.append(imported)
    assert seen <= keyed
