"""`thea`: the command line. Parses arguments, calls `engine.batch`, prints a report.

    thea check [PATHS...] [--format stylish|json|sarif] [-o FILE] [--fix [--unsafe-fixes]]
               [--fix-dry-run] [--max-warnings N] [--quiet] [--rule 'id: severity'] ...
    thea rules [--format text|json] [--docs DIR]

Exit codes, as ESLint's: 0 no problems; 1 errors, a file that could not be linted, or more
warnings than --max-warnings; 2 a usage or configuration error, or an internal error.
This module is the output layer: it alone writes to stdout and stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Sequence, TextIO

import engine
from engine.batch import BatchOptions, BatchResult, MlUnavailable, run_batch
from engine.config import ConfigError, Overrides
from engine.config.presets import PRESETS
from engine.config.schema import MAX_FILE_SIZE_RANGE
from engine.config.validate import check_size
from engine.docs import write_docs
from engine.fix.edit import Applicability
from engine.report import FORMATS, FileReport, Totals, render
from engine.rule_flag import RuleFlagError, parse_rule_flag
from engine.rules import all_rules
from engine.rules.rule import Rule

logger = logging.getLogger("engine.cli")  # "__main__" under `python -m`

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 200  # a progress bar only where a run takes a while


class UsageError(Exception):
    """Arguments that parse but do not make sense together (exit code 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thea", description="JavaScript linter and fixer.")
    parser.add_argument("--version", action="version", version=f"thea {engine.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="lint (and fix) files and directories")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--directory", "--file", dest="more_paths", action="append", default=[], metavar="PATH",
                       help="a file or directory to lint (same as a positional PATH; repeatable)")
    check.add_argument("-f", "--format", choices=FORMATS, default="stylish", help="output format (default: stylish)")
    check.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --fix-dry-run: apply unsafe fixes too")
    check.add_argument("--fix-dry-run", action="store_true", help="compute fixes, report the fixed `output`, write nothing")
    check.add_argument("--max-warnings", type=int, default=-1, metavar="N", help="exit 1 when there are more than N warnings")
    check.add_argument("--quiet", action="store_true", help="report errors only (warning rules do not run)")
    check.add_argument("--no-inline-config", action="store_true",
                       help="ignore /* eslint ... */ and disable comments, as ESLint's flag of that name")
    check.add_argument("--rule", action="append", default=[], metavar="RULE",
                       help="a rule setting in ESLint's syntax, e.g. 'eqeqeq: [error, smart]', or JSON (repeatable)")
    check.add_argument("--config", dest="preset", choices=sorted(PRESETS), help="settings preset")
    check.add_argument("--workers", type=int, metavar="N", help="worker processes (default: one per core)")
    check.add_argument("--confidence", type=float, metavar="X", help="drop ML findings below this confidence (0 to 1)")
    check.add_argument("--ml", action="store_true", help="run the ML detector as well as the pattern rules")
    check.add_argument("--max-file-size", metavar="SIZE", help='skip larger files (bytes or e.g. "10MiB"; beats the config)')
    check.add_argument("--ray-address", metavar="HOST:PORT",
                       help="run the ML detector on this Ray cluster (default: THEA_RAY_ADDRESS; with --workers above 1, a local one)")
    color = check.add_mutually_exclusive_group()
    color.add_argument("--color", dest="color", action="store_true", default=None, help="force colour")
    color.add_argument("--no-color", dest="color", action="store_false", help="no colour")
    check.add_argument("-v", "--verbose", action="count", default=0, help="log progress (-vv: debug)")

    rules = commands.add_parser("rules", help="list the rules, or write their documentation pages")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--docs", metavar="DIR", type=Path, help="write one Markdown page per rule into DIR")
    rules.add_argument("-v", "--verbose", action="count", default=0)
    health = commands.add_parser("health", help="start or join the ML detector pool and probe every worker")
    health.add_argument("--format", choices=("text", "json"), default="text")
    health.add_argument("--workers", type=int, metavar="N", help="detector actors (default: the config's max_workers)")
    health.add_argument("--ray-address", metavar="HOST:PORT", help="join this Ray cluster (default: THEA_RAY_ADDRESS, else local)")
    health.add_argument("--config", dest="preset", choices=sorted(PRESETS), help="settings preset")
    health.add_argument("--timeout", type=float, default=300.0, metavar="S", help="seconds to wait for the pool (default 300)")
    health.add_argument("-v", "--verbose", action="count", default=0)
    # The ML subcommands parse their own options (engine/model/train.py, evaluate.py).
    commands.add_parser("train", help="train the ML detector on CPU (see `thea train --help`)", add_help=False)
    commands.add_parser("eval", help="evaluate the ML detector on held-out packages", add_help=False)
    commands.add_parser("serve", help="run the language server (LSP over stdio; see `thea serve --help`)", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in ("train", "eval"):
        return _ml_command(arguments[0], arguments[1:])
    if arguments and arguments[0] == "serve":
        from thea_lsp.__main__ import main as serve_main  # the server parses its own options

        return serve_main(arguments[1:])
    if arguments and arguments[0] == "--health-check":  # the original design's spelling of `thea health`
        arguments[0] = "health"
    parser = build_parser()
    args = parser.parse_args(arguments)
    _configure_logging(args.verbose if args.command else 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        if args.command == "rules":
            return _rules(args)
        if args.command == "health":
            return _health(args)
        return _check(args)
    except (UsageError, ConfigError) as error:
        print(f"thea: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("thea: interrupted", file=sys.stderr)
        return 130


def _ml_command(name: str, argv: list[str]) -> int:
    """`thea train` / `thea eval`: imported on demand, torch is slow to load."""
    if name == "train":
        from engine.model.train import main as train_main

        return train_main(argv)
    from engine.model.evaluate import main as eval_main

    return eval_main(argv)


class _CliLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Thea's log lines on stderr; one per process, replaced by each `main` call."""


def _configure_logging(verbosity: int) -> None:
    # Thea's own logger, not the root: an embedding program's logging stays as it was.
    package_logger = logging.getLogger("engine")
    for handler in [h for h in package_logger.handlers if isinstance(h, _CliLogHandler)]:
        package_logger.removeHandler(handler)
    handler = _CliLogHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("thea: %(levelname)s: %(name)s: %(message)s"))
    package_logger.addHandler(handler)
    package_logger.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG))


def _check(args: argparse.Namespace) -> int:
    options, overrides = _batch_settings(args)
    paths = list(args.paths) + list(args.more_paths) or ["."]
    progress = _Progress(sys.stderr, 1 if args.ml else PROGRESS_MIN_FILES) if sys.stderr.isatty() and args.verbose == 0 else None
    try:
        result = run_batch(paths, overrides, options, on_file=progress.advance if progress else None)
    except MlUnavailable as error:
        # --ml asked for the detector: a CI job that wanted it must not pass without it
        hint = " (set THEA_MODEL_PATH or [model] path)" if error.checkpoint else ""  # not for a Ray problem
        raise UsageError(f"--ml needs the ML detector: {error}{hint}") from None
    finally:
        if progress is not None:
            progress.close()
    _warn_about_ml(result)
    color = args.color if args.color is not None else (args.output_file is None and _tty_colors(sys.stdout))
    text = render(args.format, result.reports, rules=_rules_used(result), root=os.getcwd(), color=color)
    _emit(text, args.output_file)
    if args.format != "stylish" or args.output_file:
        _echo_fatal(result.reports)
    totals = Totals.of(result.reports)
    logger.info("%d files in %.2fs (%d workers), %d problems", result.files, result.seconds, result.workers, totals.problems)
    if result.crashed:
        print("thea: internal errors occurred (see the messages above); please report them", file=sys.stderr)
        return EXIT_ERROR
    too_many_warnings = 0 <= args.max_warnings < totals.warnings
    if too_many_warnings and not totals.errors:
        print(f"thea found too many warnings (maximum: {args.max_warnings}).", file=sys.stderr)
    return EXIT_PROBLEMS if totals.errors or too_many_warnings else EXIT_OK


def _batch_settings(args: argparse.Namespace) -> tuple[BatchOptions, Overrides]:
    if args.fix and args.fix_dry_run:
        raise UsageError("--fix and --fix-dry-run cannot be used together")
    if args.unsafe_fixes and not (args.fix or args.fix_dry_run):
        raise UsageError("--unsafe-fixes only applies with --fix or --fix-dry-run")
    if args.max_warnings < -1:
        raise UsageError(f"--max-warnings: expected -1 or more, got {args.max_warnings}")
    rules: dict[str, object] = {}
    for text in args.rule:
        try:
            rules.update(parse_rule_flag(text))
        except RuleFlagError as error:
            raise UsageError(str(error)) from None
    max_file_size = None
    if args.max_file_size is not None:
        raw = int(args.max_file_size) if args.max_file_size.isdigit() else args.max_file_size
        max_file_size = check_size(raw, *MAX_FILE_SIZE_RANGE, key="--max-file-size", origin="command line")
    overrides = Overrides(
        preset=args.preset,
        workers=args.workers,
        confidence=args.confidence,
        rules=rules,
        ml=True if args.ml else None,
        inline_config=False if args.no_inline_config else None,
        origin="command line",
    )
    fixing = args.fix or args.fix_dry_run
    options = BatchOptions(
        fix=(Applicability.UNSAFE if args.unsafe_fixes else Applicability.SAFE) if fixing else None,
        write=bool(args.fix),
        errors_only=args.quiet,
        max_file_size=max_file_size,
        workers=args.workers,
        keep_source=args.format == "json",
        fingerprints=args.format == "sarif",
        render_json=args.format == "json",
        require_ml=args.ml,
        ray_address=args.ray_address,
    )
    return options, overrides


def _health(args: argparse.Namespace) -> int:
    """`thea health`: the pool's state as text or JSON; exit 1 unless every actor answered."""
    from engine.config import ConfigCache
    from engine.pool.detector import DetectorSpec
    from engine.pool.health import run_health

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers: expected 1 or more, got {args.workers}")
    overrides = Overrides(preset=args.preset, workers=args.workers, origin="command line")
    model = ConfigCache().resolve(Path.cwd() / "health-probe.js", overrides, dict(os.environ)).model
    workers = model.max_workers
    if args.ray_address is None and not os.environ.get("THEA_RAY_ADDRESS") and args.workers is None:
        workers = min(workers, os.cpu_count() or 1)  # a preset's default, on this machine
    report = run_health(DetectorSpec.from_settings(model), workers, args.ray_address, args.timeout)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report.render_text())
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _rules_used(result: BatchResult) -> dict[str, Rule]:
    """The rules enabled for any file of the run (SARIF's `tool.driver.rules`)."""
    return {enabled.rule.id: enabled.rule for config in result.configs for enabled in config.rule_set.rules}


