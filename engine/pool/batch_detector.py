"""Batch mode's ML tier on the pool: `thea check --ml --workers N` (or `--ray-address`).

`PooledDetector` answers the detector call batch mode makes per file
(`detect_with_directives(source, tree)`, as `engine.model.detector.Detector`) from the
pool. A prefetch thread reads the run's files in order and submits them ahead, so N actors
work while the main thread lints; each answer is matched to its file by content (a SHA-256
of the UTF-8 text), so a fixer pass on changed text simply asks the pool again. Findings are
those of the in-process detector, computed elsewhere: the report is the same as a
one-worker run, in the same (discovery) order.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Iterable

import tree_sitter

from engine.finding import Finding
from engine.parse.source import DecodeError, Source
from engine.pool.detector import DetectorSpec
from engine.pool.orchestrator import PoolResult, PoolUnavailable
from engine.pool.service import PoolService, start_pool
from engine.pool.snapshot import DocumentSnapshot

logger = logging.getLogger(__name__)


def _key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PooledDetector:
    service: PoolService
    _ahead: dict[str, Future[PoolResult]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _prefetch: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def start(cls, spec: DetectorSpec, workers: int, address: str | None) -> PooledDetector:
        return cls(start_pool(spec, workers, address))

    @property
    def workers(self) -> int:
        return self.service.pool.workers

    def prefetch(self, files: Iterable[tuple[str, int]]) -> None:
        """Submit (path, max size) files in the background, in order (bounded by the pool's queue)."""
        self._prefetch = threading.Thread(target=self._submit_all, args=(list(files),), name="thea-ml-prefetch", daemon=True)
        self._prefetch.start()

    def _submit_all(self, files: list[tuple[str, int]]) -> None:
        for path, max_size in files:
            if self._stop.is_set():
                return
            try:
                with open(path, "rb") as handle:
                    raw = handle.read(max_size + 1)
                if len(raw) > max_size:
                    continue  # batch mode skips it; so does the detector
                source = Source.from_bytes(raw)
            except (OSError, DecodeError):
                continue  # batch mode reports the problem; nothing to detect
            key = _key(source.data)
            with self._lock:
                if key in self._ahead:
                    continue
            try:
                future = self.service.pool.submit(DocumentSnapshot(f"{path}#{key[:16]}", 0, source.text))
            except PoolUnavailable:
                return  # the files' own calls will say so
            with self._lock:
                self._ahead[key] = future

    def detect_with_directives(self, source: Source, tree: tree_sitter.Tree | None = None) -> list[Finding]:
        key = _key(source.data)
        with self._lock:
            future = self._ahead.pop(key, None)
        if future is None:
            future = self.service.pool.submit(DocumentSnapshot(f"batch:{key}", 0, source.text))
        return future.result().findings

    def close(self) -> None:
        self._stop.set()
        try:
            self.service.close()
        finally:
            if self._prefetch is not None:
                self._prefetch.join(timeout=10)
