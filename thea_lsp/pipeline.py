"""The per-document pipeline: edits -> snapshot -> finding sources -> stored diagnostics.

Threads. pygls runs handlers on its event loop, which also reads stdin (see `stdio`). This
module adds two single-thread executors of its own (never pygls' thread pool): the document
lane (applies edits, incremental re-parse, config resolution, snapshots) and the rules lane
(lints, and converts many findings to diagnostics). The loop only schedules and stores, so
a slow analysis never delays reading the next message.

Versions. Every change of a document's content or config bumps its `epoch`; each analysis
result carries the epoch of its snapshot and is dropped unless still current. A new edit
cancels the pending (debounced) analysis; a queued lint whose epoch is stale is skipped.

Store. Results are kept per finding source ("status" for notices, "rules", later "ml"),
and merged when diagnostics are published or pulled.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol, Sequence

from lsprotocol import types

from engine.parse.source import PositionEncoding
from thea_lsp import convert
from thea_lsp.convert import JsonDiagnostic
from thea_lsp.documents import ConfigResolver, DocumentModel, Snapshot
from thea_lsp.sources import FindingSource, RulesSource, Superseded

logger = logging.getLogger(__name__)

STATUS = "status"  # the pseudo-source of whole-document notices
# Up to this many findings are converted on the loop (well under a millisecond); more go to
# the rules lane. Two thread hops cost more than converting a handful.
_CONVERT_INLINE = 32


@dataclass(frozen=True)
class SourceResult:
    epoch: int
    version: int
    diagnostics: tuple[JsonDiagnostic, ...]


class Listener(Protocol):
    def document_ready(self, state: DocumentState) -> None:
        """Every interactive source has answered for the current epoch."""

    def background_result(self, state: DocumentState) -> None:
        """A background source added findings after the document was ready."""


class DocumentState:
    """Loop-side bookkeeping of one open document (the text lives in its lane-owned model)."""

    def __init__(self, uri: str, path: Path | None, model: DocumentModel, version: int, instance: int) -> None:
        self.uri = uri
        self.instance = instance  # distinguishes a re-opened document in result ids
        self.path = path
        self.model = model  # touched only in the document lane
        self.version = version  # the latest version the client announced
        self.epoch = 0  # bumps on every content or config change
        self.snapshot: Snapshot | None = None
        self.snapshot_epoch = -1
        self.analysed_epoch = -1
        self.pending: set[str] = set()  # interactive sources still running for analysed_epoch
        self.results: dict[str, SourceResult] = {}
        self.serial = 0  # bumps whenever the stored results change (pull result ids)
        self.task: asyncio.Task[None] | None = None
        self.running: set[asyncio.Task[None]] = set()  # source runs (asyncio keeps only weak refs)
        self.closed = False
        self._changed: asyncio.Future[None] | None = None

    @property
    def ready(self) -> bool:
        return self.analysed_epoch == self.epoch and not self.pending

    @property
    def result_id(self) -> str:
        return f"{self.instance}.{self.version}.{self.serial}"

    def diagnostics(self) -> list[JsonDiagnostic]:
        """The merged diagnostics of every source that answered for the current epoch."""
        groups = [result.diagnostics for result in self.results.values() if result.epoch == self.epoch]
        return convert.merged(groups)

    async def changed(self) -> None:
        """Wait for the next snapshot or stored result."""
        if self._changed is None or self._changed.done():
            self._changed = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._changed)

    def notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)


class Pipeline:
    def __init__(
        self,
        encoding: Callable[[], PositionEncoding],
        resolver: ConfigResolver,
        debounce_s: Callable[[], float],
        listener: Listener,
    ) -> None:
        self._encoding = encoding
        self._resolver = resolver
        self._debounce_s = debounce_s
        self._listener = listener
        self._documents_lane = ThreadPoolExecutor(1, thread_name_prefix="thea-documents")
        self._rules_lane = ThreadPoolExecutor(1, thread_name_prefix="thea-rules")
        self.sources: list[FindingSource] = [RulesSource(self._rules_lane)]
        self.documents: dict[str, DocumentState] = {}
        self._opened = itertools.count(1)
        # Analyses wait until the client's settings arrived (see `open_gate`), so that a
        # document opened at startup is not linted first with the wrong settings.
        self._gate = asyncio.Event()

    @property
    def rules_lane(self) -> ThreadPoolExecutor:
        return self._rules_lane

    def open_gate(self) -> None:
        self._gate.set()

    # --- document events (called on the loop) -----------------------------------------------

    def open(self, uri: str, path: Path | None, language_id: str, text: str, version: int) -> DocumentState:
        old = self.documents.pop(uri, None)
        if old is not None:  # re-opened without a close: start over
            self._stop(old)
        model = DocumentModel(uri, path, language_id, text, version)
        state = self.documents[uri] = DocumentState(uri, path, model, version, next(self._opened))
        self._submit(state, _configure_and_snapshot, model, self._resolver)
        self._schedule(state, delay=0.0)
        return state

    def change(self, uri: str, changes: list[types.TextDocumentContentChangeEvent], version: int) -> None:
        state = self.documents.get(uri)
        if state is None:
            logger.warning("didChange for a document that is not open: %s", uri)
            return
        state.version = version
        self._submit(state, _apply_and_snapshot, state.model, changes, version, self._encoding())
        self._schedule(state, delay=self._debounce_s())

    def close(self, uri: str) -> DocumentState | None:
        state = self.documents.pop(uri, None)
        if state is not None:
            self._stop(state)
        return state

    def reconfigure(self, states: Iterable[DocumentState] | None = None) -> None:
        """Re-resolve config and re-analyse (settings or a config file changed)."""
        for state in list(states if states is not None else self.documents.values()):
            self._submit(state, _configure_and_snapshot, state.model, self._resolver)
            self._schedule(state, delay=0.0)

    def recheck(self) -> None:
        """Re-resolve every document's config; re-analyse those whose config changed
        (for clients that cannot watch config files: on save)."""
        loop = asyncio.get_running_loop()
        for state in list(self.documents.values()):
            future = self._documents_lane.submit(_recheck, state.model, self._resolver)

            def done(future: Any, state: DocumentState = state) -> None:
                if not future.cancelled() and future.exception() is None and future.result():
                    loop.call_soon_threadsafe(self._reconfigure_open, state)

            future.add_done_callback(done)

    def _reconfigure_open(self, state: DocumentState) -> None:
        if self.documents.get(state.uri) is state:
            self.reconfigure([state])

    async def current_snapshot(self, state: DocumentState) -> Snapshot:
        """The snapshot of the latest version (waits for the lane to catch up)."""
        while state.snapshot_epoch < state.epoch:
            _check_open(state)
            await state.changed()
        _check_open(state)
        if state.snapshot is None:
            raise DocumentClosed(f"{state.uri} could not be read")
        return state.snapshot

    async def wait_ready(self, state: DocumentState) -> None:
        """Until every interactive source answered for the latest version; DocumentClosed
        when the document is closed meanwhile."""
        while not state.ready:
            _check_open(state)
            await state.changed()

    def shutdown(self) -> None:
        for state in self.documents.values():
            self._stop(state)
        self._documents_lane.shutdown(wait=False, cancel_futures=True)
        self._rules_lane.shutdown(wait=False, cancel_futures=True)

    # --- internals --------------------------------------------------------------------------

    def _submit(self, state: DocumentState, job: Callable[..., Snapshot], *args: object) -> None:
        """Run a lane job for a new epoch; its snapshot is stored on the loop when done."""
        state.epoch += 1
        epoch = state.epoch
        loop = asyncio.get_running_loop()
        future = self._documents_lane.submit(job, *args)

        def done(_: object) -> None:
            loop.call_soon_threadsafe(self._snapshot_done, state, epoch, future)

        future.add_done_callback(done)

    def _snapshot_done(self, state: DocumentState, epoch: int, future: object) -> None:
        try:
            snapshot = future.result()  # type: ignore[attr-defined]
        except Exception:  # the lane job logged it; keep the last good snapshot
            snapshot = state.snapshot
        if epoch > state.snapshot_epoch:
            state.snapshot, state.snapshot_epoch = snapshot, epoch
        state.notify()

    def _schedule(self, state: DocumentState, delay: float) -> None:
        if state.task is not None:
            state.task.cancel()
        state.task = asyncio.get_running_loop().create_task(self._analyse(state, state.epoch, delay))

    async def _analyse(self, state: DocumentState, epoch: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if not self._gate.is_set():
            await self._gate.wait()
        while state.snapshot_epoch < epoch:
            await state.changed()
        snapshot = state.snapshot
        if state.epoch != epoch or snapshot is None or self.documents.get(state.uri) is not state:
            return
        state.analysed_epoch = epoch
        notices = tuple(convert.notice(n.message, n.severity) for n in snapshot.notices)
        self._store(state, STATUS, epoch, snapshot.version, notices)
        running = [source for source in self.sources if source.applies_to(snapshot)]
        for source in self.sources:
            if source not in running:
                self._store(state, source.name, epoch, snapshot.version, ())
        state.pending = {source.name for source in running if source.interactive}
        if not state.pending:
            self._listener.document_ready(state)
        for source in running:
            task = asyncio.get_running_loop().create_task(self._run_source(state, source, snapshot, epoch))
            state.running.add(task)
            task.add_done_callback(state.running.discard)

    async def _run_source(self, state: DocumentState, source: FindingSource, snapshot: Snapshot, epoch: int) -> None:
        is_current = lambda: state.epoch == epoch  # noqa: E731 (read from worker threads)
        try:
            findings = await source.analyse(snapshot, is_current)
            if not is_current():
                return
            arguments = (findings, snapshot.source, snapshot.version, self._encoding())
            if len(findings) <= _CONVERT_INLINE:
                diagnostics = convert.diagnostics(*arguments)
            else:
                diagnostics = await asyncio.get_running_loop().run_in_executor(self._rules_lane, convert.diagnostics, *arguments)
        except Superseded:
            return
        except asyncio.CancelledError:
            raise
        except Exception:  # a crashed source must not take the document's other findings down
            logger.exception("finding source %r failed on %s (version %d)", source.name, state.uri, snapshot.version)
            diagnostics = []
        if not is_current():
            return
        was_ready = state.ready
        self._store(state, source.name, epoch, snapshot.version, tuple(diagnostics))
        state.pending.discard(source.name)
        if not source.interactive and was_ready:
            self._listener.background_result(state)
        elif state.ready and not was_ready:
            self._listener.document_ready(state)

    def _store(self, state: DocumentState, name: str, epoch: int, version: int, diagnostics: Sequence[JsonDiagnostic]) -> None:
        state.results[name] = SourceResult(epoch, version, tuple(diagnostics))
        state.serial += 1
        state.notify()

    def _stop(self, state: DocumentState) -> None:
        if state.task is not None:
            state.task.cancel()
        for task in list(state.running):
            task.cancel()
        state.closed = True
        state.epoch += 1  # anything still running for it is now stale
        state.notify()


class DocumentClosed(Exception):
    """The document was closed while a request waited for it."""


def _check_open(state: DocumentState) -> None:
    if state.closed:
        raise DocumentClosed(state.uri)


def _configure_and_snapshot(model: DocumentModel, resolver: ConfigResolver) -> Snapshot:
    try:
        model.configure(resolver)
    except Exception:
        logger.exception("document %s: resolving its config failed", model.uri)
    return model.snapshot()


def _recheck(model: DocumentModel, resolver: ConfigResolver) -> bool:
    try:
        return model.configure(resolver)
    except Exception:
        logger.exception("document %s: resolving its config failed", model.uri)
        return False


def _apply_and_snapshot(
    model: DocumentModel, changes: list[types.TextDocumentContentChangeEvent], version: int, encoding: PositionEncoding
) -> Snapshot:
    try:
        model.apply(changes, version, encoding)
    except Exception:
        logger.exception("document %s: applying changes for version %d failed; text may be out of sync", model.uri, version)
    return model.snapshot()
