"""`thea eval`: the shipped detector on held-out packages.

    thea eval [--model DIR] [--corpus DIR] [--split test|validation] [--card]
    thea eval [--model DIR] --files PATH [PATH ...]

With --files, the documents come from your own JavaScript (files, or directories walked as
`thea check` walks them) instead of a held-out split of the corpus: the same table, for code
the detector has never seen. Mutants are drawn with seeds of each file's path below the
files' common directory, so two runs over the same tree agree.

Per bug kind: localisation accuracy (the top of sites + no-bug is the bug's site),
localisation+repair accuracy (and the top repair there restores the original), the same
without the no-bug slot, the share reported (the detector's finding at the bug's site, at or
above the threshold, undoes it: the recall that goes with the false-alarm rate), then
no-bug accuracy on the clean files, false alarms per 1,000 clean lines at the threshold (and
how many files they came from: alarms cluster in files and packages, so few files mean a
rate known less well than its count suggests), and
a calibration table (top confidence per document against whether it was right), and the
injected bugs again by the size of their document in candidate sites (a whole file of a thousand
sites is a harder search than a function of thirty, the unit of GREAT's and BugLab's benchmarks),
and the share reported against the false alarms at other thresholds (a reader choosing
THEA_CONFIDENCE_THRESHOLD sees what it buys and costs).
Documents are whole files of at most --max-tokens tokens.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import torch

from engine.config import ConfigCache, ConfigError, discover_files
from engine.linter import RuleSet
from engine.model.calibration import poisson_upper_bound
from engine.model.arguments import check_corpus, non_negative_int, positive_int, probability
from engine.model.checkpoint import CheckpointError, load_detector
from engine.model.dataset import MAX_FILE_BYTES, Document, documents, split_files
from engine.model.ensemble import combine, member_scores
from engine.model.model_card import CARD_FILE
from engine.model.sites import KINDS

logger = logging.getLogger("engine.model.evaluate")  # not "__main__" under `python -m`
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0001)
SIZE_BINS = (1, 26, 101, 401, 1601)  # candidate sites a document: 1-25, 26-100, 101-400, 401-1600, more
OPERATING_POINTS = (0.5, 0.6, 0.7, 0.8, 0.9)  # thresholds of the operating table, besides the default


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thea eval", description="Evaluate the ML detector on held-out packages.")
    parser.add_argument("--model", type=Path, default=Path("models/thea-m2-detector"))
    parser.add_argument("--corpus", type=Path, default=Path(".cache/corpus-wide/corpus"),
                        help="built by `python -m engine.model.corpus build` from corpus/packages.txt")
    parser.add_argument("--split", choices=("test", "validation"), default="test")
    parser.add_argument("--files", type=Path, nargs="+", metavar="PATH",
                        help="evaluate on these JavaScript files or directories instead of a corpus split")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mutants-per-file", type=non_negative_int, default=2)
    parser.add_argument("--max-tokens", type=positive_int, default=8192)
    parser.add_argument("--max-files", type=non_negative_int, default=0)
    parser.add_argument("--threshold", type=probability, help="default: the checkpoint's calibrated threshold")
    parser.add_argument("--threads", type=positive_int, default=2)
    parser.add_argument("--card", action="store_true", help="append the results to the model card")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.files and args.card:
        parser.error("--card records the held-out split of the corpus; it does not go with --files")
    if args.files:
        try:
            paths, root = javascript_files(args.files)
        except ConfigError as error:  # a broken .thea.toml on the way decides nothing reliably
            parser.error(f"--files: {error}")
        if not paths:
            parser.error(f"--files: no JavaScript files of at most {MAX_FILE_BYTES:,} bytes there")
        label = "given"
    else:
        check_corpus(parser, args.corpus)
        paths, root, label = split_files(args.corpus)[args.split], args.corpus, args.split
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    torch.set_num_threads(args.threads)
    started = time.monotonic()
    try:
        members, tokenizer, calibration = load_detector(args.model)
    except CheckpointError as error:
        parser.error(f"--model: {error}")
    threshold = calibration.threshold if args.threshold is None else args.threshold
    paths = paths[: args.max_files or None]
    docs = documents(paths, tokenizer, RuleSet.recommended(), args.seed, args.mutants_per_file, args.max_tokens, root)
    report = evaluate(members, docs, calibration, threshold)
    report += f"\n{len(docs)} documents from {len(paths)} {label} files in {time.monotonic() - started:.0f} s\n"
    sys.stdout.write(report)
    if args.card:
        with (args.model / CARD_FILE).open("a") as card:
            card.write(f"\n## Held-out {args.split} results (`thea eval`)\n\n```\n{report}```\n")
    return 0


def javascript_files(given: Sequence[Path]) -> tuple[list[Path], Path]:
    """The JavaScript files under `given` that `thea check` would lint (problems logged), those
    of at most MAX_FILE_BYTES, and their common directory (the root of the mutants' seeds)."""
    paths = []
    for entry in discover_files(given, ConfigCache()):
        if entry.error is not None:
            logger.warning("%s: %s", entry.path, entry.error)
        elif entry.path.stat().st_size <= MAX_FILE_BYTES:
            paths.append(entry.path)
        else:
            logger.warning("%s: skipped, over %d bytes", entry.path, MAX_FILE_BYTES)
    root = Path(os.path.commonpath([path.resolve().parent for path in paths])) if paths else Path(".")
    return paths, root


def evaluate(members, docs: list[Document], calibration, threshold: float) -> str:  # type: ignore[no-untyped-def]
    located: dict[str, list[bool]] = defaultdict(list)
    repaired: dict[str, list[bool]] = defaultdict(list)
    ranked: dict[str, list[bool]] = defaultdict(list)  # top site right, the no-bug slot ignored
    ranked_repaired: dict[str, list[bool]] = defaultdict(list)
    reported: dict[str, list[bool]] = defaultdict(list)  # found at the threshold with the undoing fix
    clean_right, alarms, clean_lines, alarm_files = [], 0, 0, set()
    reliability: list[tuple[float, bool]] = []
    by_size: list[tuple[int, bool, bool, bool]] = []  # (sites, loc+repair, top site+repair, reported) a buggy document
    undoing: list[float] = []  # per buggy document: the confidence of the finding that undoes its bug, 0 for none
    clean_confidences: list[float] = []  # every finding's confidence on the clean documents
    for doc in docs:
        f = doc.features
        per_member = member_scores(members, [f], calibration)
        site_prob = torch.stack([s.site_prob for s in per_member]).mean(0)  # (s,)
        no_bug = float(torch.stack([s.no_bug_prob for s in per_member]).mean())
        repair_prob = torch.stack([s.repair_prob for s in per_member]).mean(0)  # (r,)
        predictions = combine(f, per_member, calibration)
        top_conf = max((p.confidence for p in predictions), default=0.0)
        top_site = int(site_prob.argmax()) if site_prob.numel() else -1
        says_bug = top_site >= 0 and float(site_prob[top_site]) > no_bug
        if doc.kind is None:
            clean_right.append(not says_bug)
            clean_lines += doc.lines
            clean_confidences.extend(p.confidence for p in predictions)
            found = sum(p.confidence >= threshold for p in predictions)
            alarms += found
            if found:
                alarm_files.add(doc.path)
            reliability.append((top_conf, False))
            continue
        loc_ok = says_bug and top_site == f.target_site
        mine = (f.repair_site == f.target_site).nonzero().flatten()
        rep_ok = loc_ok and int(mine[repair_prob[mine].argmax()]) == f.target_repair
        located[doc.kind].append(loc_ok)
        repaired[doc.kind].append(rep_ok)
        rank_ok = top_site == f.target_site
        ranked[doc.kind].append(rank_ok)
        rank_rep_ok = rank_ok and int(mine[repair_prob[mine].argmax()]) == f.target_repair
        ranked_repaired[doc.kind].append(rank_rep_ok)
        at_target = [p for p in predictions if p.site == f.target_site]
        undoes = bool(at_target) and int(mine[0]) + at_target[0].repair == f.target_repair
        undoing.append(at_target[0].confidence if undoes else 0.0)
        found = undoes and at_target[0].confidence >= threshold
        reported[doc.kind].append(found)
        by_size.append((int(site_prob.numel()), rep_ok, rank_rep_ok, found))
        best = max(predictions, key=lambda p: p.confidence, default=None)
        right = best is not None and best.site == f.target_site and int(mine[0]) + best.repair == f.target_repair
        reliability.append((top_conf, right))
    return _table(located, repaired, ranked, ranked_repaired, reported, clean_right, alarms, clean_lines,
                  len(alarm_files), reliability, threshold) \
        + _size_table(by_size) + _operating_table(undoing, clean_confidences, clean_lines, threshold)


def _pct(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):5.1f}%" if values else "    -"


