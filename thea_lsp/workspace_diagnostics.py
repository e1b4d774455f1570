"""workspace/diagnostic: reports for the JavaScript files of the workspace folders on disk.

Clients poll this request (vscode-languageclient every 2 s after each answer), so a file is
only read and linted again when its (mtime, size) or its resolved config changed; otherwise
the previous result id is answered with an "unchanged" report. Documents open in the editor
are left to textDocument/diagnostic. Discovery and linting run in their own single-thread
executor, one file per job, so the request can be cancelled between files.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from lsprotocol import types

from engine.config.resolved import ResolvedConfig
from engine.linter import lint_source
from engine.parse.parser import JAVASCRIPT_SUFFIXES, parse
from engine.parse.source import DecodeError, PositionEncoding, Source
from thea_lsp import convert
from thea_lsp.convert import JsonDiagnostic
from thea_lsp.protocol import RawJSON
from thea_lsp.configuration import Configuration
from thea_lsp.documents import human_size
from thea_lsp.progress import WorkDone

logger = logging.getLogger(__name__)

# Progress is only shown when a pull has real work; a poll of unchanged files stays silent.
_PROGRESS_THRESHOLD = 20


@dataclass(frozen=True)
class DiskReport:
    result_id: str
    diagnostics: tuple[JsonDiagnostic, ...]
    key: tuple[int, int]  # (mtime_ns, size) it was computed from
    config: ResolvedConfig | None


class DiskAnalyser:
    """Lints files on disk, remembering each result until the file or its config changes."""

    def __init__(self, configuration: Configuration, encoding: Callable[[], PositionEncoding]) -> None:
        self._configuration = configuration
        self._encoding = encoding
        self._reports: dict[Path, DiskReport] = {}
        self._serial = 0
        self.lane = ThreadPoolExecutor(1, thread_name_prefix="thea-workspace")

    def cached(self, path: Path, config: ResolvedConfig | None) -> DiskReport | None:
        """The remembered report when the file and its config are unchanged."""
        report = self._reports.get(path)
        if report is None or report.config is not config:
            return None
        try:
            info = path.stat()
        except OSError:
            return None
        return report if report.key == (info.st_mtime_ns, info.st_size) else None

    def report(self, path: Path, config: ResolvedConfig | None = None, problem: str | None = None) -> DiskReport:
        """Lint one file (runs in `lane`); `config` as resolved for its directory."""
        if config is None and problem is None:
            config, problem = self._configuration.resolve(path)
        cached = self.cached(path, config)
        if cached is not None:
            return cached
        try:
            info = path.stat()
        except OSError as error:
            return self._remember(path, (0, 0), config, (convert.notice(f"Thea: cannot read the file: {error.strerror}"),))
        key = (info.st_mtime_ns, info.st_size)
        notices = [convert.notice(problem, types.DiagnosticSeverity.Warning)] if problem else []
        if config is None:
            return self._remember(path, key, config, tuple(notices))
        if info.st_size > config.max_file_size:
            size, most = human_size(info.st_size), human_size(config.max_file_size)
            notices.append(convert.notice(f"Thea: not analysed: the file is {size}, over max_file_size ({most})."))
            return self._remember(path, key, config, tuple(notices))
        try:
            source = Source.from_bytes(path.read_bytes())
        except DecodeError as error:
            notices.append(convert.notice(f"Thea: not analysed: {error}."))
            return self._remember(path, key, config, tuple(notices))
        except OSError as error:
            notices.append(convert.notice(f"Thea: cannot read the file: {error.strerror}"))
            return self._remember(path, key, config, tuple(notices))
        findings = lint_source(source, parse(source), config.rule_set)
        # version 0: a file on disk has no editor version; its data is only read by code actions
        items = convert.diagnostics(findings, source, 0, self._encoding())
        return self._remember(path, key, config, tuple(notices) + tuple(items))

    def forget(self, path: Path | None = None) -> None:
        if path is None:
            self._reports.clear()
        else:
            self._reports.pop(path, None)

    def _remember(
        self, path: Path, key: tuple[int, int], config: ResolvedConfig | None, diagnostics: tuple[JsonDiagnostic, ...]
    ) -> DiskReport:
        self._serial += 1
        report = DiskReport(f"disk.{self._serial}", diagnostics, key, config)
        self._reports[path] = report
        return report

    def discover(self, folders: list[Path], limit: int) -> list[tuple[Path, ResolvedConfig | None, str | None]]:
        """The JavaScript files under the folders (not ignored), each with its config."""
        found: list[tuple[Path, ResolvedConfig | None, str | None]] = []
        seen: set[Path] = set()
        for folder in folders:
            for path, config, problem in self._walk(folder):
                if path in seen:
                    continue
                seen.add(path)
                found.append((path, config, problem))
                if len(found) >= limit:
                    logger.warning("workspace diagnostics: stopped at maxWorkspaceFiles = %d files", limit)
                    return found
        return found

    def _walk(self, folder: Path) -> Iterator[tuple[Path, ResolvedConfig | None, str | None]]:
        for directory, dirnames, filenames in os.walk(folder):
            here = Path(directory)
            # config discovery is per directory: one resolve serves all of its files
            config, problem = self._configuration.resolve(here / "_.js")
            if config is not None:
                dirnames[:] = [name for name in dirnames if not config.is_ignored(here / name, is_dir=True)]
            dirnames.sort()
            for name in sorted(filenames):
                if os.path.splitext(name)[1].lower() not in JAVASCRIPT_SUFFIXES:
                    continue
                path = here / name
                if config is not None and config.is_ignored(path, is_dir=False):
                    continue
                try:
                    if not stat.S_ISREG(path.stat().st_mode):
                        continue
                except OSError:
                    continue
                yield path, config, problem


async def workspace_report(
    analyser: DiskAnalyser,
    server: object,
    folders: list[Path],
    open_paths: set[Path],
    params: types.WorkspaceDiagnosticParams,
    limit: int,
) -> RawJSON:
    loop = asyncio.get_running_loop()
    previous = {item.uri: item.value for item in params.previous_result_ids or ()}
    files = await loop.run_in_executor(analyser.lane, analyser.discover, folders, limit)
    files = [entry for entry in files if entry[0] not in open_paths]
    stale = sum(1 for path, config, _ in files if analyser.cached(path, config) is None)
    progress = await WorkDone.start(
        server, "Thea: checking the workspace", params.work_done_token, create=stale >= _PROGRESS_THRESHOLD  # type: ignore[arg-type]
    )
    items: list[dict[str, Any]] = []
    try:
        for done, (path, config, problem) in enumerate(files):
            if progress.cancelled:
                break
            report = analyser.cached(path, config)
            if report is None:
                report = await loop.run_in_executor(analyser.lane, analyser.report, path, config, problem)
                progress.report(done + 1, len(files), path.name)
            uri = path.as_uri()
            item: dict[str, Any] = {"uri": uri, "version": None, "resultId": report.result_id}
            if previous.get(uri) == report.result_id:
                item["kind"] = "unchanged"
            else:
                item.update(kind="full", items=list(report.diagnostics))
            items.append(item)
    finally:
        progress.end(f"{len(files)} files")
    return RawJSON({"items": items})
