"""Expressions that always evaluate to a primitive value, judged from their syntax alone.

Some rewrites keep their meaning only for primitives: `x + ""` and `` `${x}` `` differ for an
object with its own `valueOf`. Literals, arithmetic, comparisons, `typeof`, `!` and the like
can only produce primitives; identifiers, calls and member reads may produce anything (a
getter, a shadowed `undefined`), so they are not counted, however likely.
"""

from __future__ import annotations

import tree_sitter

from engine.rules.nodes import unparenthesized

_LITERALS = frozenset({"string", "template_string", "number", "true", "false", "null"})
# Every unary operator yields a primitive: `+x` and `-x` a number or bigint, `!x` a boolean,
# `typeof x` a string, `void x` undefined, `delete x` a boolean, `~x` a number or bigint.
_ALWAYS_PRIMITIVE = frozenset({"unary_expression", "update_expression"})
_LOGICAL = frozenset({"&&", "||", "??"})


def is_primitive(node: tree_sitter.Node) -> bool:
    """Whether `node` (an expression) can only evaluate to a primitive (or throw)."""
    node = unparenthesized(node)
    kind = node.type
    if kind in _LITERALS or kind in _ALWAYS_PRIMITIVE:
        return True
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        if operator is None:
            return False
        if operator.type not in _LOGICAL:
            return True  # arithmetic, comparison, bitwise, `in`, `instanceof`, `+`: all primitive
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return left is not None and right is not None and is_primitive(left) and is_primitive(right)
    if kind == "ternary_expression":
        yes, no = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        return yes is not None and no is not None and is_primitive(yes) and is_primitive(no)
    if kind in ("assignment_expression", "augmented_assignment_expression"):
        operator = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        # `a = 1` yields its right side; `a += b` and friends compute a primitive, except the
        # logical assignments, which may yield the old value of `a`.
        if operator is not None and operator.type in ("&&=", "||=", "??="):
            return False
        return right is not None and (kind == "augmented_assignment_expression" or is_primitive(right))
    if kind == "sequence_expression":
        last = node.named_children[-1] if node.named_children else None
        return last is not None and is_primitive(last)
    return False
