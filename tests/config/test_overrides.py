"""Overrides from the command line and from an editor's settings (JSON)."""

from __future__ import annotations

import pickle

import pytest

from engine.config import ConfigError, Overrides
from engine.finding import Severity


def test_from_mapping_accepts_editor_spellings() -> None:
    overrides = Overrides.from_mapping(
        {
            "preset": "edge",
            "maxWorkers": 4,
            "confidenceThreshold": 0.8,
            "contextLength": 1024,
            "modelPath": "/m",
            "rules": {"eqeqeq": ["warn", "smart"]},
            "ml": True,
        },
        "initializationOptions",
    )
    assert overrides == Overrides("edge", 4, 0.8, 1024, "/m", {"eqeqeq": ["warn", "smart"]}, True)
    assert overrides.origin == "initializationOptions"
    assert overrides.rule_entries["eqeqeq"].severity == Severity.WARNING
    assert Overrides.from_mapping({"context-length": 512, "workers": 2}, "x") == Overrides(workers=2, context_length=512)
    assert Overrides.from_mapping({"context_length": 512, "confidence": 1}, "x") == Overrides(
        confidence=1, context_length=512
    )


def test_from_mapping_nulls_empty_and_the_thea_section() -> None:
    assert Overrides.from_mapping(None, "settings") == Overrides()
    assert Overrides.from_mapping({}, "settings") == Overrides()
    assert Overrides.from_mapping({"workers": None, "rules": None}, "settings") == Overrides()
    assert Overrides.from_mapping({"thea": {"workers": 3}}, "settings") == Overrides(workers=3)


def test_from_mapping_skips_keys_the_caller_handles() -> None:
    overrides = Overrides.from_mapping({"run": "onType", "workers": 3}, "settings", extra_keys={"run"})
    assert overrides == Overrides(workers=3)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"contextLenght": 3}, "settings: contextLenght: unknown setting; did you mean 'contextLength'?"),
        ({"contextLength": 3}, "settings: contextLength: expected an integer from 128 to 131072, got 3"),
        ({"maxWorkers": "4"}, "settings: maxWorkers: expected an integer from 1 to 256, got '4'"),
        ({"confidence": True}, "settings: confidence: expected a number from 0 to 1, got true"),
        ({"preset": "fast"}, "settings: preset: expected \"development\" | \"production\" | \"edge\", got 'fast'"),
        ({"ml": "on"}, "settings: ml: expected true or false, got 'on'"),
        ({"modelPath": 3}, "settings: modelPath: expected a non-empty string, got 3"),
        ({"rules": {"no-debuger": "off"}}, "settings: rules.no-debuger: unknown rule; did you mean 'no-debugger'?"),
        ({"rules": {"eqeqeq": ["error", "never"]}}, "settings: rules.eqeqeq: expected \"always\", \"smart\" or \"allow-null\", got 'never'"),
        ({"rules": "all"}, "settings: rules: expected a table of rule ids to severities, got 'all'"),
        (["workers"], "settings: expected an object, got an array"),
    ],
)
def test_from_mapping_errors(data: object, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Overrides.from_mapping(data, "settings")  # type: ignore[arg-type]
    assert str(caught.value) == expected
    assert caught.value.origin == "settings"
    assert caught.value.path is None


def test_direct_construction_validates_as_the_command_line() -> None:
    with pytest.raises(ConfigError) as caught:
        Overrides(workers=1000)
    assert str(caught.value) == "command line: workers: expected an integer from 1 to 256, got 1000"
    with pytest.raises(ConfigError, match=r"^command line: rules\.eqeqeq: expected "):
        Overrides(rules={"eqeqeq": "loud"})


def test_config_error_survives_pickling() -> None:
    error = ConfigError("expected x, got y", key="k", origin="settings", line=3)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.key, copy.origin, copy.line) == (str(error), "k", "settings", 3)
