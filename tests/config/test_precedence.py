"""Presets, environment variables and overrides: command line > environment > file > preset."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import PRESETS, ConfigError, ModelSettings, Overrides, resolve_config
from engine.finding import Severity
from tests.config.conftest import write

ENV = {
    "THEA_MODEL_PATH": "/env/model",
    "THEA_MAX_WORKERS": "6",
    "THEA_CONTEXT_LENGTH": "4096",
    "THEA_CONFIDENCE_THRESHOLD": "0.7",
}
FILE = """
preset = "edge"
[model]
path = "/file/model"
workers = 3
context-length = 2048
confidence-threshold = 0.6
"""


def test_presets_of_the_original_design() -> None:
    assert set(PRESETS) == {"development", "production", "edge"}
    development, production, edge = PRESETS["development"], PRESETS["production"], PRESETS["edge"]
    assert (development.max_workers, development.context_length) == (2, 8192)
    assert (production.max_workers, production.context_length) == (16, 32768)
    assert (edge.max_workers, edge.device, edge.confidence_threshold, edge.context_length) == (2, "cpu", 0.9, 8192)
    # None: the checkpoint's calibrated threshold (chosen so false alarms stay within target)
    assert development.confidence_threshold is None and production.confidence_threshold is None


@pytest.mark.parametrize("preset", ["development", "production", "edge"])
def test_a_preset_supplies_every_default(tmp_path: Path, preset: str) -> None:
    write(tmp_path / ".thea.toml", f'preset = "{preset}"\n')
    config = resolve_config(tmp_path / "a.js", environ={})
    assert config.model == PRESETS[preset]
    assert config.ml_enabled is (preset == "production")


def test_file_beats_preset(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", FILE)
    model = resolve_config(tmp_path / "a.js", environ={}).model
    assert model == ModelSettings("edge", "/file/model", 3, 2048, 0.6, "cpu")  # device from the preset


def test_environment_beats_file(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", FILE)
    model = resolve_config(tmp_path / "a.js", environ=ENV).model
    assert model == ModelSettings("edge", "/env/model", 6, 4096, 0.7, "cpu")


def test_command_line_beats_environment(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", FILE)
    overrides = Overrides(preset="production", workers=9, confidence=0.95, context_length=1024, model_path="/cli/m")
    config = resolve_config(tmp_path / "a.js", overrides, environ=ENV)
    # preset changes only what nobody set: the device
    assert config.model == ModelSettings("production", "/cli/m", 9, 1024, 0.95, "auto")
    assert config.ml_enabled is True  # production turns ML on


def test_each_level_alone_over_the_preset(tmp_path: Path) -> None:
    only_env = resolve_config(tmp_path / "a.js", environ={"THEA_MAX_WORKERS": "5"}).model
    assert (only_env.max_workers, only_env.context_length) == (5, PRESETS["development"].context_length)
    only_cli = resolve_config(tmp_path / "a.js", Overrides(context_length=256), environ={}).model
    assert (only_cli.max_workers, only_cli.context_length) == (2, 256)


def test_environment_defaults_to_os_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THEA_MAX_WORKERS", "11")
    assert resolve_config(tmp_path / "a.js").model.max_workers == 11
    monkeypatch.setenv("THEA_MAX_WORKERS", "")  # empty means unset
    assert resolve_config(tmp_path / "a.js").model.max_workers == 2


def test_ml_flag_chain(tmp_path: Path) -> None:
    write(tmp_path / "on" / ".thea.toml", 'preset = "production"\nml = false\n')
    write(tmp_path / "dev" / ".thea.toml", "ml = true\n")
    assert resolve_config(tmp_path / "on" / "a.js", environ={}).ml_enabled is False
    assert resolve_config(tmp_path / "on" / "a.js", Overrides(ml=True), environ={}).ml_enabled is True
    assert resolve_config(tmp_path / "dev" / "a.js", environ={}).ml_enabled is True
    assert resolve_config(tmp_path / "dev" / "a.js", Overrides(ml=False), environ={}).ml_enabled is False


def test_override_rules_layer_over_file_rules(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", '[rules]\neqeqeq = ["warn", "smart"]\nno-debugger = "off"\n')
    config = resolve_config(tmp_path / "a.js", Overrides(rules={"eqeqeq": "error", "no-debugger": 1}), environ={})
    by_id = {enabled.rule.id: enabled for enabled in config.rule_set.rules}
    assert by_id["eqeqeq"].severity == Severity.ERROR
    assert by_id["eqeqeq"].options.mode == "smart"  # a severity alone keeps the file's options
    assert by_id["no-debugger"].severity == Severity.WARNING
    config = resolve_config(tmp_path / "a.js", Overrides(rules={"eqeqeq": ["warn", "always"]}), environ={})
    assert {e.rule.id: e.options for e in config.rule_set.rules}["eqeqeq"].mode == "always"
    config = resolve_config(tmp_path / "a.js", Overrides(rules={"eqeqeq": 0}), environ={})
    assert "eqeqeq" not in {e.rule.id for e in config.rule_set.rules}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("THEA_MAX_WORKERS", "many", "expected an integer from 1 to 256, got 'many'"),
        ("THEA_MAX_WORKERS", "0", "expected an integer from 1 to 256, got 0"),
        ("THEA_CONTEXT_LENGTH", "8k", "expected an integer from 128 to 131072, got '8k'"),
        ("THEA_CONTEXT_LENGTH", "999999", "expected an integer from 128 to 131072, got 999999"),
        ("THEA_CONFIDENCE_THRESHOLD", "high", "expected a number from 0 to 1, got 'high'"),
        ("THEA_CONFIDENCE_THRESHOLD", "1.01", "expected a number from 0 to 1, got '1.01'"),
        ("THEA_CONFIDENCE_THRESHOLD", "nan", "expected a number from 0 to 1, got 'nan'"),
    ],
)
def test_bad_environment_variables_are_named(tmp_path: Path, name: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_config(tmp_path / "a.js", environ={name: value})
    assert (caught.value.key, caught.value.path) == (name, None)
    assert str(caught.value) == f"environment: {name}: {expected}"


def test_model_settings_reject_bad_values_built_in_code() -> None:
    with pytest.raises(ConfigError, match="max_workers: expected an integer from 1 to 256, got 0"):
        ModelSettings("development", None, 0, 8192, 0.5, "auto")
    with pytest.raises(ConfigError, match="device"):
        ModelSettings("development", None, 2, 8192, 0.5, "tpu")
