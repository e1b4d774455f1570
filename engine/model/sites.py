"""Candidate bug sites and their repairs, from tree-sitter (GREAT / BugLab style).

A site is a place where one of six bug kinds could be; its repairs are the edits that
would undo such a bug. The same repairs, applied to correct code, inject the bugs
(engine/model/inject.py): every repair kind is its own inverse (swap twice, toggle `!`
twice, n+1 then n-1, a family operator back, a name back), so after an injection the
mutant's sites contain the repair that restores the original.

Scope is approximated by function nesting: a name is "in scope" at a use when a parameter
or declaration binds it in an enclosing function (or the program). Block scoping is ignored.

A site other than a name's use also carries its *peer key*: the shape of its expression with
the site's own choice blanked out (`i < n` and `i <= n` share one, as do `a.length - 1` and
`a.length - 2`, or `!done` and `done`). Sites sharing a key are peers: what the rest of the
file chose in the same place is the evidence a reader weighs (`i <= n` is suspect where every
other loop says `i < n`). A key never changes when its own site's bug is injected or repaired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from engine.fix.edit import Edit

KINDS = ("variable-misuse", "swapped-arguments", "wrong-operator", "swapped-operands", "off-by-one", "negation")
KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}

OPERATOR_FAMILIES = (
    ("<", "<=", ">", ">="),
    ("===", "!==", "==", "!="),
    ("+", "-"),
    ("*", "/", "%"),
    ("&&", "||"),
    ("&", "|", "^"),
    ("<<", ">>", ">>>"),
)
FAMILY_OF = {op: family for family in OPERATOR_FAMILIES for op in family}
# Swapping the operands of these changes the meaning (comparisons are left to wrong-operator:
# `b < a` is `a > b`, the same bug twice).
NON_COMMUTATIVE = frozenset({"-", "/", "%", "**", "<<", ">>", ">>>", "instanceof", "in"})

# Repair markers: vocabulary entries that stand for a repair's text in the model.
SWAP, INCREMENT, DECREMENT, ADD_NOT, REMOVE_NOT, VARIABLE = "[SWAP]", "[INC]", "[DEC]", "[NOT]", "[UNNOT]", "[VAR]"
OPERATOR_MARKERS = tuple(f"[OP:{op}]" for family in OPERATOR_FAMILIES for op in family)
REPAIR_MARKERS = (SWAP, INCREMENT, DECREMENT, ADD_NOT, REMOVE_NOT, VARIABLE) + OPERATOR_MARKERS

FUNCTION_TYPES = frozenset({
    "function_declaration", "function_expression", "function", "arrow_function", "method_definition",
    "generator_function_declaration", "generator_function",
})
SCOPE_TYPES = FUNCTION_TYPES | {"program"}
BOOLEAN_OPERAND_TYPES = frozenset({"identifier", "member_expression", "call_expression", "parenthesized_expression"})
_DECIMAL = re.compile(rb"^(0|[1-9][0-9]{0,5})$")
MAX_CANDIDATE_NAMES = 12
MAX_PEER_KEY_BYTES = 160  # longer shapes are unique anyway


@dataclass(frozen=True, slots=True)
class Repair:
    """An edit that would fix the site, and how the model sees it: a marker (vocabulary
    entry) and, for a replacement name, the byte span of that name's declaration."""

    edit: Edit
    marker: str
    span: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        return self.edit.text if self.marker in (VARIABLE,) or self.marker.startswith("[OP:") else self.marker


@dataclass(frozen=True, slots=True)
class Site:
    kind: str
    start: int  # byte range of the suspicious token or expression
    end: int
    repairs: tuple[Repair, ...]
    name: str = ""  # variable-misuse: the identifier used here (its other uses inform the model)
    peer: str = ""  # other kinds: the peer key (module docstring), "" for none


def find_sites(tree: tree_sitter.Tree) -> list[Site]:
    """All candidate sites of a parsed document, in document order (by start, then kind)."""
    sites: list[Site] = []
    scopes = _Scopes(_declarations(tree.root_node))
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            continue
        if not node.has_error:  # a node around a syntax error (code being typed) is no site; its intact parts may be
            sites.extend(_sites_at(node, scopes))
        stack.extend(reversed(node.children))
    sites.sort(key=lambda site: (site.start, site.end, KIND_INDEX[site.kind]))
    return sites


