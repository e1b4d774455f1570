"""Whether a `var` declaration can become `let` without changing what the code does.

The questions are ESLint's `no-var` `canFix`, asked of a tree-sitter tree with a small
name resolver instead of eslint-scope: every identifier of the file is indexed by name once
(one tree-sitter query); a reference resolves to the innermost scope, among those declaring
its name (`engine.rules.scope.declared_scope`), whose range contains it.

`let` differs from `var` in five ways, each a reason to refuse: it is block-scoped (a use
outside the block breaks), it has a temporal dead zone (a use before the declaration
throws), it may not be redeclared, it makes a fresh binding per loop iteration (closures
see another variable; an uninitialized `let` restarts as `undefined`), and at the top level
of a script it creates no property of the global object.

Approximations, all on the cautious side: `eval` and `with` make the answer "unsafe" (they
reach variables by name at run time); an identifier written with escapes (`\\u0061`) is not
matched with its plain spelling.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from dataclasses import dataclass
from typing import Mapping

import tree_sitter

from engine.fix.edit import Applicability
from engine.parse.parser import javascript
from engine.rules.nodes import unparenthesized
from engine.rules.scope import DECLARING_PARENTS, FUNCTION_SCOPES, declared_scope

# Functions in ESLint's sense (closures): their own `var` scope and `this`.
FUNCTIONS = frozenset({
    "function_declaration", "function_expression", "generator_function_declaration", "generator_function",
    "arrow_function", "method_definition",
})
_CLOSURE_OWNERS = FUNCTIONS | {"program"}
LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
# ESLint's getScopeNode: the nodes a `let` would be scoped to.
_SCOPE_NODES = frozenset({"program", "statement_block", "switch_statement", "for_statement", "for_in_statement"})
# Where a declaration may stand as a statement of a list (not `if (a) var b;`).
_STATEMENT_LISTS = frozenset({"program", "statement_block"})
_FUNCTION_VALUES = frozenset({"function_expression", "arrow_function", "generator_function"})
_PATTERN_DEFAULTS = frozenset({"assignment_pattern", "object_assignment_pattern"})


@functools.cache
def index_patterns() -> str:
    """All the resolver needs, as query patterns: names, function scopes, `with`. The linter
    matches them in its own walk of the tree when no-var runs (`Rule.index_patterns`)."""
    functions = " ".join(f"({kind})" for kind in sorted(FUNCTION_SCOPES))
    declaring = " ".join(_child_patterns(DECLARING_PARENTS, _DECLARING))
    special = " ".join(_child_patterns(_NOT_REFERENCE_PARENTS, _SPECIAL))
    return (
        f"[(identifier) (shorthand_property_identifier) (shorthand_property_identifier_pattern) (undefined)] @{_ID}\n"
        f"[{declaring}]\n"
        f"[{special}]\n"
        f"[{functions}] @{_FUNCTION}\n"
        f"(with_statement) @{_WITH}"
    )


_ID, _DECLARING, _SPECIAL, _FUNCTION, _WITH = (f"let_conversion.{name}" for name in ("id", "declaring", "special", "function", "with"))


@functools.cache
def _index_query() -> tree_sitter.Query:
    return tree_sitter.Query(javascript(), index_patterns())


def _child_patterns(parents: frozenset[str], capture: str) -> list[str]:
    """`(parent (name) @capture)` for each parent and name type the grammar can nest so
    (tree-sitter rejects a query holding an impossible one)."""
    patterns = []
    for parent in sorted(parents):
        for name in ("identifier", "shorthand_property_identifier_pattern", "undefined"):
            pattern = f"({parent} ({name}) @{capture})"
            try:
                tree_sitter.Query(javascript(), pattern)
            except tree_sitter.QueryError:
                continue
            patterns.append(pattern)
    return patterns


Captures = Mapping[str, list[tree_sitter.Node]]

# A scope node's byte range and a rank for scopes on the same range (nodes are otherwise
# nested or disjoint): 0 the program (it may span exactly what a function spans), 1 the
# name of a function or class expression (bound just outside its body), 2 any other.
ScopeKey = tuple[int, int, int]
_NAMED_EXPRESSIONS = frozenset({"function_expression", "generator_function", "class"})
_JSX_NAME_OWNERS = frozenset({"jsx_opening_element", "jsx_closing_element", "jsx_self_closing_element"})
# The parents under which `_is_reference` may answer False.
_NOT_REFERENCE_PARENTS = _JSX_NAME_OWNERS | {"import_specifier", "export_specifier"}


def scope_key(node: tree_sitter.Node) -> ScopeKey:
    return (node.start_byte, node.end_byte, 0 if node.type == "program" else 2)


def _outer_first(key: ScopeKey) -> tuple[int, int, int]:
    return (key[0], -key[1], key[2])


def _declaration_key(identifier: tree_sitter.Node, scope: tree_sitter.Node) -> ScopeKey:
    if scope.type in _NAMED_EXPRESSIONS and scope.child_by_field_name("name") == identifier:
        return (scope.start_byte, scope.end_byte, 1)
    return scope_key(_normalised(scope))


def _is_reference(identifier: tree_sitter.Node) -> bool:
    """Whether an identifier that declares nothing reads or writes a variable."""
    parent = identifier.parent
    if parent is None:
        return True
    kind = parent.type
    if kind == "import_specifier":
        return False  # the imported name of `import {a as b}`
    if kind == "export_specifier":
        statement = parent.parent.parent if parent.parent is not None else None
        from_module = statement is not None and statement.child_by_field_name("source") is not None
        return not from_module and parent.child_by_field_name("alias") != identifier
    if kind in _JSX_NAME_OWNERS:
        return not (identifier.text or b"a")[:1].islower()  # `<div>` is a tag name, `<Div>` a variable
    return True


_REFERENCE, _DECLARATION, _OTHER = 0, 1, 2


class _Name:
    """Every occurrence of one name, each resolved to the scope declaring it (None: global)."""

    __slots__ = ("starts", "nodes", "resolved", "kinds", "scopes")

    def __init__(
        self, nodes: list[tree_sitter.Node], declaring: set[int] | None, special: set[int] | None
    ) -> None:
        """`declaring` and `special`: start offsets of the identifiers whose parent may make
        them a declaration, or a name that is no reference; any other is a plain reference.
        None: not known (a tree with syntax errors), every identifier is examined."""
        self.nodes = sorted(nodes, key=lambda node: node.start_byte)
        self.starts = [node.start_byte for node in self.nodes]
        self.kinds: list[int] = []
        self.scopes: list[ScopeKey] = []  # one per declaration: a repeated key is a redeclaration
        for node, start in zip(self.nodes, self.starts):
            scope = declared_scope(node) if declaring is None or start in declaring else None
            if scope is not None:
                self.kinds.append(_DECLARATION)
                self.scopes.append(_declaration_key(node, scope))
            elif special is None or start in special:
                self.kinds.append(_REFERENCE if _is_reference(node) else _OTHER)
            else:
                self.kinds.append(_REFERENCE)
        self.resolved = self._sweep(sorted(set(self.scopes), key=_outer_first))

    def _sweep(self, scopes: list[ScopeKey]) -> list[ScopeKey | None]:
        """The innermost declaring scope around each occurrence, in one pass over both lists."""
        resolved: list[ScopeKey | None] = []
        stack: list[ScopeKey] = []
        index = 0
        for at in self.starts:
            while index < len(scopes) and scopes[index][0] <= at:
                while stack and stack[-1][1] <= scopes[index][0]:
                    stack.pop()
                stack.append(scopes[index])
                index += 1
            while stack and stack[-1][1] <= at:
                stack.pop()
            resolved.append(stack[-1] if stack else None)
        return resolved

    def resolve(self, start: int, end: int) -> ScopeKey | None:
        """The innermost declaring scope containing [start, end)."""
        best: ScopeKey | None = None
        for key in self.scopes:
            if key[0] <= start and end <= key[1] and (best is None or _outer_first(key) > _outer_first(best)):
                best = key  # containing scopes are nested: the one starting last (or ranked inner)
        return best

    def references(self, scope: ScopeKey) -> list[tree_sitter.Node]:
        """The occurrences inside `scope` that are no declaration and resolve to it."""
        first, last = bisect.bisect_left(self.starts, scope[0]), bisect.bisect_left(self.starts, scope[1])
        return [
            self.nodes[i] for i in range(first, last) if self.kinds[i] == _REFERENCE and self.resolved[i] == scope
        ]


class FunctionScopes:
    """The file's function scopes as nested byte ranges, so that "which functions enclose
    this offset" is a bisection and a walk up a list, not a chain of `Node.parent` calls
    (tree-sitter finds a parent by descending from the root again)."""

    __slots__ = ("nodes", "starts", "ends", "parents", "_index_of")

    def __init__(self, nodes: list[tree_sitter.Node]) -> None:
        # Outer first: the program before a function spanning the same bytes.
        self.nodes = sorted(nodes, key=lambda node: (node.start_byte, -node.end_byte, node.type != "program"))
        self.starts = [node.start_byte for node in self.nodes]
        self.ends = [node.end_byte for node in self.nodes]
        self.parents: list[int] = []
        stack: list[int] = []
        for index, start in enumerate(self.starts):
            while stack and self.ends[stack[-1]] <= start:
                stack.pop()  # ended before this one starts: a sibling, not a parent
            self.parents.append(stack[-1] if stack else -1)
            stack.append(index)
        self._index_of = {(node.start_byte, node.end_byte, node.type): index for index, node in enumerate(self.nodes)}

    def index(self, node: tree_sitter.Node) -> int:
        return self._index_of.get((node.start_byte, node.end_byte, node.type), -1)

    def innermost(self, offset: int) -> int:
        """The innermost function scope holding `offset` (-1: none)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        while index >= 0 and self.ends[index] <= offset:
            index = self.parents[index]
        return index


