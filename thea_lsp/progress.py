"""Work-done progress ($/progress) for long requests, client- or server-initiated.

A request may carry a `workDoneToken` (the client shows its own progress UI); otherwise,
when the client supports `window.workDoneProgress`, the server creates a token first. The
user can cancel server-initiated progress (window/workDoneProgress/cancel); `cancelled`
tells the work to stop.
"""

from __future__ import annotations

import logging
import uuid

from lsprotocol import types
from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)


class WorkDone:
    """One progress bar: `begin`, any number of `report`s, then `end` (idempotent)."""

    def __init__(self, server: LanguageServer, token: types.ProgressToken | None) -> None:
        self._server = server
        self._token = token
        self._last_percentage = -1
        self._ended = False

    @classmethod
    async def start(
        cls, server: LanguageServer, title: str, token: types.ProgressToken | None, *, create: bool = True
    ) -> WorkDone:
        """Begin progress on the client's token, or on a new one when `create` and the client
        supports it; without either, a WorkDone that reports nothing."""
        if token is None and create and _supports_progress(server):
            token = f"thea-{uuid.uuid4()}"
            try:
                await server.work_done_progress.create_async(token)
            except Exception as error:  # the client refused: work on without progress
                logger.info("work done progress not created: %s", error)
                token = None
        progress = cls(server, token)
        if token is not None:
            server.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0)
            )
        return progress

    @property
    def cancelled(self) -> bool:
        if self._token is None:
            return False
        future = self._server.work_done_progress.tokens.get(self._token)
        return future is not None and future.cancelled()

    def report(self, done: int, total: int, message: str | None = None) -> None:
        if self._token is None or self._ended or total <= 0:
            return
        percentage = min(100, done * 100 // total)
        if percentage == self._last_percentage:
            return
        self._last_percentage = percentage
        self._server.work_done_progress.report(
            self._token, types.WorkDoneProgressReport(percentage=percentage, message=message)
        )

    def end(self, message: str | None = None) -> None:
        if self._token is None or self._ended:
            return
        self._ended = True
        self._server.work_done_progress.end(self._token, types.WorkDoneProgressEnd(message=message))
        self._server.work_done_progress.tokens.pop(self._token, None)


def _supports_progress(server: LanguageServer) -> bool:
    window = server.client_capabilities.window
    return bool(window is not None and window.work_done_progress)
