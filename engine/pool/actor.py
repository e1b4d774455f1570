"""`DetectorActor`: one detector per actor process, loaded once, serving whole documents.

The class is plain Python; the pool wraps it with `ray.remote` (resources, restarts), so it
can also be exercised in-process. Arguments and results are plain values: the document
arrives as the object-store array of `DocumentSnapshot.payload` (Ray resolves the ObjectRef
to a zero-copy read-only view), findings leave as `engine.pool.wire` tuples.
"""

from __future__ import annotations

import ctypes
import logging
import os
import socket
import time
from dataclasses import asdict, dataclass

import numpy as np

from engine.parse.parser import parse
from engine.parse.source import Source
from engine.pool.detector import DetectorSpec, load_detector
from engine.pool.snapshot import DocumentSnapshot
from engine.pool.wire import WireFinding, to_wire

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActorHealth:
    model: str
    pid: int
    host: str
    rss_bytes: int
    uptime_s: float
    load_s: float
    documents_served: int
    busy_s: float  # wall time spent analysing
    busy_cpu_s: float  # CPU time of those analyses (under a loaded machine, less than busy_s)
    torch_threads: int  # intra-op threads: 1 when N actors share N cores

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Analysis:
    """An actor's answer for one snapshot: the version it analysed travels back with it."""

    uri: str
    version: int
    findings: list[WireFinding]
    seconds: float
    pid: int
    cpu_seconds: float = 0.0  # the analysing thread's CPU time (one intra-op thread: all of it)


class DetectorActor:
    def __init__(self, spec: DetectorSpec) -> None:
        # The actors, not threads, use the cores: one intra-op thread, no inter-op pool, and no
        # Rust thread pool in the tokenizer (read when it first runs, so set before loading).
        os.environ["TOKENIZERS_PARALLELISM"] = "false"
        os.environ["RAYON_NUM_THREADS"] = "1"
        import torch

        torch.set_num_threads(spec.threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # already set in this process (an in-process test)
            pass
        self._started = time.monotonic()
        self._detector = load_detector(spec)
        self._load_s = time.monotonic() - self._started
        self._served = 0
        self._busy_s = 0.0
        self._busy_cpu_s = 0.0
        logger.info("detector %s loaded in %.2fs (pid %d)", self._detector.name, self._load_s, os.getpid())

    def analyze(self, uri: str, version: int, payload: np.ndarray) -> Analysis:
        started, cpu_started = time.perf_counter(), time.thread_time()
        snapshot = DocumentSnapshot.from_payload(uri, version, payload)
        source = Source(snapshot.text)
        findings = self._detector.detect(source, parse(source))
        seconds, cpu_seconds = time.perf_counter() - started, time.thread_time() - cpu_started
        _release_freed_memory()
        self._served += 1
        self._busy_s += seconds
        self._busy_cpu_s += cpu_seconds
        return Analysis(uri, version, to_wire(findings), seconds, os.getpid(), cpu_seconds)

    def health(self) -> ActorHealth:
        return ActorHealth(
            model=self._detector.name,
            pid=os.getpid(),
            host=socket.gethostname(),
            rss_bytes=_rss_bytes(),
            uptime_s=time.monotonic() - self._started,
            load_s=self._load_s,
            documents_served=self._served,
            busy_s=self._busy_s,
            busy_cpu_s=self._busy_cpu_s,
            torch_threads=_torch_threads(),
        )

    def pid(self) -> int:
        return os.getpid()


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def _release_freed_memory() -> None:
    """Hand the heap a long document's activations freed back to the system: glibc keeps it
    otherwise, and an actor that once saw an 8k-token document would stay ~100 MB larger."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not Linux
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
