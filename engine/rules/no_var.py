"""Require `let` or `const` instead of `var`.

## What it does
Reports every `var` declaration, including `for (var x of xs)`.

## Why is this bad?
`var` is function-scoped and hoisted: a variable declared in a block is visible (as
`undefined`) before its declaration and after the block, and a loop shares one variable
among all its closures. `let` and `const` are scoped to their block and fail loudly when
used too early.

## Example
```js
var count = 0;               // reported
for (var i = 0; i < n; i++)  // reported
let total = 0;               // ok
```

## Fix safety
The fix replaces `var` with `let` (never `const`: whether the variable is reassigned is
another rule's question). It is offered only when the rewrite keeps the program valid and
its behaviour, checked as ESLint does with a small scope analysis: no redeclaration, no use
outside the block or before the declaration (also through a hoisted function called
early), no self-reference in the initializer, no closure over it inside a loop, no
uninitialized declaration inside a loop, no name `let`, no shadowing `catch` parameter, and
only where a `let` may stand (not `if (a) var b;`, not in a `case`, not after `export`).
Such a fix is **safe**. It is **unsafe** for a declaration at the top level of the file: in
a script (not a module) a top-level `var` becomes a property of the global object and a
`let` does not; and where `eval` or `with` may reach the variable by name unseen.

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-var
"""

from __future__ import annotations

import tree_sitter

from engine.fix.edit import Applicability, Edit, Fix
from engine.rules import let_conversion
from engine.rules.let_conversion import conversion, var_keyword
from engine.rules.rule import Expected, FixCase, Invalid, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-var",
    type="suggestion",
    description="Require `let` or `const` instead of `var`.",
    messages={"unexpectedVar": "Unexpected var, use let or const instead."},
    node_types=("variable_declaration", "for_in_statement"),
    fixable="sometimes",
    recommended=False,  # a style choice
    eslint_equivalent=True,
)


def index_patterns() -> str:
    """The name index the let-conversion analysis reads, matched in the linter's own walk."""
    return let_conversion.index_patterns()


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    keyword = var_keyword(node)
    if keyword is None:
        return
    if node.type == "for_in_statement":
        left = node.child_by_field_name("left")
        start, end = keyword.start_byte, left.end_byte if left is not None else keyword.end_byte
    elif node.parent is not None and node.parent.type == "for_statement":
        # In `for (var i = 0; ...)` tree-sitter's declaration takes the `;`, ESTree's ends
        # with its last declarator.
        declarators = [child for child in node.named_children if child.type == "variable_declarator"]
        start, end = node.start_byte, declarators[-1].end_byte if declarators else node.end_byte
    else:
        start, end = node.start_byte, node.end_byte
    fixes = []
    applicability = conversion(node, ctx.tree, ctx.cache, ctx.captures)
    if applicability is not None:
        # The edit spans the whole declaration, as ESLint's retainRange: another fix inside
        # it waits for the next pass, where this analysis sees the `let`.
        rest = ctx.source.slice(keyword.end_byte, end)
        fixes.append(Fix((Edit(start, end, "let" + rest),), applicability, "Replace 'var' with 'let'"))
    ctx.report(None, "unexpectedVar", start=start, end=end, fixes=fixes)


VALID = [
    Valid("const JOE = 'schmoe';"),
    Valid("let moo = 'car';"),
    Valid("for (let i of list) {}"),
    Valid("for (const k in o) {}"),
    Valid("// var a = 1;"),
    Valid("const s = 'var x = 1';"),
]

