"""A process that owns a detector pool, for tests of what happens around it (listeners,
authentication, SIGTERM). Usage: python -m tests.pool.pool_owner CHECKPOINT WORKERS

Prints one JSON line once the pool is up: its pid, the pids of every process it started
(Ray's and the actors'), Ray's address and temp dir; then waits to be signalled.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from engine.pool.detector import DetectorSpec
from engine.pool.service import start_pool
from engine.pool.snapshot import DocumentSnapshot


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, ...


def descendants(root: int) -> list[int]:
    """Every live process below `root` (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None:
                parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def main() -> None:
    checkpoint, workers = sys.argv[1], int(sys.argv[2])
    service = start_pool(DetectorSpec(checkpoint, 8192, 0.0), workers)
    service.pool.analyze(DocumentSnapshot("file:///probe.js", 1, "let a = 1;\nif (a < 2) a = a + 1;\n"), timeout=120)
    print(json.dumps({
        "pid": os.getpid(),
        "descendants": descendants(os.getpid()),
        "address": service.cluster.address,
        "temp_dir": str(service.cluster.temp_dir),
        "actors": [status["pid"] for status in service.pool.status()],
    }), flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
