"""Latency from didChange to publishDiagnostics over stdio, against ESLint's warm lintText.

For corpus files of about 100, 1,000 and 4,300 lines: the real server (`python -m thea_lsp`,
debounce 0 via initializationOptions) gets 100 edits (plus warm-up), each a space typed at
the start of a line or deleted again, and each edit waits for its version's diagnostics.
Thea's time runs from writing the didChange to having read and parsed the
publishDiagnostics of that version (so it includes JSON-RPC both ways and the pipe, but not
the benchmark client's own task wake-up); ESLint's is its `lintText` call alone.
ESLint 10 (Node API, `lintText`, warm, in a Node child process) lints the same sequence of
texts in the same run, alternating with Thea edit by edit (both see the same machine load),
with the same rules: every Thea rule that is an ESLint equivalent, at "error".

    .venv/bin/python benchmarks/lsp_latency.py [--edits 100] [--files a.js b.js ...]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shlex
import statistics
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
PAUSE_S = 0.05
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
    for line in re.findall(r"[^\r\n]*(?:\r\n|\r|\n)", text):  # LSP's line breaks only
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


class EslintProcess:
    """A warm ESLint (Node API) in a child process, driven one edit at a time."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> EslintProcess:
        process = await asyncio.create_subprocess_exec(
            "node",
            str(REPO / "benchmarks" / "eslint_lint_text.mjs"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=REPO,
            limit=16 * 1024 * 1024,
        )
        return cls(process)

    async def call(self, message: object) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError("the ESLint process ended")
        return json.loads(line)

    async def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.wait()


async def thea_open(client: StdioClient, uri: str, text: str) -> int:
    opened = client.expect("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == 1)
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}}
    )
    return len((await asyncio.wait_for(opened, 120))["diagnostics"])


async def thea_edit(client: StdioClient, uri: str, version: int, line: int, kind: str) -> float:
    """Milliseconds from sending the change to receiving this version's diagnostics."""
    end = 0 if kind == "insert" else 1
    change = {
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": end}},
        "text": " " if kind == "insert" else "",
    }
    expected = client.expect("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == version)
    started = time.perf_counter()
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
    await asyncio.wait_for(expected, 120)
    return (client.received(expected) - started) * 1000


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=100, help="measured edits per file (default 100)")
    parser.add_argument("--files", nargs="*", default=list(DEFAULT_FILES), help="paths under the corpus")
    parser.add_argument("--debounce-ms", type=int, default=0)
    parser.add_argument("--server", help="the server's command line (default: this Python, -m thea_lsp)")
    parser.add_argument(
        "--blocks", action="store_true", help="all Thea edits of a file, then all ESLint ones (default: alternate)"
    )
    args = parser.parse_args(argv)

    rules = sorted(rule.id for rule in all_rules().values() if rule.meta.eslint_equivalent)
    print_flush(f"rules ({len(rules)}): {', '.join(rules)}")
    workspace = Path(tempfile.mkdtemp(prefix="thea-latency-"))
    (workspace / ".thea.toml").write_text('extends = "none"\n[rules]\n' + "".join(f'{rule} = "error"\n' for rule in rules))

    server = shlex.split(args.server) if args.server else [sys.executable, "-m", "thea_lsp"]
    client = await StdioClient.start([*server, "--stdio"], cwd=str(REPO))
    # a server that dies while starting never answers: fail instead of waiting forever
    await asyncio.wait_for(client.initialize(workspace.as_uri(), {"thea": {"server": {"debounceMs": args.debounce_ms}}}), 60)
    eslint = await EslintProcess.start()
    rows = []
    try:
        for number, relative in enumerate(args.files):
            source = CORPUS / relative
            text = source.read_text(encoding="utf-8")
            target = workspace / source.name
            plan = edit_plan(text, args.edits + WARMUP, seed=len(text))
            setup = {"text": text, "filePath": str(target)} | ({"rules": rules} if number == 0 else {})
            eslint_info = await eslint.call(setup)
            thea_findings = await thea_open(client, target.as_uri(), text)
            thea_times: list[float] = []
            eslint_times: list[float] = []
            edits = list(zip(plan, eslint_edits(text, plan)))
            for index, ((line, kind), edit) in enumerate(edits):
                # a pause lets the other process's background work (Node's GC and JIT threads)
                # settle, as between keystrokes, so that neither measures the other's tail
                await asyncio.sleep(PAUSE_S)
                thea_ms = await thea_edit(client, target.as_uri(), index + 2, line, kind)
                if index >= WARMUP:
                    thea_times.append(thea_ms)
                if not args.blocks:
                    await asyncio.sleep(PAUSE_S)
                    eslint_ms = (await eslint.call(list(edit)))["ms"]
                    if index >= WARMUP:
                        eslint_times.append(eslint_ms)
            for index, (_, edit) in enumerate(edits if args.blocks else ()):
                await asyncio.sleep(PAUSE_S)
                eslint_ms = (await eslint.call(list(edit)))["ms"]
                if index >= WARMUP:
                    eslint_times.append(eslint_ms)
            client.notify("textDocument/didClose", {"textDocument": {"uri": target.as_uri()}})
            rows.append((relative, text.count("\n"), thea_times, thea_findings, eslint_times, eslint_info))
    finally:
        await client.close()
        await eslint.close()

    version = rows[0][5]["eslint"] if rows else "?"
    mode = "blocks" if args.blocks else "alternating"
    print_flush(f"\nESLint {version}, {args.edits} edits per file ({mode}), debounce {args.debounce_ms} ms")
    header = f"{'file':34} {'lines':>6} {'Thea p50':>9} {'p95':>7} {'ESLint p50':>11} {'p95':>7} {'p95 ratio':>10}  findings T/E"
    print_flush(header)
    failed = False
    for relative, lines, thea, findings, eslint_times, info in rows:
        ratio = percentile(thea, 0.95) / percentile(eslint_times, 0.95)
        failed |= ratio > TARGET_RATIO
        print_flush(
            f"{relative:34} {lines:>6} {statistics.median(thea):>7.2f}ms {percentile(thea, 0.95):>5.2f}ms "
            f"{statistics.median(eslint_times):>9.2f}ms {percentile(eslint_times, 0.95):>5.2f}ms {ratio:>10.2f}  "
            f"{findings}/{info['problems']}"
        )
    print_flush(f"target: Thea p95 <= {TARGET_RATIO} x ESLint p95 at each size: {'met' if not failed else 'NOT met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
