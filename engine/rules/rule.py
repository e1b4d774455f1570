"""What a rule is: metadata, a check function, option parsing, and its test vectors.

A rule module (one file per rule) holds, in this order: a docstring that is the rule's
documentation page (sections "What it does", "Why is this bad?", "Example", "Fix safety"
for fixable rules, "Options", "References"), `RULE = RuleMeta(...)`, `check(node, ctx)`,
optionally `parse_options(raw) -> object`, `node_types_for(options) -> tuple` (a subset of
`RULE.node_types` that these options need) and `index_patterns() -> str` (query patterns
with captures of the rule's own naming, matched in the same walk of the tree as the rule's
nodes and read through `ctx.captures`), private helpers, then the vectors `VALID`,
`INVALID` and `FIXES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Literal, Mapping, Sequence

import tree_sitter

from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Edit, Fix
from engine.parse.source import Source

DOCS_BASE_URL = "https://thea.dev/rules/"
ESLINT_DOCS_BASE_URL = "https://eslint.org/docs/latest/rules/"

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


class OptionsError(ValueError):
    """A rule's options in a config do not have the expected shape."""


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    type: Literal["problem", "suggestion", "layout"]
    description: str
    messages: Mapping[str, str]  # message id -> template with {{placeholders}}, as ESLint
    # tree-sitter node types the check wants; an entry may also be a whole query pattern
    # such as '(binary_expression operator: ["==" "!="])' that narrows a type in C, or a
    # pattern naming the node to check `@target`: "(else_clause (if_statement) @target)".
    node_types: tuple[str, ...]
    fixable: Literal["never", "sometimes", "always"] = "never"
    recommended: bool = True  # on by default
    eslint_equivalent: bool = False  # same id and meaning as the ESLint core rule
    default_options: tuple[Any, ...] = ()
    # A pre-check: the rule can only report in a text holding all of these byte strings
    # (say b"NaN"), so a file lacking one skips it before the tree is walked. Empty: always.
    only_with_text: tuple[bytes, ...] = ()

    @property
    def docs_url(self) -> str:
        return f"{DOCS_BASE_URL}{self.id}"

    @property
    def default_severity(self) -> Severity:
        return Severity.ERROR if self.type == "problem" else Severity.WARNING


@dataclass(frozen=True)
class Rule:
    """A loaded rule module."""

    meta: RuleMeta
    check: Callable[[tree_sitter.Node, "RuleContext"], None]
    module: ModuleType
    parse_options: Callable[[list[Any]], Any] | None = None
    node_types_for: Callable[[Any], tuple[str, ...]] | None = None
    index_patterns: Callable[[], str] | None = None

    def wanted_node_types(self, options: Any) -> tuple[str, ...]:
        """The node types to hand to `check` under these (parsed) options: a rule whose
        options switch a check off may narrow the list with `node_types_for(options)`."""
        return self.node_types_for(options) if self.node_types_for is not None else self.meta.node_types

    @property
    def id(self) -> str:
        return self.meta.id

    def options(self, raw: Sequence[Any] | None) -> Any:
        """Parse configured options (ESLint's positional list after the severity)."""
        values = list(raw) if raw else list(self.meta.default_options)
        if self.parse_options is None:
            return values
        return self.parse_options(values)

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            module.RULE, module.check, module, getattr(module, "parse_options", None),
            getattr(module, "node_types_for", None), getattr(module, "index_patterns", None),
        )


class RuleContext:
    """What a check sees: the source, the tree, its options, and `report`."""

    __slots__ = ("source", "tree", "rule", "options", "severity", "_sink", "_cache", "captures")

    def __init__(
        self,
        source: Source,
        tree: tree_sitter.Tree,
        rule: Rule,
        options: Any,
        severity: Severity,
        sink: list[Finding],
        cache: dict[str, Any] | None = None,
        captures: Mapping[str, list[tree_sitter.Node]] | None = None,
    ) -> None:
        self.source = source
        self.tree = tree
        self.rule = rule
        self.options = options
        self.severity = severity
        self._sink = sink
        # Per-file memo of facts about the tree (scope answers, a name index), shared by the
        # rules of one lint: keys name what they hold, never depend on a rule's options.
        self._cache: dict[str, Any] = cache if cache is not None else {}
        # The file's query captures: a rule's `index_patterns` captures are found here.
        self.captures: Mapping[str, list[tree_sitter.Node]] = captures if captures is not None else {}

    @property
    def cache(self) -> dict[str, Any]:
        return self._cache

    def text(self, node: tree_sitter.Node) -> str:
        return self.source.slice(node.start_byte, node.end_byte)

    def report(
        self,
        node: tree_sitter.Node | None,
        message_id: str,
        *,
        data: Mapping[str, Any] | None = None,
        start: int | None = None,
        end: int | None = None,
        fixes: Sequence[Fix] = (),
        tags: frozenset[str] = frozenset(),
    ) -> None:
        """Report a finding on `node` (or on the byte range [start, end))."""
        template = self.rule.meta.messages[message_id]
        message = _PLACEHOLDER.sub(lambda m: str((data or {}).get(m.group(1), m.group(0))), template)
        first = start if start is not None else node.start_byte  # type: ignore[union-attr]
        last = end if end is not None else node.end_byte  # type: ignore[union-attr]
        self._sink.append(
            Finding(self.rule.id, message_id, message, first, last, self.severity, tuple(fixes), None, tags)
        )

    @staticmethod
    def replace(start: int, end: int, text: str, applicability: Applicability, title: str) -> Fix:
        return Fix((Edit(start, end, text),), applicability, title)


# --- test vectors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Valid:
    """Code the rule must not report."""

    code: str
    options: list[Any] | None = None
    filename: str = "test.js"


@dataclass(frozen=True)
class Expected:
    """One expected finding: message id and ESLint's 1-based line and UTF-16 column."""

    message_id: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True)
class Invalid:
    """Code the rule must report, exactly with `errors` (in source order)."""

    code: str
    errors: list[Expected] = field(default_factory=list)
    options: list[Any] | None = None
    filename: str = "test.js"


@dataclass(frozen=True)
class FixCase:
    """Applying every fix of this rule labelled at most `applicability`, to a fixpoint,
    turns `code` into `output` (equal to `code` when no such fix may apply)."""

    code: str
    output: str
    applicability: Applicability = Applicability.SAFE
    options: list[Any] | None = None
    filename: str = "test.js"
