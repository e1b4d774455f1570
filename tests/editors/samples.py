"""The JavaScript files the editor tests open, and what they must look like after each fix.

Every editor runs the same scenario, so the expected bytes live here once. The findings are
Thea's eqeqeq: `a == 1` has only an unsafe fix; `typeof x == 'string'` has a safe one, which
is the only change `source.fixAll.thea` may make.
"""

from __future__ import annotations

RULE = "eqeqeq"
MESSAGE = "Expected '===' and instead saw '=='."
SOURCE = "thea"
QUICK_FIX_TITLE = "Replace '==' with '==='"  # the server appends " (unsafe)" / " (safe)"

LOOSE = 'const a = 1;\nif (a == 1) {\n  console.log("loose");\n}\n'
LOOSE_FIXED = 'const a = 1;\nif (a === 1) {\n  console.log("loose");\n}\n'
LOOSE_LINE, LOOSE_COLUMN = 1, 6  # 0-based line and byte column of `==`

MIXED = "function f(x, b) {\n  if (typeof x == 'string') return x == b;\n  return null;\n}\n"
MIXED_FIXED_ALL = "function f(x, b) {\n  if (typeof x === 'string') return x == b;\n  return null;\n}\n"

# An emoji (4 UTF-8 bytes, 2 UTF-16 units) before the finding: a client and server that disagree on
# the position encoding put the diagnostic and the fix in the wrong column.
EMOJI = "const s = '😀'; if (s == t) {}\n"
EMOJI_FIXED = "const s = '😀'; if (s === t) {}\n"
EMOJI_COLUMN = EMOJI.encode("utf-8").index(b"==")  # 0-based byte column, as vim reports it
