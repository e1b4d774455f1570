"""Report syntax errors that no repair rule explains (`foo bar;`, `let x = ;`, `a +* b`).

## What it does
Reports each place where the parser met a token it could not fit into the program (a
tree-sitter ERROR node), as ESLint reports a file it cannot parse ("Parsing error:
Unexpected token ..."). Errors that another rule already names are left to it: a token
the parser had to assume (`f(a, b;`) is reported by `missing-token`, an operator split by
whitespace (`a = = b`) by `spaced-operator`, whether that rule is on or not.

Unlike ESLint, which stops at the first error and reports nothing else, Thea recovers:
every error is reported at its own place (the first token the parser could not use), and
the other rules still run on the rest of the file. The finding is an ordinary `error`
finding of this rule, not ESLint's `fatal` message: the file was linted.

## Why is this bad?
The file does not parse: nothing in it runs, and a bundler or Node.js rejects it.

## Example
```js
let total = ;          // reported: cannot parse '='
let total = 0;         // ok
```

## Options
None.

## Known gaps of the grammar
tree-sitter-javascript rejects a few constructs that JavaScript accepts; they are not
reported. Today: a JSX attribute named by a reserved word (`<Collapse in={open}>`,
`<FormGroup switch>`). On the 1,975 files of the npm corpus, all of which ESLint parses,
this rule reports nothing.

## References
- ECMAScript grammar: https://tc39.es/ecma262/#sec-ecmascript-language-lexical-grammar
- ESLint, parsing errors: https://eslint.org/docs/latest/use/troubleshooting/
"""

from __future__ import annotations

import re

import tree_sitter

from engine.finding import Finding
from engine.fix.edit import Edit
from engine.rules import get_rule
from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid
from engine.rules.syntax_errors import error_nodes, reparse

RULE = RuleMeta(
    id="syntax-error",
    type="problem",
    description="Report syntax errors that no repair rule explains.",
    messages={"unparsable": "Syntax error: cannot parse '{{text}}'."},
    # The root only: ERROR nodes are looked up, and weighed together, when the tree has one.
    # A file the parser could not assemble at all has an ERROR root instead of a program.
    node_types=("program", "ERROR"),
)

_JSX_TAGS = frozenset({"jsx_opening_element", "jsx_self_closing_element"})
# A reserved word where a JSX attribute name stands (then `=`, `/`, `>` or a space).
_RESERVED_ATTRIBUTE = re.compile(
    rb"(?:break|case|catch|class|const|continue|debugger|default|delete|do|else|enum|export|extends|false"
    rb"|finally|for|function|if|import|in|instanceof|new|null|return|super|switch|this|throw|true|try"
    rb"|typeof|var|void|while|with)(?=[\s=/>])"
)
_MAX_TEXT = 32  # characters of the unparsable text quoted in the message


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    if node.parent is not None or not node.has_error:
        return
    masks = _grammar_gap_masks(ctx)
    # spaced-operator (like missing-token) looks at a `program` root only: under an ERROR
    # root it does not run, and its errors are reported here.
    joins = _spaced_operator_edits(ctx) if node.type == "program" else []
    tree = ctx.tree
    if masks or joins:
        tree = reparse(ctx.source, ctx.tree, [*masks, *joins])
    removed = sorted((edit.start, edit.end) for edit in joins)
    source = ctx.source
    for error in _outermost_errors(tree):
        start, end = _original(error.start_byte, removed), _original(error.end_byte, removed)
        # The range ends with the error's first line: an error may swallow the rest of a file.
        end = min(end, source.line_end(source.line_of(start)))
        text = " ".join(source.slice(start, end).split())
        if len(text) > _MAX_TEXT:
            text = text[: _MAX_TEXT - 1] + "\u2026"
        ctx.report(None, "unparsable", data={"text": text}, start=start, end=max(end, start))


def _grammar_gap_masks(ctx: RuleContext) -> list[Edit]:
    """Same-length renames of the constructs the grammar rejects though JavaScript allows
    them: a reserved word naming a JSX attribute (`in`, `switch`) becomes `_n`, `_witch`."""
    masks = []
    for error in error_nodes(ctx.tree):
        parent = error.parent
        if parent is None or parent.type not in _JSX_TAGS:
            continue
        if _RESERVED_ATTRIBUTE.match(ctx.source.data, error.start_byte):
            masks.append(Edit(error.start_byte, error.start_byte + 1, "_"))
    return masks


def _spaced_operator_edits(ctx: RuleContext) -> list[Edit]:
    """The joins that spaced-operator finds (its errors are its own), run privately so that
    its findings do not depend on whether it is enabled."""
    spaced = get_rule("spaced-operator")
    if spaced is None:
        return []
    sink: list[Finding] = []
    spaced.check(ctx.tree.root_node, RuleContext(ctx.source, ctx.tree, spaced, spaced.options(None), ctx.severity, sink))
    return [edit for finding in sink for fix in finding.fixes[:1] for edit in fix.edits]


def _outermost_errors(tree: tree_sitter.Tree) -> list[tree_sitter.Node]:
    """ERROR nodes not inside another ERROR node, in source order; under an ERROR root, the
    ERROR nodes inside it (the root itself when there are none)."""
    root = tree.root_node
    found: list[tree_sitter.Node] = []
    if not root.has_error:
        return found
    cursor = tree.walk()
    if not cursor.goto_first_child():
        return [root] if root.is_error else found
    while True:
        node = cursor.node
        if node.is_error:
            found.append(node)
        elif node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == root:
                return found or ([root] if root.is_error else found)


def _original(offset: int, removed: list[tuple[int, int]]) -> int:
    """An offset of the text with the byte ranges `removed` deleted, in the original text."""
    for start, end in removed:
        if offset >= start:
            offset += end - start
    return offset


VALID = [
    Valid("let total = 0; if (a) { b(); }"),
    Valid("a ! == b;"),
    Valid("x = <Collapse in={open} className='c' />;", filename="test.jsx"),  # a grammar gap, not an error
    Valid("f(<FormGroup switch />);", filename="test.jsx"),
    Valid("if (a == = b) {}"),  # spaced-operator's
    Valid("f(a, b;"),  # missing-token's
]

INVALID = [
    Invalid("let total = ;", [Expected("unparsable", 1, 11, 1, 12)]),
    Invalid("foo bar baz;", [Expected("unparsable", 1, 1, 1, 8)]),
    Invalid("a = 1;\nb = 2 3;\nc = 4;", [Expected("unparsable", 2, 7, 2, 8)]),
    Invalid("if (a = = b) x +* y;", [Expected("unparsable", 1, 16, 1, 17)]),  # the split `= =` is claimed
    Invalid("f(<FormGroup switch />);\n}}}", [Expected("unparsable", 2, 1, 2, 4)]),  # the gap is not an error
    Invalid("x = 1 +", [Expected("unparsable", 1, 1, 1, 8)]),
]
