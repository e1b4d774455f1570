"""Reading LSP messages from stdin on the event loop; writing them to stdout from any thread.

pygls' stdio reader runs every `readline` and every body read in its thread pool: three
thread hops per message before the handler even starts. An asyncio pipe reader costs none,
and the loop is free to read because analysis never runs on it. Where stdin is not a pipe
(a regular file, some terminals) pygls' threaded reader is used instead.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import BinaryIO

from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async
from pygls.lsp.server import LanguageServer

logger = logging.getLogger(__name__)

_LIMIT = 1024 * 1024  # longest header line kept; longer lines are not headers and are skipped


class _PipeReader:
    """pygls' AsyncReader interface over an asyncio StreamReader."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    async def readline(self) -> bytes:
        try:
            return await self._stream.readline()
        except ValueError:  # over the limit: asyncio dropped it; hand pygls a non-header line
            logger.warning("skipped an over-long line on stdin (not an LSP header)")
            return b"-\r\n"

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self._stream.readexactly(n)
        except asyncio.IncompleteReadError as error:  # EOF inside a body: end of input
            return error.partial if error.partial else b""


class LockedWriter(StdoutWriter):
    """stdout, one whole message per write whichever thread writes: the document lane
    publishes diagnostics itself (see `pipeline`), the loop writes everything else.
    `lock` lets a writer check that a message is still wanted and write it atomically."""

    def __init__(self, stdout: BinaryIO) -> None:
        super().__init__(stdout)
        self.lock = threading.RLock()

    def write(self, data: bytes) -> None:
        with self.lock:
            super().write(data)


def serve(server: LanguageServer, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Serve LSP on stdin/stdout until exit or end of input; the exit status (LSP: 1 when
    `exit` came without `shutdown` first)."""
    server._stop_event = stop_event = threading.Event()  # pygls' shutdown() sets it
    server.protocol.set_writer(LockedWriter(stdout or sys.stdout.buffer))
    status = 0
    try:
        asyncio.run(_serve(server, stdin or sys.stdin.buffer, stop_event))
    except BrokenPipeError:
        logger.error("the connection to the client is lost; shutting down")
    except SystemExit as exit_:  # pygls' `exit` handler
        status = exit_.code if isinstance(exit_.code, int) else 0
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return status


async def _serve(server: LanguageServer, stdin: BinaryIO, stop_event: threading.Event) -> None:
    loop = asyncio.get_running_loop()
    reader: _PipeReader | StdinAsyncReader
    try:
        stream = asyncio.StreamReader(limit=_LIMIT)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), stdin)
        reader = _PipeReader(stream)
    except (ValueError, OSError, NotImplementedError) as error:
        logger.info("stdin is not a pipe (%s): reading it in a thread", error)
        reader = StdinAsyncReader(stdin, server.thread_pool)
    await run_async(
        stop_event=stop_event,
        reader=reader,
        protocol=server.protocol,
        logger=logger,
        error_handler=server.report_server_error,
    )
