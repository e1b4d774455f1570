"""A lean local Ray head for the detector pool: only the processes a one-machine pool uses.

`ray.init()` starts, beside the GCS server and the raylet, six Python processes of 80-120 MiB
resident each. With 2 actors they were a third of the server-plus-pool memory (measured by
benchmarks/pool_throughput.py). This head leaves out the two the pool has no use for:

- No autoscaler monitor (`no_monitor`): there is nothing to scale on one machine.
- No log monitor (`include_log_monitor=False`): it only forwards workers' output to the
  driver, which the pool turns off (`log_to_driver=False`); workers still log to files in
  the instance's temp dir.

and keeps the others, each for a reason:

- The raylet's two agents (dashboard agent, runtime-env agent): the raylet refuses to run
  without them (it exits when one does).
- The API server (the dashboard head; with the dashboard off it serves no UI): the
  dashboard agent looks for its address once a second, logging a traceback each time, for
  as long as it runs. Ray's "minimal" agent mode does not stop that (its modules load all
  the same), so leaving the API server out would fill the temp dir with logs over a long
  editor session.

It also turns metrics collection off (nothing exports or reads them) and sizes the object
store at 128 MiB instead of 30% of the machine's memory: it holds documents (kB) and small
arrays, and a small store never trips Ray's /dev/shm size check.

Ray 2.60's `ray.init` does not pass `no_monitor` / `include_log_monitor` through, so the head
is built as `ray start --head` builds it (`RayParams` + `Node`) and the driver then connects
to it with `ray.init(address=...)`. tests/pool/test_cluster.py checks the processes and
listeners that result.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

OBJECT_STORE_BYTES = 128 * 1024 * 1024
SYSTEM_CONFIG: dict[str, object] = {"enable_metrics_collection": False}


def start_head(host: str, num_cpus: int, temp_dir: Path) -> Any:
    """Start a head node bound to `host`; returns Ray's `Node` (its `gcs_address` is what
    `ray.init(address=...)` joins). Raises what Ray raises."""
    from ray._private.node import Node
    from ray._private.parameter import RayParams

    params = RayParams(
        node_ip_address=host,
        num_cpus=num_cpus,
        num_gpus=0,
        include_dashboard=False,
        dashboard_host=host,
        object_store_memory=OBJECT_STORE_BYTES,
        temp_dir=str(temp_dir),
        no_monitor=True,
        include_log_monitor=False,
        _system_config=dict(SYSTEM_CONFIG),
    )
    # as ray.init builds its own: Ray's processes end with this one, whatever its death
    node = Node(params, head=True, shutdown_at_exit=False, spawn_reaper=True, ray_init_cluster=True)
    logger.debug("local Ray head up at %s", node.gcs_address)
    return node


def stop_head(node: Any) -> None:
    """Stop every process of the head (raylet first; its agents and workers go with it)."""
    node.kill_all_processes(check_alive=False, allow_graceful=True, wait=True)