INVALID = [
    Invalid("var foo = bar;", [Expected("unexpectedVar", 1, 1, 1, 15)]),
    Invalid("var foo = bar, toast = most;", [Expected("unexpectedVar", 1, 1)]),
    Invalid("var foo = bar; let toast = most;", [Expected("unexpectedVar", 1, 1)]),
    Invalid("for (var a of b) { console.log(a); }", [Expected("unexpectedVar", 1, 6, 1, 11)]),
    Invalid("for (var a in b) { console.log(a); }", [Expected("unexpectedVar", 1, 6)]),
    Invalid("for (var i = 0; i < list.length; ++i) {}", [Expected("unexpectedVar", 1, 6, 1, 15)]),
    Invalid("for (var i = 0, j /* c */; i < j; ++i) {}", [Expected("unexpectedVar", 1, 6, 1, 18)]),
    Invalid("function f() {\n  if (a) var b = 1;\n}", [Expected("unexpectedVar", 2, 10)]),
    Invalid("switch (a) { case 0: var b = 1; }", [Expected("unexpectedVar", 1, 22)]),
    Invalid("export var a = 1;", [Expected("unexpectedVar", 1, 8)]),
    Invalid("const s = '😀'; var x = s;", [Expected("unexpectedVar", 1, 17)]),
    Invalid("f(<A b={() => { var c = 1; return c; }} />);", [Expected("unexpectedVar", 1, 17)]),
    Invalid("var /* a */ x = 1, // b\n  y = 2;", [Expected("unexpectedVar", 1, 1, 2, 9)]),
]

FIXES = [
    # Inside a function: safe.
    FixCase("function f() { var foo = bar; return foo; }", "function f() { let foo = bar; return foo; }"),
    FixCase("function f() { for (var a of b) { g(a); } }", "function f() { for (let a of b) { g(a); } }"),
    FixCase("function f() { for (var i = 0; i < n; i++) { g(i); } }", "function f() { for (let i = 0; i < n; i++) { g(i); } }"),
    FixCase("function f() { var /* keep */ a = 1, // b\n b = a; }", "function f() { let /* keep */ a = 1, // b\n b = a; }"),
    FixCase("const s = '😀'; function f() { var x = s; }", "const s = '😀'; function f() { let x = s; }"),
    FixCase("function f() { var x = <A y={z} />; return x; }", "function f() { let x = <A y={z} />; return x; }"),
    FixCase("function f() { var f = function () { return f; }; }", "function f() { let f = function () { return f; }; }"),
    # Top level: a global in a script, so only an unsafe fix.
    FixCase("var foo = bar;", "var foo = bar;"),
    FixCase("var foo = bar;", "let foo = bar;", applicability=Applicability.UNSAFE),
    # Never: the rewrite would break or change the code.
    FixCase("function f() { var a = 1; var a = 2; }", "function f() { var a = 1; var a = 2; }", applicability=Applicability.UNSAFE),
    FixCase("function f(a) { var a = 1; }", "function f(a) { var a = 1; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { if (x) { var a = 1; } return a; }", "function f() { if (x) { var a = 1; } return a; }",
            applicability=Applicability.UNSAFE),
    FixCase("function f() { g(a); var a = 1; }", "function f() { g(a); var a = 1; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { var a = a + 1; }", "function f() { var a = a + 1; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { var {a = a} = b; }", "function f() { var {a = a} = b; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { var a = b, b = 1; }", "function f() { var a = b, b = 1; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { for (var i = 0; i < n; i++) { fs.push(() => i); } }",
            "function f() { for (var i = 0; i < n; i++) { fs.push(() => i); } }", applicability=Applicability.UNSAFE),
    FixCase("function f() { while (x) { var a; g(a); a = 1; } }", "function f() { while (x) { var a; g(a); a = 1; } }",
            applicability=Applicability.UNSAFE),
    FixCase("function f() { if (x) var a = 1; }", "function f() { if (x) var a = 1; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { switch (x) { case 1: var a = 1; } }", "function f() { switch (x) { case 1: var a = 1; } }",
            applicability=Applicability.UNSAFE),
    FixCase("function f() { var let = 1; }", "function f() { var let = 1; }", applicability=Applicability.UNSAFE),
    FixCase("function f() { try {} catch (e) { var e = 1; } }", "function f() { try {} catch (e) { var e = 1; } }",
            applicability=Applicability.UNSAFE),
    FixCase("function f() { g(); var a = 1; function g() { return a; } }",
            "function f() { g(); var a = 1; function g() { return a; } }", applicability=Applicability.UNSAFE),
    FixCase("function f() { var a = 1; function a() {} }", "function f() { var a = 1; function a() {} }",
            applicability=Applicability.UNSAFE),
    FixCase("function f() { var a = 1; eval('a'); }", "function f() { var a = 1; eval('a'); }"),
    FixCase("function f() { var a = 1; eval('a'); }", "function f() { let a = 1; eval('a'); }", applicability=Applicability.UNSAFE),
]
