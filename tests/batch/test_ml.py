"""`thea check --ml` with a real (tiny, untrained) detector checkpoint: ML findings reach every
format with their confidence and never a safe fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")  # the ML extra; the pattern rules need none of it

from engine.cli import main  # noqa: E402
from tests.model.tiny_detector import FUNCTION, build_tiny_detector  # noqa: E402

@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_detector(tmp_path_factory.mktemp("detector"), members=2)


def test_ml_findings_in_json_and_sarif(tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "code.js").write_text(FUNCTION.format(i=3))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THEA_MODEL_PATH", str(tiny_model))
    # --confidence 0: the untrained model's every candidate site is reported
    assert main(["check", "--ml", "--confidence", "0", "--format", "json", "code.js"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    ml = [m for m in result["messages"] if m["ruleId"].startswith("ml/")]
    assert ml and result["warningCount"] == len(result["messages"])
    for message in ml:
        assert 0 <= message["confidence"] <= 1 and message["severity"] == 1
        assert "fix" not in message  # never safe
        assert message["suggestions"][0]["desc"].startswith(("[unsafe] ", "[display_only] "))
    assert main(["check", "--ml", "--confidence", "0", "--format", "sarif", "code.js"]) == 0
    run = json.loads(capsys.readouterr().out)["runs"][0]
    described = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {result["ruleId"] for result in run["results"]} <= described
    assert all("confidence" in result["properties"] for result in run["results"] if result["ruleId"].startswith("ml/"))


def test_a_high_threshold_keeps_only_confident_findings(tiny_model: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "code.js").write_text(FUNCTION.format(i=3))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THEA_MODEL_PATH", str(tiny_model))
    counts = {}
    for threshold in ("0", "0.6", "1"):
        assert main(["check", "--ml", "--confidence", threshold, "--format", "json", "code.js"]) == 0
        (result,) = json.loads(capsys.readouterr().out)
        confidences = [m["confidence"] for m in result["messages"] if m["ruleId"].startswith("ml/")]
        assert all(confidence >= float(threshold) for confidence in confidences)
        counts[threshold] = len(confidences)
    assert counts["0"] > counts["1"]


@pytest.mark.parametrize("preset", ["development", "production"])
def test_without_a_threshold_setting_the_checkpoints_calibrated_threshold_applies(
        preset: str, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """No --confidence, variable, config key or preset threshold: the checkpoint's
    calibration.json decides (chosen so false alarms stay within target), not a number fixed
    in a preset. Two copies of the tiny checkpoint that differ only in that threshold."""
    (tmp_path / "code.js").write_text(FUNCTION.format(i=3))
    monkeypatch.chdir(tmp_path)
    reported = {}
    for threshold in (0.0, 1.0):
        checkpoint = shutil.copytree(tiny_model, tmp_path / f"checkpoint-{threshold}")
        calibration = json.loads((checkpoint / "calibration.json").read_text())
        (checkpoint / "calibration.json").write_text(json.dumps({**calibration, "threshold": threshold}))
        monkeypatch.setenv("THEA_MODEL_PATH", str(checkpoint))
        assert main(["check", "--ml", "--config", preset, "--format", "json", "code.js"]) == 0
        (result,) = json.loads(capsys.readouterr().out)
        reported[threshold] = [m["confidence"] for m in result["messages"] if m["ruleId"].startswith("ml/")]
    assert reported[0.0] and min(reported[0.0]) < 0.5  # a fixed default of 0.5 would have dropped these
    assert reported[1.0] == []


def test_folder_configs_that_differ_only_in_rules_share_one_loaded_detector(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import engine.model.detector as detector_module

    loads = []
    real_load = detector_module.load
    monkeypatch.setattr(detector_module, "load", lambda *args: loads.append(args) or real_load(*args))
    for folder, rule in (("", "eqeqeq"), ("a", "no-var"), ("b", "no-debugger")):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / ".thea.toml").write_text(f'extends = "none"\n[rules]\n{rule} = "warn"\n')
        (tmp_path / folder / "code.js").write_text(FUNCTION.format(i=3) + "if (a == b) { var x; debugger; }\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("THEA_MODEL_PATH", str(tiny_model))
    assert main(["check", "--ml", "--confidence", "0", "--format", "json", "."]) == 0
    results = {Path(r["filePath"]).parent.name: r["messages"] for r in json.loads(capsys.readouterr().out)}
    assert len(loads) == 1  # three configs, one model
    rules = {name: {m["ruleId"] for m in messages if not m["ruleId"].startswith("ml/")} for name, messages in results.items()}
    assert rules == {tmp_path.name: {"eqeqeq"}, "a": {"no-var"}, "b": {"no-debugger"}}
    assert all(any(m["ruleId"].startswith("ml/") for m in messages) for messages in results.values())