class Resolver:
    """Per-file name index: every identifier, grouped by name, from `index_patterns`'
    captures (the linter's, or a query of its own when there are none)."""

    def __init__(self, tree: tree_sitter.Tree, captures: Captures | None = None) -> None:
        if captures is None or _FUNCTION not in captures:  # every file has a program scope
            captures = tree_sitter.QueryCursor(_index_query()).captures(tree.root_node)
        self._occurrences: dict[bytes, list[tree_sitter.Node]] = {}
        for node in captures.get(_ID, []):
            self._occurrences.setdefault(node.text or b"", []).append(node)
        # Error recovery may build trees the grammar never does: examine every identifier then.
        exact = not tree.root_node.has_error
        self._declaring = {node.start_byte for node in captures.get(_DECLARING, ())} if exact else None
        self._special = {node.start_byte for node in captures.get(_SPECIAL, ())} if exact else None
        self._names: dict[bytes, _Name] = {}
        self._first_calls: dict[ScopeKey, int | None] = {}
        self.has_with = _WITH in captures
        self.functions = FunctionScopes(captures.get(_FUNCTION, []))

    def name(self, name: bytes) -> _Name:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = _Name(self._occurrences.get(name, []), self._declaring, self._special)
        return found

    def mentions(self, name: bytes, scope: tree_sitter.Node) -> bool:
        return any(scope.start_byte <= node.start_byte < scope.end_byte for node in self._occurrences.get(name, ()))

    def first_call(self, function: tree_sitter.Node, name_node: tree_sitter.Node) -> int | None:
        """Where the function declared by `name_node` is first called by that name, if anywhere."""
        key = scope_key(function)
        if key not in self._first_calls:
            info = self.name(name_node.text or b"")
            declared = declared_scope(name_node)
            home = _declaration_key(name_node, declared) if declared is not None else None
            calls = [
                node.start_byte for node, kind, resolved in zip(info.nodes, info.kinds, info.resolved)
                if kind == _REFERENCE and resolved == home and _is_callee(node)
            ]
            self._first_calls[key] = min(calls) if calls else None
        return self._first_calls[key]


