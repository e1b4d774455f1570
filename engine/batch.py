"""The CI mode's core: lint (and fix) many files, in parallel, into per-file reports.

Each file goes through exactly the engine API the language server calls:
`engine.linter.lint_source` for findings and `engine.fix.apply_fixes` for fixes. This module
adds what a batch needs around it: file discovery and configuration (`engine.config`), the
checks a file must pass before it is parsed (size, regular file, readable, decodable), the
writer, and a process pool.

Configuration is resolved once per file in the parent (the cache resolves each directory
once); the pool's workers are forked with the resolved configurations already in memory, so
a task is a file path and an index, and a result is a small `FileReport` with positions
already converted. Results come back in discovery order, so output is deterministic
whatever the number of workers. Where a config turns the ML tier on, its detector
(`engine.model.detector`, loaded as the server's pool loads it) runs beside the rules in
this process, and its `ml/*` findings go through the same fixer and reports.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import multiprocessing
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Mapping, Sequence

import tree_sitter

from engine.config import ConfigCache, Overrides, ResolvedConfig, discover_files
from engine.config.discovery import NOT_JAVASCRIPT
from engine.finding import Finding, Severity
from engine.fix.apply import apply_fixes
from engine.fix.edit import Applicability
from engine.fix.writer import WriteStatus, dominant_eol, read_snapshot, with_line_endings, write_fixed
from engine.linter import RuleSet, compile_query, lint_source
from engine.parse.parser import JAVASCRIPT_SUFFIXES, parse
from engine.parse.source import DecodeError, Source
from engine.report.json_report import result_json
from engine.report.model import FileReport, Message

if TYPE_CHECKING:
    from engine.model.detector import Detector
    from engine.pool.batch_detector import PooledDetector

logger = logging.getLogger(__name__)

# Below this many files a pool costs more (fork, pipes) than it saves. Measured on 2 cores
# with corpus files (~9 KB each): 16 files 20 ms serial / 29 ms pooled, 32 files about even,
# 200 files 0.49 s / 0.34 s.
PARALLEL_MIN_FILES = 32


@dataclass(frozen=True)
class BatchOptions:
    """What a run does beyond linting. `fix` None: report only; SAFE: `--fix`;
    UNSAFE: `--fix --unsafe-fixes`. `write` False computes fixes without writing them."""

    fix: Applicability | None = None
    write: bool = True
    errors_only: bool = False  # --quiet: warning rules do not run, as in ESLint
    max_file_size: int | None = None  # beats the config's max-file-size
    workers: int | None = None  # processes; None: one per available core
    keep_source: bool = False  # keep the linted text in reports (ESLint JSON's `source`)
    fingerprints: bool = False  # hash each message's line for SARIF's partialFingerprints
    render_json: bool = False  # render each report as ESLint JSON where it is linted
    require_ml: bool = False  # --ml: a detector that cannot be loaded fails the run
    ray_address: str | None = None  # --ray-address: the ML tier on this Ray cluster (else THEA_RAY_ADDRESS)


class MlUnavailable(Exception):
    """The ML tier was required (`--ml`) and its detector cannot be loaded or served;
    `checkpoint`: because of the model's files (not, say, Ray)."""

    def __init__(self, problem: str, checkpoint: bool) -> None:
        super().__init__(problem)
        self.checkpoint = checkpoint


@dataclass
class BatchResult:
    reports: list[FileReport] = field(default_factory=list)
    configs: list[ResolvedConfig] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    ml_problem: str | None = None  # why the ML tier a config enabled did not run

    @property
    def files(self) -> int:
        return len(self.reports)

    @property
    def crashed(self) -> bool:
        return any(report.crashed for report in self.reports)


@dataclass(frozen=True)
class _Job:
    path: str
    config: int  # index into the run's resolved configurations


