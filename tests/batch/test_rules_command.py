"""`thea rules`: the listing, its JSON form, and the generated documentation pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.docs import GENERATED_MARK, index_page, rule_page, write_docs
from engine.rules import all_rules
from tests.batch.conftest import REPO

RULES = sorted(all_rules().values(), key=lambda rule: rule.id)


def test_listing_names_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "type", "fixable", "recommended", "description"]
    assert [line.split()[0] for line in lines[1:]] == [rule.id for rule in RULES]


def test_json_listing_has_the_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in items] == [rule.id for rule in RULES]
    for item, rule in zip(items, RULES):
        assert (item["type"], item["fixable"], item["recommended"], item["description"]) == (
            rule.meta.type,
            rule.meta.fixable,
            rule.meta.recommended,
            rule.meta.description,
        )


def test_docs_pages_carry_metadata_and_the_docstring(tmp_path: Path) -> None:
    stale = tmp_path / "removed-rule.md"
    stale.write_text(GENERATED_MARK + " `engine/rules/removed_rule.py`. -->\n")
    handwritten = tmp_path / "notes.md"
    handwritten.write_text("# kept\n")
    assert main(["rules", "--docs", str(tmp_path)]) == 0
    assert not stale.exists() and handwritten.exists()
    eqeqeq = (tmp_path / "eqeqeq.md").read_text()
    assert eqeqeq.startswith(GENERATED_MARK)
    for expected in ("# eqeqeq", "| Fixable | always |", "## What it does", "## Fix safety", "`unexpected`"):
        assert expected in eqeqeq
    index = (tmp_path / "README.md").read_text()
    assert all(f"[{rule.id}]({rule.id}.md)" in index for rule in RULES)
    assert write_docs(tmp_path, RULES) == []  # a second run changes nothing


def test_committed_docs_are_up_to_date() -> None:
    directory = REPO / "docs" / "rules"
    stale = [rule.id for rule in RULES if not (directory / f"{rule.id}.md").exists()
             or (directory / f"{rule.id}.md").read_text(encoding="utf-8") != rule_page(rule)]
    if (directory / "README.md").read_text(encoding="utf-8") != index_page(RULES):
        stale.append("README.md")
    assert not stale, f"docs/rules is out of date for {stale}: run `python -m engine.cli rules --docs docs/rules`"
