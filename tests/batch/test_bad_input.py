"""Files that cannot be linted: each is a fatal message (ruleId null), the run goes on, nothing is
written, and the exit code is 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine import batch
from engine.batch import BatchOptions, run_batch
from engine.config import Overrides
from engine.fix import writer
from engine.fix.edit import Applicability
from engine.parse.source import Source
from engine.report.model import FileReport
from tests.batch.conftest import run_cli

GOOD = "if (x == 1) {}\n"


def _check_json(project: Path, *paths: str, extra: tuple[str, ...] = ()) -> tuple[int, dict[str, dict], str]:
    completed = run_cli("check", "--format", "json", *extra, *paths, cwd=project)
    results = {os.path.relpath(result["filePath"], project): result for result in json.loads(completed.stdout)}
    return completed.code, results, completed.stderr


def _fatal(result: dict) -> dict:
    (message,) = result["messages"]
    assert message["fatal"] is True and message["ruleId"] is None and message["severity"] == 2
    assert result["fatalErrorCount"] == 1 and result["errorCount"] == 1
    return message


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def bad(project: Path) -> Path:
    folder = project / "bad"
    folder.mkdir()
    (folder / "good.js").write_text(GOOD)
    return folder


def test_binary_file(project: Path, bad: Path) -> None:
    (bad / "image.js").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    before = _snapshot(project)
    code, results, stderr = _check_json(project, "bad", extra=("--fix",))
    assert code == 1
    assert "binary file" in _fatal(results["bad/image.js"])["message"]
    assert results["bad/good.js"]["messages"][0]["ruleId"] == "eqeqeq"  # the run went on
    assert "image.js" in stderr
    assert _snapshot(project) == before  # eqeqeq's fix here is unsafe: nothing to write anywhere


def test_invalid_utf8(project: Path, bad: Path) -> None:
    (bad / "latin1.js").write_bytes("var s = 'caf\xe9';\n".encode("latin-1"))
    code, results, _ = _check_json(project, "bad")
    assert code == 1
    assert "not valid UTF-8" in _fatal(results["bad/latin1.js"])["message"]
    assert results["bad/good.js"]["errorCount"] == 1


def test_big_minified_bundle_is_skipped(project: Path, bad: Path) -> None:
    bundle = bad / "bundle.min.js"
    statement = "var a=1;if(a==2){a=3}"
    bundle.write_text(statement * (10 * 1024 * 1024 // len(statement)))  # 10 MB on one line
    code, results, _ = _check_json(project, "bad")
    assert code == 1
    message = _fatal(results["bad/bundle.min.js"])["message"]
    assert "max-file-size" in message and "skipped" in message
    assert results["bad/good.js"]["errorCount"] == 1


def test_a_raised_size_limit_lints_the_big_file(project: Path, bad: Path) -> None:
    bundle = bad / "bundle.min.js"
    bundle.write_text('var a="' + "x" * (1536 * 1024) + '";if(a==2){}')  # 1.5 MiB, over the 1 MiB default
    assert _fatal(_check_json(project, "bad/bundle.min.js")[1]["bad/bundle.min.js"])
    for how in (("--max-file-size", "2MiB"), ("--max-file-size", str(2 * 1024 * 1024))):
        code, results, _ = _check_json(project, "bad/bundle.min.js", extra=how)
        assert (code, results["bad/bundle.min.js"]["errorCount"]) == (1, 1)
    (project / ".thea.toml").write_text('extends = "none"\nmax-file-size = "2MiB"\n[rules]\neqeqeq = "error"\n')
    code, results, _ = _check_json(project, "bad/bundle.min.js")
    assert (code, results["bad/bundle.min.js"]["fatalErrorCount"], results["bad/bundle.min.js"]["errorCount"]) == (1, 0, 1)


def test_symlink_loop(project: Path, bad: Path) -> None:
    os.symlink("loop-b.js", bad / "loop-a.js")
    os.symlink("loop-a.js", bad / "loop-b.js")
    code, results, _ = _check_json(project, "bad", "bad/loop-a.js")
    assert code == 1
    assert "symlink loop" in _fatal(results["bad/loop-a.js"])["message"].lower()
    assert "symlink loop" in _fatal(results["bad/loop-b.js"])["message"].lower()
    assert results["bad/good.js"]["errorCount"] == 1


def test_directory_symlink_loop_is_not_followed_forever(project: Path, bad: Path) -> None:
    os.symlink("..", bad / "parent")
    code, results, _ = _check_json(project, "bad")
    assert code == 1
    assert results["bad/good.js"]["errorCount"] == 1
    assert "symlink loop" in _fatal(results["bad/parent"])["message"].lower()


def test_path_that_does_not_exist(project: Path, bad: Path) -> None:
    code, results, stderr = _check_json(project, "missing.js", "bad")
    assert code == 1
    assert "no such file" in _fatal(results["missing.js"])["message"].lower()
    assert results["bad/good.js"]["errorCount"] == 1
    assert "missing.js" in stderr


def test_named_non_javascript_file_is_a_warning(project: Path) -> None:
    (project / "notes.txt").write_text("hello")
    code, results, _ = _check_json(project, "notes.txt", "src/clean.js")
    assert code == 0
    (message,) = results["notes.txt"]["messages"]
    assert message["severity"] == 1 and "not a JavaScript file" in message["message"]


def test_file_deleted_mid_run(project: Path, bad: Path) -> None:
    second = bad / "later.js"
    second.write_text(GOOD)
    deleted: list[str] = []

    def delete_the_next_file(report: FileReport, total: int) -> None:
        if not deleted:  # the serial run lints lazily: `later.js` is read after this
            second.unlink()
            deleted.append(report.path)

    result = run_batch([str(bad)], Overrides(), BatchOptions(workers=1), environ={}, on_file=delete_the_next_file)
    by_name = {Path(report.path).name: report for report in result.reports}
    assert deleted == [str(bad / "good.js")]
    assert by_name["good.js"].error_count == 1
    (message,) = by_name["later.js"].messages
    assert message.fatal and "deleted" in message.message


def test_file_changed_on_disk_before_the_write_is_not_overwritten(
    project: Path, bad: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real race is narrow: another program edits the file between Thea's read and its
    # write. The real writer runs; the edit is made just before it.
    target = bad / "fixme.js"
    target.write_text("if (typeof x == 'string') {}\n")
    edited = "// edited by someone else\nif (typeof x == 'string') {}\n"

    def edit_then_write(snapshot: writer.Snapshot, source: Source) -> writer.WriteOutcome:
        target.write_text(edited)
        return writer.write_fixed(snapshot, source)

    monkeypatch.setattr(batch, "write_fixed", edit_then_write)
    result = batch.run_batch([str(target)], Overrides(), BatchOptions(fix=Applicability.SAFE, workers=1), environ={})
    (report,) = result.reports
    assert report.write_status == "changed-on-disk"
    assert any(m.fatal and "changed on disk" in m.message for m in report.messages)
    assert report.output is None
    assert target.read_text() == edited
