"""Small, shared questions about tree-sitter JavaScript nodes, in ESTree terms.

tree-sitter keeps parentheses as `parenthesized_expression` nodes; ESTree (and so ESLint)
drops them. Rules that compare with ESLint look through them with `unparenthesized`.
"""

from __future__ import annotations

import tree_sitter

# ESTree `Literal`s: their tree-sitter types mapped to JavaScript's `typeof` of the value.
LITERAL_TYPEOF = {
    "string": "string",
    "number": "number",
    "true": "boolean",
    "false": "boolean",
    "null": "object",
    "regex": "object",
}


def unparenthesized(node: tree_sitter.Node) -> tree_sitter.Node:
    """The expression inside any number of parentheses."""
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        if inner.type == "comment":
            break
        node = inner
    return node


def outer_parenthesized(node: tree_sitter.Node) -> tree_sitter.Node:
    """The outermost parentheses wrapping `node` (or `node` itself)."""
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def operator(node: tree_sitter.Node) -> str | None:
    """The operator token of a binary, unary, update or assignment expression."""
    op = node.child_by_field_name("operator")
    if op is not None:
        return op.type
    if node.type == "assignment_expression":
        return "="
    return None


def literal_typeof(node: tree_sitter.Node) -> str | None:
    """`typeof` of an ESTree Literal (bigint included), or None when `node` is no literal."""
    node = unparenthesized(node)
    if node.type == "number":
        return "bigint" if node.text is not None and node.text.endswith(b"n") else "number"
    return LITERAL_TYPEOF.get(node.type)


def is_typeof_expression(node: tree_sitter.Node) -> bool:
    node = unparenthesized(node)
    return node.type == "unary_expression" and operator(node) == "typeof"


def binary_parts(
    node: tree_sitter.Node, operators: frozenset[str]
) -> tuple[str, tree_sitter.Node, tree_sitter.Node] | None:
    """(operator, left, right) of a binary expression whose operator is one of `operators`."""
    operator = node.child_by_field_name("operator")
    if operator is None or operator.type not in operators:
        return None
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    return operator.type, left, right


def without_parentheses(node: tree_sitter.Node) -> tree_sitter.Node:
    """The expression inside any number of parentheses, looking past comments in them as
    ESTree does (`(/* c */ a)` is `a`), unlike `unparenthesized`. A fix that copies only the
    inner text drops those comments: check for them."""
    while node.type == "parenthesized_expression":
        inner = [child for child in node.named_children if child.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node
