"""The detector pool in a process of its own, for a long-lived owner such as the server.

Why: Ray's core worker ends its driver process when the local raylet dies (a crash, the OOM
killer). A language server that were itself the driver would die with it. Here the driver
is a child process (`python -m engine.pool.host FD`); if Ray dies, only the child does, and
the server sees the pipe close, keeps its pattern diagnostics and starts a new pool later.

The child also ends with its owner whatever the owner's death: it reads the pipe, and end
of file (the owner exited, or was killed) stops the pool and Ray before it exits, so even
`kill -9` of the server leaves no Ray process and no temp dir. Its stdout is the owner's
stderr: nothing Ray prints can reach an LSP channel.

Messages are tuples pickled over a `multiprocessing` pipe; documents cross it once, then go
through Ray's object store as in-process pools do.
"""

from __future__ import annotations

import itertools
import logging
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from multiprocessing.connection import Connection, Pipe
from typing import Any

from engine.pool.detector import DetectorSpec
from engine.pool.outcome import DetectorFailed, PoolResult, PoolUnavailable, QueueFull, Superseded
from engine.pool.snapshot import DocumentSnapshot
from engine.pool.wire import from_wire, to_wire

logger = logging.getLogger(__name__)

_ERRORS: dict[str, type[Exception]] = {
    "superseded": Superseded, "queue-full": QueueFull, "failed": DetectorFailed, "unavailable": PoolUnavailable,
}


class PoolProcess:
    """The owner's side: `submit` as DetectorPool's, answered by the child."""

    def __init__(self, process: subprocess.Popen[bytes], connection: Connection, ready: tuple[Any, ...]) -> None:
        self._process = process
        self._connection = connection
        _, self.workers, self.ready_actors, self.startup_s, self.address = ready
        self._ids = itertools.count()
        self._pending: dict[int, Future[PoolResult]] = {}
        self._lock = threading.Lock()
        self._alive = True
        self._reader = threading.Thread(target=self._read, name="thea-pool-host-reader", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, spec: DetectorSpec, workers: int, address: str | None, timeout_s: float = 300.0) -> PoolProcess:
        """Start the child and its pool; raises PoolUnavailable with the child's reason."""
        ours, theirs = Pipe()
        try:
            output: int = sys.stderr.fileno()
        except (AttributeError, OSError, ValueError):  # a stderr without a file (captured)
            output = subprocess.DEVNULL
        process = subprocess.Popen(
            [sys.executable, "-m", "engine.pool.host", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=output,
        )
        theirs.close()
        try:
            ours.send(("start", spec, workers, address, timeout_s))
            if not ours.poll(timeout_s + 30):
                raise PoolUnavailable(f"the detector pool did not start within {timeout_s:.0f}s")
            answer = ours.recv()
        except (EOFError, OSError) as error:
            process.kill()
            raise PoolUnavailable(f"the detector pool process ended while starting ({error or 'exit'})") from None
        except BaseException:
            process.kill()
            raise
        if answer[0] != "ready":
            process.wait(timeout=30)
            raise PoolUnavailable(answer[1])
        return cls(process, ours, answer)

    @property
    def alive(self) -> bool:
        return self._alive and self._process.poll() is None

    def submit(self, snapshot: DocumentSnapshot, *, timeout: float | None = None) -> Future[PoolResult]:
        del timeout  # the child never blocks on a full queue: it answers queue-full at once
        future: Future[PoolResult] = Future()
        with self._lock:
            if not self.alive:
                raise PoolUnavailable("the detector pool process is gone")
            request = next(self._ids)
            self._pending[request] = future
            try:
                self._connection.send(("submit", request, snapshot.uri, snapshot.version, snapshot.text))
            except (OSError, ValueError) as error:
                self._pending.pop(request, None)
                raise PoolUnavailable(f"the detector pool process is gone: {error}") from None
        return future

    def forget(self, uri: str) -> None:
        self._send(("forget", uri))

    def close(self, timeout_s: float = 30.0) -> None:
        self._send(("close",))
        try:
            self._process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._connection.close()
        self._fail_all("the detector pool was shut down")

    def _send(self, message: tuple[Any, ...]) -> None:
        with self._lock:
            try:
                self._connection.send(message)
            except (OSError, ValueError):
                pass  # gone already: the reader fails what was waiting

    def _read(self) -> None:
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                break
            kind, request = message[0], message[1]
            with self._lock:
                future = self._pending.pop(request, None)
            if future is None or future.done():
                continue
            if kind == "done":
                _, _, uri, version, rows, seconds, actor, attempts, cpu_seconds = message
                future.set_result(PoolResult(uri, version, from_wire(rows), seconds, actor, attempts, cpu_seconds))
            else:
                future.set_exception(_ERRORS.get(message[2], PoolUnavailable)(message[3]))
        self._alive = False
        self._fail_all("the detector pool process ended")

    def _fail_all(self, reason: str) -> None:
        with self._lock:
            waiting, self._pending = list(self._pending.values()), {}
        for future in waiting:
            if not future.done():
                future.set_exception(PoolUnavailable(reason))


# --- the child ---------------------------------------------------------------------------------


def _serve(connection: Connection) -> int:
    from engine.pool.service import start_pool

    _, spec, workers, address, timeout_s = connection.recv()
    try:
        service = start_pool(spec, workers, address, start_timeout_s=timeout_s)
    except Exception as error:
        connection.send(("failed", f"the ML detector could not start: {error}"))
        return 1
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            try:
                connection.send(message)
            except (OSError, ValueError):
                pass  # the owner is gone; the loop below sees it too

    def answer(request: int, future: Future[PoolResult]) -> None:
        try:
            result = future.result()
        except Exception as error:
            kind = {Superseded: "superseded", QueueFull: "queue-full", DetectorFailed: "failed"}.get(type(error), "unavailable")
            send(("error", request, kind, str(error)))
            return
        send(("done", request, result.uri, result.version, to_wire(result.findings), result.seconds, result.actor,
              result.attempts, result.cpu_seconds))

    send(("ready", workers, service.pool.ready_actors, service.startup_s, service.cluster.address))
    try:
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):  # the owner exited or died: stop with it
                break
            if message[0] == "close":
                break
            if message[0] == "forget":
                service.pool.forget(message[1])
                continue
            _, request, uri, version, text = message
            try:
                future = service.pool.submit(DocumentSnapshot(uri, version, text), timeout=0)
            except QueueFull as error:
                send(("error", request, "queue-full", str(error)))
                continue
            except PoolUnavailable as error:
                send(("error", request, "unavailable", str(error)))
                break  # nothing left to serve: exit, the owner starts a new pool later
            future.add_done_callback(lambda done, request=request: answer(request, done))
    finally:
        service.close()
    return 0


def main() -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="thea pool: %(levelname)s: %(name)s: %(message)s")
    started = time.monotonic()
    status = _serve(Connection(int(sys.argv[1])))
    logger.info("detector pool process done after %.0fs", time.monotonic() - started)
    return status


if __name__ == "__main__":
    sys.exit(main())
