"""`thea check` on the fixture project against golden outputs, one per format.

Regenerate after an intended change with `THEA_UPDATE_GOLDEN=1 pytest tests/batch/test_golden.py`
and review the diff. Absolute paths are normalised to <ROOT>.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.batch.conftest import GOLDEN, normalise, run_cli

UPDATE = os.environ.get("THEA_UPDATE_GOLDEN") == "1"

# golden file -> (arguments, exit code)
CASES = {
    "stylish.txt": (["check", "--no-color"], 1),
    "json.json": (["check", "--format", "json"], 1),
    "sarif.json": (["check", "--format", "sarif"], 1),
    # every error has an unsafe fix: only the warning is left, so exit code 0
    "fix-dry-run-unsafe.json": (["check", "--format", "json", "--fix-dry-run", "--unsafe-fixes"], 0),
    "quiet.txt": (["check", "--quiet", "--no-color", "src"], 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output(name: str, project: Path) -> None:
    arguments, code = CASES[name]
    completed = run_cli(*arguments, cwd=project)
    assert completed.code == code, completed.stderr
    got = normalise(completed.stdout, project)
    if name.endswith(".json"):  # stable layout for readable diffs
        got = json.dumps(json.loads(got), indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / name
    if UPDATE or not golden.exists():
        golden.write_text(got, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{golden} did not exist; written now, review it and re-run")
    assert got == golden.read_text(encoding="utf-8"), f"output differs from {golden} (THEA_UPDATE_GOLDEN=1 to accept)"


def test_output_file_matches_stdout(project: Path) -> None:
    to_stdout = run_cli("check", "--format", "json", cwd=project)
    to_file = run_cli("check", "--format", "json", "-o", "out/report.json", cwd=project)
    assert to_file.code == to_stdout.code == 1
    assert to_file.stdout == ""
    assert json.loads((project / "out" / "report.json").read_text()) == json.loads(to_stdout.stdout)


def test_color_only_when_asked_or_on_a_terminal(project: Path) -> None:
    plain = run_cli("check", cwd=project)  # stdout is a pipe here
    forced = run_cli("check", "--color", cwd=project)
    assert "\x1b[" not in plain.stdout
    assert "\x1b[31merror\x1b[0m" in forced.stdout
    assert plain.stdout.splitlines()[-1] == "  3 more problems with an unsafe fix, applied by `--fix --unsafe-fixes` (review the changes)."
