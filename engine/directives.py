"""Inline directives: `thea-disable*` / `eslint-disable*` comments, with ESLint 10's semantics.

Forms (the `eslint-` prefix and Thea's own `thea-` prefix behave the same):

    /* eslint-disable rule-a, rule-b -- why */   from here on (no list: every rule)
    /* eslint-enable rule-a */                   from here on again
    // eslint-disable-line rule-a                this line (also in a one-line /* */)
    // eslint-disable-next-line rule-a           the line after the comment's last line

Facts taken from ESLint 10 (`@eslint/plugin-kit` ConfigCommentParser, `source-code.js`
getDisableDirectives, `linter/apply-disable-directives.js`):
- a description starts at the first `--` with whitespace on both sides;
- the label is the first word; `//` comments carry only `disable-line` / `disable-next-line`
  (`// eslint-disable` is not a directive), a `disable-line` block comment spanning lines is
  an error and is ignored;
- the rule list is split on commas, each name trimmed and unquoted;
- block directives and line directives are two passes. A finding is disabled when a matching
  disable (all rules, or its rule) lies at or before it with no matching enable in between; an
  `eslint-enable rule` after `eslint-disable` (all) re-enables only that rule. Of the disables
  covering a finding only the latest counts as used, and a line directive does not count
  when a block directive already covered the finding;
- configuration comments (`/* eslint rule-a: "off" */`) are not directives: they change the
  rule set before the rules run (engine/inline_config.py);
- under ESLint's `noInlineConfig` (`RuleSet.inline_config` "warn" or "off") no directive
  applies.

Unused directives (RuleSet.report_unused_directives) are findings of the pseudo rule
`unused-disable-directive`, which no directive can suppress, each with a safe fix deleting
the comment or the unused names from its list. A rule id Thea does not know in an `eslint-`
directive is ESLint's business and never reported; in a `thea-` directive it is unused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import tree_sitter

from engine.finding import Finding, Severity
from engine.parse.source import Source
from engine.rules import all_rules
from engine.unused_directives import MESSAGES, UNUSED_DIRECTIVE_ID, report_unused

if TYPE_CHECKING:
    from engine.linter import RuleSet

DirectiveKind = Literal["disable", "enable", "disable-line", "disable-next-line"]

# JavaScript's \s and String.prototype.trim (they include U+FEFF, which Python's do not).
JS_SPACE_CHARS = " \t\n\v\f\r\xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" + "".join(map(chr, range(0x2000, 0x200B)))
_JS_SPACE = re.escape(JS_SPACE_CHARS)
_JUSTIFICATION = re.compile(f"[{_JS_SPACE}]-{{2,}}[{_JS_SPACE}]")
_LABEL = re.compile(f"^([a-z]+(?:-[a-z]+)*)(?:[{_JS_SPACE}]|$)")
_UNQUOTE = re.compile(r"^(['\"]?)(.*)\1$", re.DOTALL)
_KINDS: dict[str, DirectiveKind] = {
    f"{prefix}-{kind}": kind  # type: ignore[misc]
    for prefix in ("eslint", "thea")
    for kind in ("disable", "enable", "disable-line", "disable-next-line")
}


@dataclass(eq=False)
class Directive:
    """One directive comment."""

    prefix: str  # "eslint" | "thea"
    kind: DirectiveKind
    rule_ids: tuple[str, ...]  # empty: every rule
    value: str  # the rule list as written, trimmed
    justification: str
    start: int  # the comment's byte range
    end: int
    line: int  # 0-based line of the comment start (end line for disable-next-line)


@dataclass(eq=False)
class Entry:
    """One (directive, rule) pair at one position: what the two passes walk over."""

    kind: Literal["disable", "enable"]
    rule_id: str | None  # None: every rule
    position: tuple[int, int]  # (byte, tiebreak) so that line bounds sort like ESLint's columns
    parent: Directive


@dataclass
class _Problem:
    finding: Finding
    suppressed: bool = False


@dataclass
class _Invalid:
    start: int
    end: int
    prefix: str


@dataclass
class ParsedDirectives:
    directives: list[Directive] = field(default_factory=list)
    invalid: list[_Invalid] = field(default_factory=list)  # multi-line disable-line comments


def parse_directives(source: Source, comments: list[tree_sitter.Node]) -> ParsedDirectives:
    """The directive comments among `comments`, in source order."""
    parsed = ParsedDirectives()
    data = source.data
    for comment in sorted(comments, key=lambda node: node.start_byte):
        start, end = comment.start_byte, comment.end_byte
        raw = data[start:end]
        if b"able" not in raw and b"eslint" not in raw:  # fast path: no directive here
            continue
        is_line = raw.startswith(b"//")
        body = raw[2:] if is_line else raw[2:-2]
        text = body.decode("utf-8", "surrogatepass")
        directive = _parse_comment(text, is_line)
        if directive is None:
            continue
        prefix, kind, value, justification = directive
        first_line, last_line = source.line_of(start), source.line_of(max(start, end - 1))
        if kind == "disable-line" and first_line != last_line:
            parsed.invalid.append(_Invalid(start, end, prefix))
            continue
        parsed.directives.append(
            Directive(
                prefix,
                kind,
                _rule_list(value),
                value,
                justification,
                start,
                end,
                last_line if kind == "disable-next-line" else first_line,
            )
        )
    return parsed


def split_directive(body: str) -> tuple[str, str, str] | None:
    """(label, value, justification) of a comment's text, as ESLint's parseDirective: the
    justification starts at the first `--` with whitespace on both sides, the label is the
    first word; None when the text does not start with a label."""
    match = _JUSTIFICATION.search(body)
    if match is None:
        directive_part, justification = body.strip(JS_SPACE_CHARS), ""
    else:
        directive_part = body[: match.start()].strip(JS_SPACE_CHARS)
        justification = body[match.end() :].strip(JS_SPACE_CHARS)
    label_match = _LABEL.match(directive_part)
    if label_match is None:
        return None
    label = label_match.group(1)
    return label, directive_part[len(label) :].strip(JS_SPACE_CHARS), justification


def _parse_comment(body: str, is_line: bool) -> tuple[str, DirectiveKind, str, str] | None:
    """(prefix, kind, rule list text, justification) of a comment's text, or None."""
    parts = split_directive(body)
    if parts is None:
        return None
    label, value, justification = parts
    kind = _KINDS.get(label)
    if kind is None or (is_line and kind not in ("disable-line", "disable-next-line")):
        return None
    return label.split("-", 1)[0], kind, value, justification


