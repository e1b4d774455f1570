"""Latency from didChange to publishDiagnostics over stdio, against ESLint's warm lintText.

For corpus files of about 100, 1,000 and 4,300 lines: the real server (`python -m thea_lsp`,
debounce 0 via initializationOptions) gets 100 edits (plus warm-up), each a space typed at
the start of a line or deleted again, and each edit waits for its version's diagnostics.
ESLint 10 (Node API, `lintText`, warm) lints the same sequence of texts in the same run,
with the same rules: every Thea rule that is an ESLint equivalent, at "error".

    .venv/bin/python benchmarks/lsp_latency.py [--edits 100] [--files a.js b.js ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from lsp_client import StdioClient, print_flush  # noqa: E402

from engine.rules import all_rules  # noqa: E402

CORPUS = REPO / ".cache" / "corpus" / "corpus"
DEFAULT_FILES = (
    "mocha/lib/reporters/doc.js",  # 100 lines
    "node-forge/lib/cipherModes.js",  # 1,027 lines
    "node-forge/lib/tls.js",  # 4,347 lines
)
WARMUP = 10
TARGET_RATIO = 0.5


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def edit_plan(text: str, count: int, seed: int) -> list[tuple[int, str]]:
    """(line, "insert" | "delete") pairs: a space typed at a line start, then removed."""
    rng = random.Random(seed)
    lines = text.count("\n")
    plan: list[tuple[int, str]] = []
    while len(plan) < count:
        line = rng.randrange(max(1, lines))
        plan += [(line, "insert"), (line, "delete")]
    return plan[:count]


def eslint_edits(text: str, plan: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """The plan as UTF-16 offsets into the (changing) JavaScript string."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line.encode("utf-16-le")) // 2)
    edits = []
    inserted: set[int] = set()
    for line, kind in plan:
        # an inserted space shifts later line starts by one until it is deleted again
        shift = sum(1 for other in inserted if other < line)
        offset = starts[line] + shift
        if kind == "insert":
            edits.append((offset, 0, " "))
            inserted.add(line)
        else:
            edits.append((offset, 1, ""))
            inserted.discard(line)
    return edits


def run_eslint(path: Path, text: str, rules: list[str], edits: list[tuple[int, int, str]]) -> dict:
    payload = json.dumps({"text": text, "filePath": str(path), "rules": rules, "edits": edits, "warmup": WARMUP})
    completed = subprocess.run(
        ["node", str(REPO / "benchmarks" / "eslint_lint_text.mjs")],
        input=payload,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.loads(completed.stdout)


async def run_thea(client: StdioClient, uri: str, text: str, plan: list[tuple[int, str]]) -> tuple[list[float], int]:
    opened = client.expect("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == 1)
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}}
    )
    first = await asyncio.wait_for(opened, 60)
    times: list[float] = []
    version = 1
    for index, (line, kind) in enumerate(plan):
        version += 1
        end = 0 if kind == "insert" else 1
        change = {
            "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": end}},
            "text": " " if kind == "insert" else "",
        }
        expected = client.expect(
            "textDocument/publishDiagnostics", lambda p, v=version: p["uri"] == uri and p.get("version") == v
        )
        started = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        await asyncio.wait_for(expected, 60)
        if index >= WARMUP:
            times.append((time.perf_counter() - started) * 1000)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    return times, len(first["diagnostics"])


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=100, help="measured edits per file (default 100)")
    parser.add_argument("--files", nargs="*", default=list(DEFAULT_FILES), help="paths under the corpus")
    parser.add_argument("--debounce-ms", type=int, default=0)
    args = parser.parse_args(argv)

    rules = sorted(rule.id for rule in all_rules().values() if rule.meta.eslint_equivalent)
    print_flush(f"rules ({len(rules)}): {', '.join(rules)}")
    workspace = Path(tempfile.mkdtemp(prefix="thea-latency-"))
    (workspace / ".thea.toml").write_text('extends = "none"\n[rules]\n' + "".join(f'{rule} = "error"\n' for rule in rules))

    client = await StdioClient.start([sys.executable, "-m", "thea_lsp", "--stdio"], cwd=str(REPO))
    await client.initialize(workspace.as_uri(), {"thea": {"server": {"debounceMs": args.debounce_ms}}})
    rows = []
    try:
        for relative in args.files:
            source = CORPUS / relative
            text = source.read_text(encoding="utf-8")
            target = workspace / source.name
            plan = edit_plan(text, args.edits + WARMUP, seed=len(text))
            thea, thea_findings = await run_thea(client, target.as_uri(), text, plan)
            eslint = run_eslint(target, text, rules, eslint_edits(text, plan))
            rows.append((relative, text.count("\n"), thea, thea_findings, eslint))
    finally:
        await client.close()

    print_flush(f"\nESLint {rows[0][4]['eslint'] if rows else '?'}, {args.edits} edits per file, debounce {args.debounce_ms} ms")
    header = f"{'file':34} {'lines':>6} {'Thea p50':>9} {'p95':>7} {'ESLint p50':>11} {'p95':>7} {'p95 ratio':>10}  findings T/E"
    print_flush(header)
    failed = False
    for relative, lines, thea, findings, eslint in rows:
        e = eslint["times_ms"]
        ratio = percentile(thea, 0.95) / percentile(e, 0.95)
        failed |= ratio > TARGET_RATIO
        print_flush(
            f"{relative:34} {lines:>6} {statistics.median(thea):>7.2f}ms {percentile(thea, 0.95):>5.2f}ms "
            f"{statistics.median(e):>9.2f}ms {percentile(e, 0.95):>5.2f}ms {ratio:>10.2f}  {findings}/{eslint['problems']}"
        )
    print_flush(f"target: Thea p95 <= {TARGET_RATIO} x ESLint p95 at each size: {'met' if not failed else 'NOT met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