def run_batch(
    paths: Sequence[str],
    overrides: Overrides,
    options: BatchOptions,
    environ: Mapping[str, str] | None = None,
    on_file: Callable[[FileReport, int], None] | None = None,
) -> BatchResult:
    """Lint every file under `paths`; `on_file(report, total)` follows progress.

    A broken config raises `ConfigError` before any file is linted; a problem with one
    file becomes a fatal message in that file's report and the run goes on.
    """
    started = time.perf_counter()
    environ = dict(os.environ if environ is None else environ)
    cache = ConfigCache()
    result = BatchResult()
    config_index: dict[int, int] = {}
    by_directory: dict[str, int] = {}  # the nearest config is per directory: resolve each once
    slots: list[FileReport | _Job] = []
    for discovered in discover_files([Path(path) for path in paths], cache, overrides, environ):
        path = os.path.abspath(discovered.path)
        if discovered.error:
            slots.append(FileReport(path, [_discovery_problem(discovered.error)]))
            continue
        directory = os.path.dirname(path)
        index = by_directory.get(directory)
        if index is None:
            resolved = cache.resolve(Path(path), overrides, environ)
            index = config_index.get(id(resolved))
            if index is None:
                index = config_index[id(resolved)] = len(result.configs)
                result.configs.append(resolved)
            by_directory[directory] = index
        slots.append(_Job(path, index))
    jobs = [slot for slot in slots if isinstance(slot, _Job)]
    pooled, thresholds, pool_problem = _pooled_detector(result.configs, jobs, options, environ)
    if pooled is not None:  # the ML tier on the Ray pool; pattern rules in this process
        detectors: dict[int, Detector | PooledDetector] = dict.fromkeys(thresholds, pooled)  # same interface
        others = [i for i, c in enumerate(result.configs) if c.ml_enabled and i not in thresholds]
        if others:  # another model or context length than the pool's: loaded here
            loaded, result.ml_problem = _load_detectors(result.configs, options.require_ml, others)
            detectors.update(loaded)
        result.workers = pooled.workers
    else:
        if pool_problem is not None:
            logger.warning("%s; the ML detector runs in this process instead", pool_problem)
        detectors, result.ml_problem = _load_detectors(result.configs, options.require_ml)  # type: ignore[assignment]
        result.workers = 1 if detectors else _worker_count(options, len(jobs))
    logger.info("%d files to lint, %d configurations, %d workers", len(jobs), len(result.configs), result.workers)
    total = len(slots)
    # closing(): an interrupted run shuts the pool down now, not when collected
    with (
        contextlib.closing(pooled) if pooled is not None else contextlib.nullcontext(),
        contextlib.closing(
            _lint_jobs(jobs, result.configs, options, 1 if pooled else result.workers, detectors, thresholds)
        ) as done,
    ):
        for slot in slots:
            report = next(done) if isinstance(slot, _Job) else slot
            result.reports.append(report)
            if on_file is not None:
                on_file(report, total)
    result.seconds = time.perf_counter() - started
    logger.info("linted %d files in %.2fs", len(jobs), result.seconds)
    return result


def _worker_count(options: BatchOptions, files: int) -> int:
    if options.workers is not None:
        wanted = options.workers
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if files < PARALLEL_MIN_FILES or "fork" not in multiprocessing.get_all_start_methods():
        # Workers are forked with the resolved configs in memory; where fork is missing
        # (Windows, macOS' default) the rule sets, which hold modules, cannot be sent.
        return 1
    return max(1, min(wanted, files))


def _pooled_detector(
    configs: list[ResolvedConfig], jobs: list[_Job], options: BatchOptions, environ: Mapping[str, str]
) -> tuple[PooledDetector | None, dict[int, float], str | None]:
    """The ML tier on the detector pool (engine/pool), when `--workers` is above 1 or a Ray
    address is given: (pool, the threshold of each config it serves, None); (None, {}, None)
    otherwise, (None, {}, why) when it cannot start. One pool serves every config that enables
    the ML tier with the model and context length of the first such config, at the lowest of
    their thresholds (a config without one: its checkpoint's calibrated threshold); each
    config's own threshold is applied to its files after. Files are submitted ahead, in
    discovery order."""
    from engine.pool.cluster import resolve_address

    wanted = [index for index, config in enumerate(configs) if config.ml_enabled]
    address = resolve_address(options.ray_address, environ)
    if not wanted or not (address or (options.workers or 1) > 1):
        return None, {}, None
    from engine.pool.batch_detector import PooledDetector
    from engine.pool.detector import DetectorSpec

    specs = {index: DetectorSpec.from_settings(configs[index].model) for index in wanted}
    first = specs[wanted[0]]
    served = [index for index in wanted if specs[index].same_model(first)]
    model = configs[wanted[0]].model
    try:
        by_spec = {spec: spec.threshold() for spec in {specs[index] for index in served}}  # one read per checkpoint
        thresholds = {index: by_spec[specs[index]] for index in served}
        spec = dataclasses.replace(first, confidence_threshold=min(thresholds.values()))
        pooled = PooledDetector.start(spec, options.workers or model.max_workers, address)
    except Exception as error:  # Ray or the checkpoint: said, never ignored
        problem = f"cannot start the ML detector pool: {type(error).__name__}: {error}"
        if options.require_ml:
            from engine.model.calibration_file import CheckpointError

            unloadable = isinstance(error, CheckpointError) or not (Path(first.model_path) / "config.json").is_file()
            raise MlUnavailable(problem, checkpoint=unloadable) from error
        return None, {}, problem
    pooled.prefetch((job.path, options.max_file_size or configs[job.config].max_file_size) for job in jobs if job.config in thresholds)
    return pooled, thresholds, None


