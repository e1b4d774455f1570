"""Operator precedence of tree-sitter expression nodes, on ESLint's scale (`getPrecedence`).

Fixes that replace an expression with one of its parts need to know whether the part must be
parenthesized in its new place. The numbers are ESLint's so that the choices match its
fixes: 0 for a sequence, up to 19 for `new`, 20 for primary expressions; -1 for a node that
is no expression (wrap it, to be safe).
"""

from __future__ import annotations

import tree_sitter

from engine.rules.nodes import unparenthesized

_BINARY = {
    "||": 4, "??": 4, "&&": 5, "|": 6, "^": 7, "&": 8,
    "==": 9, "!=": 9, "===": 9, "!==": 9,
    "<": 10, "<=": 10, ">": 10, ">=": 10, "in": 10, "instanceof": 10,
    "<<": 11, ">>": 11, ">>>": 11, "+": 12, "-": 12, "*": 13, "/": 13, "%": 13, "**": 15,
}
_BY_TYPE = {
    "sequence_expression": 0,
    "assignment_expression": 1, "augmented_assignment_expression": 1, "arrow_function": 1, "yield_expression": 1,
    "ternary_expression": 3,
    "unary_expression": 16, "await_expression": 16,
    "update_expression": 17,
    "call_expression": 18,
    "new_expression": 19,
}
# Expressions that bind tightest (ESTree node types ESLint gives 20).
_PRIMARY = frozenset({
    "identifier", "this", "super", "undefined", "null", "true", "false", "number", "string", "template_string",
    "regex", "array", "object", "function_expression", "generator_function", "class", "member_expression",
    "subscript_expression", "meta_property", "private_property_identifier", "jsx_element",
    "jsx_self_closing_element", "import", "parenthesized_expression",
})

LOGICAL_OPERATORS = frozenset({"||", "&&", "??"})


def precedence(node: tree_sitter.Node) -> int:
    """ESLint's precedence of the expression `node` (parentheses looked through)."""
    node = unparenthesized(node)
    kind = node.type
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        return _BINARY.get(operator.type, -1) if operator is not None else -1
    found = _BY_TYPE.get(kind)
    if found is not None:
        return found
    return 20 if kind in _PRIMARY else -1


def binary_operator(node: tree_sitter.Node) -> str | None:
    node = unparenthesized(node)
    if node.type != "binary_expression":
        return None
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else None


def is_mixed_logical_and_coalesce(left: tree_sitter.Node, right: tree_sitter.Node) -> bool:
    """`a ?? b` next to `a || b` / `a && b`, which JavaScript refuses without parentheses."""
    left_op, right_op = binary_operator(left), binary_operator(right)
    return (left_op in ("||", "&&") and right_op == "??") or (left_op == "??" and right_op in ("||", "&&"))
