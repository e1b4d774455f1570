"""Run the enabled rules over one parsed source: the engine API the server and batch share.

One tree-sitter query, the union of the node types the enabled rules want, walks the tree
in C; only matching nodes cross into Python, each handed to the rules that asked for its
type. A rule that raises is logged and dropped for that file; the other rules go on.
"""

from __future__ import annotations

import functools
import logging
import operator
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import tree_sitter

from engine import directives, inline_config
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
    # Comments that configure or disable rules: "on"; "warn" (ESLint's noInlineConfig: each
    # such comment is a warning and none applies); "off" (--no-inline-config: ignored).
    inline_config: str = "on"

    @functools.cached_property
    def node_types(self) -> tuple[tuple[str, ...], ...]:
        """Per enabled rule, the node types its check wants under its options."""
        return tuple(enabled.rule.wanted_node_types(enabled.options) for enabled in self.rules)

    @functools.cached_property
    def index_patterns(self) -> tuple[str, ...]:
        """The enabled rules' extra query patterns (`Rule.index_patterns`), each once."""
        found = (enabled.rule.index_patterns() for enabled in self.rules if enabled.rule.index_patterns is not None)
        return tuple(dict.fromkeys(found))

    @functools.cached_property
    def _text_prechecks(self) -> tuple[tuple[int, tuple[bytes, ...]], ...]:
        return tuple((index, enabled.rule.meta.only_with_text)
                     for index, enabled in enumerate(self.rules) if enabled.rule.meta.only_with_text)

    def node_types_in(self, data: bytes) -> tuple[tuple[str, ...], ...]:
        """`node_types`, with () for each rule whose text pre-check fails on `data`."""
        if not self._text_prechecks:
            return self.node_types
        skipped = [index for index, needles in self._text_prechecks if not all(needle in data for needle in needles)]
        if not skipped:
            return self.node_types
        node_types = list(self.node_types)
        for index in skipped:
            node_types[index] = ()
        return tuple(node_types)

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


@functools.lru_cache(maxsize=256)
def _query(rule_node_types: tuple[tuple[str, ...], ...], index_patterns: tuple[str, ...] = ()) -> tree_sitter.Query:
    """One query for a whole rule set: pattern i captures rule i's node types as `@r<i>`,
    so tree-sitter hands each rule its own node list and Python never dispatches by type."""
    patterns = ["(comment) @comment"]
    for index, node_types in enumerate(rule_node_types):
        # An entry is a node type, or a whole pattern "(type field: ...)" narrowing it, or a
        # pattern marking the node to hand over with `@target` ("(else_clause (if_statement) @target)").
        targeted = [t for t in node_types if "@target" in t]
        whole = [t if t.startswith("(") else f"({t})" for t in node_types if "@target" not in t]
        if whole:
            patterns.append(f"[{' '.join(whole)}] @r{index}")
        patterns += [t.replace("@target", f"@r{index}") for t in targeted]
    patterns += index_patterns
    return tree_sitter.Query(javascript(), "\n".join(patterns))


def compile_query(rules: RuleSet) -> None:
    """Build (and cache) the query `lint_source` uses for `rules` on most texts: a process
    about to fork workers does it once for all of them (tens of milliseconds each)."""
    _query(rules.node_types, rules.index_patterns)


_START = operator.attrgetter("start_byte")


def lint_source(source: Source, tree: tree_sitter.Tree | None = None, rules: RuleSet | None = None) -> list[Finding]:
    """All findings for one source, directives applied, sorted by position."""
    tree = tree if tree is not None else parse(source)
    rules = rules if rules is not None else RuleSet.recommended()
    query = _query(rules.node_types_in(source.data), rules.index_patterns)
    captures = tree_sitter.QueryCursor(query).captures(tree.root_node)
    findings: list[Finding] = []
    inline = inline_config.resolve(source, captures.get("comment", ()), rules)
    if inline is not None:  # `/* eslint rule: ... */` comments: run the rules they configure
        rules, findings = inline.rules, list(inline.problems)
        query = _query(rules.node_types_in(source.data), rules.index_patterns)
        captures = tree_sitter.QueryCursor(query).captures(tree.root_node)
    cache: dict[str, Any] = {}  # facts about this tree, shared by its rules
    for index, enabled in enumerate(rules.rules):
        nodes = captures.get(f"r{index}")
        if not nodes:
            continue
        nodes.sort(key=_START)  # document order; a parent before the children it starts with
        sink: list[Finding] = []
        context = RuleContext(source, tree, enabled.rule, enabled.options, enabled.severity, sink, cache, captures)
        check = enabled.rule.check
        try:
            for node in nodes:
                check(node, context)
        except Exception:  # one broken rule must not take the file down
            logger.exception("rule %s failed on %s at byte %d; skipped for this file",
                             enabled.rule.id, node.type, node.start_byte)
            continue
        findings.extend(sink)
    comments = captures.get("comment", [])
    comments.sort(key=_START)
    findings = directives.apply_directives(source, comments, findings, rules)
    findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
    return findings
