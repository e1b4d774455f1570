"""The ML finding source: documents to the Ray detector pool, findings back when it answers.

A background source (see sources.py): pattern diagnostics are published first; the pool's
findings for the same snapshot are merged in later, and only if the document is still at
that version (the pipeline checks the epoch; the pool itself drops queued older versions).

It runs only for documents whose config enables the ML tier (`ml = true`, the `production`
preset, or the editor's `thea.ml`). The pool starts lazily, on the first such document,
off the event loop, with a "Loading detector…" progress; until it is up the ML source
simply has nothing to add. The pool runs in a child process (engine/pool/host.py), so that
Ray dying cannot take the server with it, and that child ends with the server however the
server ends. If Ray cannot start or the pool dies, pattern diagnostics go on;
the user is told once (window/logMessage and a `thea/status` notification), and the start
is retried with back-off on later analyses.

One pool serves every config with the same model and context length, whatever their
thresholds: it reports at the lowest threshold seen so far (a config without one: its
checkpoint's calibrated threshold), and each document's findings are then cut at its own
config's. A config with a lower threshold restarts the pool once, at that one; two folders
with different thresholds never make it restart back and forth.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from engine.config.presets import ModelSettings
from engine.finding import Finding
from engine.model.calibration_file import CheckpointError
from engine.pool.cluster import resolve_address
from engine.pool.detector import DetectorSpec
from engine.pool.host import PoolProcess
from engine.pool.outcome import PoolUnavailable, QueueFull
from engine.pool.outcome import Superseded as PoolSuperseded
from engine.pool.snapshot import DocumentSnapshot
from thea_lsp.documents import Snapshot
from thea_lsp.progress import WorkDone
from thea_lsp.protocol import RawJSON
from thea_lsp.sources import IsCurrent, Superseded

logger = logging.getLogger(__name__)

STATUS_NOTIFICATION = "thea/status"
_BACKOFF_S = (5.0, 15.0, 60.0, 300.0)  # waits before the 1st, 2nd, ... retry of a failed start


class MlSource:
    name = "ml"
    interactive = False  # a pull never waits for the detector

    def __init__(self, server: LanguageServer, ray_address: str | None = None) -> None:
        self._server = server
        self.address = resolve_address(ray_address)  # None: a private local Ray instance
        self._lane = ThreadPoolExecutor(1, thread_name_prefix="thea-ml-pool")  # starts and stops
        self._service: PoolProcess | None = None
        self._spec: DetectorSpec | None = None  # what the running pool was started with
        self._thresholds: dict[DetectorSpec, float] = {}  # resolved, by the settings that ask
        self._starting: asyncio.Future[PoolProcess | None] | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._announced = False

    def applies_to(self, snapshot: Snapshot) -> bool:
        return snapshot.analysable and snapshot.config is not None and snapshot.config.ml_enabled

    async def analyse(self, snapshot: Snapshot, is_current: IsCurrent) -> Sequence[Finding]:
        assert snapshot.config is not None
        wanted = DetectorSpec.from_settings(snapshot.config.model)
        try:
            threshold = self._threshold(wanted)
        except CheckpointError as error:  # a broken calibration.json: as a pool that cannot start
            if time.monotonic() >= self._retry_at:
                self._failed(f"the ML detector could not start: {error}")
            return []
        service = await self._ensure(dataclasses.replace(wanted, confidence_threshold=threshold), snapshot.config.model)
        if service is None or not is_current():
            return []
        document = DocumentSnapshot(snapshot.uri, snapshot.version, snapshot.source.text)
        try:
            future = service.submit(document, timeout=0)
            result = await asyncio.wrap_future(future)
        except (PoolSuperseded, QueueFull) as error:
            raise Superseded(str(error)) from None
        except PoolUnavailable as error:
            self._lost(service, str(error))
            return []
        return [f for f in result.findings if f.reported_at(threshold)]

    def _threshold(self, spec: DetectorSpec) -> float:
        """`spec.threshold()`, read once per spec (calibration.json for a spec without one)."""
        if spec not in self._thresholds:
            self._thresholds[spec] = spec.threshold()
        return self._thresholds[spec]

    def forget(self, uri: str) -> None:
        if self._service is not None:
            self._service.forget(uri)

    def shutdown(self) -> None:
        service, self._service = self._service, None
        if service is not None:
            service.close()
        self._lane.shutdown(wait=False, cancel_futures=True)

    # --- the pool's lifecycle (on the event loop) -------------------------------------------------

    async def _ensure(self, wanted: DetectorSpec, settings: ModelSettings) -> PoolProcess | None:
        """A pool that reports everything `wanted` (threshold resolved) asks for."""
        for _ in range(2):  # a second pass when a start already under way was for a higher threshold
            running = self._spec
            if self._service is not None and running is not None and not _covers(running, wanted):
                # another model or context length, or a lower threshold (config file or editor settings)
                old, self._service = self._service, None
                self._lane.submit(old.close)
            if self._service is not None and self._service.alive:
                return self._service
            if self._service is not None:
                self._lost(self._service, "every detector actor is dead")
            if self._starting is None:
                if time.monotonic() < self._retry_at:
                    return None
                spec = wanted
                if running is not None and running.same_model(wanted):  # never above what it served
                    spec = dataclasses.replace(wanted, confidence_threshold=min(
                        running.confidence_threshold or 0.0, wanted.confidence_threshold or 0.0))
                self._starting = asyncio.ensure_future(self._start(spec, settings.max_workers))
            service = await asyncio.shield(self._starting)
            if service is None or (self._spec is not None and _covers(self._spec, wanted)):
                return service
        return None

    async def _start(self, spec: DetectorSpec, max_workers: int) -> PoolProcess | None:
        progress = await WorkDone.start(self._server, "Loading detector…", None)
        workers = max_workers if self.address else min(max_workers, os.cpu_count() or 1)
        loop = asyncio.get_running_loop()
        try:
            service = await loop.run_in_executor(self._lane, lambda: PoolProcess.start(spec, workers, self.address))
        except Exception as error:
            progress.end("the ML detector is unavailable")
            self._failed(f"the ML detector could not start: {error}")
            return None
        finally:
            self._starting = None
        progress.end(f"ML detector ready ({service.ready_actors} workers)")
        self._service, self._spec, self._failures, self._announced = service, spec, 0, False
        logger.info("ML detector pool ready: %d workers in %.1fs", service.ready_actors, service.startup_s)
        self._status("ready", f"ML detector ready ({service.ready_actors} workers)")
        return service

    def _lost(self, service: PoolProcess, reason: str) -> None:
        if self._service is service:
            self._service = None
            self._lane.submit(service.close)
            self._failed(f"the ML detector pool stopped: {reason}")

    def _failed(self, message: str) -> None:
        delay = _BACKOFF_S[min(self._failures, len(_BACKOFF_S) - 1)]
        self._failures += 1
        self._retry_at = time.monotonic() + delay
        # logged at INFO: the client hears of it once, below, not on every retry
        logger.info("%s; pattern diagnostics continue; retrying in %.0fs", message, delay)
        if not self._announced:  # once per outage
            self._announced = True
            text = f"Thea: {message}. Pattern diagnostics continue; retrying in the background."
            self._server.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=text))
            self._status("unavailable", text)

    def _status(self, state: str, message: str) -> None:
        self._server.protocol.notify(STATUS_NOTIFICATION, RawJSON({"ml": state, "message": message}))


def _covers(running: DetectorSpec, wanted: DetectorSpec) -> bool:
    """Whether a pool started with `running` reports all that `wanted` asks for (thresholds resolved)."""
    return running.same_model(wanted) and (running.confidence_threshold or 0.0) <= (wanted.confidence_threshold or 0.0)
