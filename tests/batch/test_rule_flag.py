"""`--rule` values in ESLint's (levn) syntax and in JSON."""

from __future__ import annotations

import pytest

from engine.rule_flag import RuleFlagError, parse_rule_flag


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eqeqeq: error", {"eqeqeq": "error"}),
        ("eqeqeq: [error, smart]", {"eqeqeq": ["error", "smart"]}),
        ("eqeqeq: [error, always, {null: ignore}]", {"eqeqeq": ["error", "always", {"null": "ignore"}]}),
        ("{eqeqeq: off}", {"eqeqeq": "off"}),
        ("eqeqeq: 2, no-debugger: 0", {"eqeqeq": 2, "no-debugger": 0}),
        ('{"eqeqeq": ["warn", "smart"], "no-debugger": "off"}', {"eqeqeq": ["warn", "smart"], "no-debugger": "off"}),
        ("'no-console': ['warn', {allow: ['warn']}]", {"no-console": ["warn", {"allow": ["warn"]}]}),
        ("x: [1, -2.5, true, false, null, 'true']", {"x": [1, -2.5, True, False, None, "true"]}),
    ],
)
def test_parses(text: str, expected: dict) -> None:
    assert parse_rule_flag(text) == expected


@pytest.mark.parametrize("text", ["", "eqeqeq", "eqeqeq:", ": error", "eqeqeq: [error", "eqeqeq: error]", "{eqeqeq: error"])
def test_rejects(text: str) -> None:
    with pytest.raises(RuleFlagError):
        parse_rule_flag(text)