def _load_detectors(
    configs: list[ResolvedConfig], required: bool, only: list[int] | None = None
) -> tuple[dict[int, Detector], str | None]:
    """The ML detector of each config that enables the ML tier (of the configs `only` names),
    loaded in this process, once per distinct model settings (many folder configs that differ
    only in their rules share one).

    Loaded exactly as the server's pool loads it (`DetectorSpec.from_settings`). With a
    detector the run stays in one process: torch spreads its own threads over the cores, and
    a process forked after torch started its thread pool may hang.
    """
    wanted = [index for index, config in enumerate(configs) if config.ml_enabled and (only is None or index in only)]
    if not wanted:
        return {}, None
    from engine.model.detector import load  # torch: imported only when the ML tier is on
    from engine.pool.detector import DetectorSpec

    detectors: dict[int, Detector] = {}
    loaded: dict[DetectorSpec, Detector] = {}
    for index in wanted:
        spec = DetectorSpec.from_settings(configs[index].model)
        try:
            if spec not in loaded:
                loaded[spec] = load(spec.model_path, spec.context_length, spec.confidence_threshold)
            detectors[index] = loaded[spec]
        except Exception as error:  # a missing or broken checkpoint: said, never ignored
            problem = f"cannot load the ML detector from {spec.model_path}: {type(error).__name__}: {error}"
            if required:
                raise MlUnavailable(problem, checkpoint=True) from error
            logger.debug("ML detector unavailable", exc_info=True)
            return {}, problem
    return detectors, None


