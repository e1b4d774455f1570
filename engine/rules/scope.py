"""Where a file declares a given name: a small approximation of ESLint's scope analysis.

ESLint resolves every reference through eslint-scope. Rules here mostly ask one question
about one well-known name (`console`, `Math`, `undefined`, ...): does this reference reach the
global variable, or does some enclosing scope declare the name? This module answers it
by finding the declarations of that name (one tree-sitter query, run in C) and the range
of the scope each one declares into; a reference is shadowed when one of those ranges
contains it.

Approximations: hoisting is by range (a `var` covers its whole function, a `let` its whole
block, temporal dead zones ignored); `with` statements and `eval` are not modelled; in a
script (not a module) a top-level `var` shadows a global exactly as here, by covering the file.
"""

from __future__ import annotations

import functools

import tree_sitter

from engine.parse.parser import javascript

# Scopes that `var` (and parameters) bind into.
FUNCTION_SCOPES = frozenset({
    "program", "function_declaration", "function_expression", "generator_function_declaration",
    "generator_function", "arrow_function", "method_definition", "class_static_block",
})
# Scopes that `let`, `const`, `class` and block-level functions bind into.
BLOCK_SCOPES = FUNCTION_SCOPES | {"statement_block", "for_statement", "for_in_statement", "switch_body"}
# Destructuring wrappers between a bound identifier and its declaration.
_PATTERNS = frozenset({"array_pattern", "object_pattern", "pair_pattern", "assignment_pattern",
                       "object_assignment_pattern", "rest_pattern"})
# Every parent type under which `declared_scope` can find a declaration: an identifier with
# another parent declares nothing (a query can sort identifiers by parent without `.parent`).
DECLARING_PARENTS = _PATTERNS | {
    "variable_declarator", "formal_parameters", "arrow_function", "catch_clause", "for_in_statement",
    "function_declaration", "generator_function_declaration", "class_declaration", "function_expression",
    "generator_function", "class", "import_clause", "namespace_import", "import_specifier",
}
# Names of the global object, as @eslint-community/eslint-utils' ReferenceTracker knows them.
GLOBAL_OBJECT_NAMES = ("global", "globalThis", "self", "window")


@functools.lru_cache(maxsize=64)
def _name_query(name: str) -> tree_sitter.Query:
    if not name.replace("$", "_").isidentifier():
        raise ValueError(f"not an identifier name: {name!r}")
    return tree_sitter.Query(
        javascript(),
        # tree-sitter gives `undefined` its own node type, even as a parameter name.
        f'([(identifier) (shorthand_property_identifier_pattern) (undefined)] @id (#eq? @id "{name}"))',
    )


def identifiers_named(tree: tree_sitter.Tree, name: str) -> list[tree_sitter.Node]:
    """Every identifier (and shorthand pattern) spelled `name`, in source order."""
    text = tree.root_node.text  # None only for a tree parsed through a read callback
    if text is not None and name.encode() not in text:
        return []  # a substring test is far cheaper than the tree walk of a query
    nodes = tree_sitter.QueryCursor(_name_query(name)).captures(tree.root_node).get("id", [])
    return sorted(nodes, key=lambda node: node.start_byte)


def declared_scope(identifier: tree_sitter.Node) -> tree_sitter.Node | None:
    """The scope node `identifier` declares its name into, or None when it is no declaration."""
    node, parent = identifier, identifier.parent
    while parent is not None and parent.type in _PATTERNS:
        if parent.type == "pair_pattern" and parent.child_by_field_name("value") != node:
            return None  # the key of `{key: value}`
        if parent.type in ("assignment_pattern", "object_assignment_pattern") and parent.child_by_field_name("left") != node:
            return None  # a default value
        node, parent = parent, parent.parent
    if parent is None:
        return None
    kind = parent.type
    if kind == "variable_declarator":
        if parent.child_by_field_name("name") != node:
            return None
        declaration = parent.parent
        if declaration is not None and declaration.type == "variable_declaration":
            return enclosing(declaration, FUNCTION_SCOPES)
        return enclosing(declaration, BLOCK_SCOPES) if declaration is not None else None
    if kind == "formal_parameters":
        return parent.parent
    if kind in ("arrow_function", "catch_clause"):
        return parent if parent.child_by_field_name("parameter") == node else None
    if kind == "for_in_statement":
        declaring = parent.child_by_field_name("kind")
        if parent.child_by_field_name("left") != node or declaring is None:
            return None
        return enclosing(parent, FUNCTION_SCOPES) if declaring.type == "var" else parent
    if kind in ("function_declaration", "generator_function_declaration", "class_declaration"):
        return enclosing(parent, BLOCK_SCOPES) if parent.child_by_field_name("name") == node else None
    if kind in ("function_expression", "generator_function", "class"):
        return parent if parent.child_by_field_name("name") == node else None
    if kind in ("import_clause", "namespace_import"):
        return enclosing(parent, FUNCTION_SCOPES)
    if kind == "import_specifier":
        alias = parent.child_by_field_name("alias")
        return enclosing(parent, FUNCTION_SCOPES) if (alias or parent.child_by_field_name("name")) == node else None
    return None


def enclosing(node: tree_sitter.Node, kinds: frozenset[str]) -> tree_sitter.Node | None:
    """The nearest proper ancestor of `node` whose type is in `kinds`."""
    current = node.parent
    while current is not None and current.type not in kinds:
        current = current.parent
    return current


class NameScopes:
    """The declarations of one name in one tree, and questions about its references."""

    __slots__ = ("name", "identifiers", "ranges")

    def __init__(self, tree: tree_sitter.Tree, name: str) -> None:
        self.name = name
        self.identifiers = identifiers_named(tree, name)
        ranges = []
        for identifier in self.identifiers:
            scope = declared_scope(identifier)
            if scope is not None:
                ranges.append((scope.start_byte, scope.end_byte))
        self.ranges = ranges

    def is_shadowed(self, node: tree_sitter.Node) -> bool:
        """Whether some scope enclosing `node` declares the name."""
        at = node.start_byte
        return any(start <= at < end for start, end in self.ranges)

    def binding(self, node: tree_sitter.Node) -> tuple[int, int] | None:
        """The range of the innermost scope declaring the name around `node` (which variable
        `node` means), or None for the global variable."""
        at = node.start_byte
        inside = [scope for scope in self.ranges if scope[0] <= at < scope[1]]
        return min(inside, key=lambda scope: scope[1] - scope[0]) if inside else None

    def is_global_reference(self, node: tree_sitter.Node) -> bool:
        """Whether the identifier `node` (spelled as the name) reads the global variable."""
        return node.type in ("identifier", "undefined") and not self.is_shadowed(node)

    def is_written(self) -> bool:
        """Whether the global variable is assigned anywhere (ESLint's "modified global")."""
        for identifier in self.identifiers:
            parent = identifier.parent
            if (
                parent is not None
                and parent.type in ("assignment_expression", "augmented_assignment_expression", "update_expression")
                and parent.child_by_field_name("left" if parent.type != "update_expression" else "argument") == identifier
                and not self.is_shadowed(identifier)
            ):
                return True
        return False


def name_scopes(tree: tree_sitter.Tree, cache: dict, name: str) -> NameScopes:
    """`NameScopes` for `name`, memoised in the per-file `cache` the rules share."""
    key = f"scope:{name}"
    found = cache.get(key)
    if found is None:
        found = cache[key] = NameScopes(tree, name)
    return found
