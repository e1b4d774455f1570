"""`thea eval --files`: the shipped detector measured on the user's own JavaScript, with the
same table as for the held-out split, and the same mutants wherever the tree lies."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from engine.cli import main
from engine.model.detector import DEFAULT_MODEL
from engine.model.evaluate import _operating_table, _size_table, _table

FIXTURES = Path(__file__).parent / "fixtures"


def _evaluate(paths: list[Path], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["eval", "--model", str(DEFAULT_MODEL), "--files", *map(str, paths)]) == 0
    return capsys.readouterr().out


@pytest.mark.skipif(not (DEFAULT_MODEL / "model.safetensors").exists(), reason="no shipped checkpoint")
def test_eval_on_given_files_prints_the_table_and_draws_the_same_mutants_anywhere(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    here = _evaluate([FIXTURES], capsys)
    assert "all injected" in here and "no-bug accuracy on clean files" in here
    assert "documents from 4 given files" in here
    assert "by document size (candidate sites; injected bugs only)" in here
    assert "reported: a finding at the bug's site at or above the threshold" in here
    assert "at other thresholds (* the default)" in here
    elsewhere = tmp_path / "deep" / "copy"
    shutil.copytree(FIXTURES, elsewhere)
    (elsewhere / "notes.txt").write_text("not JavaScript\n")
    there = _evaluate([elsewhere], capsys)
    # the mutants are seeded by each file's path below the files' common directory: the same
    # table (the timing line aside) for the same tree in another place
    assert here.splitlines()[:-1] == there.splitlines()[:-1]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--files", "{tmp}/prose", "--card"], "--card records the held-out split of the corpus; it does not go with --files"),
    (["--files", "{tmp}/prose"], "--files: no JavaScript files of at most 200,000 bytes there"),
    (["--files", "{tmp}/broken"], "--files: {tmp}/broken/.thea.toml: invalid TOML"),
])
def test_eval_files_usage_errors(arguments: list[str], message: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "prose").mkdir()
    (tmp_path / "prose" / "readme.txt").write_text("no code here\n")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / ".thea.toml").write_text("rules = [\n")
    (tmp_path / "broken" / "code.js").write_text("let a = 1;\n")
    with pytest.raises(SystemExit) as exited:
        main(["eval", *(argument.replace("{tmp}", str(tmp_path)) for argument in arguments)])
    assert exited.value.code == 2
    assert message.replace("{tmp}", str(tmp_path)) in capsys.readouterr().err


def test_size_table_bins_documents_by_their_candidate_sites() -> None:
    entries = [(1, True, True, True), (25, False, True, False), (26, False, False, False), (400, True, True, False),
               (401, False, True, False), (1601, False, False, False), (5000, True, True, True)]
    rows = {line.split()[0]: line.split()[1:] for line in _size_table(entries).splitlines()[3:]}
    assert rows == {"1-25": ["2", "50.0%", "100.0%", "50.0%"], "26-100": ["1", "0.0%", "0.0%", "0.0%"],
                    "101-400": ["1", "100.0%", "100.0%", "0.0%"], "401-1600": ["1", "0.0%", "100.0%", "0.0%"],
                    "1601+": ["2", "50.0%", "50.0%", "50.0%"]}


def test_table_gives_the_recall_at_the_threshold_beside_the_alarms_and_the_files_they_came_from() -> None:
    located = defaultdict(list, {"off-by-one": [True, True, False, False], "negation": [True, False]})
    reported = defaultdict(list, {"off-by-one": [True, False, False, False], "negation": [False, False]})
    table = _table(located, located, located, located, reported, [True, False], 3, 2000, 2, [(0.9, True)], 0.7)
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[1:8]}
    assert rows["off-by-one"] == ["4", "50.0%", "50.0%", "50.0%", "50.0%", "25.0%"]
    assert rows["negation"][-1] == "0.0%" and rows["all"][-1] == "16.7%"
    assert "3 in 2000 clean lines = 1.500 per 1,000 lines (95% upper bound 3.877, from 2 files)" in table
    one = _table(located, located, located, located, reported, [True], 1, 2000, 1, [], 0.7)
    assert "upper bound 2.372, from 1 file)" in one
    assert "(95% upper bound 1.498)" in _table(located, located, located, located, reported, [True], 0, 2000, 0, [], 0.7)


def test_operating_table_gives_reported_bugs_and_false_alarms_at_each_threshold_with_the_default_marked() -> None:
    undoing = [0.95, 0.75, 0.62, 0.0]  # the confidence of the finding that undoes each bug, 0 for none
    clean = [0.91, 0.55, 0.3]  # every finding on 2,000 clean lines
    table = _operating_table(undoing, clean, 2000, 0.655)
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[3:]}
    assert list(rows) == ["0.50", "0.60", "0.655*", "0.70", "0.80", "0.90"]
    assert rows["0.50"] == ["75.0%", "2", "1.000", "3.148"]
    assert rows["0.655*"] == ["50.0%", "1", "0.500", "2.372"]
    assert rows["0.90"] == ["25.0%", "1", "0.500", "2.372"]
    assert [line.split()[0] for line in _operating_table(undoing, clean, 2000, 0.6).splitlines()[3:]] \
        == ["0.50", "0.60*", "0.70", "0.80", "0.90"], "a default among the usual points is marked, not repeated"
    assert "0.000" in _operating_table(undoing, [], 0, 0.6), "no clean lines: no rate, no error"