def _sites_at(node: tree_sitter.Node, scopes: _Scopes) -> list[Site]:
    kind = node.type
    if kind == "identifier":  # a name can be misused, and negated where it is a condition
        return [site for site in (_variable_site(node, scopes), _negation_site(node)) if site is not None]
    if kind == "binary_expression":
        return _binary_sites(node)
    if kind == "arguments":
        return _argument_sites(node)
    if kind == "number":
        site = _number_site(node)
        return [site] if site else []
    if kind in BOOLEAN_OPERAND_TYPES or kind == "unary_expression":
        site = _negation_site(node)
        return [site] if site else []
    return []


# --- variable misuse ---------------------------------------------------------------------

def _declarations(root: tree_sitter.Node) -> dict[int, dict[bytes, tree_sitter.Node]]:
    """Scope node id -> {name: declaring identifier}, first declaration wins."""
    scopes: dict[int, dict[bytes, tree_sitter.Node]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type != "identifier" or not _is_declaration(node):
            continue
        scope = _scope_of(node)
        names = scopes.setdefault(scope.id, {})
        names.setdefault(node.text or b"", node)
    return scopes


def _is_declaration(node: tree_sitter.Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    ptype = parent.type
    if ptype in ("formal_parameters", "array_pattern", "rest_pattern", "import_specifier", "import_clause",
                 "namespace_import", "catch_clause", "object_pattern", "pair_pattern"):
        return True
    if ptype == "assignment_pattern":
        return parent.child_by_field_name("left") == node
    if ptype in ("variable_declarator", "function_declaration", "class_declaration", "function_expression",
                 "generator_function_declaration", "class"):
        return parent.child_by_field_name("name") == node
    if ptype == "arrow_function":
        return parent.child_by_field_name("parameter") == node
    if ptype == "for_in_statement":
        return parent.child_by_field_name("left") == node and parent.child_by_field_name("kind") is not None
    return False


def _scope_of(node: tree_sitter.Node) -> tree_sitter.Node:
    """The function (or program) a declaration binds in; a function's own name binds outside it."""
    parent = node.parent
    if parent is not None and parent.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
        if parent.child_by_field_name("name") == node:
            node = parent
    current = node.parent
    while current is not None and current.type not in SCOPE_TYPES:
        current = current.parent
    return current if current is not None else node


class _Scopes:
    """Declarations per scope node id, and the names visible in a scope (memoised)."""

    def __init__(self, declared: dict[int, dict[bytes, tree_sitter.Node]]) -> None:
        self.declared = declared
        self._visible: dict[int, dict[bytes, tree_sitter.Node]] = {}

    def visible(self, scope: tree_sitter.Node) -> dict[bytes, tree_sitter.Node]:
        """Names bound in `scope` and the scopes around it, innermost first."""
        if scope.id in self._visible:
            return self._visible[scope.id]
        visible = dict(self.declared.get(scope.id, {}))
        outer = scope.parent
        while outer is not None and outer.type not in SCOPE_TYPES:
            outer = outer.parent
        if outer is not None:
            for name, declaration in self.visible(outer).items():
                visible.setdefault(name, declaration)
        self._visible[scope.id] = visible
        return visible


def _variable_site(node: tree_sitter.Node, scopes: _Scopes) -> Site | None:
    parent = node.parent
    if parent is None or _is_declaration(node) or parent.type in (
        "labeled_statement", "break_statement", "continue_statement", "export_specifier", "jsx_opening_element",
        "jsx_closing_element", "jsx_self_closing_element", "nested_identifier",
    ):
        return None
    scope = node.parent
    while scope is not None and scope.type not in SCOPE_TYPES:
        scope = scope.parent
    if scope is None:
        return None
    visible = scopes.visible(scope)
    name = node.text or b""
    if name not in visible:
        return None  # a global or an undeclared name: not a local to confuse
    others = [(abs(decl.start_byte - node.start_byte), other, decl) for other, decl in visible.items() if other != name]
    others.sort(key=lambda item: item[0])
    repairs = tuple(
        Repair(Edit(node.start_byte, node.end_byte, other.decode("utf-8", "replace")), VARIABLE, (decl.start_byte, decl.end_byte))
        for _, other, decl in others[:MAX_CANDIDATE_NAMES]
    )
    if not repairs:
        return None
    return Site("variable-misuse", node.start_byte, node.end_byte, repairs, name.decode("utf-8", "replace"))


# --- operators, operands, arguments, literals, negation ----------------------------------

def _binary_sites(node: tree_sitter.Node) -> list[Site]:
    operator = node.child_by_field_name("operator")
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if operator is None or left is None or right is None:
        return []
    op = operator.type
    sites: list[Site] = []
    family = FAMILY_OF.get(op)
    if family is not None:
        repairs = tuple(
            Repair(Edit(operator.start_byte, operator.end_byte, other), f"[OP:{other}]") for other in family if other != op
        )
        shape = _peer_key(b"op", b"%d" % OPERATOR_FAMILIES.index(family), _squeeze(left.text), _squeeze(right.text))
        sites.append(Site("wrong-operator", operator.start_byte, operator.end_byte, repairs, peer=shape))
    if op in NON_COMMUTATIVE and left.type != "private_property_identifier":
        shape = _peer_key(b"swap", op.encode(), *sorted((_squeeze(left.text), _squeeze(right.text))))
        sites.append(Site("swapped-operands", node.start_byte, node.end_byte, (_swap(left, right),), peer=shape))
    return sites


def _swap(first: tree_sitter.Node, second: tree_sitter.Node) -> Repair:
    a, b = first.text or b"", second.text or b""
    between = (first.parent.text or b"")[first.end_byte - first.parent.start_byte:second.start_byte - first.parent.start_byte] \
        if first.parent is not None else b" "
    text = (b + between + a).decode("utf-8", "replace")
    return Repair(Edit(first.start_byte, second.end_byte, text), SWAP)


def _argument_sites(node: tree_sitter.Node) -> list[Site]:
    arguments = [child for child in node.named_children if child.type != "comment"]
    if len(arguments) < 2 or any(arg.type == "spread_element" for arg in arguments):
        return []
    sites = []
    for first, second in zip(arguments, arguments[1:]):
        if first.text == second.text:
            continue
        sites.append(Site("swapped-arguments", first.start_byte, second.end_byte, (_swap(first, second),)))
    return sites


def _number_site(node: tree_sitter.Node) -> Site | None:
    text = node.text or b""
    if not _DECIMAL.match(text):
        return None
    parent = node.parent
    if parent is not None and parent.type == "pair" and parent.child_by_field_name("key") == node:
        return None
    value = int(text)
    repairs = [Repair(Edit(node.start_byte, node.end_byte, str(value + 1)), INCREMENT)]
    if value > 0:
        repairs.append(Repair(Edit(node.start_byte, node.end_byte, str(value - 1)), DECREMENT))
    return Site("off-by-one", node.start_byte, node.end_byte, tuple(repairs), peer=_number_peer(node))


def _number_peer(node: tree_sitter.Node) -> str:
    """The literal's enclosing expression (the whole call for an argument) with the literal
    blanked: `a.length - #`, `slice(#, n)`."""
    around = node.parent
    if around is not None and around.type == "arguments" and around.parent is not None:
        around = around.parent
    if around is None or around.end_byte - around.start_byte > MAX_PEER_KEY_BYTES:
        return ""
    text = around.text or b""
    start, end = node.start_byte - around.start_byte, node.end_byte - around.start_byte
    return _peer_key(b"num", around.type.encode(), _squeeze(text[:start]) + b"#" + _squeeze(text[end:]))


def _in_boolean_context(node: tree_sitter.Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "parenthesized_expression" and parent.parent is not None and parent.parent.type in (
        "if_statement", "while_statement", "do_statement"
    ):
        return True
    if parent.type == "ternary_expression":
        return parent.child_by_field_name("condition") == node
    if parent.type == "for_statement":
        return parent.child_by_field_name("condition") == node
    if parent.type == "expression_statement" and parent.parent is not None and parent.parent.type == "for_statement":
        return parent.parent.child_by_field_name("condition") == parent
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is not None and operator.type in ("&&", "||")
    return False


def _negation_site(node: tree_sitter.Node) -> Site | None:
    if not _in_boolean_context(node):
        return None
    if node.type == "unary_expression":
        operator = node.child_by_field_name("operator")
        argument = node.child_by_field_name("argument")
        if operator is None or operator.type != "!" or argument is None or argument.type not in BOOLEAN_OPERAND_TYPES:
            return None
        repair = Repair(Edit(operator.start_byte, argument.start_byte, ""), REMOVE_NOT)
        tested = argument
    else:
        repair = Repair(Edit(node.start_byte, node.start_byte, "!"), ADD_NOT)
        tested = node
    return Site("negation", node.start_byte, node.end_byte, (repair,), peer=_peer_key(b"not", _squeeze(tested.text)))


def _squeeze(text: bytes | None) -> bytes:
    """`text` with each run of whitespace made one space: layout does not change a shape."""
    return b" ".join((text or b"").split())


def _peer_key(*parts: bytes) -> str:
    key = b"\x00".join(parts)
    return key.decode("utf-8", "replace") if len(key) <= MAX_PEER_KEY_BYTES else ""
