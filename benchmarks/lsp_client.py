"""A minimal LSP client over stdio for the benchmarks: raw JSON-RPC framing, no validation,
so that the client's own overhead stays out of the measured latency."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time
from typing import Any


class StdioClient:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self._ids = itertools.count(1)
        self._responses: dict[int, asyncio.Future[Any]] = {}
        self._waiters: list[tuple[str, Any, asyncio.Future[Any]]] = []
        self.received_at: dict[int, float] = {}  # id(future) -> perf_counter() when its message was parsed
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def start(cls, command: list[str], cwd: str | None = None) -> StdioClient:
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=cwd,
            limit=64 * 1024 * 1024,
        )
        return cls(process)

    @property
    def pid(self) -> int:
        return self.process.pid

    def notify(self, method: str, params: Any) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any) -> Any:
        request_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._responses[request_id] = future
        self._write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return await future

    def expect(self, method: str, match: Any) -> asyncio.Future[Any]:
        """A future for the next notification `method` whose params satisfy `match(params)`;
        register it *before* sending what triggers it. `received(future)` then tells when
        the message had arrived and been parsed: the time a latency is measured to, without
        the wake-up of whatever awaits the future (the client's overhead, not the server's)."""
        future = asyncio.get_running_loop().create_future()
        self._waiters.append((method, match, future))
        return future

    def received(self, future: asyncio.Future[Any]) -> float:
        return self.received_at.pop(id(future))

    async def initialize(self, root_uri: str, initialization_options: Any = None) -> Any:
        capabilities = {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"publishDiagnostics": {"versionSupport": True, "dataSupport": True}},
            "window": {"workDoneProgress": False},
        }
        result = await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root_uri,
                "capabilities": capabilities,
                "initializationOptions": initialization_options,
                "workspaceFolders": [{"uri": root_uri, "name": "bench"}],
            },
        )
        self.notify("initialized", {})
        return result

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.request("shutdown", None), 10)
            self.notify("exit", None)
            await asyncio.wait_for(self.process.wait(), 10)
        except (asyncio.TimeoutError, ConnectionError):
            self.process.kill()
        self._reader.cancel()

    def _write(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = await stdout.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line == b"\r\n":
                    break
            message = json.loads(await stdout.readexactly(length))
            self._dispatch(message, time.perf_counter())

    def _dispatch(self, message: dict[str, Any], received: float) -> None:
        if "method" not in message:
            future = self._responses.pop(message.get("id"), None)
            if future is not None and not future.done():
                future.set_result(message.get("result", message.get("error")))
            return
        if "id" in message:  # a request from the server: answer null (registrations etc.)
            self._write({"jsonrpc": "2.0", "id": message["id"], "result": None})
            return
        for waiter in list(self._waiters):
            method, match, future = waiter
            if method == message["method"] and not future.done() and match(message["params"]):
                self.received_at[id(future)] = received
                future.set_result(message["params"])
                self._waiters.remove(waiter)
                break


def print_flush(*args: Any) -> None:
    print(*args)
    sys.stdout.flush()
