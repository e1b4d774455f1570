"""Run the enabled rules over one parsed source: the engine API the server and batch share.

One tree-sitter query, the union of the node types the enabled rules want, walks the tree
in C; only matching nodes cross into Python, each handed to the rules that asked for its
type. A rule that raises is logged and dropped for that file; the other rules go on.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import tree_sitter

from engine import directives
from engine.finding import Finding, Severity
from engine.parse.parser import javascript, parse
from engine.parse.source import Source
from engine.rules import all_rules
from engine.rules.rule import Rule, RuleContext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnabledRule:
    rule: Rule
    severity: Severity
    options: Any  # already parsed by the rule's parse_options


@dataclass(frozen=True)
class RuleSet:
    """The rules to run for one file, with severities and parsed options."""

    rules: tuple[EnabledRule, ...]
    report_unused_directives: bool = False
    unused_directive_severity: Severity = Severity.WARNING
    # Configured rules left out of this run (warnings under --quiet): as ESLint's
    # rulesToIgnore, directives naming them, or every rule, are never reported unused.
    filtered_rule_ids: frozenset[str] = frozenset()
    _by_type: dict[str, tuple[EnabledRule, ...]] = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        by_type: dict[str, list[EnabledRule]] = {}
        for enabled in self.rules:
            for node_type in enabled.rule.meta.node_types:
                by_type.setdefault(node_type, []).append(enabled)
        object.__setattr__(self, "_by_type", {key: tuple(value) for key, value in by_type.items()})

    @property
    def by_node_type(self) -> Mapping[str, tuple[EnabledRule, ...]]:
        return self._by_type

    @classmethod
    def from_settings(cls, settings: Mapping[str, tuple[Severity, list[Any] | None]], **kwargs: Any) -> RuleSet:
        """Build from {rule_id: (severity, raw options)}; unknown ids raise KeyError."""
        registry = all_rules()
        enabled = []
        for rule_id, (severity, raw) in settings.items():
            rule = registry[rule_id]
            enabled.append(EnabledRule(rule, severity, rule.options(raw)))
        return cls(tuple(enabled), **kwargs)

    @classmethod
    def recommended(cls) -> RuleSet:
        return cls.from_settings(
            {rule.id: (rule.meta.default_severity, None) for rule in all_rules().values() if rule.meta.recommended}
        )

    @classmethod
    def only(cls, rule_ids: Iterable[str], severity: Severity = Severity.ERROR) -> RuleSet:
        return cls.from_settings({rule_id: (severity, None) for rule_id in rule_ids})


@functools.lru_cache(maxsize=64)
def _query(node_types: tuple[str, ...]) -> tree_sitter.Query:
    alternatives = " ".join(f"({node_type})" for node_type in node_types)
    return tree_sitter.Query(javascript(), f"[{alternatives}] @node")


def lint_source(source: Source, tree: tree_sitter.Tree | None = None, rules: RuleSet | None = None) -> list[Finding]:
    """All findings for one source, directives applied, sorted by position."""
    tree = tree if tree is not None else parse(source)
    rules = rules if rules is not None else RuleSet.recommended()
    findings: list[Finding] = []
    contexts: dict[str, RuleContext] = {}
    failed: set[str] = set()
    node_types = tuple(sorted(set(rules.by_node_type) | {"comment"}))
    captured = tree_sitter.QueryCursor(_query(node_types)).captures(tree.root_node).get("node", [])
    captured.sort(key=lambda node: (node.start_byte, -node.end_byte))
    comments: list[tree_sitter.Node] = []
    by_type = rules.by_node_type
    for node in captured:
        node_type = node.type
        if node_type == "comment":
            comments.append(node)
        for enabled in by_type.get(node_type, ()):
            rule_id = enabled.rule.id
            if rule_id in failed:
                continue
            context = contexts.get(rule_id)
            if context is None:
                context = contexts[rule_id] = RuleContext(
                    source, tree, enabled.rule, enabled.options, enabled.severity, findings
                )
            try:
                enabled.rule.check(node, context)
            except Exception:  # one broken rule must not take the file down
                logger.exception("rule %s failed on %s at byte %d; skipped for this file", rule_id, node_type, node.start_byte)
                failed.add(rule_id)
                findings[:] = [finding for finding in findings if finding.rule_id != rule_id]
    findings = directives.apply_directives(source, comments, findings, rules)
    findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
    return findings
