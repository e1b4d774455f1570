"""Disallow unnecessary `catch` clauses.

## What it does
Reports a `catch` clause whose first statement rethrows the caught error unchanged
(`catch (e) { throw e; }`). With a `finally` block the clause is reported; without one the
whole `try` statement is, since the `try` wrapper does nothing.

## Why is this bad?
Catching an error only to throw it again has no effect but to add nesting and to suggest
that errors are handled when they are not. Statements after the `throw` never run.

## Example
```js
try { run(); } catch (e) { throw e; }                  // reported: the try/catch is useless
try { run(); } catch (e) { throw e; } finally { end(); }  // reported: the catch is useless
try { run(); } catch (e) { log(e); throw e; }          // ok
```

## Options
None.

## References
- ESLint: https://eslint.org/docs/latest/rules/no-useless-catch
"""

from __future__ import annotations

import tree_sitter

from engine.rules.nodes import unparenthesized
from engine.rules.rule import Expected, Invalid, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-useless-catch",
    type="suggestion",
    description="Disallow unnecessary `catch` clauses.",
    messages={
        "unnecessaryCatchClause": "Unnecessary catch clause.",
        "unnecessaryCatch": "Unnecessary try/catch wrapper.",
    },
    node_types=("catch_clause",),
    recommended=True,  # in eslint:recommended
    eslint_equivalent=True,
)


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    param = node.child_by_field_name("parameter")
    body = node.child_by_field_name("body")
    if param is None or param.type != "identifier" or body is None:
        return
    first = next((child for child in body.named_children if child.type != "comment"), None)
    if first is None or first.type != "throw_statement":
        return
    argument = next((child for child in first.named_children if child.type != "comment"), None)
    if argument is None:
        return
    argument = unparenthesized(argument)
    if argument.type != "identifier" or argument.text != param.text:
        return
    statement = node.parent
    if statement is None:
        return
    if statement.child_by_field_name("finalizer") is not None:
        ctx.report(node, "unnecessaryCatchClause")
    else:
        ctx.report(statement, "unnecessaryCatch")


VALID = [
    Valid("try { a(); } catch (e) { log(e); throw e; }"),
    Valid("try { a(); } catch (e) { throw new Error('wrapped', { cause: e }); }"),
    Valid("try { a(); } catch (e) { throw err; }"),
    Valid("try { a(); } catch { throw e; }"),
    Valid("try { a(); } catch ({ message }) { throw message; }"),
    Valid("try { a(); } catch (e) { e = wrap(e); throw e; }"),
    Valid("try { a(); } catch (e) {}"),
]

INVALID = [
    Invalid("try { a(); } catch (e) { throw e; }", [Expected("unnecessaryCatch", 1, 1, 1, 36)]),
    Invalid(
        "try { a(); } catch (e) { throw e; } finally { b(); }",
        [Expected("unnecessaryCatchClause", 1, 14, 1, 36)],
    ),
    Invalid("try { a(); } catch (e) { throw (e); }", [Expected("unnecessaryCatch", 1, 1)]),
    Invalid("try { a(); } catch (e) {\n  // rethrow\n  throw e;\n  unreachable();\n}", [Expected("unnecessaryCatch", 1, 1)]),
    Invalid(
        "const s = '😀'; try { render(<App />); } catch (err) { throw err } finally { done(); }",
        [Expected("unnecessaryCatchClause", 1, 42)],
    ),
    Invalid(
        "async function f() {\n  try {\n    await g();\n  } catch (e) {\n    throw e;\n  }\n}",
        [Expected("unnecessaryCatch", 2, 3, 6, 4)],
    ),
]