def _lint_jobs(
    jobs: list[_Job],
    configs: list[ResolvedConfig],
    options: BatchOptions,
    workers: int,
    detectors: Mapping[int, Detector | PooledDetector],
    thresholds: Mapping[int, float],
) -> Iterator[FileReport]:
    if workers <= 1:
        linter = _FileLinter(configs, options, detectors, thresholds)
        for job in jobs:
            yield linter.run(job)
        return
    warm = _FileLinter(configs, options)
    for index in range(len(configs)):
        compile_query(warm._rule_set(index))  # forked children inherit the compiled queries
    context = multiprocessing.get_context("fork")
    chunksize = max(1, min(16, len(jobs) // (workers * 8)))
    # With fork, initargs reach the children by memory, not by pickling.
    with context.Pool(workers, initializer=_init_worker, initargs=(configs, options)) as pool:
        yield from pool.imap(_run_in_worker, jobs, chunksize)


_worker_linter: _FileLinter | None = None  # set in each pool process by _init_worker


def _init_worker(configs: list[ResolvedConfig], options: BatchOptions) -> None:
    global _worker_linter
    _worker_linter = _FileLinter(configs, options)


def _run_in_worker(job: _Job) -> FileReport:
    assert _worker_linter is not None, "pool worker used before its initializer ran"
    return _worker_linter.run(job)


class _FileLinter:
    """Lints one file at a time with the run's configurations (one per process)."""

    def __init__(
        self,
        configs: list[ResolvedConfig],
        options: BatchOptions,
        detectors: Mapping[int, Detector | PooledDetector] | None = None,
        thresholds: Mapping[int, float] | None = None,
    ) -> None:
        self.configs = configs
        self.options = options
        self.detectors = detectors or {}
        self.thresholds = thresholds or {}  # per config, where a shared pool's threshold is lower
        self._rule_sets: dict[int, RuleSet] = {}

    def run(self, job: _Job) -> FileReport:
        try:
            report = self._lint(job)
        except Exception as error:  # a bug must cost one file, not the run
            logger.exception("internal error on %s", job.path)
            report = FileReport(job.path, [Message.fatal_problem(f"Internal error: {type(error).__name__}: {error}")])
            report.crashed = True
        if self.options.render_json:
            report.rendered_json = result_json(report)
            report.compact()  # the rest is in the rendering: not sent back again
        return report

    def _rule_set(self, index: int) -> RuleSet:
        rules = self._rule_sets.get(index)
        if rules is None:
            rules = self.configs[index].rule_set
            if self.options.errors_only:
                # --quiet: warning rules do not run, and directives naming them are not unused
                rules = dataclasses.replace(
                    rules,
                    rules=tuple(enabled for enabled in rules.rules if enabled.severity == Severity.ERROR),
                    filtered_rule_ids=rules.filtered_rule_ids
                    | {enabled.rule.id for enabled in rules.rules if enabled.severity != Severity.ERROR},
                )
            self._rule_sets[index] = rules
        return rules

    def _lint(self, job: _Job) -> FileReport:
        config = self.configs[job.config]
        problem = _unreadable(job.path, self.options.max_file_size or config.max_file_size)
        if problem:
            return FileReport(job.path, [Message.fatal_problem(problem)])
        try:
            snapshot = read_snapshot(job.path)
        except OSError as error:
            return FileReport(job.path, [Message.fatal_problem(_os_problem(error))])
        try:
            source = Source.from_bytes(snapshot.raw)
        except DecodeError as error:
            return FileReport(job.path, [Message.fatal_problem(f"Cannot lint file: {error}; skipped.")])
        lint = _Lint(
            self._rule_set(job.config),
            dominant_eol(source.text),
            self.thresholds.get(job.config, config.model.confidence_threshold),
            self.options.errors_only,
            self.detectors.get(job.config),
        )
        tree = parse(source)
        if self.options.fix is None:
            return self._report(job.path, source, lint(source, tree))
        fixed = apply_fixes(source, lint, self.options.fix, tree=tree)
        if not fixed.changed:
            return self._report(job.path, source, lint(source, tree))
        outcome = write_fixed(snapshot, fixed.source) if self.options.write else None
        if outcome is not None and outcome.status in (WriteStatus.CHANGED_ON_DISK, WriteStatus.FAILED):
            # Nothing was written: report the file as it is on disk, plus why.
            report = self._report(job.path, source, lint(source, tree))
            report.messages.append(Message.fatal_problem(f"Fixes not written: {outcome.detail}."))
            report.write_status, report.write_detail = outcome.status.value, outcome.detail
            return report
        report = self._report(job.path, fixed.source, lint(fixed.source, fixed.tree), output=fixed.source.text)
        report.fixes_applied = len(fixed.applied)
        report.write_status = outcome.status.value if outcome is not None else None
        return report

    def _report(self, path: str, source: Source, findings: list[Finding], output: str | None = None) -> FileReport:
        line_digests: dict[int, str] | None = {} if self.options.fingerprints else None
        messages = [Message.from_finding(finding, source, line_digests) for finding in findings]
        keep = self.options.keep_source and output is None and bool(messages)
        return FileReport(path, messages, source=source.text if keep else None, output=output)


class _Lint:
    """`lint_source` as the fixer calls it, remembering the last answer: the fixer's final
    pass lints the fixed text already, and the report needs exactly those findings."""

    def __init__(
        self,
        rules: RuleSet,
        eol: str,
        confidence: float | None,
        errors_only: bool,
        detector: Detector | PooledDetector | None = None,
    ) -> None:
        self.rules = rules
        self.eol = eol
        self.confidence = confidence
        self.errors_only = errors_only
        self.detector = detector
        self._last: tuple[Source, list[Finding]] | None = None

    def __call__(self, source: Source, tree: tree_sitter.Tree) -> list[Finding]:
        if self._last is not None and self._last[0] is source:
            return self._last[1]
        findings = lint_source(source, tree, self.rules)
        if self.detector is not None:  # ML findings are warnings: --quiet drops them below
            findings += self.detector.detect_with_directives(source, tree)
            findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
        if self.errors_only:
            findings = [f for f in findings if f.severity == Severity.ERROR]
        if self.confidence is not None:  # None: the detector applies its checkpoint's calibrated threshold
            findings = [f for f in findings if f.reported_at(self.confidence)]
        findings = with_line_endings(findings, self.eol)
        self._last = (source, findings)
        return findings


def _discovery_problem(error: str) -> Message:
    if error == NOT_JAVASCRIPT:
        # As ESLint for a named file no config matches: a warning, not a failure.
        extensions = ", ".join(sorted(JAVASCRIPT_SUFFIXES))
        return Message(None, None, f"File ignored: not a JavaScript file ({extensions}).", Severity.WARNING, 0, 0)
    return Message.fatal_problem(f"{error[:1].upper()}{error[1:]}; skipped.")


def _unreadable(path: str, max_size: int) -> str | None:
    """Why a file cannot be linted before it is even opened, or None."""
    try:
        info = os.stat(path)
    except OSError as error:
        return _os_problem(error)
    if not stat.S_ISREG(info.st_mode):
        return "Not a regular file; skipped."
    if info.st_size > max_size:
        return (
            f"File is {info.st_size:,} bytes, over the max-file-size of {max_size:,} bytes (a generated or "
            "minified file?); skipped. Raise `max-file-size` in .thea.toml or pass --max-file-size to lint it."
        )
    return None


def _os_problem(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "File not found (deleted during the run?); skipped."
    if error.errno == errno.ELOOP:
        return "Too many levels of symbolic links (a symlink loop?); skipped."
    return f"Cannot read file: {error.strerror or error}; skipped."
