"""The bundled example project shows real findings and real safe and unsafe fixes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.batch.conftest import REPO, run_cli

EXAMPLES = REPO / "examples"


def _problems(report: list[dict]) -> dict[str, set[str]]:
    return {Path(r["filePath"]).name: {m["ruleId"] for m in r["messages"]} for r in report}


def test_examples_have_findings_of_several_rules() -> None:
    completed = run_cli("check", "--format", "json", "examples", cwd=REPO)
    assert completed.code == 1
    found = _problems(json.loads(completed.stdout))
    assert set(found) == {"cart.js", "format.mjs", "server.js"}
    assert {"eqeqeq", "no-debugger", "dot-notation"} <= found["cart.js"]
    assert {"no-cond-assign", "no-useless-catch", "no-console"} <= found["server.js"]


def test_examples_fix_safely_then_unsafely(tmp_path: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    cart = project / "src" / "cart.js"
    before = cart.read_text()
    run_cli("check", "--fix", ".", cwd=project)
    safe = cart.read_text()
    assert 'typeof item.quantity === "undefined"' in safe and "TAX_RATES.standard" in safe
    assert "item.id == id" in safe  # unsafe: `id` may be a string
    run_cli("check", "--fix", "--unsafe-fixes", ".", cwd=project)
    assert "item.id === id" in cart.read_text()
    assert before != safe
