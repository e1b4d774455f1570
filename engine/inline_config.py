"""Inline configuration comments: `/* eslint rule: setting */` (and `/* thea rule: setting */`).

A block comment whose first word is `eslint` (or Thea's own `thea`) sets rules for the file
it is in, with ESLint 10's semantics (`linter.js`, `@eslint/plugin-kit` ConfigCommentParser,
`languages/js/source-code/source-code.js` applyInlineConfig):

- block comments only; a description after ` -- ` is ignored;
- the value is read as levn reads an `Object`, else as JSON (engine/inline_config_value.py);
  when both fail the comment is an error and sets nothing;
- a setting is a severity (`"off" | "warn" | "error" | 0 | 1 | 2`) or an array of one
  and the rule's options. A severity alone keeps the options the configuration gave the
  rule (when it enabled it); options given replace them (defaults fill the rest);
- invalid severities or options are reported at the comment and the rule keeps its
  configured setting; a rule set by an earlier comment is reported and not set again;
- a rule Thea does not know is reported ("Definition for rule ... was not found") in a
  `thea` comment only: in an `eslint` comment it is ESLint's business (a plugin's rule,
  a core rule Thea lacks), as for `eslint-disable` directives;
- these problems are findings of the pseudo rule `inline-config`, which `eslint-disable`
  directives suppress as they suppress ESLint's.

ESLint's `linterOptions.noInlineConfig` is `RuleSet.inline_config == "warn"`: every
directive and configuration comment is a warning and none applies; `--no-inline-config`
is `"off"`: they are ignored silently.

Not reproduced: a rule the configuration turned off with options gets its default options
when a comment turns it on by severity alone (ESLint keeps the configured ones; a RuleSet
holds enabled rules only); the detail of a JSON syntax error is Python's wording, and an
invalid option is described by the rule's own option parser, not by ESLint's JSON schema
messages; `reportUnusedInlineConfigs` is not implemented.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

import tree_sitter

from engine.directives import split_directive
from engine.finding import Finding, Severity
from engine.inline_config_value import UNDEFINED, ConfigParseError, is_severity, js_string, parse_config_value
from engine.parse.source import Source
from engine.rules import all_rules
from engine.rules.rule import OptionsError

if TYPE_CHECKING:
    from engine.linter import EnabledRule, RuleSet

logger = logging.getLogger(__name__)

INLINE_CONFIG_ID = "inline-config"
MESSAGES = {
    "parseFailed": "Failed to parse JSON from '{text}': {error}",
    "missingRule": "Definition for rule '{rule}' was not found.",
    "invalid": 'Inline configuration for rule "{rule}" is invalid:\n\t{detail}\n',
    "duplicate": (
        'Rule "{rule}" is already configured by another configuration comment in the preceding code. '
        "This configuration is ignored."
    ),
    "noInlineConfig": "'{comment}' has no effect because you have 'noInlineConfig' setting in your config.",
}

_CONFIG_LABELS = frozenset({"eslint", "thea"})
_NEEDLES = (b"eslint", b"thea")
_WARN_NEEDLES = (*_NEEDLES, b"global", b"exported")
# Every comment ESLint treats as a directive (`directivesPattern`), and Thea's own forms:
# under noInlineConfig each is a warning.
_DIRECTIVE_LABEL = re.compile(
    r"^(?:eslint(?:-env|-enable|-disable(?:(?:-next)?-line)?)?|exported|globals?"
    r"|thea(?:-enable|-disable(?:(?:-next)?-line)?)?)$"
)
_LINE_LABEL = re.compile(r"^(?:eslint|thea)-disable(?:-next)?-line$")
_SEVERITIES: dict[Any, Severity | None] = {
    0: None,
    "off": None,
    1: Severity.WARNING,
    "warn": Severity.WARNING,
    2: Severity.ERROR,
    "error": Severity.ERROR,
}
_INVALID_SEVERITY = 'Expected severity of "off", 0, "warn", 1, "error", or 2. You passed "{value}".'


@dataclass(frozen=True)
class InlineConfig:
    """What a file's comments change: the rules to run and the problems found in the comments."""

    rules: RuleSet
    problems: tuple[Finding, ...]


def resolve(source: Source, comments: Iterable[tree_sitter.Node], rules: RuleSet) -> InlineConfig | None:
    """The rule set `comments` configure for this file, or None when they change nothing.

    A file without an `eslint`/`thea` block comment costs a substring test of the text, or
    one per comment where the text holds a needle somewhere."""
    mode = rules.inline_config
    if mode == "off":
        return None
    data = source.data
    needles = _WARN_NEEDLES if mode == "warn" else _NEEDLES
    if not any(needle in data for needle in needles):
        return None
    candidates = [c for c in comments if any(n in data[c.start_byte : c.end_byte] for n in needles)]
    if not candidates:
        return None
    candidates.sort(key=lambda node: node.start_byte)
    if mode == "warn":
        warnings = tuple(_ignored_warning(source, c) for c in candidates if _is_directive(source, c))
        return InlineConfig(rules, warnings) if warnings else None
    return _apply(source, candidates, rules)


