"""A running detector pool and the Ray connection under it, started and stopped together.

    with start_pool(spec, workers=2) as service:
        result = service.pool.analyze(DocumentSnapshot(uri, version, text))

`start_pool` joins `address` (or THEA_RAY_ADDRESS) when given, else starts a private local
Ray instance sized for `workers`; closing stops the actors and, for a local instance, Ray.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from types import TracebackType

from engine.pool.cluster import Cluster, connect, resolve_address
from engine.pool.detector import DetectorSpec
from engine.pool.orchestrator import DetectorPool

logger = logging.getLogger(__name__)


@dataclass
class PoolService:
    cluster: Cluster
    pool: DetectorPool
    startup_s: float

    def close(self) -> None:
        try:
            self.pool.shutdown()
        finally:
            self.cluster.shutdown()

    def __enter__(self) -> PoolService:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def start_pool(
    spec: DetectorSpec,
    workers: int,
    address: str | None = None,
    *,
    max_restarts: int = 3,
    queue_limit: int = 64,
    start_timeout_s: float = 300.0,
) -> PoolService:
    """Connect to Ray and start `workers` actors; raises ClusterError or PoolUnavailable
    (with Ray already stopped again)."""
    started = time.monotonic()
    address = resolve_address(address)
    # a local instance gets one CPU per actor and no more: Ray prestarts, and keeps idle, as
    # many Python workers (~60 MiB each) as it has CPUs, and the actors are all it runs
    cluster = connect(address, num_cpus=None if address else workers)
    pool = DetectorPool(spec, workers, max_restarts=max_restarts, queue_limit=queue_limit, start_timeout_s=start_timeout_s)
    try:
        pool.start()
    except BaseException:
        pool.shutdown()
        cluster.shutdown()
        raise
    return PoolService(cluster, pool, time.monotonic() - started)
