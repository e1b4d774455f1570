"""`DetectorPool`: N detector actors behind one queue.

- Least-loaded dispatch: a job goes to a ready actor with nothing in flight (ties: the one
  that has served fewest documents), one document per actor at a time, so a long document
  never holds a short one behind it while another actor idles.
- A bounded queue with back-pressure: `submit` blocks (or raises QueueFull after its
  timeout) while `queue_limit` distinct documents wait.
- Per-document coalescing: a queued snapshot is replaced by a newer version of the same
  uri (its future fails with Superseded); a result whose version is older than the newest
  submitted for its uri fails with Superseded too. Only the newest version is analysed.
- Failures: an actor that dies mid-analysis is restarted by Ray (`max_restarts`); its job
  is retried once, on another actor where there is one. A health ping tells when the
  restarted actor is back. An actor past its restarts is dead; with none left the pool is
  dead and every waiting job fails with PoolUnavailable.
- Documents go through the object store once (`ray.put` of the UTF-8 array at first
  dispatch); a retry passes the same ObjectRef.

One dispatcher thread owns the actors' bookkeeping; Ray completes futures on its own thread
and only posts an event to it.
"""

from __future__ import annotations

import collections
import enum
import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from engine.pool.actor import ActorHealth, Analysis, DetectorActor
from engine.pool.detector import DetectorSpec
from engine.pool.outcome import DetectorFailed, PoolResult, PoolUnavailable, QueueFull, Superseded
from engine.pool.snapshot import DocumentSnapshot
from engine.pool.wire import from_wire

logger = logging.getLogger(__name__)

_TICK_S = 0.5  # the dispatcher's idle wake-up
_PING_INTERVAL_S = 0.5  # between health pings to an actor Ray is restarting


class SlotState(enum.Enum):
    STARTING = "starting"
    READY = "ready"
    RESTARTING = "restarting"
    DEAD = "dead"


@dataclass(eq=False)
class _Job:
    snapshot: DocumentSnapshot
    future: Future[PoolResult]
    ref: Any = None  # the payload's ObjectRef, put at first dispatch
    attempts: int = 0
    tried: set[int] = field(default_factory=set)


@dataclass(eq=False)
class _Slot:
    index: int
    handle: Any
    state: SlotState = SlotState.STARTING
    job: _Job | None = None
    served: int = 0
    restarts: int = 0
    pid: int | None = None