def _comment_text(source: Source, comment: tree_sitter.Node) -> tuple[bool, str]:
    raw = source.data[comment.start_byte : comment.end_byte]
    is_line = raw.startswith(b"//")
    body = raw[2:] if is_line else raw[2:-2]
    return is_line, body.decode("utf-8", "surrogatepass")


def _is_directive(source: Source, comment: tree_sitter.Node) -> bool:
    is_line, body = _comment_text(source, comment)
    parts = split_directive(body)
    if parts is None or not _DIRECTIVE_LABEL.match(parts[0]):
        return False
    return not is_line or bool(_LINE_LABEL.match(parts[0]))


def _ignored_warning(source: Source, comment: tree_sitter.Node) -> Finding:
    text = source.slice(comment.start_byte, comment.end_byte)
    message = MESSAGES["noInlineConfig"].format(comment=text)
    return Finding(INLINE_CONFIG_ID, "noInlineConfig", message, comment.start_byte, comment.end_byte, Severity.WARNING)


def _apply(source: Source, comments: list[tree_sitter.Node], rules: RuleSet) -> InlineConfig | None:
    registry = all_rules()
    configured = {enabled.rule.id: enabled for enabled in rules.rules}
    settings: dict[str, EnabledRule | None] = {}  # rule id -> its setting (None: off)
    problems: list[Finding] = []

    def problem(comment: tree_sitter.Node, message_id: str, **data: str) -> None:
        message = MESSAGES[message_id].format(**data)
        problems.append(Finding(INLINE_CONFIG_ID, message_id, message, comment.start_byte, comment.end_byte))

    for comment in comments:
        is_line, body = _comment_text(source, comment)
        parts = split_directive(body)
        if is_line or parts is None or parts[0] not in _CONFIG_LABELS:
            continue
        label, value, _ = parts
        parsed = parse_config_value(value)
        if isinstance(parsed, ConfigParseError):
            problem(comment, "parseFailed", text=parsed.text, error=parsed.error)
            continue
        for rule_id, setting in parsed.items():
            rule = registry.get(rule_id)
            if rule is None:
                if label == "thea":
                    problem(comment, "missingRule", rule=rule_id)
                continue
            if rule_id in settings:
                problem(comment, "duplicate", rule=rule_id)
                continue
            try:
                settings[rule_id] = _setting(rule_id, setting, configured)
            except _InvalidSetting as error:
                problem(comment, "invalid", rule=rule_id, detail=str(error))
    if not settings and not problems:
        return None
    logger.debug("comments configure %d rules, with %d problems", len(settings), len(problems))
    return InlineConfig(_with_settings(rules, settings), tuple(problems))


class _InvalidSetting(ValueError):
    pass


def _setting(rule_id: str, setting: Any, configured: dict[str, EnabledRule]) -> EnabledRule | None:
    from engine.linter import EnabledRule  # the linter imports this module

    values = setting if isinstance(setting, list) else [setting]
    first = values[0] if values else UNDEFINED
    if not is_severity(first):
        raise _InvalidSetting(_INVALID_SEVERITY.format(value=js_string(setting)))
    severity = _SEVERITIES[first]
    rule = all_rules()[rule_id]
    earlier = configured.get(rule_id)
    if len(values) == 1 and earlier is not None:
        options = earlier.options  # a severity alone keeps the configured options
    else:
        try:
            options = rule.options(values[1:])
        except OptionsError as error:
            raise _InvalidSetting(str(error)) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
            # a rule's parser meeting a shape it did not plan for
            raise _InvalidSetting(f"invalid options {json.dumps(values[1:], default=str)}: {error}") from None
    return None if severity is None else EnabledRule(rule, severity, options)


def _with_settings(rules: RuleSet, settings: dict[str, EnabledRule | None]) -> RuleSet:
    """`rules` with the comments' settings: changed in place, added at the end, or removed."""
    kept = []
    for enabled in rules.rules:
        rule_id = enabled.rule.id
        if rule_id not in settings:
            kept.append(enabled)
        elif (replacement := settings[rule_id]) is not None:
            kept.append(replacement)
    present = {enabled.rule.id for enabled in rules.rules}
    kept += [enabled for rule_id, enabled in settings.items() if enabled is not None and rule_id not in present]
    return dataclasses.replace(rules, rules=tuple(kept))