def _table(located, repaired, ranked, ranked_repaired, reported, clean_right, alarms, clean_lines,  # type: ignore[no-untyped-def]
           alarm_files, reliability, threshold) -> str:
    lines = [f"{'kind':<20} {'n':>5} {'loc':>7} {'loc+repair':>11}   {'top site':>9} {'top site+repair':>16}"
             f"   {'reported':>9}"]
    for kind in [*KINDS, None]:
        pick = (lambda d: d[kind]) if kind else (lambda d: [v for values in d.values() for v in values])
        lines.append(f"{kind or 'all injected':<20} {len(pick(located)):>5} {_pct(pick(located)):>7} "
                     f"{_pct(pick(repaired)):>11}   {_pct(pick(ranked)):>9} {_pct(pick(ranked_repaired)):>16}"
                     f"   {_pct(pick(reported)):>9}")
    lines.append("(loc: the top of sites + no-bug is the bug's site; top site: the no-bug slot ignored;")
    lines.append(f" reported: a finding at the bug's site at or above the threshold {threshold:.2f} whose fix undoes it)")
    lines.append("")
    lines.append(f"no-bug accuracy on clean files: {_pct(clean_right).strip()} of {len(clean_right)}")
    rate = 1000 * alarms / clean_lines if clean_lines else 0.0
    bound = 1000 * poisson_upper_bound(alarms) / clean_lines if clean_lines else 0.0
    files = f", from {alarm_files} file{'s' if alarm_files != 1 else ''}" if alarms else ""
    lines.append(f"false alarms at threshold {threshold:.2f}: {alarms} in {clean_lines} clean lines = {rate:.3f} per 1,000 lines "
                 f"(95% upper bound {bound:.3f}{files})")
    lines.append("")
    lines.append("calibration (top confidence per document; right = the top site and repair undo the injected bug)")
    lines.append(f"{'confidence':<14} {'docs':>5} {'mean conf':>10} {'right':>7}")
    for low, high in zip(BINS, BINS[1:]):
        inside = [(c, r) for c, r in reliability if low <= c < high]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            lines.append(f"[{low:.1f}, {min(high, 1):.1f}){'':<4} {len(inside):>5} {mean:>10.3f} {_pct([r for _, r in inside]):>7}")
    return "\n".join(lines) + "\n"


