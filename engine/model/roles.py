"""Argument roles: what the detector compares a call's arguments with (DeepBugs-style).

A swapped-arguments bug is invisible in the call alone: `copy(dst, src)` and `copy(src, dst)`
are both plain code. What gives it away is the rest of the file: the parameters of a
function declared there (`function copy(from, to)`) and the arguments other calls to the
same callee pass at each position. A role is "argument `i` of a callee called `name`"; every
argument of a call whose callee has a name, and every parameter of a function with a name,
is one use of its role. The model pools the other uses of a role (as it pools the other uses
of a variable) and matches each argument of a candidate swap against both positions.

Callees are matched by their last name only (`a.b.copy` and `copy` share roles), the way a
reader guesses without types; calls and declarations that cannot be named give no roles.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

# functions named by their own `name` field, and those named by what they are assigned to
_NAMED_FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration", "method_definition"})
_ANONYMOUS_FUNCTIONS = frozenset({"function_expression", "function", "arrow_function", "generator_function"})
_MAX_ROLE_POSITION = 16  # arguments past this are too rare to compare


@dataclass(frozen=True, slots=True)
class RoleUse:
    """One use of a role: the byte span of an argument or parameter, and its role key
    (`name#position`); `argument` tells a call's argument from a declared parameter."""

    start: int
    end: int
    key: str
    argument: bool


def argument_roles(tree: tree_sitter.Tree) -> list[RoleUse]:
    """Every role use of a parsed document, in document order."""
    uses: list[RoleUse] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.is_error or node.is_missing:
            continue
        if node.type == "arguments":
            uses.extend(_argument_uses(node))
        elif node.type == "formal_parameters":
            uses.extend(_parameter_uses(node))
    uses.sort(key=lambda use: (use.start, use.end))
    return uses


def callee_name(node: tree_sitter.Node | None) -> str | None:
    """The last name of a callee or constructor (`copy` of `fs.promises.copy`), else None."""
    while node is not None and node.type == "parenthesized_expression":
        node = node.named_children[0] if node.named_children else None
    if node is None:
        return None
    if node.type == "identifier":
        return _text(node)
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return _text(prop) if prop is not None and prop.type == "property_identifier" else None
    return None


def function_name(node: tree_sitter.Node) -> str | None:
    """The name a function is called by: its own, or that of the variable, property or key it
    is assigned to (`const copy = (a, b) => ...`, `obj.copy = function (a, b) {...}`)."""
    if node.type in _NAMED_FUNCTIONS:
        name = node.child_by_field_name("name")
        return _text(name) if name is not None and name.type in ("identifier", "property_identifier") else None
    if node.type not in _ANONYMOUS_FUNCTIONS:
        return None
    own = node.child_by_field_name("name")
    if own is not None and own.type == "identifier":
        return _text(own)
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        name = parent.child_by_field_name("name")
        return _text(name) if name is not None and name.type == "identifier" else None
    if parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        return callee_name(parent.child_by_field_name("left"))
    if parent.type == "pair" and parent.child_by_field_name("value") == node:
        key = parent.child_by_field_name("key")
        return _text(key) if key is not None and key.type in ("property_identifier", "identifier") else None
    return None


def _argument_uses(arguments: tree_sitter.Node) -> list[RoleUse]:
    call = arguments.parent
    if call is None or call.type not in ("call_expression", "new_expression"):
        return []
    name = callee_name(call.child_by_field_name("function" if call.type == "call_expression" else "constructor"))
    if name is None:
        return []
    uses = []
    for position, argument in enumerate(child for child in arguments.named_children if child.type != "comment"):
        if argument.type == "spread_element" or position >= _MAX_ROLE_POSITION:
            break  # positions after a spread are unknown
        uses.append(RoleUse(argument.start_byte, argument.end_byte, f"{name}#{position}", True))
    return uses


def _parameter_uses(parameters: tree_sitter.Node) -> list[RoleUse]:
    function = parameters.parent
    name = function_name(function) if function is not None else None
    if name is None:
        return []
    uses = []
    for position, parameter in enumerate(child for child in parameters.named_children if child.type != "comment"):
        if parameter.type == "rest_pattern" or position >= _MAX_ROLE_POSITION:
            break
        uses.append(RoleUse(parameter.start_byte, parameter.end_byte, f"{name}#{position}", False))
    return uses


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")
