"""Throughput of `thea check --format json` against the pinned ESLint, on the same corpus.

    python -m benchmarks.check_vs_eslint [--repeat 5] [--workers N] [--serial]

Both tools run as a user runs them (a fresh process each time, start-up included) over the
corpus of real npm files (`tests.differential.harness.ensure_corpus`), with the same rules:
every Thea rule marked `eslint_equivalent`, at "error" with default options, and every
other Thea rule off; ESLint gets the config the differential harness generates. Runs
alternate between the tools; the median of the repetitions is reported, with files/s,
MB/s, CPU time (user + system: steadier than wall time on a shared machine) and the
ratio. Target: Thea at least 3x ESLint's throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.rules import all_rules
from tests.differential.harness import _CONFIG_TEMPLATE, CACHE, ESLINT_BIN, ROOT, eslint_rule_ids, ensure_corpus

WORK = CACHE / "bench"


@dataclass
class Timing:
    name: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)  # user + system, all processes
    problems: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def thea_command(rule_ids: list[str], files: list[str], out: Path, workers: int | None) -> list[str]:
    rules = {rule_id: ("error" if rule_id in rule_ids else "off") for rule_id in all_rules()}
    command = [sys.executable, "-m", "engine.cli", "check", "--format", "json", "-o", str(out), "--rule", json.dumps(rules)]
    if workers is not None:
        command += ["--workers", str(workers)]
    return command + files


def eslint_command(rule_ids: list[str], files: list[str], out: Path) -> list[str]:
    config = WORK / "eslint.config.mjs"
    config.write_text(_CONFIG_TEMPLATE.format(rules=json.dumps({rule_id: "error" for rule_id in rule_ids})))
    return [str(ESLINT_BIN), "--no-config-lookup", "-c", str(config), "--format", "json", "-o", str(out), *files]


def run_once(timing: Timing, cwd: Path, out: Path) -> None:
    out.unlink(missing_ok=True)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(timing.command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    timing.cpu_seconds.append(_children_cpu() - cpu_before)
    if completed.returncode not in (0, 1) or not out.exists():
        raise RuntimeError(f"{timing.name} failed ({completed.returncode}): {completed.stderr[-2000:]}")
    timing.seconds.append(elapsed)
    report = json.loads(out.read_text(encoding="utf-8"))
    timing.problems = sum(result["errorCount"] + result["warningCount"] for result in report)


def _children_cpu() -> float:
    # Waited-for descendants only: the pool's workers are reaped by thea before it exits.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per tool (median reported)")
    parser.add_argument("--workers", type=int, help="thea --workers (default: one per core)")
    parser.add_argument("--serial", action="store_true", help="also time thea with --workers 1")
    args = parser.parse_args(argv)
    root, files = ensure_corpus()
    rule_ids = eslint_rule_ids()
    WORK.mkdir(parents=True, exist_ok=True)
    size = sum((root / name).stat().st_size for name in files)
    timings = [
        Timing("eslint", eslint_command(rule_ids, files, WORK / "eslint.json")),
        Timing("thea", thea_command(rule_ids, files, WORK / "thea.json", args.workers)),
    ]
    if args.serial:
        timings.append(Timing("thea --workers 1", thea_command(rule_ids, files, WORK / "thea-serial.json", 1)))
    outputs = {"eslint": "eslint.json", "thea": "thea.json", "thea --workers 1": "thea-serial.json"}
    print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB; rules ({len(rule_ids)}): {', '.join(rule_ids)}")
    print(f"cpus: {os.cpu_count()}; repetitions: {args.repeat}")
    for repetition in range(args.repeat):
        for timing in timings:
            run_once(timing, root, WORK / outputs[timing.name])
            print(f"  run {repetition + 1} {timing.name}: {timing.seconds[-1]:.2f}s", file=sys.stderr)
    print(f"{'tool':18} {'median s':>9} {'min s':>7} {'files/s':>8} {'MB/s':>6} {'cpu s':>6} {'problems':>9}")
    for timing in timings:
        print(
            f"{timing.name:18} {timing.median:9.2f} {min(timing.seconds):7.2f} {len(files) / timing.median:8.0f} "
            f"{size / 1e6 / timing.median:6.2f} {timing.cpu_median:6.2f} {timing.problems:9d}"
        )
    eslint, thea = timings[0], timings[1]
    ratio = eslint.median / thea.median
    print(f"thea throughput = {ratio:.2f}x eslint (wall-clock medians; target >= 3x): {'met' if ratio >= 3 else 'NOT met'}")
    print(f"cpu time: eslint {eslint.cpu_median:.2f}s / thea {thea.cpu_median:.2f}s = {eslint.cpu_median / thea.cpu_median:.2f}x "
          "(less sensitive to other load on the machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
