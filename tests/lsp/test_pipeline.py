"""The document pipeline in-process, with a second, slower finding source next to the rules:
its findings merge into the same document's diagnostics, tagged with the analysed version,
and are dropped when the document moved on (the path the ML detector will take)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Sequence

from lsprotocol import types

from engine.finding import Finding, Severity
from thea_lsp.configuration import Configuration
from thea_lsp.documents import Snapshot
from thea_lsp.pipeline import DocumentState, Pipeline
from thea_lsp.sources import FindingSource, IsCurrent, Superseded
from tests.lsp.conftest import eventually


class TodoSource:
    """Reports `TODO` markers after a delay: a background source, like the ML detector."""

    name = "todo"
    interactive = False

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.runs: list[int] = []

    def applies_to(self, snapshot: Snapshot) -> bool:
        return snapshot.analysable

    async def analyse(self, snapshot: Snapshot, is_current: IsCurrent) -> Sequence[Finding]:
        self.runs.append(snapshot.version)
        await asyncio.sleep(self.delay_s)
        if not is_current():
            raise Superseded(snapshot.uri)
        return [
            Finding("todo", "todo", "TODO left in the code", m.start(), m.end(), Severity.WARNING, tags=frozenset({"unnecessary"}))
            for m in re.finditer(rb"TODO", snapshot.source.data)
        ]


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int, list[str]]] = []

    def document_ready(self, state: DocumentState) -> None:
        self.events.append(("ready", state.version, [d.get("code", "") for d in state.diagnostics()]))

    def background_result(self, state: DocumentState) -> None:
        self.events.append(("background", state.version, [d.get("code", "") for d in state.diagnostics()]))


def _pipeline(recorder: Recorder, source: TodoSource) -> Pipeline:
    configuration = Configuration()
    pipeline = Pipeline(lambda: "utf-16", configuration.resolve, lambda: 0.0, recorder)
    assert isinstance(source, FindingSource)
    pipeline.sources.append(source)
    pipeline.open_gate()
    return pipeline


async def test_background_findings_merge_after_the_rules(workspace: Path) -> None:
    recorder = Recorder()
    pipeline = _pipeline(recorder, TodoSource(0.2))
    uri = (workspace / "m.js").as_uri()
    try:
        state = pipeline.open(uri, workspace / "m.js", "javascript", "// TODO: x\nif (a == b) {}\n", 1)
        await eventually(lambda: len(recorder.events) == 2, 10)
        assert recorder.events == [("ready", 1, ["eqeqeq"]), ("background", 1, ["todo", "eqeqeq"])]
        todo = state.diagnostics()[0]
        assert todo["range"] == {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 7}}
        assert todo["tags"] == [int(types.DiagnosticTag.Unnecessary)] and todo["data"]["version"] == 1
    finally:
        pipeline.shutdown()


async def test_background_findings_of_a_stale_version_are_dropped(workspace: Path) -> None:
    recorder = Recorder()
    source = TodoSource(0.3)
    pipeline = _pipeline(recorder, source)
    uri = (workspace / "s.js").as_uri()
    try:
        pipeline.open(uri, workspace / "s.js", "javascript", "// TODO one\n", 1)
        await eventually(lambda: recorder.events, 10)
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=0)),
            text="// TODO two\n",
        )
        pipeline.change(uri, [change], 2)  # while the slow source still works on version 1
        await eventually(lambda: any(event[0] == "background" for event in recorder.events), 10)
        await asyncio.sleep(0.5)
        assert source.runs == [1, 2]
        assert [event for event in recorder.events if event[0] == "background"] == [("background", 2, ["todo", "todo"])]
    finally:
        pipeline.shutdown()
