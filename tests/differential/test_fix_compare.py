"""The fix parity comparator itself (fix_parity.check_file), on one small real file.

The ESLint side is what ESLint 10.15 reports for this file (its curly fix, `range` in UTF-16
units after an astral emoji), written down so that this runs without node; the Thea side is
the real engine. A wrong expected rewrite must come out as "different", a fix ESLint does
not make as "thea-only".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.differential import eslint_fixes, fix_parity

TEXT = 'const s = "😀"; if (s) go();\n'
ESLINT_FIX = {"range": [23, 28], "text": "{go();}"}  # eslint --format json, curly
ESLINT_OUTPUT = 'const s = "😀"; if (s) {go();}\n'  # eslint --fix-dry-run


def _job(root: Path, fix: dict | None, output: str | None) -> fix_parity.Job:
    (root / "a.js").write_text(TEXT, encoding="utf-8")
    return fix_parity.Job(
        root=str(root),
        file="a.js",
        eslint_messages={"curly": [(1, 24, fix)]},
        eslint_outputs={"curly": output} if output is not None else {},
        rule_ids=("curly",),
        fixable=frozenset({"curly"}),
        out_dir=str(root / "out"),
    )


def test_eslint_fix_ranges_count_utf16_units() -> None:
    assert eslint_fixes.apply_eslint_fix(TEXT, ESLINT_FIX) == ESLINT_OUTPUT


def test_matching_fix_and_output(tmp_path: Path) -> None:
    result = fix_parity.check_file(_job(tmp_path, ESLINT_FIX, ESLINT_OUTPUT))
    assert [fix.kind for fix in result.fixes] == ["same"]
    assert [(o.rule, o.unsafe_match, o.safe_match) for o in result.outputs] == [("curly", True, True)]
    assert result.safe_all_changed and not result.new_syntax_errors
    assert (tmp_path / "out" / "a.js").read_text(encoding="utf-8") == ESLINT_OUTPUT


@pytest.mark.parametrize(
    ("fix", "output", "kind"),
    [
        ({"range": [23, 28], "text": "{ go(); }"}, 'const s = "😀"; if (s) { go(); }\n', "different"),
        (None, None, "thea-only"),
    ],
)
def test_disagreements_are_caught(tmp_path: Path, fix: dict | None, output: str | None, kind: str) -> None:
    result = fix_parity.check_file(_job(tmp_path, fix, output))
    assert [f.kind for f in result.fixes] == [kind]
    assert [o.unsafe_match for o in result.outputs] == [False]
    if kind == "different":
        assert "{ go(); }" in result.fixes[0].eslint and "{go();}" in result.fixes[0].thea
