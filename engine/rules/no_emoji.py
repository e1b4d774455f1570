"""Disallow emoji in comments, strings, template literals and identifiers.

## What it does
Reports each emoji, one finding per emoji sequence with its exact range: a pictograph
shown as emoji by default (`✅`, `🚀`), any pictograph with the emoji presentation
selector U+FE0F (`❤️`, `⚠️`), skin-tone modifier sequences (`👍🏽`), ZWJ sequences
(`👩‍💻`, `🏳️‍🌈`), regional-indicator flags (`🇫🇷`), tag-sequence flags (U+1F3F4 and tag
letters, as Scotland's) and keycaps (`1️⃣`). The character classes are Unicode's (Extended_Pictographic, Emoji_Presentation,
Emoji_Modifier, Regional_Indicator, via the `regex` package), the sequences follow UTS #51.
Pictographs whose default presentation is text (`©`, `™`, `✔`, `⚠`, `❤` without U+FE0F)
are ordinary typographic symbols and are reported only with `"textPresentation": true`.
Emoji written as escapes (`"\\u{1F680}"`) and emoji in regular expressions are not reported.

## Why is this bad?
Emoji in source code are hard to type, search and review, render differently (or not at
all) across terminals, fonts and log viewers, and in identifiers are not even valid
JavaScript (tree-sitter accepts them; engines do not).

## Example
```js
// 🚀 launch the worker      reported
log("✅ done");              // reported
// launch the worker         ok
```

## Fix safety
Removing an emoji from a comment is **safe**; a doubled space left behind is tidied (one
space around the emoji goes with it). From a string, JSX text or template literal the
removal is **unsafe**: the program's output changes. Emoji in identifiers are reported
without a fix (a new name is a decision, and every reference would have to follow).

## Options
An object choosing the places checked, all true by default:
`{"comments": true, "strings": true, "templates": true, "identifiers": true}` (JSX text
counts as a string), and `"textPresentation": false` to also report text-style pictographs.

## References
- Unicode Technical Standard #51, Unicode Emoji: https://www.unicode.org/reports/tr51/
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import regex
import tree_sitter

from engine.fix.edit import Applicability
from engine.rules.rule import Expected, FixCase, Invalid, OptionsError, RuleContext, RuleMeta, Valid

RULE = RuleMeta(
    id="no-emoji",
    type="suggestion",
    description="Disallow emoji in comments, strings, template literals and identifiers.",
    messages={"unexpected": "Unexpected emoji '{{emoji}}' in {{place}}."},
    # The root only: emoji are found by one scan of the text, then placed in the tree, so
    # a file without them costs one `isascii()` (or one regex pass over non-ASCII text).
    node_types=("program",),
    fixable="sometimes",
)

# UTS #51 emoji sequences: flags and tag sequences first (their first character is also a
# pictograph), then keycaps, then a pictograph with an optional modifier or selector, joined
# by ZWJ into one sequence.
_FLAG = r"\p{Regional_Indicator}{2}"
_TAG_SEQUENCE = r"\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
_KEYCAP = r"[#*0-9]\uFE0F?\u20E3"
_PICTOGRAPH = r"(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})(?:\p{Emoji_Modifier}|\uFE0F|\uFE0E)?"
_ELEMENT = f"(?:{_FLAG}|{_TAG_SEQUENCE}|{_KEYCAP}|{_PICTOGRAPH})"
_SEQUENCE = regex.compile(f"{_ELEMENT}(?:\u200d{_ELEMENT})*")
_EMOJI_STYLE = regex.compile(r"[\p{Emoji_Presentation}\p{Emoji_Modifier}\uFE0F\u20E3\u200D\U000E007F]")

_IDENTIFIERS = frozenset({
    "identifier", "property_identifier", "shorthand_property_identifier",
    "shorthand_property_identifier_pattern", "private_property_identifier", "statement_identifier",
})
_PLACES = {"comments": "a comment", "strings": "a string", "templates": "a template literal",
           "identifiers": "an identifier"}


@dataclass(frozen=True)
class Options:
    comments: bool = True
    strings: bool = True
    templates: bool = True
    identifiers: bool = True
    textPresentation: bool = False  # noqa: N815 (the option's JSON name)


def parse_options(raw: list[Any]) -> Options:
    if not raw:
        return Options()
    if len(raw) > 1 or not isinstance(raw[0], dict):
        raise OptionsError('expected one object like {"comments": true, "strings": true, ...}')
    names = {f.name for f in fields(Options)}
    unknown = set(raw[0]) - names
    if unknown:
        raise OptionsError(f"unknown option(s) {sorted(unknown)}; expected some of {sorted(names)}")
    for key, value in raw[0].items():
        if not isinstance(value, bool):
            raise OptionsError(f"{key!r} must be true or false, got {value!r}")
    return Options(**raw[0])


def find_emoji(text: str, text_presentation: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, sequence) of each emoji sequence in `text`, as code-point indices."""
    found = []
    for match in _SEQUENCE.finditer(text):
        sequence = match.group()
        if text_presentation or (_EMOJI_STYLE.search(sequence) and sequence[-1] != "\ufe0e"):
            found.append((match.start(), match.end(), sequence))
    return found


def check(node: tree_sitter.Node, ctx: RuleContext) -> None:
    data = ctx.source.data
    if node.parent is not None or data.isascii():
        return
    options: Options = ctx.options
    text = ctx.source.text
    byte, index = 0, 0  # walk code-point indices and byte offsets forward together
    for start, end, sequence in find_emoji(text, options.textPresentation):
        byte += len(text[index:start].encode("utf-8", "surrogatepass"))
        first = byte
        byte += len(sequence.encode("utf-8", "surrogatepass"))
        index = end
        _report(ctx, node, first, byte, sequence, options)


