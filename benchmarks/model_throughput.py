"""Inference throughput and peak memory of the detector's M2-BERT encoder against a dense-
attention BERT of the same width and depth, at 2k, 8k and 32k tokens on 2 CPU threads, and
of the whole shipped detector (tokenizer, tree-sitter sites, encoder, every ensemble head,
findings) on a real JavaScript document of about that many tokens.

    .venv/bin/python benchmarks/model_throughput.py [--model DIR] [--lengths 2048 8192 32768]

The document is real code (the training corpus when built, else the repository's examples)
concatenated up to the length; 32,011 tokens is an awkward length (a large prime factor),
included to show the FFT sizes at work.

Each (model, length) runs in a fresh process, so its peak resident memory (ru_maxrss) is its
own; the process gets an address-space cap (--memory-gb) and a time limit (--timeout), and
a dense model that runs out of either is reported as such. Output: a Markdown table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _run(kind: str, model_dir: str, length: int, threads: int, memory_gb: float, queue: multiprocessing.Queue) -> None:
    limit = int(memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import torch
    from torch import nn

    from engine.model.config import TheaM2Config
    from engine.model.modeling import TheaM2Model

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if kind == "detector":
        _run_detector(model_dir, length, queue)
        return
    config = TheaM2Config.from_pretrained(model_dir)
    if kind == "m2":
        model: nn.Module = TheaM2Model(config).eval()
    else:
        layer = nn.TransformerEncoderLayer(config.hidden_size, nhead=4, dim_feedforward=config.intermediate_size,
                                           batch_first=True, norm_first=False)
        encoder = nn.TransformerEncoder(layer, config.num_hidden_layers, enable_nested_tensor=False)
        embedding = nn.Embedding(config.vocab_size, config.hidden_size)
        model = nn.Sequential(embedding, encoder).eval()
    ids = torch.randint(5, config.vocab_size, (1, length))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB: interpreter, torch, weights
    try:
        with torch.no_grad():
            model(ids) if kind != "m2" else model(ids, torch.ones_like(ids))  # warm-up
            times = []
            for _ in range(2):
                started = time.perf_counter()
                model(ids) if kind != "m2" else model(ids, torch.ones_like(ids))
                times.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (ru_maxrss is KiB on Linux)
        queue.put(("ok", min(times), peak, peak - baseline))
    except (MemoryError, RuntimeError) as error:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(("oom", str(error)[:80], peak, peak - baseline))


def real_document(tokenizer, length: int) -> str:  # type: ignore[no-untyped-def]
    """Real JavaScript of at most `length` tokens (and at least 98% of it): whole files that
    parse cleanly, concatenated until the next would not fit."""
    from engine.parse import Source, parse

    corpus = ROOT / ".cache" / "corpus-wide" / "corpus"
    files = sorted(corpus.rglob("*.js")) if corpus.is_dir() else []
    files = files or sorted((ROOT / "examples").rglob("*.js"))
    parts: list[str] = []
    tokens = 0
    for path in files * (1 + length // 1000):  # the examples alone may have to repeat
        text = path.read_text(encoding="utf-8", errors="replace")
        count = len(tokenizer.encode(text).ids)
        if tokens + count + 1 > length or text.startswith("#!") or parse(Source(text)).root_node.has_error:
            continue
        parts.append(text)
        tokens += count
        if tokens >= 0.98 * length:
            break
    return "\n".join(parts)


def _run_detector(model_dir: str, length: int, queue: multiprocessing.Queue) -> None:
    from engine.model.detector import Detector
    from engine.parse import Source

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    detector = Detector(Path(model_dir), context_length=32768)
    source = Source(real_document(detector.tokenizer, length))
    length = len(detector.tokenizer.encode(source.text).ids)
    detector.score(source)  # warm-up
    times = []
    for _ in range(2):
        started = time.perf_counter()
        detector.detect(source)
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(("ok", min(times), peak, peak - baseline, length))


def measure(kind: str, model_dir: Path, length: int, threads: int, memory_gb: float, timeout: float) -> str:
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = context.Queue()
    process = context.Process(target=_run, args=(kind, str(model_dir), length, threads, memory_gb, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return f"| {kind} | {length} | timeout > {timeout:.0f} s | - | - | - |"
    if queue.empty():
        return f"| {kind} | {length} | crashed (exit {process.exitcode}; out of memory?) | - | - | - |"
    status, value, peak, growth, *actual = queue.get()
    if status != "ok":
        return f"| {kind} | {length} | out of memory under a {memory_gb:.0f} GiB cap | - | {peak:.0f} | {growth:.0f} |"
    tokens = actual[0] if actual else length  # the detector's real document has about `length` tokens
    return f"| {kind} | {tokens} | {value:.3f} s | {tokens / value:,.0f} | {peak:.0f} | {growth:.0f} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "thea-m2-detector")
    parser.add_argument("--lengths", type=int, nargs="+", default=[2048, 8192, 32011, 32768])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-gb", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    rows = ["| model | tokens | time | tokens/s | peak RSS MiB | growth MiB |", "|---|---|---|---|---|---|"]
    for length in args.lengths:
        for kind in ("m2", "dense", "detector"):
            rows.append(measure(kind, args.model, length, args.threads, args.memory_gb, args.timeout))
            sys.stdout.write(rows[-1] + "\n")
            sys.stdout.flush()
    sys.stdout.write("\n" + "\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
