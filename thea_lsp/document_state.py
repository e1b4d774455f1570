"""Loop-side state of an open document: its versions and epochs, the snapshot in use, and
each finding source's latest diagnostics (see `pipeline`, which drives it)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from thea_lsp import convert
from thea_lsp.convert import JsonDiagnostic
from thea_lsp.documents import DocumentModel, Snapshot
from thea_lsp.lane_jobs import Serialized


class SourceResult:
    """One source's diagnostics for one epoch, kept as the JSON text a publish sends. The
    dicts are parsed from it only when asked for (code actions, merging sources): kept
    whole, a large file's hundreds of diagnostics would live on into the collector's older
    generations at every keystroke, and its full collections would walk them all."""

    __slots__ = ("epoch", "version", "text", "count", "_diagnostics")

    def __init__(self, epoch: int, version: int, serialized: Serialized) -> None:
        self.epoch = epoch
        self.version = version
        self.text, self.count = serialized
        self._diagnostics: tuple[JsonDiagnostic, ...] | None = None if self.count else ()

    @property
    def diagnostics(self) -> tuple[JsonDiagnostic, ...]:
        if self._diagnostics is None:
            self._diagnostics = tuple(json.loads(self.text))
        return self._diagnostics


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

    def diagnostics_json(self) -> str:
        """`diagnostics()` as JSON text; a source's own text as it is when only it has any."""
        current = [result for result in self.results.values() if result.epoch == self.epoch and result.count]
        if len(current) == 1:
            return current[0].text
        return convert.to_json(convert.merged([result.diagnostics for result in current]))

    async def changed(self) -> None:
        """Wait for the next snapshot or stored result."""
        if self._changed is None or self._changed.done():
            self._changed = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._changed)

    def notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)
