"""Disallow duplicate conditions in if-else-if chains.

## What it does
Reports an `else if` whose condition can never be true because earlier conditions of the
same chain already cover it: the same condition again (`if (a) ... else if (a)`), or one
whose every `||` alternative is implied by an earlier condition (`if (a) ... else if (a && b)`,
`if (a || b) ... else if (a)`). Conditions compare token by token, with `&&` and `||`
commutative (`a && b` equals `b && a`).

## Why is this bad?
The branch is dead code, almost always from a copy-paste slip where a different condition
was meant.

## Example
```js
if (isA(x)) { a(); }
else if (isB(x)) { b(); }
else if (isA(x)) { c(); }    // reported: never runs
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-dupe-else-if
"""

from __future__ import annotations

import tree_sitter

from engine.rules.nodes import without_parentheses
from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.tokens import tokens

RULE = RuleMeta(
    id="no-dupe-else-if",
    type="problem",
    description="Disallow duplicate conditions in if-else-if chains.",
    messages={
        "unexpected": "This branch can never execute. Its condition is a duplicate or covered by previous "
        "conditions in the if-else-if chain."
    },
    node_types=("(else_clause (if_statement) @target)",),  # an `else if`
    eslint_equivalent=True,
)

Conjunction = list[tree_sitter.Node]  # operands joined by `&&`
Disjunction = list[Conjunction]  # conjunctions joined by `||`


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if _previous_if(node) is None:
        return  # not an `else if`
    test = _test(node)
    if test is None:
        return
    compare = _Comparer(ctx)
    conditions = [test, *_split(test, "&&")] if _logical_operator(test) == "&&" else [test]
    remaining: list[Disjunction] = [[_split(operand, "&&") for operand in _split(c, "||")] for c in conditions]
    current = node
    while (previous := _previous_if(current)) is not None:
        current = previous
        earlier = _test(current)
        if earlier is None:
            return
        earlier_or = [_split(operand, "&&") for operand in _split(earlier, "||")]
        remaining = [
            [operand for operand in disjunction if not any(compare.is_subset(done, operand) for done in earlier_or)]
            for disjunction in remaining
        ]
        if any(not disjunction for disjunction in remaining):
            ctx.report(test, "unexpected")
            return


def _previous_if(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `if` whose `else` branch `node` is, if any."""
    clause = node.parent
    if clause is None or clause.type != "else_clause":
        return None
    owner = clause.parent
    return owner if owner is not None and owner.type == "if_statement" else None


def _test(node: tree_sitter.Node) -> tree_sitter.Node | None:
    condition = node.child_by_field_name("condition")
    return without_parentheses(condition) if condition is not None else None


def _logical_operator(node: tree_sitter.Node) -> str | None:
    if node.type != "binary_expression":
        return None
    op = node.child_by_field_name("operator")
    return op.type if op is not None and op.type in ("&&", "||", "??") else None


def _split(node: tree_sitter.Node, operator: str) -> list[tree_sitter.Node]:
    """The operands that `operator` joins at the top of `node` (parentheses looked through)."""
    node = without_parentheses(node)
    if _logical_operator(node) != operator:
        return [node]
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return [node]
    return _split(left, operator) + _split(right, operator)


class _Comparer:
    """ESLint's `equal`: token equality, with `&&`/`||` operands compared in either order."""

    __slots__ = ("_tokens",)

    def __init__(self, ctx: RuleContext) -> None:
        self._tokens: dict[tuple[int, int], tuple[bytes, ...]] = ctx.cache.setdefault("no-dupe-else-if:tokens", {})

    def is_subset(self, subset: Conjunction, superset: Conjunction) -> bool:
        return all(any(self.equal(a, b) for b in superset) for a in subset)

    def equal(self, a: tree_sitter.Node, b: tree_sitter.Node) -> bool:
        a, b = without_parentheses(a), without_parentheses(b)
        if a.type != b.type:
            return False
        op = _logical_operator(a)
        if op in ("&&", "||") and op == _logical_operator(b):
            a_left, a_right = a.child_by_field_name("left"), a.child_by_field_name("right")
            b_left, b_right = b.child_by_field_name("left"), b.child_by_field_name("right")
            if a_left is None or a_right is None or b_left is None or b_right is None:
                return False
            return (self.equal(a_left, b_left) and self.equal(a_right, b_right)) or (
                self.equal(a_left, b_right) and self.equal(a_right, b_left)
            )
        return self._token_texts(a) == self._token_texts(b)

    def _token_texts(self, node: tree_sitter.Node) -> tuple[bytes, ...]:
        key = (node.start_byte, node.end_byte)
        found = self._tokens.get(key)
        if found is None:
            found = self._tokens[key] = tuple(token.text or b"" for token in tokens(node))
        return found


VALID = [
    Valid("if (a) {} else if (b) {}"),
    Valid("if (a) {} else if (a === 1) {}"),
    Valid("if (a && b) {} else if (a) {}"),
    Valid("if (a) {} else { if (a) {} }"),
    Valid("if (a) {} if (a) {}"),
    Valid("if (a) {} else if (b) {} else if (c) {}"),
    Valid("if (a || b) {} else if (a || c) {}"),
    Valid("if (f('a')) {} else if (f(\"a\")) {}"),
    Valid("if (a ?? b) {} else if (b ?? a) {}"),
]

INVALID = [
    Invalid("if (a) {} else if (a) {}", [Expected("unexpected", 1, 20, 1, 21)]),
    Invalid("if ((a)) {} else if (a /* c */) {}", [Expected("unexpected", 1, 22, 1, 23)]),
    Invalid("if (a || b) {} else if ((/* c */ b) && c) {}", [Expected("unexpected", 1, 25, 1, 41)]),
    Invalid("if (a) {} else if (b) {} else if (a) {}", [Expected("unexpected", 1, 35)]),
    Invalid("if (a) {} else if (a && b) {}", [Expected("unexpected", 1, 20)]),
    Invalid("if (a || b) {} else if (a) {}", [Expected("unexpected", 1, 25)]),
    Invalid("if (a && b) {} else if (b && a) {}", [Expected("unexpected", 1, 25)]),
    Invalid("if (a) {} else if (b) {} else if (a || b) {}", [Expected("unexpected", 1, 35)]),
    Invalid("if (a) {} else if ((a)) {}", [Expected("unexpected", 1, 21)]),
    Invalid("if (f(a /* x */)) {} else if (f(a)) {}", [Expected("unexpected", 1, 31)]),
    Invalid(
        "if (x === '😀') {}\nelse if (y) {}\nelse if (x === '😀') {}",
        [Expected("unexpected", 3, 10)],
    ),
    Invalid("if (a) f();\nelse if (b)\n  g();\nelse if (a)\n  h();", [Expected("unexpected", 4, 10)]),
    Invalid("if (<A />) {} else if (<A />) {}", [Expected("unexpected", 1, 24)]),
]
