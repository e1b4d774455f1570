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

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import tree_sitter

# functions named by their own `name` field, and those named by what they are assigned to
_NAMED_FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration", "method_definition"})
_ANONYMOUS_FUNCTIONS = frozenset({"function_expression", "function", "arrow_function", "generator_function"})
_MAX_ROLE_POSITION = 16  # arguments past this are too rare to compare
# per source of names (the parameters of a declared callee, then the other calls' arguments):
# argument 1 against its own role, 2 against its own, 1 against 2's role, 2 against 1's
NAME_FEATURES = 8
_MAX_NAME_PEERS = 32  # uses of a role that a candidate swap's names are compared with
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")  # `parseHTTPResponse2` -> parse, HTTP, Response, 2


@dataclass(frozen=True, slots=True)
class RoleUse:
    """One use of a role: the byte span of an argument or parameter, and its role key
    (`name#position`); `argument` tells a call's argument from a declared parameter."""

    start: int
    end: int
    key: str
    argument: bool
    name: str = ""  # the name it goes by (`role_name`), "" for none


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
        uses.append(RoleUse(argument.start_byte, argument.end_byte, f"{name}#{position}", True, role_name(argument)))
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
        uses.append(RoleUse(parameter.start_byte, parameter.end_byte, f"{name}#{position}", False, role_name(parameter)))
    return uses


def role_name(node: tree_sitter.Node) -> str:
    """The name an argument or parameter goes by, "" for none: an identifier's own, a member
    expression's last property (`rect.width` -> `width`), a parameter's before its default
    (`size = 1` -> `size`); `this`, literals, calls and patterns have none."""
    while node.type in ("parenthesized_expression", "assignment_pattern", "await_expression"):
        inner = node.child_by_field_name("left") or (node.named_children[0] if node.named_children else None)
        if inner is None:
            return ""
        node = inner
    if node.type == "identifier":
        return _text(node)
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return _text(prop) if prop is not None and prop.type in ("property_identifier", "private_property_identifier") else ""
    return ""


@functools.lru_cache(maxsize=4096)
def name_words(name: str) -> frozenset[str]:
    """The lower-case words of a name: `maxRetryCount` / `max_retry_count` -> {max, retry, count}."""
    return frozenset(word.lower() for word in _WORD.findall(name))


def name_similarity(first: str, second: str) -> float:
    """How alike two names read, in [0, 1]: 1 for the same name, else the overlap (Jaccard) of
    their words; 0 when either is empty (Rice et al. 2017 compare argument and parameter names so)."""
    if not first or not second:
        return 0.0
    if first == second:
        return 1.0
    a, b = name_words(first), name_words(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def swap_name_features(uses: list[RoleUse], uses_of: dict[tuple[str, bool], list[int]], first: int,
                       second: int) -> list[float]:
    """The NAME_FEATURES of a candidate swap of the arguments `uses[first]`, `uses[second]`:
    for the parameters of a declared callee, then for the other calls' arguments, the best
    `name_similarity` of argument 1 with its own role's names, of 2 with its own, of 1 with 2's
    and of 2 with 1's. `copy(dst, src)` against `function copy(src, dst)` reads [0, 0, 1, 1, ...]:
    the names fit swapped. uses_of: (role key, is an argument) -> indices into `uses`."""
    a, b = uses[first], uses[second]
    features = []
    for argument in (False, True):
        own, theirs = uses_of.get((a.key, argument), ()), uses_of.get((b.key, argument), ())
        features += [_best_likeness(uses, a.name, own, (first, second)),
                     _best_likeness(uses, b.name, theirs, (first, second)),
                     _best_likeness(uses, a.name, theirs, (first, second)),
                     _best_likeness(uses, b.name, own, (first, second))]
    return features


def _best_likeness(uses: list[RoleUse], name: str, candidates: Sequence[int], skip: tuple[int, int]) -> float:
    """The best `name_similarity` of `name` with the first _MAX_NAME_PEERS `candidates` outside
    `skip` (a callee called thousands of times would make this quadratic)."""
    peers = itertools.islice((other for other in candidates if other not in skip), _MAX_NAME_PEERS)
    return max((name_similarity(name, uses[other].name) for other in peers), default=0.0)


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")