def _report(ctx: RuleContext, root: tree_sitter.Node, start: int, end: int, emoji: str, options: Options) -> None:
    leaf = root.descendant_for_byte_range(start, end)
    if leaf is None or leaf.start_byte > start or leaf.end_byte < end:
        return
    place, content = _place(leaf)
    if place is None or not getattr(options, place):
        return
    fixes = []
    if place != "identifiers":
        applicability = Applicability.SAFE if place == "comments" else Applicability.UNSAFE
        first, last = _tidy(ctx.source.data, start, end, content)
        fixes.append(ctx.replace(first, last, "", applicability, f"Remove '{emoji}'"))
    ctx.report(None, "unexpected", data={"emoji": emoji, "place": _PLACES[place]}, start=start, end=end, fixes=fixes)


def _place(leaf: tree_sitter.Node) -> tuple[str | None, tuple[int, int]]:
    """Which option covers the leaf, and the byte range of its text (inside quotes and
    comment markers), or (None, ...) for places not checked (regex, code in error)."""
    kind = leaf.type
    if kind == "comment":
        body_end = leaf.end_byte - (0 if leaf.text.startswith(b"//") else 2)  # type: ignore[union-attr]
        return "comments", (leaf.start_byte + 2, body_end)
    if kind in _IDENTIFIERS:
        return "identifiers", (leaf.start_byte, leaf.end_byte)
    if kind == "jsx_text":
        return "strings", (leaf.start_byte, leaf.end_byte)
    if kind == "string_fragment" and leaf.parent is not None:
        place = {"string": "strings", "template_string": "templates"}.get(leaf.parent.type)
        return place, (leaf.start_byte, leaf.end_byte)
    return None, (0, 0)


def _tidy(data: bytes, start: int, end: int, content: tuple[int, int]) -> tuple[int, int]:
    """The range to delete for an emoji at [start, end): with one space after it when it
    sits between spaces or begins the text, with the space before it when it ends the text
    (or its line)."""
    spaces = (32, 9)
    before = data[start - 1] if start > content[0] else None
    after = data[end] if end < content[1] else None
    after_is_end = after is None or after in (10, 13)
    before_is_start = before is None or before in (10, 13)
    if after in spaces and (before in spaces or before_is_start):
        return start, end + 1
    if before in spaces and after_is_end:
        return start - 1, end
    return start, end


VALID = [
    Valid("// plain comment\nconst s = 'ok';"),
    Valid("// Copyright © 2024 Example™ ✔ ⚠ ❤"),  # text-style pictographs
    Valid("const s = '\\u{1F680} \\u2705';"),  # escapes, not emoji characters
    Valid("const re = /😀/u;"),
    Valid("const s = '✅';", options=[{"strings": False}]),
    Valid("// 🚀", options=[{"comments": False}]),
    Valid("const t = `🎉`;", options=[{"templates": False}]),
    Valid("const 😀 = 1;", options=[{"identifiers": False}]),
    Valid("const s = '⌚\ufe0e';"),  # explicit text presentation
    Valid("const s = 'x → y ✓ ★';"),  # not emoji at all
]

INVALID = [
    Invalid("// 🚀 launch", [Expected("unexpected", 1, 4, 1, 6)]),
    Invalid("log('✅ done');", [Expected("unexpected", 1, 6, 1, 7)]),
    Invalid("t = `a 🎉 ${'b 😀'} c`;", [Expected("unexpected", 1, 8), Expected("unexpected", 1, 16)]),
    Invalid("const 😀 = 1;", [Expected("unexpected", 1, 7, 1, 9)]),
    Invalid("x.✅ok = 2;", [Expected("unexpected", 1, 3)]),
    Invalid("const j = <p title=\"🎉\">Hi 👋 there</p>;", [Expected("unexpected", 1, 21), Expected("unexpected", 1, 28)]),
    Invalid("// ❤️ ⚠️", [Expected("unexpected", 1, 4, 1, 6), Expected("unexpected", 1, 7, 1, 9)]),
    Invalid("// 👍🏽", [Expected("unexpected", 1, 4, 1, 8)]),
    Invalid("// 👩‍💻 and 🏳️‍🌈", [Expected("unexpected", 1, 4, 1, 9), Expected("unexpected", 1, 14, 1, 20)]),
    Invalid("// 🇫🇷🇩🇪", [Expected("unexpected", 1, 4, 1, 8), Expected("unexpected", 1, 8, 1, 12)]),
    Invalid("// 1️⃣ #⃣", [Expected("unexpected", 1, 4, 1, 7), Expected("unexpected", 1, 8, 1, 10)]),
    Invalid("// \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", [Expected("unexpected", 1, 4, 1, 18)]),
    Invalid("// © ✔", [Expected("unexpected", 1, 4), Expected("unexpected", 1, 6)], options=[{"textPresentation": True}]),
    Invalid("/* ok\n * 🎉 shipped\n */", [Expected("unexpected", 2, 4)]),
]

FIXES = [
    FixCase("// 🚀 launch", "// launch"),
    FixCase("// launch 🚀\nx();", "// launch\nx();"),
    FixCase("/* a 🎉 b */", "/* a b */"),
    FixCase("// ✅ ✅ done", "// done"),
    FixCase("// done✅!", "// done!"),
    FixCase("log('✅ done');", "log('✅ done');"),  # unsafe only
    FixCase("log('✅ done');", "log('done');", applicability=Applicability.UNSAFE),
    FixCase("log(`done 🎉`);", "log(`done`);", applicability=Applicability.UNSAFE),
    FixCase("const 😀 = 1;", "const 😀 = 1;", applicability=Applicability.UNSAFE),
]