def resolver(tree: tree_sitter.Tree, cache: dict, captures: Captures | None = None) -> Resolver:
    """The file's `Resolver`, built once and kept in the per-file cache the rules share."""
    found = cache.get("let_conversion:resolver")
    if found is None:
        found = cache["let_conversion:resolver"] = Resolver(tree, captures)
    return found


def _normalised(scope: tree_sitter.Node) -> tree_sitter.Node:
    """A function body's block is its function's scope (parameters and body share one)."""
    parent = scope.parent
    if scope.type == "statement_block" and parent is not None and parent.type in FUNCTION_SCOPES:
        return parent
    return scope


def bound_identifiers(pattern: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The identifiers a declaration pattern binds (`a`, `[a, {b: c = 1}, ...d]` -> a, c, d)."""
    kind = pattern.type
    if kind in ("identifier", "shorthand_property_identifier_pattern", "undefined"):
        return [pattern]
    if kind in _PATTERN_DEFAULTS:
        left = pattern.child_by_field_name("left")
        return bound_identifiers(left) if left is not None else []
    if kind == "pair_pattern":
        value = pattern.child_by_field_name("value")
        return bound_identifiers(value) if value is not None else []
    if kind in ("array_pattern", "object_pattern", "rest_pattern"):
        return [found for child in pattern.named_children for found in bound_identifiers(child)]
    return []


def var_keyword(declaration: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `var` token of a `variable_declaration` or of `for (var x of y)`."""
    if declaration.type == "for_in_statement":
        kind = declaration.child_by_field_name("kind")
        return kind if kind is not None and kind.type == "var" else None
    first = declaration.children[0] if declaration.child_count else None
    return first if first is not None and first.type == "var" else None


def _declarators(declaration: tree_sitter.Node) -> list[tuple[tree_sitter.Node, tree_sitter.Node, tree_sitter.Node | None]]:
    """(declarator start node, name pattern, initializer) for each declarator."""
    if declaration.type == "for_in_statement":
        left = declaration.child_by_field_name("left")
        return [(left, left, None)] if left is not None else []
    found = []
    for child in declaration.named_children:
        if child.type == "variable_declarator":
            name = child.child_by_field_name("name")
            if name is not None:
                found.append((child, name, child.child_by_field_name("value")))
    return found


# Verdicts of `_fits_as_let` for declarations inside a function, keyed by a digest of the
# function's text and the declaration's place in it. Every question that verdict asks stays
# inside the function (a `var` is function-scoped), so the same text gives the same answer:
# a language server re-linting after an edit elsewhere, or the fixer's next pass, reuses it.
_VERDICTS: dict[tuple[bytes, int, str], bool] = {}
_VERDICTS_MAX = 50_000


def conversion(
    declaration: tree_sitter.Node, tree: tree_sitter.Tree, cache: dict, captures: Captures | None = None
) -> Applicability | None:
    """How trustworthy rewriting this `var` as `let` is; None when it must not be offered."""
    parent = declaration.parent
    if parent is None:
        return None
    in_for_head = declaration.type == "for_in_statement" or (
        parent.type == "for_statement" and parent.child_by_field_name("initializer") == declaration
    )
    if not in_for_head and parent.type not in _STATEMENT_LISTS:
        return None  # `if (a) var b;`, `case 1: var c;`, `export var d;`, `label: var e;`
    function = _enclosing(declaration, FUNCTION_SCOPES)
    if function is None:
        return None
    # The program's text is the whole file, and a `static {}` block's loops lie outside it.
    key = None
    if function.type not in ("program", "class_static_block") and not function.has_error:
        text = function.text or b""
        key = (hashlib.blake2b(text, digest_size=16).digest(), declaration.start_byte - function.start_byte, declaration.type)
    verdict = _VERDICTS.get(key) if key is not None else None
    if verdict is None:
        verdict = _fits_as_let(declaration, function, resolver(tree, cache, captures))
        if key is not None:
            if len(_VERDICTS) >= _VERDICTS_MAX:
                _VERDICTS.clear()
            _VERDICTS[key] = verdict
    if not verdict:
        return None
    if function.type == "program" or _has_with(tree, cache, captures) or _mentions_eval(function, tree, cache, captures):
        # In a script a top-level `var` is a property of the global object and `let` is not
        # (in a module both are module-scoped); `eval`/`with` may reach the name unseen.
        return Applicability.UNSAFE
    return Applicability.SAFE


def _has_with(tree: tree_sitter.Tree, cache: dict, captures: Captures | None) -> bool:
    found = cache.get("let_conversion:has_with")
    if found is None:
        text = tree.root_node.text
        found = (text is None or b"with" in text) and resolver(tree, cache, captures).has_with
        cache["let_conversion:has_with"] = found
    return found


def _mentions_eval(function: tree_sitter.Node, tree: tree_sitter.Tree, cache: dict, captures: Captures | None) -> bool:
    text = function.text
    return (text is None or b"eval" in text) and resolver(tree, cache, captures).mentions(b"eval", function)


def _fits_as_let(declaration: tree_sitter.Node, function: tree_sitter.Node, names: Resolver) -> bool:
    """Whether `let` keeps this declaration's meaning within its function (the questions of
    the module docstring, `with`, `eval` and the global object aside)."""
    declarators = _declarators(declaration)
    scope_node = declaration if declaration.type == "for_in_statement" else _enclosing(declaration, _SCOPE_NODES)
    if not declarators or scope_node is None:
        return False
    looping = _in_loop(declaration)
    if looping and declaration.type != "for_in_statement" and any(value is None for _, _, value in declarators):
        return False  # each iteration would restart an uninitialized `let` as undefined
    home = scope_key(function)
    for declarator, pattern, value in declarators:
        for identifier in bound_identifiers(pattern):
            name = identifier.text or b""
            if name == b"let":
                return False
            info = names.name(name)
            if info.scopes.count(home) >= 2:
                return False  # redeclared (another `var`, a parameter, a function declaration)
            if info.resolve(declaration.start_byte, declaration.end_byte) != home:
                return False  # shadowed here by a catch parameter
            check = _Check(declarator, identifier, value, scope_node, function, looping, names)
            if not check.all_fit(info.references(home)):
                return False
    return True


@dataclass(frozen=True)
class _Check:
    """Whether the references to a declared name still work once it is a `let`."""

    declarator: tree_sitter.Node
    identifier: tree_sitter.Node
    value: tree_sitter.Node | None
    scope_node: tree_sitter.Node
    function: tree_sitter.Node
    looping: bool
    names: Resolver

    def all_fit(self, references: list[tree_sitter.Node]) -> bool:
        """Whether every reference still works; the bounds each one is held to are worked
        out once (a top-level name may have hundreds of references)."""
        scope_start, scope_end = self.scope_node.start_byte, self.scope_node.end_byte
        declared_at = max(self.declarator.start_byte, self.identifier.start_byte)
        forbidden: list[tuple[int, int]] = []  # where a use would read the variable too early
        if self.value is not None:
            default = _default_value(self.identifier)
            if default is not None:
                forbidden.append((default.start_byte, default.end_byte))  # `var {a = a} = b`
            if unparenthesized(self.value).type not in _FUNCTION_VALUES:
                forbidden.append((self.value.start_byte, self.value.end_byte))  # `var a = a + 1`
        functions = self.names.functions
        home_owner = self._closure_owner(functions.index(self.function)) if self.looping else -1
        called_early: dict[int, bool] = {}  # per innermost function: references share them
        for reference in references:
            at = reference.start_byte
            if at < scope_start or reference.end_byte > scope_end:
                return False  # used outside the block `let` would be confined to
            if at < declared_at:
                return False  # used before the declaration: a temporal dead zone error
            if any(start <= at < end for start, end in forbidden):
                return False
            innermost = functions.innermost(at)
            if self.looping and self._closure_owner(innermost) != home_owner:
                return False  # a closure in a loop would see one variable per iteration
            early = called_early.get(innermost)
            if early is None:
                early = called_early[innermost] = self._called_early(innermost)
            if early:
                return False
        return True

    def _closure_owner(self, index: int) -> int:
        """The function (or program) around a function scope, `static {}` blocks skipped."""
        functions = self.names.functions
        while index >= 0 and functions.nodes[index].type not in _CLOSURE_OWNERS:
            index = functions.parents[index]
        return index

    def _called_early(self, innermost: int) -> bool:
        """`f(); var a = 1; function f() { a; }`: the hoisted `f` runs before `a` is set."""
        functions = self.names.functions
        home = functions.index(self.function)
        current = innermost
        while current >= 0 and current != home:
            node = functions.nodes[current]
            if node.type in ("function_declaration", "generator_function_declaration"):
                name_node = node.child_by_field_name("name")
                first = self.names.first_call(node, name_node) if name_node is not None else None
                if first is not None and first < self.declarator.start_byte:
                    return True
            current = functions.parents[current]
        return False


def _is_callee(identifier: tree_sitter.Node) -> bool:
    slot, parent = identifier, identifier.parent
    while parent is not None and parent.type == "parenthesized_expression":
        slot, parent = parent, parent.parent
    return parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == slot


def _default_value(identifier: tree_sitter.Node) -> tree_sitter.Node | None:
    parent = identifier.parent
    if parent is not None and parent.type in _PATTERN_DEFAULTS and parent.child_by_field_name("left") == identifier:
        return parent.child_by_field_name("right")
    return None


def _in_loop(declaration: tree_sitter.Node) -> bool:
    current: tree_sitter.Node | None = declaration
    while current is not None and current.type not in FUNCTIONS:
        if current.type in LOOPS:
            return True
        current = current.parent
    return False


def _enclosing(node: tree_sitter.Node, kinds: frozenset[str]) -> tree_sitter.Node | None:
    current = node.parent
    while current is not None and current.type not in kinds:
        current = current.parent
    return current
