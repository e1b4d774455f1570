"""Automatic semicolon insertion, for fixes that put a new first token on a statement.

A fix that rewrites the start of an expression statement so that it begins with `(`, `[`,
a template, a regex, `+` or `-` may glue the statement onto the previous line when that
line has no semicolon (`a = b\\n(c)` is a call). ESLint then writes a `;` first; these are
its two questions (`isStartOfExpressionStatement`, `needsPrecedingSemicolon`), asked of a
tree-sitter tree.
"""

from __future__ import annotations

import tree_sitter

from engine.rules.tokens import previous_token

# After these tokens a new statement starts without a semicolon (`;`, `{` and `:` would make
# one an empty statement; a postfix `++`/`--` before `(` always ends its statement).
_NO_SEMICOLON_AFTER = frozenset({":", ";", "{", "=>", "++", "--"})
# Statements whose head ends with `)` and is followed by a statement, not an expression.
_PAREN_HEAD_STATEMENTS = frozenset({"if_statement", "while_statement", "with_statement", "do_statement"})
_FOR_STATEMENTS = frozenset({"for_statement", "for_in_statement"})
# Keywords that end a statement part before an expression statement, with the node they belong to.
_KEYWORD_OWNERS = {
    "break": "break_statement",
    "continue": "continue_statement",
    "debugger": "debugger_statement",
    "do": "do_statement",
    "else": "else_clause",
    "return": "return_statement",
    "yield": "yield_expression",
}
_FUNCTION_EXPRESSIONS = frozenset({"function_expression", "generator_function"})
_MODULE_DECLARATIONS = frozenset({"import_statement", "export_statement"})
_WORD_LITERALS = frozenset({"true", "false", "null", "number"})


def is_start_of_expression_statement(node: tree_sitter.Node) -> bool:
    """Whether `node` is the leftmost part of an expression statement (parentheses end it)."""
    start = node.start_byte
    ancestor = node.parent
    while ancestor is not None and ancestor.start_byte == start:
        if ancestor.type == "expression_statement":
            return True
        if ancestor.type == "parenthesized_expression":
            return False
        ancestor = ancestor.parent
    return False


def needs_preceding_semicolon(node: tree_sitter.Node) -> bool:
    """Whether a statement starting at `node` with `(`, `[`, `` ` `` (...) needs a `;` before it."""
    prev = previous_token(node)
    if prev is None or prev.type in _NO_SEMICOLON_AFTER:
        return False
    owner = prev.parent
    if owner is None:
        return True
    if prev.type == ")":
        if owner.type in _FOR_STATEMENTS:
            return False
        if owner.type == "parenthesized_expression" and owner.parent is not None:
            return not (owner.parent.type in _PAREN_HEAD_STATEMENTS
                        and owner.parent.child_by_field_name("condition") == owner)
        return True
    if prev.type == "}":
        if owner.type == "statement_block" and owner.parent is not None:
            parent = owner.parent
            return parent.type in _FUNCTION_EXPRESSIONS or (
                parent.type == "method_definition" and parent.parent is not None and parent.parent.type == "object"
            )
        if owner.type == "class_body":
            return owner.parent is not None and owner.parent.type == "class"
        return owner.type == "object"
    if prev.type == "string":
        return owner.type not in _MODULE_DECLARATIONS
    text = prev.text.decode("utf-8", "surrogatepass") if prev.text is not None else ""
    if prev.type not in _WORD_LITERALS and text.replace("$", "_").isidentifier():
        if owner.type == "variable_declarator" and owner.child_by_field_name("value") is None:
            return False
        if owner.type in ("break_statement", "continue_statement"):
            return False
        return _KEYWORD_OWNERS.get(text) != owner.type or prev.type != text
    return True
