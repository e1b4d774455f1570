"""Logging: to stderr or a file, and the important records to the client as window/logMessage.

stdout is the LSP channel, so nothing else may ever write there. Records reach the client
from any thread; they are handed to the event loop, which owns the output stream (two
threads writing at once would interleave message frames). pygls logs every message it
sends at INFO, so only Thea's own records below WARNING are forwarded, and a record logged
while a log message is being sent is not forwarded again.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
_OWN_LOGGERS = ("thea_lsp", "engine")
_MESSAGE_TYPES = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
    (logging.NOTSET, types.MessageType.Log),
)


def configure(level: str = "warning", log_file: Path | None = None) -> int:
    """Root logging to `log_file` or stderr; returns the numeric level."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    handler: logging.Handler
    if log_file is not None:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    # pygls logs each message body at INFO: only worth it when asked for DEBUG
    logging.getLogger("pygls").setLevel(max(numeric, logging.WARNING) if numeric > logging.DEBUG else numeric)
    return numeric


class ClientLogHandler(logging.Handler):
    """Forwards records to the client's log (never a popup)."""

    def __init__(self, server: LanguageServer, loop: asyncio.AbstractEventLoop, level: int) -> None:
        super().__init__(level)
        self._server = server
        self._loop = loop
        self._sending = threading.local()
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._sending, "active", False) or self._loop.is_closed():
            return
        if record.levelno < logging.WARNING and not record.name.startswith(_OWN_LOGGERS):
            return
        try:
            message = self.format(record)
        except Exception:
            return
        kind = next(kind for level, kind in _MESSAGE_TYPES if record.levelno >= level)
        try:
            self._loop.call_soon_threadsafe(self._send, kind, message)
        except RuntimeError:  # loop closed meanwhile
            pass

    def _send(self, kind: types.MessageType, message: str) -> None:
        if self._server.protocol.writer is None:
            return
        self._sending.active = True
        try:
            self._server.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:
            pass
        finally:
            self._sending.active = False
