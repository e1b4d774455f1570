"""Inline directives (`thea-disable*` and `eslint-disable*` comments).

Placeholder interface, implemented in full by the directives work: keeps every finding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tree_sitter

from engine.finding import Finding
from engine.parse.source import Source

if TYPE_CHECKING:
    from engine.linter import RuleSet


def apply_directives(
    source: Source, comments: list[tree_sitter.Node], findings: list[Finding], rules: RuleSet
) -> list[Finding]:
    """Drop findings that a directive disables; add unused-directive findings if asked."""
    return findings