def _rule_list(value: str) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for item in value.split(","):
        name = _UNQUOTE.sub(r"\2", item.strip(JS_SPACE_CHARS))
        if name:
            names[name] = None
    return tuple(names)


def apply_directives(
    source: Source, comments: list[tree_sitter.Node], findings: list[Finding], rules: RuleSet
) -> list[Finding]:
    """Drop findings that a directive disables; add unused-directive findings if asked."""
    if rules.inline_config != "on":  # noInlineConfig / --no-inline-config
        return findings
    parsed = parse_directives(source, comments)
    # A disable-line comment spanning lines is ignored, and reported as ESLint does (always,
    # as an error): the author believes something is disabled.
    invalid = [_invalid_finding(item) for item in parsed.invalid]
    if not parsed.directives:
        return findings + invalid
    block, line = _entries(source, parsed.directives)
    problems = [_Problem(f) for f in sorted(findings, key=lambda f: f.start) if f.rule_id != UNUSED_DIRECTIVE_ID]
    used_block = _suppress(problems, block)
    used_line = _suppress(problems, line)
    kept = [problem.finding for problem in problems if not problem.suppressed] + invalid
    kept += [f for f in findings if f.rule_id == UNUSED_DIRECTIVE_ID]
    if rules.report_unused_directives:
        judge = Judge(frozenset(all_rules()), rules.filtered_rule_ids)
        kept += report_unused(source, block, used_block, line, used_line, judge, rules.unused_directive_severity)
    return kept


def _entries(source: Source, directives: list[Directive]) -> tuple[list[Entry], list[Entry]]:
    """ESLint's two directive lists: block (disable/enable at the comment) and line
    (disable from the start of a line, enable from the start of the line after)."""
    block: list[Entry] = []
    line: list[Entry] = []
    for directive in directives:
        rule_ids: tuple[str | None, ...] = directive.rule_ids or (None,)
        for rule_id in rule_ids:
            if directive.kind in ("disable", "enable"):
                block.append(Entry(directive.kind, rule_id, (directive.start, 0), directive))  # type: ignore[arg-type]
                continue
            target = directive.line + (1 if directive.kind == "disable-next-line" else 0)
            line.append(Entry("disable", rule_id, (_line_start(source, target), 0), directive))
            line.append(Entry("enable", rule_id, (_line_start(source, target + 1), -1), directive))
    block.sort(key=lambda entry: entry.position)
    line.sort(key=lambda entry: entry.position)
    return block, line


def _line_start(source: Source, line: int) -> int:
    return source.line_starts[line] if line < len(source.line_starts) else len(source.data) + 1


def _suppress(problems: list[_Problem], entries: list[Entry]) -> set[int]:
    """One pass over sorted problems and sorted entries; marks suppressed problems and
    returns the ids of the disable entries that were used.

    For a problem of rule R, the disables that apply are those (for R or for every rule)
    after the last enable for R or for every rule; ESLint keeps them as a list and marks
    its last element used, i.e. the latest one.
    """
    used: set[int] = set()
    if not entries:
        return used
    index = 0
    last_disable_all = last_enable_all = -1
    last_disable: dict[str, int] = {}
    last_enable: dict[str, int] = {}
    for problem in problems:
        position = (problem.finding.start, 0)
        while index < len(entries) and entries[index].position <= position:
            entry = entries[index]
            if entry.kind == "disable":
                if entry.rule_id is None:
                    last_disable_all = index
                else:
                    last_disable[entry.rule_id] = index
            elif entry.rule_id is None:
                last_enable_all = index
            else:
                last_enable[entry.rule_id] = index
            index += 1
        rule_id = problem.finding.rule_id
        reset = max(last_enable_all, last_enable.get(rule_id, -1))
        latest = max(last_disable_all, last_disable.get(rule_id, -1))
        if latest > reset:
            if not problem.suppressed:
                used.add(id(entries[latest]))
            problem.suppressed = True
    return used


@dataclass(frozen=True)
class Judge:
    """Which directive entries Thea can call unused."""

    known: frozenset[str]  # every registered rule id, enabled or not (an off rule reports nothing)
    filtered: frozenset[str]  # RuleSet.filtered_rule_ids

    def can_judge(self, entry: Entry) -> bool:
        rule_id = entry.rule_id
        if rule_id is None:
            return not self.filtered
        if rule_id in self.filtered:
            return False
        if rule_id in self.known:
            return True
        # An unknown name in an eslint- directive may be an ESLint rule Thea lacks; ML
        # findings (ml/...) are produced outside the pattern linter.
        return entry.parent.prefix == "thea" and not rule_id.startswith("ml/")


def _invalid_finding(invalid: _Invalid) -> Finding:
    message = MESSAGES["multilineDisableLine"].format(prefix=invalid.prefix)
    return Finding(UNUSED_DIRECTIVE_ID, "multilineDisableLine", message, invalid.start, invalid.end, Severity.ERROR)
