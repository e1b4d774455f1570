"""The detector pool's figures: batch throughput with 1 and 2 actors, the delay of ML
diagnostics after an edit in the language server (2k- and 8k-token documents), and the
resident memory of the server plus its pool.

    .venv/bin/python -m benchmarks.pool_throughput [--model DIR] [--files N] [--part all]

Documents are real npm code from the differential corpus (.cache/corpus/corpus). The model is
the shipped checkpoint (engine.model.detector.default_model_path()) when present, else the
tiny random one of tests/pool/tiny_detector.py (the output says which: the tiny model's
per-document cost is far lower, so Ray's overhead weighs more in its figures).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.lsp_client import StdioClient, print_flush

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".cache" / "corpus" / "corpus"


def _model(explicit: str | None) -> tuple[Path, str]:
    from engine.model.detector import default_model_path

    if explicit:
        return Path(explicit), "given"
    shipped = default_model_path()
    if (shipped / "config.json").is_file():
        return shipped, "shipped"
    from tests.pool.tiny_detector import build

    return build(Path(tempfile.mkdtemp(prefix="thea-bench-model-"))), "tiny random (no shipped checkpoint yet)"


def _corpus_texts(count: int, low: int = 2_000, high: int = 30_000) -> list[tuple[str, str]]:
    files = sorted(p for p in CORPUS.rglob("*.js") if p.is_file() and low <= p.stat().st_size <= high)
    step = max(1, len(files) // count)
    chosen = files[::step][:count]
    return [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in chosen]


def _tokens(model: Path, text: str) -> int:
    from engine.model.tokenizer import load_tokenizer

    return len(load_tokenizer(model).encode(text, add_special_tokens=False).ids)


# --- batch throughput --------------------------------------------------------------------------


def throughput(model: Path, files: int) -> dict[str, object]:
    from engine.pool.detector import DetectorSpec
    from engine.pool.service import start_pool
    from engine.pool.snapshot import DocumentSnapshot

    texts = _corpus_texts(files)
    snapshots = [DocumentSnapshot(path, 0, text) for path, text in texts]
    tokens = sum(_tokens(model, text) for _, text in texts)
    spec = DetectorSpec(str(model), 8192, 0.0)
    figures: dict[str, object] = {"documents": len(snapshots), "tokens": tokens}
    for workers in (1, 2):
        with start_pool(spec, workers) as service:
            for warm in snapshots[:workers]:  # first call per actor pays lazy imports
                service.pool.analyze(DocumentSnapshot("warm:" + warm.uri, 0, warm.text), timeout=600)
            pids = [int(status["pid"]) for status in service.pool.status()]  # type: ignore[arg-type]
            cpu_before = sum(_cpu_s(pid) for pid in pids)
            started = time.perf_counter()
            results = list(service.pool.map(snapshots))
            seconds = time.perf_counter() - started
            cpu = sum(_cpu_s(pid) for pid in pids) - cpu_before
            failures = [r for r in results if isinstance(r, BaseException)]
            figures[f"workers_{workers}"] = {
                "startup_s": round(service.startup_s, 1),
                "seconds": round(seconds, 2),
                "docs_per_s": round(len(snapshots) / seconds, 2),
                "tokens_per_s": round(tokens / seconds),
                "failures": len(failures),
                # CPU the actors got per second of wall time: 2.0 would be two whole cores
                "actor_cores_used": round(cpu / seconds, 2),
                # actors analysing at once, on average (their summed analysis time / wall time)
                "concurrency": round(sum(r.seconds for r in results if not isinstance(r, BaseException)) / seconds, 2),
            }
            print_flush(f"  {workers} worker(s): {seconds:.2f}s for {len(snapshots)} documents "
                        f"({tokens / seconds:.0f} tokens/s; the actors used {cpu / seconds:.2f} cores, "
                        f"{figures[f'workers_{workers}']['concurrency']} analysing at once), "
                        f"pool start {service.startup_s:.1f}s")
    one, two = figures["workers_1"], figures["workers_2"]
    figures["speedup"] = round(one["seconds"] / two["seconds"], 2)  # type: ignore[index]
    return figures


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- ML diagnostics delay and memory in the server -------------------------------------------------


def _document(model: Path, target_tokens: int) -> str:
    parts, total = [], 0
    for _, text in _corpus_texts(400, 1_000, 20_000):
        size = _tokens(model, text)
        if total + size > target_tokens:
            continue
        parts.append(text)
        total += size
        if total > target_tokens * 0.95:
            break
    return "\n".join(parts)


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    from tests.pool.pool_owner import descendants

    return [root, *descendants(root)]


async def server_figures(model: Path, edits: int) -> dict[str, object]:
    workspace = Path(tempfile.mkdtemp(prefix="thea-bench-ws-"))
    (workspace / ".thea.toml").write_text(
        'extends = "recommended"\nml = true\n'
        f'[model]\npath = "{model}"\nworkers = 2\nconfidence-threshold = 0.0\ncontext-length = 8192\n'
    )
    client = await StdioClient.start([sys.executable, "-m", "thea_lsp", "--stdio"], cwd=str(workspace))
    await client.initialize(workspace.as_uri())
    figures: dict[str, object] = {}

    def with_ml(uri: str, version: int):  # type: ignore[no-untyped-def]
        return lambda p: p["uri"] == uri and p.get("version") == version and any(
            str(d.get("code", "")).startswith("ml/") for d in p["diagnostics"])

    try:
        for target in (2048, 8192):
            text = _document(model, target)
            tokens = _tokens(model, text)
            uri = (workspace / f"doc{target}.js").as_uri()
            first = client.expect("textDocument/publishDiagnostics", with_ml(uri, 1))
            opened = time.perf_counter()
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "javascript", "version": 1, "text": text}})
            await asyncio.wait_for(first, 600)
            print_flush(f"  {tokens}-token document: first ML diagnostics {time.perf_counter() - opened:.1f}s after open")
            delays = []
            for version in range(2, edits + 2):
                text = text + f"\n// edit {version}\n"
                done = client.expect("textDocument/publishDiagnostics", with_ml(uri, version))
                sent = time.perf_counter()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                          "contentChanges": [{"text": text}]})
                await asyncio.wait_for(done, 600)
                delays.append(time.perf_counter() - sent)
            figures[f"delay_{target}"] = {
                "tokens": tokens,
                "median_s": round(statistics.median(delays), 3),
                "max_s": round(max(delays), 3),
            }
            print_flush(f"  {tokens}-token document: ML diagnostics {statistics.median(delays):.2f}s (median), "
                        f"{max(delays):.2f}s (max) after a change, over {edits} edits")
        processes = _tree(client.pid)
        rss = {pid: _rss_kib(pid) for pid in processes}
        names = {pid: Path(f"/proc/{pid}/comm").read_text().strip() if Path(f"/proc/{pid}/comm").exists() else "?" for pid in processes}
        total_mib = sum(rss.values()) / 1024
        figures["memory"] = {
            "total_mib": round(total_mib),
            "server_mib": round(rss[client.pid] / 1024),
            "processes": sorted(((names[p], round(rss[p] / 1024)) for p in processes), key=lambda item: -item[1]),
        }
        print_flush(f"  resident memory, server + pool: {total_mib:.0f} MiB over {len(processes)} processes")
    finally:
        await client.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="detector directory (default: the shipped one, else a tiny random one)")
    parser.add_argument("--files", type=int, default=40, help="documents for the throughput run")
    parser.add_argument("--edits", type=int, default=5, help="edits per document for the delay")
    parser.add_argument("--part", choices=("all", "throughput", "server"), default="all")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    model, which = _model(args.model)
    print_flush(f"model: {model} ({which}); CPUs: {os.cpu_count()}")
    figures: dict[str, object] = {"model": str(model), "model_kind": which, "cpus": os.cpu_count()}
    if args.part in ("all", "throughput"):
        print_flush("batch throughput:")
        figures["throughput"] = throughput(model, args.files)
        print_flush(f"  speedup with 2 workers: {figures['throughput']['speedup']}x")  # type: ignore[index]
    if args.part in ("all", "server"):
        print_flush("language server:")
        figures["server"] = asyncio.run(server_figures(model, args.edits))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
