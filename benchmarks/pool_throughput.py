"""The detector pool's figures: batch throughput with 1 and 2 actors, the delay of ML
diagnostics after an edit in the language server (2k- and 8k-token documents), and the
resident memory of the server plus its pool.

    .venv/bin/python -m benchmarks.pool_throughput [--model DIR] [--files N] [--repeat N] [--part all]

Throughput is reported twice. Wall clock: what a user sees, but on a machine where other
processes compete for the cores it says as much about them as about the pool (the run
reports how many cores they used meanwhile). From CPU time: each actor's CPU time for its
documents, and the CPU time of every pool process (actors, driver, Ray), give how long the run
would last on an idle machine; CPU time per document barely depends on other load, so this
figure can be compared between a busy and an idle machine. Memory is reported per process
as PSS (shared pages counted once: the honest total) and RSS (shared pages counted in every
process that maps them).

Documents are real npm code from the differential corpus (.cache/corpus/corpus). The model is
the shipped checkpoint (engine.model.detector.default_model_path()) when it loads, else a
random one of the shipped width and depth built by tests/pool/tiny_detector.py (the output
says which and why; it has the shipped shape, three detection heads over one encoder).
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
        problem = _load_problem(shipped)
        if problem is None:
            return shipped, "shipped"
        reason = f"the shipped checkpoint does not load with the model code in the tree: {problem}"
    else:
        reason = "no shipped checkpoint yet"
    from tests.pool.tiny_detector import build

    # the shipped checkpoint's width, depth and heads, random weights
    directory = build(Path(tempfile.mkdtemp(prefix="thea-bench-model-")), hidden=128, layers=4)
    return directory, f"random, 128 wide, 4 layers, 3 heads ({reason})"


def _load_problem(directory: Path) -> str | None:
    from engine.model.detector import Detector

    try:
        Detector(directory)
    except Exception as error:  # shapes, keys, config: any reason it cannot serve
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:200]
    return None


def _corpus_texts(count: int, low: int = 2_000, high: int = 30_000) -> list[tuple[str, str]]:
    files = sorted(p for p in CORPUS.rglob("*.js") if p.is_file() and low <= p.stat().st_size <= high)
    step = max(1, len(files) // count)
    chosen = files[::step][:count]
    return [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in chosen]


def _tokens(model: Path, text: str) -> int:
    from engine.model.tokenizer import load_tokenizer

    return len(load_tokenizer(model).encode(text, add_special_tokens=False).ids)


# --- batch throughput --------------------------------------------------------------------------


def throughput(model: Path, files: int, repeat: int) -> dict[str, object]:
    """The same documents, largest first, through 1 and then 2 actors.

    Largest first (for both runs): the last document to finish then is a small one, so a
    2-actor run does not end with one actor idle behind the other's big file. Each actor
    analyses two documents before the clock starts (lazy imports, allocator warm-up).
    """
    from engine.pool.detector import DetectorSpec
    from engine.pool.service import start_pool
    from engine.pool.snapshot import DocumentSnapshot

    texts = sorted(_corpus_texts(files), key=lambda item: -len(item[1].encode("utf-8")))
    snapshots = [DocumentSnapshot(path, 0, text) for path, text in texts]
    tokens = sum(_tokens(model, text) for _, text in texts)
    spec = DetectorSpec(str(model), 8192, 0.0)
    figures: dict[str, object] = {"documents": len(snapshots), "tokens": tokens, "order": "largest first"}
    for workers in (1, 2):
        with start_pool(spec, workers) as service:
            warm = [DocumentSnapshot(f"warm{i}:" + s.uri, 0, s.text) for i, s in enumerate(snapshots[-2 * workers:])]
            list(service.pool.map(warm))
            runs = [_timed_run(service, snapshots, tokens) for _ in range(repeat)]
        best = min(runs, key=lambda run: run["seconds"])  # type: ignore[arg-type, return-value]
        figures[f"workers_{workers}"] = {"startup_s": round(service.startup_s, 1), **best,
                                         "all_seconds": [run["seconds"] for run in runs]}
        print_flush(f"  {workers} worker(s), pool start {service.startup_s:.1f}s: " + _describe_run(best))
    one, two = figures["workers_1"], figures["workers_2"]
    figures["speedup_wall"] = round(one["seconds"] / two["seconds"], 2)  # type: ignore[index]
    # Load-independent: on an idle machine with `cores` cores, a run lasts about as long as
    # its busiest actor's CPU time, unless all the pool's CPU time (actors, driver, Ray)
    # divided over the cores is longer. CPU time per document hardly depends on other load.
    cores = os.cpu_count() or 1
    figures["speedup_from_cpu"] = round(_idle_estimate(one, cores) / _idle_estimate(two, cores), 2)  # type: ignore[arg-type]
    return figures


def _timed_run(service, snapshots, tokens: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    import ray

    handles = [handle for _, handle, _ in service.pool.actors()]
    before_health = ray.get([h.health.remote() for h in handles])
    before, machine_before = _tree_cpu(os.getpid()), _machine_busy_s()
    started = time.perf_counter()
    results = list(service.pool.map(snapshots))
    seconds = time.perf_counter() - started
    after, machine_after = _tree_cpu(os.getpid()), _machine_busy_s()
    after_health = ray.get([h.health.remote() for h in handles])
    cpu = {role: round(after.get(role, 0.0) - before.get(role, 0.0), 2) for role in after}
    ours = sum(cpu.values())
    actors = [
        {"documents": b.documents_served - a.documents_served,
         "busy_s": round(b.busy_s - a.busy_s, 2),  # wall time analysing
         "busy_cpu_s": round(b.busy_cpu_s - a.busy_cpu_s, 2),  # CPU time analysing
         "utilisation": round((b.busy_s - a.busy_s) / seconds, 2),  # fraction of the run spent analysing
         "torch_threads": b.torch_threads}
        for a, b in zip(before_health, after_health)
    ]
    documents = sum(actor["documents"] for actor in actors)  # type: ignore[misc]
    return {
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(snapshots) / seconds, 2),
        "tokens_per_s": round(tokens / seconds),
        "failures": sum(isinstance(r, BaseException) for r in results),
        "cpu_s": cpu,  # per role: actors, ray (GCS, raylet, agents), driver (this process)
        "cpu_per_document_ms": round(1000 * sum(a["busy_cpu_s"] for a in actors) / max(1, documents)),  # type: ignore[misc]
        "actors": actors,
        # every process of the machine, ours included, in cores: 2.0 on 2 cores is saturated
        "machine_cores_busy": round((machine_after - machine_before) / seconds, 2),
        "other_processes_cores": round((machine_after - machine_before - ours) / seconds, 2),
    }


def _describe_run(run: dict[str, object]) -> str:
    actors = run["actors"]
    return (f"{run['seconds']}s wall ({run['tokens_per_s']} tokens/s), {run['cpu_per_document_ms']} ms CPU per document; "
            f"CPU s {run['cpu_s']}; actors busy {[a['utilisation'] for a in actors]} of the run "  # type: ignore[union-attr]
            f"with {[a['torch_threads'] for a in actors]} torch threads; "  # type: ignore[union-attr]
            f"other processes used {run['other_processes_cores']} cores")


def _idle_estimate(run: dict[str, object], cores: int) -> float:
    busiest = max(actor["busy_cpu_s"] for actor in run["actors"])  # type: ignore[union-attr]
    total = sum(run["cpu_s"].values())  # type: ignore[union-attr]
    return max(busiest, total / cores)


def _role(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "DetectorActor" in command:
        return "actors"
    if "thea_lsp" in command:
        return "server"
    if "engine.pool.host" in command:
        return "driver"
    if "ray::" in command or "/ray/" in command:
        return "ray"
    return "driver" if pid == os.getpid() else "other"


def _tree_cpu(root: int) -> dict[str, float]:
    """CPU seconds (user + system) so far of `root` and every process below it, per role."""
    totals: dict[str, float] = {}
    for pid in _tree(root):
        totals[_role(pid)] = totals.get(_role(pid), 0.0) + _cpu_s(pid)
    return totals


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (not idle or iowait), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


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


def _memory_kib(pid: int) -> dict[str, int]:
    """Rss and Pss of a process in KiB. Pss counts a page shared by k processes as 1/k in
    each, so the Pss of a process tree adds up to the memory it really holds; Rss sums count
    shared pages (libtorch's code in every actor, the interpreter) once per process."""
    values = {"Rss": 0, "Pss": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def _name(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    words = [part.decode(errors="replace") for part in command if part]
    for word in words:
        if word.startswith("ray::"):
            return word
    if "thea_lsp" in words:
        return "server (thea_lsp)"
    if "engine.pool.host" in words:
        return "pool driver (engine.pool.host)"
    if not words:
        return "?"
    program = Path(words[0]).name
    if program.startswith("python"):
        script = [word for word in words[1:] if not word.startswith("-")]
        return Path(script[0]).name if script else program
    return program


def memory_figures(root: int) -> dict[str, object]:
    processes = _tree(root)
    rows = sorted(((_name(pid), _memory_kib(pid)) for pid in processes), key=lambda row: -row[1]["Pss"])
    return {
        "pss_mib": round(sum(m["Pss"] for _, m in rows) / 1024),
        "rss_mib": round(sum(m["Rss"] for _, m in rows) / 1024),
        "processes": [{"name": name, "pss_mib": round(m["Pss"] / 1024), "rss_mib": round(m["Rss"] / 1024)}
                      for name, m in rows],
    }


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
        await asyncio.sleep(2)  # let the actors return what the last documents freed
        figures["memory"] = memory = memory_figures(client.pid)
        for row in memory["processes"]:  # type: ignore[union-attr]
            print_flush(f"    {row['name']:34} PSS {row['pss_mib']:5} MiB   RSS {row['rss_mib']:5} MiB")
        print_flush(f"  server + pool: PSS {memory['pss_mib']} MiB, RSS {memory['rss_mib']} MiB "
                    f"over {len(memory['processes'])} processes (target: 1.5 GB)")  # type: ignore[arg-type]
    finally:
        await client.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="detector directory (default: the shipped one, else a tiny random one)")
    parser.add_argument("--files", type=int, default=40, help="documents for the throughput run")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per pool size (the fastest is kept)")
    parser.add_argument("--edits", type=int, default=5, help="edits per document for the delay")
    parser.add_argument("--part", choices=("all", "throughput", "server"), default="all")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    model, which = _model(args.model)
    print_flush(f"model: {model} ({which}); CPUs: {os.cpu_count()}")
    figures: dict[str, object] = {"model": str(model), "model_kind": which, "cpus": os.cpu_count()}
    if args.part in ("all", "throughput"):
        print_flush("batch throughput:")
        figures["throughput"] = result = throughput(model, args.files, args.repeat)
        print_flush(f"  speedup with 2 workers: {result['speedup_wall']}x wall clock "
                    f"(other processes' load included); {result['speedup_from_cpu']}x from CPU times "
                    f"(an idle {os.cpu_count()}-core machine)")
    if args.part in ("all", "server"):
        print_flush("language server:")
        figures["server"] = asyncio.run(server_figures(model, args.edits))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
