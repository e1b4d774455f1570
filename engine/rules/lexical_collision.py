"""Whether block-scoped declarations can move out of their block without a name collision.

Removing the braces of a block (no-else-return's fix) moves its `let`, `const`, `class` and
function declarations into the enclosing scope. That is a syntax error when the enclosing
scope already declares the name (`let`, `var` anywhere below it, a parameter) and silently
rebinds a reference in it that meant an outer variable. ESLint answers this with scope
analysis; here, every occurrence of the name inside the enclosing scope must be shadowed by
a scope nested in it: a block declaring the name, a function with the name as a parameter
or a `var` of it, a `for (let ...)`, a `catch (name)`. Anything else counts as a collision,
which errs on the side of not fixing.
"""

from __future__ import annotations

import functools
from typing import Iterable, Iterator

import tree_sitter

from engine.parse.parser import javascript

_FUNCTIONS = frozenset({
    "function_declaration", "function_expression", "generator_function_declaration", "generator_function",
    "arrow_function", "method_definition",
})
_LEXICAL = frozenset({"lexical_declaration", "class_declaration", "function_declaration",
                      "generator_function_declaration"})
_BINDING_WRAPPERS = frozenset({"array_pattern", "object_pattern", "pair_pattern", "assignment_pattern",
                               "object_assignment_pattern", "rest_pattern", "variable_declarator"})


@functools.lru_cache(maxsize=256)
def _occurrence_query(name: str) -> tree_sitter.Query:
    if not name.replace("$", "_").isidentifier():
        raise ValueError(f"not an identifier name: {name!r}")
    return tree_sitter.Query(
        javascript(),
        "([(identifier) (shorthand_property_identifier) (shorthand_property_identifier_pattern)] @id"
        f' (#eq? @id "{name}"))',
    )


def declared_names(statements: Iterable[tree_sitter.Node]) -> set[str]:
    """Names that `let`/`const`/`class`/function declarations among `statements` bind."""
    names: set[str] = set()
    for statement in statements:
        if statement.type == "lexical_declaration":
            for declarator in statement.named_children:
                target = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                if target is not None:
                    names.update(_binding_names(target))
        elif statement.type in _LEXICAL:
            name = statement.child_by_field_name("name")
            if name is not None and name.text is not None:
                names.add(name.text.decode("utf-8", "surrogatepass"))
    return names


def can_move_up(tree: tree_sitter.Tree, names: set[str], block: tree_sitter.Node, scope: tree_sitter.Node) -> bool:
    """Whether `names`, declared directly in `block`, can be declared directly in `scope` (the
    statement list that will hold `block`'s statements) without a collision."""
    if "arguments" in names:
        return False
    owner = scope.parent
    for name in names:
        if owner is not None and _binds_in_head(owner, name):
            return False  # a parameter or catch binding of the scope's own function or clause
        cursor = tree_sitter.QueryCursor(_occurrence_query(name))
        cursor.set_byte_range(scope.start_byte, scope.end_byte)
        found = [node for node in cursor.captures(scope).get("id", [])
                 if scope.start_byte <= node.start_byte and node.end_byte <= scope.end_byte]
        outside = [node for node in found if not (block.start_byte <= node.start_byte < block.end_byte)]
        var_functions = {_nearest_function(node) for node in found if _is_var_binding(node)}
        if any(not _shadowed(node, scope, name, var_functions) for node in outside):
            return False
    return True


def _shadowed(node: tree_sitter.Node, scope: tree_sitter.Node, name: str, var_functions: set) -> bool:
    """Whether a scope strictly inside `scope` binds `name` for this occurrence."""
    current = node.parent
    while current is not None and current != scope:
        kind = current.type
        if kind == "statement_block" and name in declared_names(current.named_children):
            return True
        if kind in _FUNCTIONS and (current in var_functions or _binds_in_head(current, name)):
            return True
        if kind in ("for_statement", "for_in_statement", "catch_clause") and _binds_in_head(current, name):
            return True
        if kind == "switch_body" and any(name in declared_names(case.named_children) for case in current.named_children):
            return True
        current = current.parent
    return False


def _binds_in_head(node: tree_sitter.Node, name: str) -> bool:
    """Whether a function's parameters or own name, a catch parameter, or a `for` head's
    `let`/`const` bind `name`."""
    kind = node.type
    if kind in _FUNCTIONS:
        heads = [node.child_by_field_name("parameters"), node.child_by_field_name("parameter")]
        if kind in ("function_expression", "generator_function"):
            heads.append(node.child_by_field_name("name"))
    elif kind == "catch_clause":
        heads = [node.child_by_field_name("parameter")]
    elif kind == "for_statement":
        heads = [node.child_by_field_name("initializer")]
        heads = [head for head in heads if head is not None and head.type == "lexical_declaration"]
    elif kind == "for_in_statement":
        kind_token = node.child_by_field_name("kind")
        heads = [node.child_by_field_name("left")] if kind_token is not None and kind_token.type != "var" else []
    else:
        return False
    return any(name in set(_binding_names(head)) for head in heads if head is not None)


def _binding_names(node: tree_sitter.Node) -> Iterator[str]:
    """The identifiers a binding target (a name or a destructuring pattern) declares."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier_pattern") and current.text is not None:
            parent = current.parent
            # In `{key: value}` only the value binds; in `a = default` only `a`.
            if parent is not None and parent.type == "pair_pattern" and parent.child_by_field_name("key") == current:
                continue
            yield current.text.decode("utf-8", "surrogatepass")
        elif current.type in _BINDING_WRAPPERS or current.type in ("formal_parameters", "lexical_declaration"):
            for child in current.named_children:
                if current.type in ("assignment_pattern", "object_assignment_pattern", "variable_declarator") \
                        and child != current.named_children[0]:
                    continue  # a default value or initializer binds nothing
                stack.append(child)


def _is_var_binding(node: tree_sitter.Node) -> bool:
    current = node.parent
    while current is not None and current.type in _BINDING_WRAPPERS:
        if current.type == "variable_declarator":
            return current.parent is not None and current.parent.type == "variable_declaration"
        current = current.parent
    return False


def _nearest_function(node: tree_sitter.Node) -> tree_sitter.Node | None:
    current = node.parent
    while current is not None and current.type not in _FUNCTIONS:
        current = current.parent
    return current
