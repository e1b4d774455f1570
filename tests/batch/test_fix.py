"""`--fix`, `--unsafe-fixes` and `--fix-dry-run` through the real CLI: what is written, how, and
what is left alone."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from tests.batch.conftest import run_cli

APP_SAFE = (
    'const label = "😀 party";\n'
    'if (typeof label === "string") { render(label); }\n'
    "function same(a, b) {\n"
    "  return a == b;\n"
    "}\n"
    'const greeting = "👋"; if (greeting != null) { debugger; }\n'
)


def _state(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def test_fix_applies_safe_fixes_only_and_reports_what_is_left(project: Path) -> None:
    completed = run_cli("check", "--fix", "--format", "json", "src", cwd=project)
    assert completed.code == 1  # unsafe `==` are left: still errors
    assert (project / "src/app.js").read_text(encoding="utf-8") == APP_SAFE
    results = {Path(result["filePath"]).name: result for result in json.loads(completed.stdout)}
    app = results["app.js"]
    assert app["output"] == APP_SAFE and "source" not in app
    assert [m["line"] for m in app["messages"]] == [4, 6, 6]  # positions in the fixed text


def test_fix_is_atomic_keeps_the_mode_and_leaves_no_temporary_file(project: Path) -> None:
    app = project / "src/app.js"
    os.chmod(app, 0o640)
    inode = app.stat().st_ino
    assert run_cli("check", "--fix", "src", cwd=project).code == 1
    assert app.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert stat.S_IMODE(app.stat().st_mode) == 0o640
    assert sorted(p.name for p in (project / "src").iterdir()) == ["app.js", "clean.js"]


def test_fix_is_idempotent_and_does_not_touch_unchanged_files(project: Path) -> None:
    clean, app = project / "src/clean.js", project / "src/app.js"
    clean_before = _state(clean)
    assert run_cli("check", "--fix", "src", cwd=project).code == 1
    assert _state(clean) == clean_before  # nothing to fix: not rewritten, mtime kept
    app_after_first = _state(app)
    second = run_cli("check", "--fix", "--format", "json", "src", cwd=project)
    assert second.code == 1
    assert _state(app) == app_after_first  # a second run changes nothing
    assert all("output" not in result for result in json.loads(second.stdout))


def test_unsafe_fixes_apply_with_fix(project: Path) -> None:
    completed = run_cli("check", "--fix", "--unsafe-fixes", "src", cwd=project)
    assert completed.code == 0  # only the no-debugger warning is left
    text = (project / "src/app.js").read_text(encoding="utf-8")
    assert "a === b" in text and "greeting !== null" in text and " == " not in text
    assert "debugger" in text  # a display-only suggestion is never applied


def test_fix_dry_run_writes_nothing_and_reports_the_output(project: Path) -> None:
    before = {path: _state(path) for path in project.rglob("*.*js")}
    completed = run_cli("check", "--fix-dry-run", "--format", "json", cwd=project)
    assert {path: _state(path) for path in project.rglob("*.*js")} == before
    results = {Path(result["filePath"]).name: result for result in json.loads(completed.stdout)}
    assert results["app.js"]["output"] == APP_SAFE
    assert "output" not in results["clean.js"]


def test_fix_keeps_crlf_and_a_utf8_bom(project: Path) -> None:
    target = project / "crlf.js"
    target.write_bytes(b"\xef\xbb\xbfif (typeof a == 'x') {}\r\nlet b = 1;\r\n")
    assert run_cli("check", "--fix", "crlf.js", cwd=project).code == 0
    assert target.read_bytes() == b"\xef\xbb\xbfif (typeof a === 'x') {}\r\nlet b = 1;\r\n"


def test_fix_keeps_utf16(project: Path) -> None:
    target = project / "wide.js"
    text = "// ünïcode 😀\nif (typeof a == 'x') {}\n"
    target.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    completed = run_cli("check", "--fix", "--format", "json", "wide.js", cwd=project)
    assert completed.code == 0, completed.stdout
    assert target.read_bytes() == b"\xff\xfe" + text.replace("==", "===").encode("utf-16-le")
