"""The edits behind "Disable <rule> for this line / for this file".

For a line: `// thea-disable-next-line <rule>` above it, with the line's indentation; when
the line above already is such a comment, the rule is appended to its list instead (a
second comment would only disable the first one). For a file: `/* thea-disable <rule> */`
on the first line, after a shebang, or the rule appended to such a comment already there.
The new line uses the file's own line break.
"""

from __future__ import annotations

import re
from typing import Any

from engine.parse.source import PositionEncoding, Source

LINE_DIRECTIVE = "thea-disable-next-line"
FILE_DIRECTIVE = "thea-disable"

# The rule list ends before an optional ` -- reason` (ESLint's description: two or more
# dashes with whitespace on both sides).
_LINE_COMMENT = re.compile(r"^\s*//\s*thea-disable-next-line(?:\s+(?P<rules>.*?))?(?P<tail>\s-{2,}\s.*)?\s*$")
_LINE_DIRECTIVE_BYTES = LINE_DIRECTIVE.encode("ascii")
_FILE_COMMENT = re.compile(r"^\s*/\*\s*thea-disable(?:\s+(?P<rules>.*?))?(?P<tail>\s-{2,}\s.*?)?\s*\*/\s*$")


class DisableEdits:
    """Builds the two directive edits for findings of one analysed source (memoised per line)."""

    def __init__(self, source: Source, encoding: PositionEncoding) -> None:
        self._source = source
        self._encoding = encoding
        self._newline = _newline(source)
        self._by_file: dict[str, list[Any]] = {}
        self._above: dict[int, re.Match[str] | None] = {}

    def for_line(self, line: int, rule_id: str) -> list[Any]:
        source = self._source
        if line > 0:
            if line not in self._above:
                self._above[line] = self._directive_above(line)
            match = self._above[line]
            if match is not None and match.group("rules"):
                return self._append(line - 1, match.string, match, rule_id)
        start = source.line_starts[line]
        content = source.data[start : source.line_end(line)]
        indent = content[: len(content) - len(content.lstrip(b" \t"))].decode("ascii")
        return self._insert(line, f"{indent}// {LINE_DIRECTIVE} {rule_id}{self._newline}")

    def _directive_above(self, line: int) -> re.Match[str] | None:
        source = self._source
        above = source.data[source.line_starts[line - 1] : source.line_end(line - 1)]
        if _LINE_DIRECTIVE_BYTES not in above:  # the usual case, without decoding the line
            return None
        return _LINE_COMMENT.match(source.line_text(line - 1))

    def for_file(self, rule_id: str) -> list[Any]:
        edit = self._by_file.get(rule_id)
        if edit is None:
            edit = self._by_file[rule_id] = self._for_file(rule_id)
        return edit

    def _for_file(self, rule_id: str) -> list[Any]:
        source = self._source
        line = 1 if source.line_text(0).startswith("#!") else 0
        if line >= source.line_count:  # only a shebang, without a line break
            return self._insert_at(len(source.data), f"{self._newline}/* {FILE_DIRECTIVE} {rule_id} */")
        text = source.line_text(line)
        match = _FILE_COMMENT.match(text)
        if match is not None and match.group("rules"):
            return self._append(line, text, match, rule_id)
        return self._insert(line, f"/* {FILE_DIRECTIVE} {rule_id} */{self._newline}")

    def _append(self, line: int, text: str, match: re.Match[str], rule_id: str) -> list[Any]:
        """Add the rule to a directive's list (a bare directive, which disables every rule,
        is never narrowed: the callers insert a new comment instead)."""
        prefix = text[: match.end("rules")]
        offset = self._source.line_starts[line] + len(prefix.encode("utf-8", "surrogatepass"))
        return self._insert_at(offset, f", {rule_id}")

    def _insert(self, line: int, text: str) -> list[Any]:
        return [line, 0, text]  # a line's start is column 0 in every encoding

    def _insert_at(self, offset: int, text: str) -> list[Any]:
        """An insertion as diagnostic data holds it: `[line, column, text]`."""
        line, character = self._source.position(offset, self._encoding)
        return [line, character, text]


def _newline(source: Source) -> str:
    """The file's first line break, "\\n" when it has none."""
    if source.line_count < 2:
        return "\n"
    start = source.line_end(0)
    return source.data[start : source.line_starts[1]].decode("ascii", "replace") or "\n"