def _warn_about_ml(result: BatchResult) -> None:
    if result.ml_problem is not None:
        print(
            f"thea: warning: the configuration turns the ML detector on, but {result.ml_problem}; "
            "only the pattern rules ran",
            file=sys.stderr,
        )


def _emit(text: str, output_file: str | None) -> None:
    if output_file is None:
        if text:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path = Path(output_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write the report to {output_file}: {error.strerror or error}") from None


def _echo_fatal(reports: list[FileReport]) -> None:
    for report in reports:
        for message in report.messages:
            if message.fatal:
                print(f"thea: {report.path}: {message.message}", file=sys.stderr)


def _tty_colors(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class _Progress:
    """A rich progress bar on stderr, shown once a run has enough files to take a while."""

    def __init__(self, stream: TextIO, min_files: int = PROGRESS_MIN_FILES) -> None:
        self.stream = stream
        self.min_files = min_files  # the ML tier makes every file slow: then from the first
        self._bar = None
        self._task = None
        self._last_refresh = 0.0

    def advance(self, report: FileReport, total: int) -> None:
        if self._bar is None:
            if total < self.min_files:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            # auto_refresh off: no refresh thread next to the worker pool; refreshed below.
            self._bar = Progress(TextColumn("linting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=Console(file=self.stream), transient=True, auto_refresh=False)
            self._bar.start()
            self._task = self._bar.add_task("lint", total=total)
        self._bar.advance(self._task)
        now = time.monotonic()
        if now - self._last_refresh > 0.1:
            self._bar.refresh()
            self._last_refresh = now

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _rules(args: argparse.Namespace) -> int:
    rules = sorted(all_rules().values(), key=lambda rule: rule.id)
    if args.docs is not None:
        written = write_docs(args.docs, rules)
        print(f"thea: {len(rules)} rule pages in {args.docs} ({len(written)} files updated)", file=sys.stderr)
        return EXIT_OK
    if args.format == "json":
        items = [
            {
                "id": rule.id,
                "type": rule.meta.type,
                "fixable": rule.meta.fixable,
                "recommended": rule.meta.recommended,
                "description": rule.meta.description,
                "eslintEquivalent": rule.meta.eslint_equivalent,
                "defaultSeverity": rule.meta.default_severity.name.lower(),
                "docsUrl": rule.meta.docs_url,
            }
            for rule in rules
        ]
        print(json.dumps(items, indent=2))
        return EXIT_OK
    rows = [("id", "type", "fixable", "recommended", "description")]
    rows += [(r.id, r.meta.type, r.meta.fixable, "yes" if r.meta.recommended else "no", r.meta.description) for r in rules]
    widths = [max(len(row[index]) for row in rows) for index in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
