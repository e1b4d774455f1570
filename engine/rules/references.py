"""Calls of a global function through any alias, as ESLint's `ReferenceTracker` finds them.

ESLint's `prefer-exponentiation-operator` (and rules like it) report `Math.pow(a, b)` but
also `Math["pow"](a, b)`, `globalThis.Math.pow(a, b)`, `(0, Math.pow)(a, b)`,
`const { pow } = Math; pow(a, b)` and `const M = Math; M.pow(a, b)`, all through
@eslint-community/eslint-utils' ReferenceTracker. This module follows the same paths on a
tree-sitter tree, from the global variable (`engine.rules.scope` tells global from local):

- a value passes through unchanged as a `?:` branch, an `||`/`&&`/`??` operand, the last
  expression of a sequence, or inside parentheses;
- a member access with the next name of the path moves along the path;
- an assignment or a variable initializer hands the value to the variables it binds
  (destructuring by name included), whose reads are followed in turn.

A global that the file assigns (`Math = ...`) is not followed, as in ESLint.
"""

from __future__ import annotations

from typing import Iterator

import tree_sitter

from engine.rules.scope import GLOBAL_OBJECT_NAMES, declared_scope, name_scopes
from engine.rules.static_value import static_property_name, static_string_value

_LOGICAL = frozenset({"||", "&&", "??"})
_MEMBERS = frozenset({"member_expression", "subscript_expression"})


class _Tracker:
    def __init__(self, tree: tree_sitter.Tree, cache: dict) -> None:
        self.tree = tree
        self.cache = cache
        self.following: set[tuple[str, tuple[int, int] | None]] = set()

    def global_reads(self, name: str) -> list[tree_sitter.Node]:
        scopes = name_scopes(self.tree, self.cache, name)
        if scopes.is_written():
            return []
        return [node for node in scopes.identifiers if scopes.is_global_reference(node) and _is_read(node)]

    def follow(self, node: tree_sitter.Node, path: tuple[str, ...]) -> Iterator[tree_sitter.Node]:
        """Calls reached from the value of `node` by the property names in `path`."""
        node = _pass_through(node)
        parent = node.parent
        if parent is None:
            return
        kind = parent.type
        if kind in _MEMBERS:
            if path and parent.child_by_field_name("object") == node and static_property_name(parent) == path[0]:
                yield from self.follow(parent, path[1:])
        elif kind == "call_expression":
            arguments = parent.child_by_field_name("arguments")
            called = parent.child_by_field_name("function") == node
            if not path and called and arguments is not None and arguments.type == "arguments":
                yield parent
        elif kind == "assignment_expression":
            if parent.child_by_field_name("right") == node:
                left = parent.child_by_field_name("left")
                if left is not None:
                    yield from self.bound(left, path)
                yield from self.follow(parent, path)
        elif kind in ("assignment_pattern", "object_assignment_pattern"):
            left = parent.child_by_field_name("left")
            if parent.child_by_field_name("right") == node and left is not None:
                yield from self.bound(left, path)
        elif kind == "variable_declarator":
            name = parent.child_by_field_name("name")
            if parent.child_by_field_name("value") == node and name is not None:
                yield from self.bound(name, path)

    def bound(self, pattern: tree_sitter.Node, path: tuple[str, ...]) -> Iterator[tree_sitter.Node]:
        """Calls reached through the variables that `pattern` binds to a tracked value."""
        kind = pattern.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            yield from self.variable_reads(pattern, path)
        elif kind == "object_pattern":
            if not path:
                return
            for child in pattern.named_children:
                if child.type == "pair_pattern":
                    value = child.child_by_field_name("value")
                    if value is not None and _pattern_key(child) == path[0]:
                        yield from self.bound(value, path[1:])
                elif child.type == "shorthand_property_identifier_pattern" and child.text == path[0].encode():
                    yield from self.bound(child, path[1:])
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None and left.text == path[0].encode():
                        yield from self.bound(left, path[1:])
        elif kind == "assignment_pattern":
            left = pattern.child_by_field_name("left")
            if left is not None:
                yield from self.bound(left, path)

    def variable_reads(self, identifier: tree_sitter.Node, path: tuple[str, ...]) -> Iterator[tree_sitter.Node]:
        name = identifier.text.decode("utf-8", "surrogatepass") if identifier.text is not None else ""
        if not name:
            return
        scopes = name_scopes(self.tree, self.cache, name)
        binding = scopes.binding(identifier)
        key = (name, binding)
        if binding is None or key in self.following:
            return  # an undeclared name is an implicit global: ESLint's tracker does not follow it
        self.following.add(key)
        try:
            for node in scopes.identifiers:
                if node.type == "identifier" and _is_read(node) and scopes.binding(node) == binding:
                    yield from self.follow(node, path)
        finally:
            self.following.discard(key)


def global_calls(tree: tree_sitter.Tree, cache: dict, path: tuple[str, ...]) -> list[tree_sitter.Node]:
    """Every call of the global function at `path` (e.g. ("Math", "pow")), in source order; a
    call reached by two routes appears twice, as ESLint reports it twice."""
    tracker = _Tracker(tree, cache)
    calls = []
    for node in tracker.global_reads(path[0]):
        calls.extend(tracker.follow(node, path[1:]))
    for global_object in GLOBAL_OBJECT_NAMES:
        for node in tracker.global_reads(global_object):
            calls.extend(tracker.follow(node, path))
    calls.sort(key=lambda node: node.start_byte)
    return calls


def _pass_through(node: tree_sitter.Node) -> tree_sitter.Node:
    """Climb while the value of `node` is the value of its parent."""
    while node.parent is not None:
        parent = node.parent
        kind = parent.type
        if kind == "parenthesized_expression":
            pass
        elif kind == "ternary_expression":
            if parent.child_by_field_name("condition") == node:
                break
        elif kind == "binary_expression":
            operator = parent.child_by_field_name("operator")
            if operator is None or operator.type not in _LOGICAL:
                break
        elif kind == "sequence_expression":
            last = [child for child in parent.named_children if child.type != "comment"][-1]
            if last != node:
                break
        else:
            break
        node = parent
    return node


def _is_read(identifier: tree_sitter.Node) -> bool:
    """Whether an identifier reference reads its variable (not a declaration, not `x = ...`)."""
    if declared_scope(identifier) is not None:
        return False
    parent = identifier.parent
    return not (
        parent is not None and parent.type == "assignment_expression" and parent.child_by_field_name("left") == identifier
    )


def _pattern_key(pair: tree_sitter.Node) -> str | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    if key.type == "property_identifier":
        return key.text.decode("utf-8", "surrogatepass") if key.text is not None else None
    if key.type == "computed_property_name":
        inner = next((child for child in key.named_children if child.type != "comment"), None)
        return static_string_value(inner) if inner is not None else None
    return static_string_value(key)