class DetectorPool:
    def __init__(
        self,
        spec: DetectorSpec,
        workers: int,
        *,
        max_restarts: int = 3,
        queue_limit: int = 64,
        start_timeout_s: float = 300.0,
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.spec = spec
        self.workers = workers
        self.max_restarts = max_restarts
        self.queue_limit = queue_limit
        self.start_timeout_s = start_timeout_s
        self._lock = threading.Condition()
        self._pending: collections.OrderedDict[str, _Job] = collections.OrderedDict()
        self._retries: collections.deque[_Job] = collections.deque()
        self._latest: dict[str, int] = {}
        self._slots: list[_Slot] = []
        self._events: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._closed = False

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Create the actors and wait until every one has loaded its detector (raises
        PoolUnavailable if none could)."""
        import ray

        remote = ray.remote(DetectorActor).options(  # type: ignore[attr-defined]
            num_cpus=1, max_restarts=self.max_restarts, max_task_retries=0, max_concurrency=1
        )
        self._slots = [_Slot(index, remote.remote(self.spec)) for index in range(self.workers)]
        checks = {slot.index: slot.handle.health.remote() for slot in self._slots}
        deadline = time.monotonic() + self.start_timeout_s
        problems = []
        for slot in self._slots:
            try:
                health: ActorHealth = ray.get(checks[slot.index], timeout=max(0.1, deadline - time.monotonic()))
            except Exception as error:
                slot.state = SlotState.DEAD
                problems.append(f"actor {slot.index}: {_short(error)}")
                ray.kill(slot.handle, no_restart=True)
                continue
            slot.state, slot.pid = SlotState.READY, health.pid
        if problems:
            logger.warning("detector actors failed to start: %s", "; ".join(problems))
        if not any(slot.state is SlotState.READY for slot in self._slots):
            self._closed = True
            raise PoolUnavailable("no detector actor started: " + "; ".join(problems))
        self._thread = threading.Thread(target=self._run, name="thea-pool-dispatcher", daemon=True)
        self._thread.start()
        logger.info("detector pool: %d of %d actors ready", self.ready_actors, self.workers)

    def shutdown(self) -> None:
        """Fail everything still waiting, kill the actors, stop the dispatcher. Idempotent."""
        with self._lock:
            if self._closed and self._thread is None:
                return
            self._closed = True
            waiting = list(self._pending.values()) + list(self._retries)
            waiting += [slot.job for slot in self._slots if slot.job is not None]
            self._pending.clear()
            self._retries.clear()
            self._lock.notify_all()
        for job in waiting:
            _fail(job, PoolUnavailable("the detector pool was shut down"))
        self._events.put(("stop",))
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None
        import ray

        if ray.is_initialized():
            for slot in self._slots:
                try:
                    ray.kill(slot.handle, no_restart=True)
                except Exception:  # already gone
                    logger.debug("ray.kill of actor %d failed", slot.index, exc_info=True)

    @property
    def alive(self) -> bool:
        with self._lock:
            return not self._closed and any(slot.state is not SlotState.DEAD for slot in self._slots)

    @property
    def ready_actors(self) -> int:
        return sum(slot.state is SlotState.READY for slot in self._slots)

    def status(self) -> list[dict[str, object]]:
        """Each actor: index, state, pid, the uri it is analysing, documents served, restarts."""
        with self._lock:
            return [
                {"index": slot.index, "state": slot.state.value, "pid": slot.pid,
                 "busy": slot.job.snapshot.uri if slot.job is not None else None,
                 "served": slot.served, "restarts": slot.restarts}
                for slot in self._slots
            ]

    def actors(self) -> list[tuple[int, Any, str]]:
        """(slot index, actor handle, state) of every actor (for health checks)."""
        with self._lock:
            return [(slot.index, slot.handle, slot.state.value) for slot in self._slots]

    # --- work ---------------------------------------------------------------------------------

    def submit(self, snapshot: DocumentSnapshot, *, timeout: float | None = None) -> Future[PoolResult]:
        """Queue a snapshot; its future resolves to a PoolResult, or fails with Superseded,
        DetectorFailed or PoolUnavailable. Blocks while the queue is full."""
        future: Future[PoolResult] = Future()
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while True:
                if self._closed or not self._any_alive():
                    raise PoolUnavailable("the detector pool is not running")
                if snapshot.uri in self._pending or len(self._pending) < self.queue_limit:
                    break
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise QueueFull(f"{len(self._pending)} documents are waiting for the detector")
                self._lock.wait(remaining)
            newest = self._latest.get(snapshot.uri)
            if newest is not None and snapshot.version < newest:
                future.set_exception(Superseded(f"{snapshot.uri} version {snapshot.version} < {newest}"))
                return future
            self._latest[snapshot.uri] = snapshot.version
            replaced = self._pending.get(snapshot.uri)
            self._pending[snapshot.uri] = _Job(snapshot, future)  # keeps the queue position
        if replaced is not None:
            _fail(replaced, Superseded(f"{snapshot.uri}: version {snapshot.version} replaced {replaced.snapshot.version}"))
        self._events.put(("wake",))
        return future

    def analyze(self, snapshot: DocumentSnapshot, timeout: float | None = None) -> PoolResult:
        return self.submit(snapshot).result(timeout)

    def map(self, snapshots: Iterable[DocumentSnapshot]) -> Iterator[PoolResult | BaseException]:
        """Results in input order (a failure is yielded as its exception); submission is
        bounded by the queue, so memory stays flat over any number of documents."""
        window: collections.deque[Future[PoolResult]] = collections.deque()
        for snapshot in snapshots:
            window.append(self.submit(snapshot))
            while window and (window[0].done() or len(window) > self.queue_limit):
                yield _outcome(window.popleft())
        while window:
            yield _outcome(window.popleft())

    def forget(self, uri: str) -> None:
        """The document was closed: drop its queued job and its version record."""
        with self._lock:
            job = self._pending.pop(uri, None)
            self._latest.pop(uri, None)
            self._lock.notify_all()
        if job is not None:
            _fail(job, Superseded(f"{uri} was closed"))

    # --- the dispatcher thread ----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            try:
                event = self._events.get(timeout=_TICK_S)
            except queue.Empty:
                event = ("tick",)
            if event[0] == "stop":
                return
            try:
                if event[0] == "done":
                    self._finished(event[1], event[2], event[3])
                elif event[0] == "restarted":
                    self._restarted(event[1], event[2])
                self._dispatch()
            except Exception:  # the dispatcher must survive anything one event does
                logger.exception("detector pool dispatcher: %s failed", event[0])

    def _dispatch(self) -> None:
        import ray

        with self._lock:
            if self._closed:
                return
            if not self._any_alive():
                self._fail_all_locked()
                return
            while True:
                job = self._next_job_locked()
                if job is None:
                    return
                slot = self._choose_locked(job)
                if slot is None:
                    self._requeue_locked(job)
                    return
                if job.ref is None:
                    job.ref = ray.put(job.snapshot.payload())
                job.attempts += 1
                job.tried.add(slot.index)
                slot.job = job
                ref = slot.handle.analyze.remote(job.snapshot.uri, job.snapshot.version, job.ref)
                ref.future().add_done_callback(
                    lambda done, slot=slot, job=job: self._events.put(("done", slot, job, done))
                )
                self._lock.notify_all()  # room in the queue

    def _next_job_locked(self) -> _Job | None:
        if self._retries:
            return self._retries.popleft()
        if self._pending:
            return self._pending.popitem(last=False)[1]
        return None

    def _requeue_locked(self, job: _Job) -> None:
        if job.attempts:
            self._retries.appendleft(job)
        else:  # back to the front, unless a newer version arrived meanwhile (it wins)
            uri = job.snapshot.uri
            if uri not in self._pending:
                self._pending[uri] = job
                self._pending.move_to_end(uri, last=False)

    def _choose_locked(self, job: _Job) -> _Slot | None:
        idle = [slot for slot in self._slots if slot.state is SlotState.READY and slot.job is None]
        if job.tried:
            untried_alive = [s for s in self._slots if s.index not in job.tried and s.state is not SlotState.DEAD]
            if untried_alive:  # retry elsewhere, waiting for another actor rather than reusing the one that failed
                idle = [slot for slot in idle if slot.index not in job.tried]
        if not idle:
            return None
        return min(idle, key=lambda slot: (slot.served, slot.index))

    def _finished(self, slot: _Slot, job: _Job, done: Future[Analysis]) -> None:
        import ray.exceptions as ray_errors

        with self._lock:
            if slot.job is job:
                slot.job = None
            try:
                analysis = done.result()
            except ray_errors.RayActorError as error:
                self._actor_failed_locked(slot, error)
                if job.attempts < 2 and not self._closed:
                    logger.warning("actor %d died analysing %s; retrying", slot.index, job.snapshot.uri)
                    self._retries.append(job)
                else:
                    _fail(job, PoolUnavailable(f"analysis of {job.snapshot.uri} failed twice: {_short(error)}"))
                return
            except ray_errors.RayTaskError as error:
                _fail(job, DetectorFailed(_short(error)))
                return
            except Exception as error:  # cancelled, object lost...
                _fail(job, PoolUnavailable(_short(error)))
                return
            slot.served += 1
            newest = self._latest.get(job.snapshot.uri, job.snapshot.version)
        if job.snapshot.version < newest:
            _fail(job, Superseded(f"{job.snapshot.uri}: analysed version {job.snapshot.version} < {newest}"))
            return
        result = PoolResult(analysis.uri, analysis.version, from_wire(analysis.findings), analysis.seconds,
                            slot.index, job.attempts, analysis.cpu_seconds)
        if not job.future.done():
            job.future.set_result(result)

    def _actor_failed_locked(self, slot: _Slot, error: BaseException) -> None:
        import ray.exceptions as ray_errors

        if slot.state in (SlotState.DEAD, SlotState.RESTARTING):
            return
        if isinstance(error, ray_errors.ActorDiedError):  # Ray gave up on it: no restarts left
            slot.state = SlotState.DEAD
            logger.error("detector actor %d is dead: %s", slot.index, _short(error))
            return
        slot.state = SlotState.RESTARTING
        slot.restarts += 1
        logger.warning("detector actor %d failed (%s); waiting for its restart", slot.index, _short(error))
        self._ping(slot)

    def _ping(self, slot: _Slot) -> None:
        """Ask a restarting actor for its health; the answer comes back as an event."""
        if self._closed:
            return
        slot.handle.health.remote().future().add_done_callback(
            lambda done, slot=slot: self._events.put(("restarted", slot, done))
        )

    def _restarted(self, slot: _Slot, done: Future[ActorHealth]) -> None:
        import ray.exceptions as ray_errors

        with self._lock:
            try:
                health = done.result()
            except ray_errors.ActorUnavailableError:  # still restarting: ask again shortly
                timer = threading.Timer(_PING_INTERVAL_S, self._ping, (slot,))
                timer.daemon = True
                timer.start()
                return
            except Exception as error:
                slot.state = SlotState.DEAD
                logger.error("detector actor %d did not come back: %s", slot.index, _short(error))
                return
            slot.state, slot.pid = SlotState.READY, health.pid
            logger.info("detector actor %d is back (pid %d)", slot.index, health.pid)

    def _any_alive(self) -> bool:
        return any(slot.state is not SlotState.DEAD for slot in self._slots)

    def _fail_all_locked(self) -> None:
        waiting = list(self._pending.values()) + list(self._retries)
        self._pending.clear()
        self._retries.clear()
        self._lock.notify_all()
        for job in waiting:
            _fail(job, PoolUnavailable("every detector actor is dead"))


def _fail(job: _Job, error: BaseException) -> None:
    if not job.future.done():
        job.future.set_exception(error)


def _outcome(future: Future[PoolResult]) -> PoolResult | BaseException:
    try:
        return future.result()
    except Exception as error:
        return error


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"[:300]
