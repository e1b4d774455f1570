"""The per-document pipeline: edits -> snapshot -> finding sources -> stored diagnostics.

Threads. pygls runs handlers on its event loop, which also reads stdin (see `stdio`). This
module adds two single-thread executors of its own (never pygls' thread pool): the document
lane (applies edits, incremental re-parse, config resolution, snapshots) and the rules lane
(lints after a debounce, and converts many findings to diagnostics). The loop only
schedules and stores, so a slow analysis never delays reading the next message.

Without a debounce (`debounceMs` 0) the document lane lints right after applying the edit,
converts and serializes the diagnostics, publishes them itself to a push client (see
`LanePublisher`; under the writer's lock, only while the epoch is current) and hands
snapshot and results to the loop in one callback. A keystroke then costs one thread hop
where a separate rules job and a publish from the loop cost three more (each a thread
wake-up, which on a loaded machine can wait for a core). Edits still apply in order; a
request that needs the new snapshot waits for that lint too.

Versions. Every change of a document's content or config bumps its `epoch`; each analysis
result carries the epoch of its snapshot and is dropped unless still current. A new edit
cancels the pending (debounced) analysis; a queued lint whose epoch is stale is skipped.

Store. Results are kept per finding source ("status" for notices, "rules", later "ml"),
and merged when diagnostics are published or pulled.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from lsprotocol import types

from engine.parse.source import PositionEncoding
from thea_lsp import convert, lane_jobs
from thea_lsp.document_state import DocumentState, SourceResult
from thea_lsp.documents import ConfigResolver, DocumentModel, Snapshot
from thea_lsp.lane_jobs import Prepared, Preparation, Serialized
from thea_lsp.sources import FindingSource, RulesSource, Superseded

logger = logging.getLogger(__name__)

STATUS = "status"  # the pseudo-source of whole-document notices
# A source without a lane of its own: up to this many findings are converted on the loop
# (well under a millisecond); more go to the rules lane. Two thread hops cost more than
# converting a handful. (The rules source converts in the job that lints.)
_CONVERT_INLINE = 32


class Listener(Protocol):
    def document_ready(self, state: DocumentState) -> None:
        """Every interactive source has answered for the current epoch."""

    def background_result(self, state: DocumentState) -> None:
        """A background source added findings after the document was ready."""


class LanePublisher(Protocol):
    """What a listener may also be: one that can deliver diagnostics from the document lane."""

    def publishes_from_lane(self) -> bool:
        """Whether `publish_from_lane` delivers; asked in the lane, before the loop is told
        not to deliver the same diagnostics."""

    def publish_from_lane(self, state: DocumentState, epoch: int, version: int, diagnostics_json: str) -> None:
        """Deliver the complete diagnostics of `epoch` unless the document moved on."""


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
        self._update(state, 0.0, lane_jobs.configure_and_snapshot, model, self._resolver)
        return state

    def change(self, uri: str, changes: list[types.TextDocumentContentChangeEvent], version: int) -> None:
        state = self.documents.get(uri)
        if state is None:
            logger.warning("didChange for a document that is not open: %s", uri)
            return
        state.version = version
        self._update(state, self._debounce_s(), lane_jobs.apply_and_snapshot, state.model, changes, version, self._encoding())

    def close(self, uri: str) -> DocumentState | None:
        state = self.documents.pop(uri, None)
        if state is not None:
            self._stop(state)
        return state

    def reconfigure(self, states: Iterable[DocumentState] | None = None) -> None:
        """Re-resolve config and re-analyse (settings or a config file changed)."""
        for state in list(states if states is not None else self.documents.values()):
            self._update(state, 0.0, lane_jobs.configure_and_snapshot, state.model, self._resolver)

    def recheck(self) -> None:
        """Re-resolve every document's config; re-analyse those whose config changed
        (for clients that cannot watch config files: on save)."""
        loop = asyncio.get_running_loop()
        for state in list(self.documents.values()):
            future = self._documents_lane.submit(lane_jobs.recheck, state.model, self._resolver)

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

    def _update(self, state: DocumentState, delay: float, job: Callable[..., Snapshot], *args: object) -> None:
        """Run a document-lane job for a new epoch, then analyse its snapshot after `delay`.

        Without a delay (and once the settings are in), the lane runs the sources that can
        run there right after the job, and hands the snapshot and their results to the loop
        together: one hop to the lane and back per keystroke. With a delay, the analysis
        waits on the loop and the sources run in their own lanes."""
        state.epoch += 1
        epoch = state.epoch
        loop = asyncio.get_running_loop()
        if state.task is not None:  # a pending (debounced) analysis is superseded
            state.task.cancel()
            state.task = None
        now = delay <= 0 and self._gate.is_set()
        prepare = self._preparation(state, epoch) if now else None
        future = self._documents_lane.submit(lane_jobs.snapshot_and_prepare, job, args, prepare)

        def done(_: object) -> None:  # in the lane, as soon as the job is done
            publication = _publication(future)
            # The loop stores the results before it reads the client's next message, so the
            # loop is told first: a code action asked right after the publish finds them.
            loop.call_soon_threadsafe(self._snapshot_done, state, epoch, future, now, publication is not None)
            if publication is not None:
                try:
                    self._listener.publish_from_lane(state, epoch, *publication)  # type: ignore[attr-defined]
                except Exception as error:  # a broken pipe: the loop meets it too, and stops
                    logger.warning("publishing from the document lane failed: %s", error)

        future.add_done_callback(done)
        if not now:
            state.task = loop.create_task(self._analyse(state, epoch, delay))

    def _preparation(self, state: DocumentState, epoch: int) -> Callable[[Snapshot], Preparation]:
        """What the document lane runs after the job: the sources that can run in the
        calling thread (`analyse_now`), their findings converted and serialized; no
        diagnostics from a source that crashed (logged); nothing once superseded."""
        is_current = lambda: state.epoch == epoch  # noqa: E731 (read from worker threads)
        encoding = self._encoding()
        runnable = [source for source in self.sources if getattr(source, "analyse_now", None) is not None]

        def prepare(snapshot: Snapshot) -> Preparation:
            finish = functools.partial(lane_jobs.converted, source=snapshot.source, version=snapshot.version, encoding=encoding)
            prepared: Prepared = {}
            for source in runnable:
                if not source.applies_to(snapshot):
                    continue
                try:
                    prepared[source.name] = source.analyse_now(snapshot, is_current, finish)  # type: ignore[attr-defined]
                except Superseded:
                    return {}, False  # the loop drops this epoch's analysis anyway
                except Exception:  # as in _run_source: a crashed source must not take the others down
                    logger.exception("finding source %r failed on %s (version %d)", source.name, state.uri, snapshot.version)
                    prepared[source.name] = lane_jobs.NOTHING
            return prepared, self._lane_publication(snapshot, prepared)

        return prepare

    def _lane_publication(self, snapshot: Snapshot, prepared: Prepared) -> tuple[int, str] | None:
        """What the lane publishes itself: the prepared diagnostics, when they are all the
        document has for this epoch (no notices, no interactive source left to run, at most
        one source with findings) and the listener can (saves the hop to the loop before
        the client hears of them); else None."""
        publishes = getattr(self._listener, "publishes_from_lane", None)
        if publishes is None or snapshot.notices or not publishes():
            return None
        interactive = [source for source in self.sources if source.interactive and source.applies_to(snapshot)]
        if any(source.name not in prepared for source in interactive):
            return None
        found = [text for text, count in prepared.values() if count]
        if len(found) > 1:
            return None
        return snapshot.version, found[0] if found else "[]"

    def _snapshot_done(self, state: DocumentState, epoch: int, future: Any, analyse: bool, published: bool) -> None:
        prepared: Prepared = {}
        try:
            snapshot, (prepared, _) = future.result()
        except Exception:  # the lane job logged it; keep the last good snapshot
            snapshot = state.snapshot
        if epoch > state.snapshot_epoch:
            state.snapshot, state.snapshot_epoch = snapshot, epoch
        state.notify()
        if analyse:
            self._begin(state, epoch, prepared, published)

    async def _analyse(self, state: DocumentState, epoch: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if not self._gate.is_set():
            await self._gate.wait()
        while state.snapshot_epoch < epoch:
            await state.changed()
        self._begin(state, epoch, {}, False)

    def _begin(self, state: DocumentState, epoch: int, prepared: Prepared, published: bool) -> None:
        """Analyse the current snapshot: store what the lane prepared (and maybe published
        already), start the other sources."""
        snapshot = state.snapshot
        if state.epoch != epoch or snapshot is None or self.documents.get(state.uri) is not state:
            return
        state.analysed_epoch = epoch
        notices = [convert.notice(n.message, n.severity) for n in snapshot.notices]
        self._store(state, STATUS, epoch, snapshot.version, lane_jobs.serialized(notices))
        running = [source for source in self.sources if source.applies_to(snapshot)]
        for source in self.sources:
            if source not in running:
                self._store(state, source.name, epoch, snapshot.version, lane_jobs.NOTHING)
        for source in running:
            if source.name in prepared:
                self._store(state, source.name, epoch, snapshot.version, prepared[source.name])
        state.pending = {source.name for source in running if source.interactive and source.name not in prepared}
        if not state.pending and not published:
            self._listener.document_ready(state)
        for source in running:
            if source.name not in prepared:
                task = asyncio.get_running_loop().create_task(self._run_source(state, source, snapshot, epoch))
                state.running.add(task)
                task.add_done_callback(state.running.discard)

    async def _run_source(self, state: DocumentState, source: FindingSource, snapshot: Snapshot, epoch: int) -> None:
        is_current = lambda: state.epoch == epoch  # noqa: E731 (read from worker threads)
        finish = functools.partial(lane_jobs.converted, source=snapshot.source, version=snapshot.version, encoding=self._encoding())
        serialized: Serialized
        try:
            analyse_converted = getattr(source, "analyse_converted", None)
            if analyse_converted is not None:  # the source converts where it produced the findings
                serialized = await analyse_converted(snapshot, is_current, finish)
            else:
                findings = await source.analyse(snapshot, is_current)
                if not is_current():
                    return
                if len(findings) <= _CONVERT_INLINE:
                    serialized = finish(findings)
                else:
                    serialized = await asyncio.get_running_loop().run_in_executor(self._rules_lane, finish, findings)
        except Superseded:
            return
        except asyncio.CancelledError:
            raise
        except Exception:  # a crashed source must not take the document's other findings down
            logger.exception("finding source %r failed on %s (version %d)", source.name, state.uri, snapshot.version)
            serialized = lane_jobs.NOTHING
        if not is_current():
            return
        was_ready = state.ready
        self._store(state, source.name, epoch, snapshot.version, serialized)
        state.pending.discard(source.name)
        if not source.interactive and was_ready:
            self._listener.background_result(state)
        elif state.ready and not was_ready:
            self._listener.document_ready(state)

    def _store(self, state: DocumentState, name: str, epoch: int, version: int, serialized: Serialized) -> None:
        state.results[name] = SourceResult(epoch, version, serialized)
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


def _publication(future: Any) -> tuple[int, str] | None:
    """What a finished document-lane job is to publish itself (see `_lane_publication`)."""
    if future.cancelled() or future.exception() is not None:
        return None
    _, (_, publication) = future.result()
    return publication  # type: ignore[no-any-return]


def _check_open(state: DocumentState) -> None:
    if state.closed:
        raise DocumentClosed(state.uri)
