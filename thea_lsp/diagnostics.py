"""Delivering diagnostics: pushed (publishDiagnostics) or pulled (textDocument/diagnostic),
never both to one client.

A client gets the pull model when it declares `textDocument.diagnostic` *and*
`workspace.diagnostics.refreshSupport`: without refresh the server could not tell it that
settings changed or that a slower finding source (the ML detector) has answered, and its
diagnostics would stay stale until the next edit. Every other client gets pushes. The
server advertises `diagnosticProvider` to pull clients only, so a push client never pulls.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from pathlib import Path
from typing import Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from engine.parse.parser import JAVASCRIPT_SUFFIXES
from thea_lsp import convert
from thea_lsp.pipeline import DocumentClosed, DocumentState, Pipeline
from thea_lsp.protocol import JsonText, RawJSON
from thea_lsp.workspace_diagnostics import DiskAnalyser

logger = logging.getLogger(__name__)

# A burst of background results or config events makes one refresh request, not many.
_REFRESH_DELAY_S = 0.05


class Mode(enum.Enum):
    PUSH = "push"
    PULL = "pull"


def choose_mode(capabilities: types.ClientCapabilities) -> Mode:
    text_document = capabilities.text_document
    workspace = capabilities.workspace
    pulls = text_document is not None and text_document.diagnostic is not None
    refreshes = bool(workspace is not None and workspace.diagnostics is not None and workspace.diagnostics.refresh_support)
    return Mode.PULL if pulls and refreshes else Mode.PUSH


def provider_options(workspace_diagnostics: bool) -> types.DiagnosticOptions:
    return types.DiagnosticOptions(
        identifier="thea", inter_file_dependencies=False, workspace_diagnostics=workspace_diagnostics
    )


class Diagnostics:
    """The pipeline's listener: pushes, or answers pulls and asks for refreshes."""

    def __init__(self, server: LanguageServer) -> None:
        self._server = server
        self.mode = Mode.PUSH
        self._refresh: asyncio.TimerHandle | None = None

    # --- pipeline listener ------------------------------------------------------------------

    def document_ready(self, state: DocumentState) -> None:
        if self.mode is Mode.PUSH:
            self.publish(state)

    def background_result(self, state: DocumentState) -> None:
        if self.mode is Mode.PUSH:
            self.publish(state)
        else:
            self.request_refresh()

    # --- push -------------------------------------------------------------------------------

    def publish(self, state: DocumentState) -> None:
        params = f'{{"uri":{json.dumps(state.uri)},"version":{state.version},"diagnostics":{state.diagnostics_json()}}}'
        self._server.protocol.notify(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, JsonText(params))

    def publishes_from_lane(self) -> bool:
        """Push clients, where the writer frames messages from any thread (see `pipeline`)."""
        return self.mode is Mode.PUSH and getattr(self._server.protocol.writer, "lock", None) is not None

    def publish_from_lane(self, state: DocumentState, epoch: int, version: int, diagnostics_json: str) -> None:
        """Publish from the document lane. The check that `epoch` is still current and the
        write happen under the writer's lock, so a didClose's clearing publish (written
        after the loop closed the state) is never followed by a stale one."""
        params = f'{{"uri":{json.dumps(state.uri)},"version":{version},"diagnostics":{diagnostics_json}}}'
        with self._server.protocol.writer.lock:
            if state.epoch == epoch and not state.closed:
                self._server.protocol.notify(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, JsonText(params))

    def clear(self, uri: str) -> None:
        if self.mode is Mode.PUSH:
            params = {"uri": uri, "diagnostics": []}
            self._server.protocol.notify(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, RawJSON(params))

    # --- pull -------------------------------------------------------------------------------

    def request_refresh(self) -> None:
        """workspace/diagnostic/refresh, coalesced (pull clients only)."""
        if self.mode is not Mode.PULL or self._refresh is not None:
            return
        self._refresh = asyncio.get_running_loop().call_later(_REFRESH_DELAY_S, self._send_refresh)

    def _send_refresh(self) -> None:
        self._refresh = None
        future = self._server.workspace_diagnostic_refresh(None)
        future.add_done_callback(_log_refused)


async def document_report(
    pipeline: Pipeline, analyser: DiskAnalyser, params: types.DocumentDiagnosticParams
) -> RawJSON | JsonText:
    """textDocument/diagnostic: the open document's merged diagnostics once every
    interactive source answered for its latest version; a file on disk otherwise."""
    uri = params.text_document.uri
    state = pipeline.documents.get(uri)
    if state is not None:
        try:
            await pipeline.wait_ready(state)
        except DocumentClosed:
            state = None
    if state is not None:
        return _report(state.result_id, state.diagnostics_json, params.previous_result_id)
    path = _js_path(uri)
    if path is None:  # not open and not a JavaScript file we can read: nothing to say
        return RawJSON({"kind": "full", "items": []})
    loop = asyncio.get_running_loop()
    report = await loop.run_in_executor(analyser.lane, analyser.report, path)
    return _report(report.result_id, lambda: convert.to_json(report.diagnostics), params.previous_result_id)


def _report(result_id: str, items: Callable[[], str], previous: str | None) -> RawJSON | JsonText:
    """A full report, or "unchanged" when the client has this result (`items`: the
    diagnostics as JSON text, only made for a full report)."""
    if previous == result_id:
        return RawJSON({"kind": "unchanged", "resultId": result_id})
    return JsonText(f'{{"kind":"full","resultId":{json.dumps(result_id)},"items":{items()}}}')


def _js_path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    if not path or Path(path).suffix.lower() not in JAVASCRIPT_SUFFIXES or not Path(path).is_file():
        return None
    return Path(path)


def _log_refused(future: asyncio.Future[object] | object) -> None:
    try:
        future.result()  # type: ignore[union-attr]
    except Exception as error:
        logger.info("workspace/diagnostic/refresh not honoured: %s", error)