def _size_table(by_size: list[tuple[int, bool, bool, bool]]) -> str:
    """The injected bugs by their document's number of candidate sites."""
    lines = ["", "by document size (candidate sites; injected bugs only)",
             f"{'sites':<14} {'docs':>5} {'loc+repair':>11} {'top site+repair':>16}   {'reported':>9}"]
    for low, high in zip(SIZE_BINS, (*SIZE_BINS[1:], None)):
        inside = [entry for entry in by_size if low <= entry[0] and (high is None or entry[0] < high)]
        if inside:
            label = f"{low}-{high - 1}" if high is not None else f"{low}+"
            lines.append(f"{label:<14} {len(inside):>5} {_pct([e[1] for e in inside]):>11} {_pct([e[2] for e in inside]):>16}"
                         f"   {_pct([e[3] for e in inside]):>9}")
    return "\n".join(lines) + "\n"


def _operating_table(undoing: list[float], clean_confidences: list[float], clean_lines: int, threshold: float) -> str:
    """Reported bugs against false alarms at other thresholds (THEA_CONFIDENCE_THRESHOLD), the
    default marked: what a stricter or looser setting would buy and cost on these documents."""
    lines = ["", "at other thresholds (* the default)",
             f"{'threshold':<11} {'reported':>9} {'false alarms':>13} {'per 1,000 lines':>16} {'95% upper bound':>16}"]
    per_line = 1000 / clean_lines if clean_lines else 0.0
    for value in sorted({*OPERATING_POINTS, threshold}):
        alarms = sum(c >= value for c in clean_confidences)
        rate, bound = alarms * per_line, poisson_upper_bound(alarms) * per_line
        label = (f"{value:.2f}" if round(value, 2) == value else f"{value:.3f}") + ("*" if value == threshold else "")
        lines.append(f"{label:<11} {_pct([c >= value for c in undoing]):>9} {alarms:>13} {rate:>16.3f} {bound:>16.3f}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
