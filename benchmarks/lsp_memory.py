"""Resident memory of the language server after opening 50 corpus files.

Starts the real server over stdio, initializes, opens 50 JavaScript files of the corpus
(spread over its size range, or with --largest its largest ones, each under 1 MiB) with every rule an ESLint equivalent
enabled, waits until every file's diagnostics are published, and reads the server's
VmRSS / VmHWM from /proc. Also after closing them all again.

    .venv/bin/python benchmarks/lsp_memory.py [--count 50]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from lsp_client import StdioClient, print_flush  # noqa: E402

from engine.parse.parser import JAVASCRIPT_SUFFIXES  # noqa: E402
from engine.rules import all_rules  # noqa: E402

CORPUS = REPO / ".cache" / "corpus" / "corpus"
MAX_SIZE = 1024 * 1024


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def pick(count: int, largest: bool) -> list[Path]:
    """`count` files spread evenly over the corpus sorted by size, or its largest ones."""
    files = sorted(
        path for path in CORPUS.rglob("*") if path.suffix in JAVASCRIPT_SUFFIXES and path.is_file() and path.stat().st_size <= MAX_SIZE
    )
    files.sort(key=lambda path: (path.stat().st_size, str(path)))
    if largest:
        return files[-count:]
    step = max(1, len(files) // count)
    return files[::step][:count]


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--largest", action="store_true", help="the largest files instead of a spread")
    args = parser.parse_args(argv)
    rules = sorted(rule.id for rule in all_rules().values() if rule.meta.eslint_equivalent)
    workspace = Path(tempfile.mkdtemp(prefix="thea-memory-"))
    (workspace / ".thea.toml").write_text('extends = "none"\n[rules]\n' + "".join(f'{rule} = "error"\n' for rule in rules))
    files = pick(args.count, args.largest)

    client = await StdioClient.start([sys.executable, "-m", "thea_lsp", "--stdio"], cwd=str(REPO))
    try:
        await client.initialize(workspace.as_uri(), {"thea": {"server": {"debounceMs": 0}}})
        await asyncio.sleep(0.5)
        started = memory(client.pid)
        waits = []
        total_bytes = total_lines = 0
        uris = []
        for index, path in enumerate(files):
            text = path.read_text(encoding="utf-8", errors="surrogateescape").encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            total_bytes += len(text.encode("utf-8"))
            total_lines += text.count("\n")
            uri = (workspace / f"{index:02d}-{path.name}").as_uri()
            uris.append(uri)
            waits.append(client.expect("textDocument/publishDiagnostics", lambda p, u=uri: p["uri"] == u))
            client.notify(
                "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}}
            )
        published = await asyncio.wait_for(asyncio.gather(*waits), 600)
        await asyncio.sleep(0.5)
        opened = memory(client.pid)
        closes = [client.expect("textDocument/publishDiagnostics", lambda p, u=uri: p["uri"] == u) for uri in uris]
        for uri in uris:
            client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        await asyncio.wait_for(asyncio.gather(*closes), 120)
        await asyncio.sleep(0.5)
        closed = memory(client.pid)
    finally:
        await client.close()

    findings = sum(len(params["diagnostics"]) for params in published)
    print_flush(f"{len(files)} files, {total_lines} lines, {total_bytes / 1024:.0f} KiB of text, {findings} findings, {len(rules)} rules")
    print_flush(f"RSS after initialize:        {mib(started['VmRSS'])}")
    print_flush(f"RSS with {len(files)} files open:     {mib(opened['VmRSS'])}  (+{mib(opened['VmRSS'] - started['VmRSS'])}, peak {mib(opened['VmHWM'])})")
    print_flush(f"RSS after closing them all:  {mib(closed['VmRSS'])}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
