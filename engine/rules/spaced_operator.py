"""Disallow operators split by whitespace (`a = = b`, `a ! == b`, `(x) = > x`).

## What it does
Reports an operator whose characters are separated by spaces or tabs, so that the file
does not parse: `a = = b`, `a = = = b`, `a ! = b`, `a > = b`, `a & & b`, `a | | b`,
`x * * 2`, `a ? ? b`, `(x) = > x`, `f(. . . args)`, `x + = 1`, `x & & = y`. Candidates are
the runs of punctuation pieces on the lines of a syntax error whose concatenation is a
JavaScript operator (`==`, `!==`, `>>>=`, `**`, `??=`, `?.`, `=>`, `...`, ...), never text
in strings, templates, regular expressions or comments. One is reported only when joining
it makes the file parse with fewer errors: alone, or together with the other split
operators of the file (two in one statement make one error that only goes away when both
are joined; each one whose absence from that set brings errors back is reported).

## Why is this bad?
The file is a syntax error: nothing in it runs. A tool that reformats or strips
characters (emoji clean-ups, careless find-and-replace) leaves this behind; ESLint can only
report "Parsing error: Unexpected token".

## Example
```js
if (a ! = b) {}      // reported: "!=" is split
if (a != b) {}       // ok
```

## Fix safety
The fix removes the whitespace inside the operator, keeping the characters as typed and in
order (`= >` becomes `=>`, never `>=`). Every candidate is checked by re-parsing the file
(incrementally, at most 64 re-parses a file). The fix is **safe** when its join is the only
join of those pieces that repairs the parse and the repaired file has no syntax error that
was not there before (unrelated errors elsewhere may remain). Otherwise it is **unsafe**:
two joins repair (so the reading is a guess), the repair is partial (`a ! ! = b`), or the
join makes a comparison whose value is thrown away (`a = = b;` as a statement: `a == b;`
does nothing, and `a = b;` may have been meant).
The code did not run before the fix, so no working behaviour can change.

## Options
None.

## References
- ECMAScript punctuators: https://tc39.es/ecma262/#sec-punctuators
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.parse.parser import count_syntax_errors
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.syntax_errors import error_nodes, error_spans, reparse, spans_after_removal

RULE = RuleMeta(
    id="spaced-operator",
    type="problem",
    description="Disallow operators split by whitespace.",
    messages={"split": "Operator '{{operator}}' is split by whitespace ('{{written}}')."},
    # The root only: the ERROR nodes are looked up when the tree has an error, and all
    # split operators of the file are weighed together.
    node_types=("program",),
    fixable="sometimes",
)

# Every JavaScript punctuator of two or more characters that a split can produce.
OPERATORS = frozenset({
    "==", "===", "!=", "!==", "<=", ">=", "<<", ">>", ">>>", "<<=", ">>=", ">>>=",
    "+=", "-=", "*=", "/=", "%=", "**=", "&=", "|=", "^=", "&&=", "||=", "??=",
    "&&", "||", "??", "**", "++", "--", "=>", "?.", "...",
})
_COMPARISONS = frozenset({"==", "===", "!=", "!==", "<=", ">="})
_MAX_PIECES = 4  # the longest operator, ">>>=", has four characters
_MAX_REPARSES = 64  # per file (incremental, ~1-4 ms each): a file full of errors is not re-parsed without end
_SPLIT = re.compile(rb"[=!<>&|?*+\-%^/.]+(?:[ \t]+[=!<>&|?*+\-%^/.]+)+")
_PIECE = re.compile(rb"[^ \t]+")


@dataclass(frozen=True)
class _Join:
    pieces: tuple[tuple[int, int], ...]  # byte ranges of the joined pieces
    operator: str

    @property
    def edits(self) -> tuple[Edit, ...]:
        return tuple(Edit(a[1], b[0], "") for a, b in zip(self.pieces, self.pieces[1:]))


class _Trial:
    """Re-parses of the file with some joins applied, within a per-file budget."""

    def __init__(self, ctx: RuleContext) -> None:
        self.ctx = ctx
        self.left = _MAX_REPARSES
        self.before = count_syntax_errors(ctx.tree)
        self._spans: frozenset | None = None

    def errors(self, joins: list[_Join]) -> tuple[int, tree_sitter.Tree] | None:
        """(syntax errors, tree) with `joins` applied, or None when the budget is spent."""
        if self.left <= 0:
            return None
        self.left -= 1
        tree = reparse(self.ctx.source, self.ctx.tree, [edit for join in joins for edit in join.edits])
        return count_syntax_errors(tree), tree

    def adds_no_error(self, joins: list[_Join], tree: tree_sitter.Tree) -> bool:
        """Every syntax error left in `tree` was already in the file (mapped back)."""
        if self._spans is None:
            self._spans = error_spans(self.ctx.tree)
        removed = sorted((edit.start, edit.end) for join in joins for edit in join.edits)
        return spans_after_removal(error_spans(tree), removed) <= self._spans


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if node.parent is not None or not node.has_error:
        return
    sites = _sites(ctx)
    if not sites:
        return
    trial = _Trial(ctx)
    # Joins that repair nothing alone but do not hurt: two split operators in one
    # statement make one ERROR node, which only goes away when both are joined.
    pending: list[_Join] = []
    for joins in sites:
        repairs: list[tuple[int, _Join, tree_sitter.Tree]] = []
        harmless: _Join | None = None
        for join in joins:
            outcome = trial.errors([join])
            if outcome is None:
                break
            errors, tree = outcome
            if errors < trial.before:
                repairs.append((errors, join, tree))
            elif errors == trial.before and (harmless is None or len(join.pieces) > len(harmless.pieces)):
                harmless = join
        if repairs:
            repairs.sort(key=lambda item: (item[0], -len(item[1].pieces)))
            _, join, tree = repairs[0]
            safe = len(repairs) == 1 and trial.adds_no_error([join], tree) and not _discarded(tree, join, [join])
            _report(ctx, join, safe)
        elif harmless is not None:
            pending.append(harmless)
    if len(pending) > 1:
        _check_together(ctx, trial, pending)


def _check_together(ctx: RuleContext, trial: _Trial, joins: list[_Join]) -> None:
    """Report the joins that repair the file together, each one that is needed: leaving it
    out of the set gives more errors."""
    outcome = trial.errors(joins)
    if outcome is None or outcome[0] >= trial.before:
        return
    errors, tree = outcome
    safe = trial.adds_no_error(joins, tree)
    for join in joins:
        without = trial.errors([other for other in joins if other is not join])
        if without is None:
            return
        if without[0] > errors:
            _report(ctx, join, safe and not _discarded(tree, join, joins))


def _discarded(tree: tree_sitter.Tree, join: _Join, applied: list[_Join]) -> bool:
    """The joined operator is a comparison whose value is thrown away (`a == b;` as a
    statement does nothing, so `a = b;` may have been meant): not the only sensible reading."""
    if join.operator not in _COMPARISONS:
        return False
    removed = sum(edit.end - edit.start for other in applied for edit in other.edits if edit.end <= join.pieces[0][0])
    start = join.pieces[0][0] - removed
    operator = tree.root_node.descendant_for_byte_range(start, start + len(join.operator))
    expression = operator.parent if operator is not None else None
    return (
        expression is not None
        and expression.type == "binary_expression"
        and expression.parent is not None
        and expression.parent.type in ("expression_statement", "sequence_expression")
    )


def _sites(ctx: RuleContext) -> list[list[_Join]]:
    """The candidate joins of each split operator on the lines of an ERROR node."""
    source, root = ctx.source, ctx.tree.root_node
    seen: set[int] = set()
    sites = []
    for error in error_nodes(ctx.tree):
        first_line = source.line_of(error.start_byte)
        last_line = source.line_of(max(error.start_byte, error.end_byte - 1))
        for match in _SPLIT.finditer(source.data, source.line_starts[first_line], source.line_end(last_line)):
            if match.start() in seen:
                continue
            seen.add(match.start())
            pieces = [(m.start(), m.end()) for m in _PIECE.finditer(source.data, match.start(), match.end())]
            if all(_is_code(root, piece) for piece in pieces):
                joins = _joins(source.data, pieces)
                if joins:
                    sites.append(joins)
    return sites


def _is_code(root: tree_sitter.Node, piece: tuple[int, int]) -> bool:
    """The piece is punctuation, not text inside a string, template, regex or comment
    (those are named leaves)."""
    node = root.descendant_for_byte_range(piece[0], piece[1])
    return node is not None and (not node.is_named or node.type == "ERROR")


def _joins(data: bytes, pieces: list[tuple[int, int]]) -> list[_Join]:
    joins = []
    for first in range(len(pieces)):
        for last in range(first + 1, min(len(pieces), first + _MAX_PIECES)):
            span = tuple(pieces[first : last + 1])
            operator = b"".join(data[a:b] for a, b in span).decode("ascii")
            if operator in OPERATORS:
                joins.append(_Join(span, operator))
    return joins


def _report(ctx: RuleContext, join: _Join, safe: bool) -> None:
    written = ctx.source.slice(join.pieces[0][0], join.pieces[-1][1])
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    fix = Fix(join.edits, applicability, f"Join '{written}' into '{join.operator}'")
    ctx.report(
        None,
        "split",
        data={"operator": join.operator, "written": written},
        start=join.pieces[0][0],
        end=join.pieces[-1][1],
        fixes=[fix],
    )


VALID = [
    Valid("a == b; a != b; a >= b; x => x;"),
    Valid("a + +b; a - -b; a = -b; a = !b;"),  # split on purpose, and valid
    Valid("const s = 'a = = b'; // c ! = d"),
    Valid("x = /= =/.test(y);"),
    Valid("a ? .5 : 1;"),
    Valid("f(a b);"),  # a syntax error, but no split operator
]

INVALID = [
    Invalid("a = = b;", [Expected("split", 1, 3, 1, 6)]),
    Invalid("a = = = b;", [Expected("split", 1, 3, 1, 8)]),
    Invalid("if (a ! = b) {}", [Expected("split", 1, 7, 1, 10)]),
    Invalid("a ! == b", [Expected("split", 1, 3)]),
    Invalid("a ! = = b", [Expected("split", 1, 3, 1, 8)]),
    Invalid("a > = b", [Expected("split", 1, 3)]),
    Invalid("if (a < = b) {}", [Expected("split", 1, 7)]),
    Invalid("a & & b", [Expected("split", 1, 3)]),
    Invalid("x = a | | b", [Expected("split", 1, 7)]),
    Invalid("arr.map((x) = > x * 2)", [Expected("split", 1, 13)]),
    Invalid("x = a * * 2", [Expected("split", 1, 7)]),
    Invalid("x = a > > 2", [Expected("split", 1, 7)]),
    Invalid("x = a < < 2", [Expected("split", 1, 7)]),
    Invalid("x = a ? ? b", [Expected("split", 1, 7)]),
    Invalid("f(. . . args)", [Expected("split", 1, 3, 1, 8)]),
    Invalid("x + = 1", [Expected("split", 1, 3)]),
    Invalid("x & & = y", [Expected("split", 1, 3, 1, 8)]),
    Invalid("a = b = = c;\nd = e ! = f;", [Expected("split", 1, 7), Expected("split", 2, 7)]),
    Invalid("x = y\n  = = z", [Expected("split", 2, 3)]),
    Invalid("s = '😀' ! = t", [Expected("split", 1, 10)]),
    Invalid("x = 'a = = b' ! = c;", [Expected("split", 1, 15)]),  # the string is left alone
    Invalid("if (a = = = b & & c) {}", [Expected("split", 1, 7), Expected("split", 1, 15)]),  # repaired together
    Invalid("x = a = = b | | c ! = d;", [Expected("split", 1, 7), Expected("split", 1, 13), Expected("split", 1, 19)]),
    Invalid("x = a ! ! = b;", [Expected("split", 1, 9, 1, 12)]),
]

FIXES = [
    FixCase("a = = b;", "a = = b;"),  # a discarded comparison: `a = b;` may be meant
    FixCase("a = = b;", "a == b;", applicability=Applicability.UNSAFE),
    FixCase("ok = a = = = b;", "ok = a === b;"),
    FixCase("if (a ! = b) {}", "if (a != b) {}"),
    FixCase("f(a ! == b)", "f(a !== b)"),
    FixCase("if (a ! = = b) {}", "if (a !== b) {}"),
    FixCase("a ! = = b, c();", "a ! = = b, c();"),
    FixCase("if (a < = b) {}", "if (a <= b) {}"),
    FixCase("ok = a & & b;", "ok = a && b;"),
    FixCase("arr.map((x) = > x * 2)", "arr.map((x) => x * 2)"),
    FixCase("f(. . . args)", "f(... args)"),
    FixCase("x & & = y", "x &&= y"),
    FixCase("a = b = = c;\nd = e ! = f;", "a = b == c;\nd = e != f;"),
    FixCase("if (a = = = b & & c) {}", "if (a === b && c) {}"),
    FixCase("x = a = = b | | c ! = d;", "x = a == b || c != d;"),
    FixCase("x = a ! ! = b;", "x = a ! ! = b;"),  # repairs only part of the error: unsafe
    FixCase("x = a ! ! = b;", "x = a ! != b;", applicability=Applicability.UNSAFE),
]
