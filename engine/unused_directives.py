"""Report directives that suppressed nothing, as ESLint's `reportUnusedDisableDirectives`.

ESLint 10 (`linter/apply-disable-directives.js`) reports, per directive comment, either the
whole comment (when none of its rules was used: one finding, whose fix deletes the comment)
or each unused rule name of a list whose other names were used (one finding per name, whose
fix deletes that name and one neighbouring comma). An `eslint-enable` is used when a
matching disable before it was still open. Thea keeps the messages and the positions (the
comment's start) and deletes a whole comment with its leftover whitespace instead of
ESLint's single space.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Edit, Fix
from engine.parse.source import Source

if TYPE_CHECKING:
    from engine.directives import Directive, Entry, Judge

UNUSED_DIRECTIVE_ID = "unused-disable-directive"
MESSAGES = {
    "unusedDisable": "Unused {prefix}-disable directive (no problems were reported{detail}).",
    "unusedEnable": "Unused {prefix}-enable directive (no matching {prefix}-disable directives were found{detail}).",
    "multilineDisableLine": "{prefix}-disable-line comment should not span multiple lines.",
}

_UNNECESSARY = frozenset({"unnecessary"})


def report_unused(
    source: Source,
    block: list[Entry],
    used_block: set[int],
    line: list[Entry],
    used_line: set[int],
    judge: Judge,
    severity: Severity,
) -> list[Finding]:
    findings: list[Finding] = []
    for entries, used in ((block, used_block), (line, used_line)):
        unused = [e for e in entries if e.kind == "disable" and id(e) not in used and judge.can_judge(e)]
        findings += _report_groups(source, unused, "disable", severity)
    enables = [e for e in block if e.parent.kind == "enable" and judge.can_judge(e)]
    if enables:
        used_enables = _used_enables(block)
        enables = [e for e in enables if id(e) not in used_enables]
        findings += _report_groups(source, enables, "enable", severity)
    return findings


def _used_enables(block: list[Entry]) -> set[int]:
    """Enable entries that close a disable before them (walked backwards, as ESLint)."""
    pending: dict[str | None, Entry] = {}  # rule id (None: every rule) -> enable after us
    used: set[int] = set()
    for entry in reversed(block):
        if entry.kind == "disable":
            if not pending:
                continue
            if entry.rule_id is None:
                used.update(id(enable) for enable in pending.values())
                pending.clear()
            elif entry.rule_id in pending:
                used.add(id(pending[entry.rule_id]))
            elif None in pending:
                used.add(id(pending[None]))
        elif entry.rule_id is None:
            pending.clear()
            pending[None] = entry
        else:
            pending[entry.rule_id] = entry
    return used


def _report_groups(
    source: Source, entries: list[Entry], kind: Literal["disable", "enable"], severity: Severity
) -> list[Finding]:
    groups: dict[int, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(id(entry.parent), []).append(entry)
    findings = []
    for group in groups.values():
        parent = group[0].parent
        unused_ids = [entry.rule_id for entry in group if entry.rule_id is not None]
        if set(parent.rule_ids) - set(unused_ids):
            findings += [_name_finding(source, parent, rule_id, kind, severity) for rule_id in unused_ids]
        else:
            findings.append(_comment_finding(source, parent, unused_ids, kind, severity))
    return findings


def _message(prefix: str, kind: str, description: str) -> tuple[str, str]:
    message_id = "unusedDisable" if kind == "disable" else "unusedEnable"
    detail = ""
    if description:
        detail = (" from " if kind == "disable" else " for ") + description
    return message_id, MESSAGES[message_id].format(prefix=prefix, detail=detail)


def _comment_finding(
    source: Source, parent: Directive, rule_ids: list[str], kind: str, severity: Severity
) -> Finding:
    quoted = [f"'{rule_id}'" for rule_id in rule_ids]
    description = " or ".join(quoted) if len(quoted) <= 2 else f"{', '.join(quoted[:-1])}, or {quoted[-1]}"
    message_id, message = _message(parent.prefix, kind, description)
    fix = removal_fix(source, parent.start, parent.end, f"Remove unused {parent.prefix}-{kind} directive")
    return Finding(
        UNUSED_DIRECTIVE_ID, message_id, message, parent.start, parent.end, severity, (fix,), None, _UNNECESSARY
    )


def _name_finding(source: Source, parent: Directive, rule_id: str, kind: str, severity: Severity) -> Finding:
    message_id, message = _message(parent.prefix, kind, f"'{rule_id}'")
    fixes: tuple[Fix, ...] = ()
    removal = _name_removal(source, parent, rule_id)
    if removal is not None:
        edit = Edit(removal[0], removal[1], "")
        fixes = (Fix((edit,), Applicability.SAFE, f"Remove '{rule_id}' from the {parent.prefix}-{kind} directive"),)
    return Finding(UNUSED_DIRECTIVE_ID, message_id, message, parent.start, parent.end, severity, fixes, None, _UNNECESSARY)


def _name_removal(source: Source, parent: Directive, rule_id: str) -> tuple[int, int] | None:
    """Byte range deleting `rule_id` and one comma from the directive's rule list.

    A middle name goes with the comma before it; the first name with the comma and spaces
    after it; the last with the comma and spaces before it."""
    text = source.slice(parent.start, parent.end)
    label = f"{parent.prefix}-{parent.kind}"
    list_start = text.find(parent.value, text.find(label) + len(label))
    if list_start < 0:
        return None
    pattern = rf"(?:^|\s*,\s*)(?P<quote>['\"]?){re.escape(rule_id)}(?P=quote)(?:\s*,\s*|\Z)"
    match = re.search(pattern, parent.value)
    if match is None:
        return None
    matched = match.group(0)
    first_comma, last_comma = matched.find(","), matched.rfind(",")
    start, end = match.start(), match.end()
    if first_comma != last_comma:
        start, end = match.start() + first_comma, match.start() + last_comma
    prefix = text[: list_start + start]
    removed = text[list_start + start : list_start + end]
    first = parent.start + len(prefix.encode("utf-8", "surrogatepass"))
    return first, first + len(removed.encode("utf-8", "surrogatepass"))


def removal_fix(source: Source, start: int, end: int, title: str) -> Fix:
    """Delete the comment at bytes [start, end) with the whitespace it leaves behind: the
    whole line when the comment stands alone on it, the spaces before a trailing comment, the
    spaces after an inline one; a space stays where two tokens would otherwise touch."""
    data = source.data
    line_start = source.line_starts[source.line_of(start)]
    last_line = source.line_of(end)
    line_end = source.line_end(last_line)
    before = data[line_start:start]
    after = data[end:line_end]
    if not before.strip(b" \t") and not after.strip(b" \t"):
        next_start = source.line_starts[last_line + 1] if last_line + 1 < len(source.line_starts) else len(data)
        if line_end == len(data) and line_start > 0:
            # The last line, without a line break: take the break before it instead.
            previous_end = source.line_end(source.line_of(line_start - 1))
            return Fix((Edit(previous_end, len(data), ""),), Applicability.SAFE, title)
        return Fix((Edit(line_start, next_start, ""),), Applicability.SAFE, title)
    if not after.strip(b" \t"):
        first = start - (len(before) - len(before.rstrip(b" \t")))
        return Fix((Edit(first, line_end, ""),), Applicability.SAFE, title)
    spaces_after = len(after) - len(after.lstrip(b" \t"))
    if before[-1:] in (b" ", b"\t", b"(", b"[", b"{") or not before.strip(b" \t"):
        return Fix((Edit(start, end + spaces_after, ""),), Applicability.SAFE, title)
    if spaces_after or after[:1] in (b")", b"]", b"}", b",", b";"):
        return Fix((Edit(start, end, ""),), Applicability.SAFE, title)
    # `a+/* x */+b`: two tokens would touch (and `++` is another operator).
    return Fix((Edit(start, end, " "),), Applicability.SAFE, title)
