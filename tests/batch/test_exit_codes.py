"""Exit codes as ESLint's: 0 clean, 1 problems (or too many warnings), 2 usage or config errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from tests.batch.conftest import run_cli


def test_clean_files_exit_0(project: Path) -> None:
    completed = run_cli("check", "src/clean.js", cwd=project)
    assert (completed.code, completed.stdout, completed.stderr) == (0, "", "")


def test_errors_exit_1(project: Path) -> None:
    assert run_cli("check", cwd=project).code == 1


def test_default_path_is_the_working_directory(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert main(["check", "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "src/app.js" in out and "lib/util.mjs" in out


def test_warnings_only_exit_0_unless_over_max_warnings(project: Path) -> None:
    (project / "warn.js").write_text("debugger;\n")
    assert run_cli("check", "warn.js", cwd=project).code == 0
    assert run_cli("check", "warn.js", "--max-warnings", "1", cwd=project).code == 0
    over = run_cli("check", "warn.js", "--max-warnings", "0", cwd=project)
    assert over.code == 1
    assert "too many warnings (maximum: 0)" in over.stderr


def test_quiet_drops_warnings(project: Path) -> None:
    (project / "warn.js").write_text("debugger;\n")
    completed = run_cli("check", "warn.js", "--quiet", "--max-warnings", "0", cwd=project)
    assert (completed.code, completed.stdout) == (0, "")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--rule", "eqeqeq: [error, sometimes]"], "rules.eqeqeq"),
        (["--rule", "no-such-rule: error"], "unknown rule"),
        (["--rule", "eqeqeq: [error"], "--rule"),
        (["--fix", "--fix-dry-run"], "cannot be used together"),
        (["--unsafe-fixes"], "--unsafe-fixes only applies with --fix"),
        (["--confidence", "1.5"], "confidence"),
        (["--workers", "0"], "workers"),
        (["--max-file-size", "lots"], "--max-file-size"),
        (["--max-warnings", "-5"], "--max-warnings"),
    ],
)
def test_usage_errors_exit_2(arguments: list[str], expected: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert main(["check", *arguments]) == 2
    captured = capsys.readouterr()
    assert expected in captured.err
    assert captured.out == ""


def test_unknown_option_and_format_exit_2(project: Path) -> None:
    assert run_cli("check", "--no-such-flag", cwd=project).code == 2
    assert run_cli("check", "--format", "xml", cwd=project).code == 2
    assert run_cli(cwd=project).code == 2  # no command


def test_broken_config_exits_2_naming_the_file_and_key(project: Path) -> None:
    (project / ".thea.toml").write_text('[rules]\neqeqeq = "loud"\n')
    completed = run_cli("check", cwd=project)
    assert completed.code == 2
    assert ".thea.toml" in completed.stderr and "rules.eqeqeq" in completed.stderr
    assert completed.stdout == ""


def test_rule_flag_changes_severity_and_options(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "null.js").write_text("if (a == null) {}\nif (b == c) {}\n")
    assert main(["check", "null.js", "--format", "json", "--rule", "eqeqeq: [warn, smart]"]) == 0
    out = capsys.readouterr().out
    assert '"line":2' in out and '"line":1' not in out and '"severity":1' in out
    assert main(["check", "null.js", "--rule", '{"eqeqeq": "off"}']) == 0


def test_ml_without_a_loadable_detector_exits_2(project: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-model"
    completed = run_cli("check", "--ml", cwd=project, env={"THEA_MODEL_PATH": str(missing)})
    assert completed.code == 2
    assert "--ml needs the ML detector" in completed.stderr and str(missing) in completed.stderr
    assert "set THEA_MODEL_PATH or [model] path" in completed.stderr
    assert completed.stdout == ""


def test_preset_production_warns_when_the_detector_cannot_load(project: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-model"
    completed = run_cli("check", "src/clean.js", "--config", "production", cwd=project, env={"THEA_MODEL_PATH": str(missing)})
    assert completed.code == 0
    assert "turns the ML detector on" in completed.stderr and "only the pattern rules ran" in completed.stderr


def test_file_and_directory_flags_add_paths(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert main(["check", "--format", "json", "--file", "src/clean.js", "--directory", "lib"]) == 1
    names = [Path(result["filePath"]).name for result in json.loads(capsys.readouterr().out)]
    assert names == ["util.mjs", "clean.js"]
