"""The Ray runtime behind the detector pool: a private local instance, or a joined cluster.

A local instance is started on demand, owned by this process, and locked down:

- Every Ray port binds 127.0.0.1. Ray 2.60 resolves a `_node_ip_address` of "127.0.0.1"
  to the machine's routable address and its gRPC servers listen on all interfaces; only with
  `RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0` (the switch Ray uses to keep laptops off the
  network) is the node address the loopback, and then the GCS, raylet, agents and every
  worker bind it. Checked with `ss -ltnp` in tests/pool/test_cluster.py.
- The dashboard is off (`include_dashboard=False`), and neither the autoscaler monitor
  nor the log monitor runs (`engine.pool.local_node`). The GCS, the raylet, its dashboard
  and runtime-env agents, Ray's API server and the actors all bind the node address
  (loopback).
- Token authentication is on (`RAY_AUTH_MODE=token`) with a random token held in this
  process's environment (`RAY_AUTH_TOKEN`) and inherited by the processes Ray starts, so
  nothing is written to ~/.ray/auth_token.
- Its temporary directory is private (`tempfile.mkdtemp`) and removed at shutdown.
- It shuts down with its owner: `Cluster.shutdown` on normal exit (atexit), on SIGTERM,
  SIGHUP and SIGINT (handlers installed from the main thread). If the owner dies without
  running either (SIGKILL), the kernel kills the GCS, raylet and actors with it (Ray starts
  them with a parent-death signal); the raylet's two agents notice and exit by themselves,
  but only after Ray's GCS reconnect timeout (about 60 s, measured), and the temp dir is
  removed by the next start.

Joining (`--ray-address` / `THEA_RAY_ADDRESS`): Ray's token settings are used when a token
is available (`RAY_AUTH_TOKEN`, `RAY_AUTH_TOKEN_PATH` or ~/.ray/auth_token); the cluster is
not shut down, only disconnected from.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import shutil
import signal
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Mapping

from engine.pool.local_node import start_head, stop_head

logger = logging.getLogger(__name__)

ADDRESS_VARIABLE = "THEA_RAY_ADDRESS"
LOOPBACK = "127.0.0.1"
_REACH_TIMEOUT_S = 5.0
_TEMP_PREFIX = "thea-ray-"
_OWNER_FILE = "thea-owner.pid"
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


class ClusterError(Exception):
    """Ray could not be started or joined."""


@dataclass
class Cluster:
    """This process's connection to Ray: `owned` when it started the instance itself."""

    address: str
    owned: bool
    temp_dir: Path | None = None
    node: Any = None  # Ray's head `Node` when owned
    _closed: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def shutdown(self) -> None:
        """Disconnect (and, when owned, stop every Ray process and remove the temp dir).
        Idempotent; safe from signal handlers and atexit."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        import ray

        try:
            ray.shutdown()
        except Exception:  # shutting down must finish even if Ray is half gone
            logger.exception("ray.shutdown failed")
        if self.node is not None:
            try:
                stop_head(self.node)
            except Exception:
                logger.exception("stopping the local Ray processes failed")
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
        if self in _LIVE:
            _LIVE.remove(self)
        logger.info("Ray %s (%s)", "stopped" if self.owned else "disconnected", self.address)

    @property
    def closed(self) -> bool:
        return self._closed


# Ray's runtime is one per process, so is the list of what the exit hooks must stop.
_LIVE: list[Cluster] = []
_atexit_registered = False


def resolve_address(explicit: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The cluster to join: `--ray-address`, else THEA_RAY_ADDRESS, else None (start locally)."""
    if explicit:
        return explicit
    value = (os.environ if environ is None else environ).get(ADDRESS_VARIABLE)
    return value or None


def connect(address: str | None = None, num_cpus: int | None = None) -> Cluster:
    """Join `address`, or start a private local instance with `num_cpus` CPUs (default: the
    machine's). Raises ClusterError; installs the exit hooks."""
    import ray

    if ray.is_initialized():
        raise ClusterError("Ray is already initialised in this process")
    if address:
        cluster = _join(address)
    else:
        cluster = _start_local(num_cpus)
    _LIVE.append(cluster)
    install_exit_hooks()
    return cluster


def _start_local(num_cpus: int | None) -> Cluster:
    _bind_loopback()
    _enable_token_auth(os.environ.get("RAY_AUTH_TOKEN") or secrets.token_hex(32))
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    _sweep_stale_temp_dirs()
    temp_dir = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX))
    (temp_dir / _OWNER_FILE).write_text(str(os.getpid()))
    import ray

    node = None
    try:
        node = start_head(LOOPBACK, num_cpus or os.cpu_count() or 1, temp_dir)
        ray.init(
            address=node.gcs_address,
            log_to_driver=False,  # workers' output must never reach an LSP server's stdout
            configure_logging=False,
            namespace="thea",
        )
    except Exception as error:
        _safe_shutdown()
        if node is not None:
            stop_head(node)
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise ClusterError(f"could not start a local Ray instance: {error}") from error
    logger.info("started a local Ray instance at %s (temp dir %s)", node.gcs_address, temp_dir)
    return Cluster(node.gcs_address, owned=True, temp_dir=temp_dir, node=node)


def _join(address: str) -> Cluster:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(f"not a Ray address (host:port): {address!r}")
    # ray.init retries an unreachable GCS for minutes; a refused connection is known at once
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_REACH_TIMEOUT_S).close()
    except OSError as error:
        raise ClusterError(f"cannot reach the Ray cluster at {address}: {error}") from error
    if host in _LOOPBACK_HOSTS:
        _bind_loopback()  # our driver's own gRPC server then binds the loopback as well
    if _token_available():
        _enable_token_auth(None)
    else:
        logger.warning("joining Ray at %s without an authentication token (none found)", address)
    import ray

    try:
        context = ray.init(address=address, log_to_driver=False, configure_logging=False, namespace="thea")
    except Exception as error:
        _safe_shutdown()
        raise ClusterError(f"could not join the Ray cluster at {address}: {error}") from error
    logger.info("joined the Ray cluster at %s", context.address_info.get("gcs_address", address))
    return Cluster(address, owned=False)


def _sweep_stale_temp_dirs() -> None:
    """Remove the temp dirs of local instances whose owner died without cleaning up
    (SIGKILL: Ray's processes end with it, but nothing is left to remove the files)."""
    for candidate in Path(tempfile.gettempdir()).glob(_TEMP_PREFIX + "*"):
        try:
            owner = int((candidate / _OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours, or still being created
        if not _process_exists(owner):
            shutil.rmtree(candidate, ignore_errors=True)
            logger.info("removed %s, left by process %d", candidate, owner)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    return True


def _bind_loopback() -> None:
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    import ray._private.ray_constants as ray_constants

    # read at import time; Ray may have been imported before this call
    ray_constants.ENABLE_RAY_CLUSTER = False


def _enable_token_auth(token: str | None) -> None:
    os.environ["RAY_AUTH_MODE"] = "token"
    if token is not None:
        os.environ["RAY_AUTH_TOKEN"] = token
    from ray._raylet import AuthenticationTokenLoader, Config

    # Ray caches its config and token per process; reload them from the environment
    # (what Ray's own `_enable_token_auth` does).
    Config.initialize("")
    AuthenticationTokenLoader.instance().reset_cache()


def _token_available() -> bool:
    if os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH"):
        return True
    return (Path.home() / ".ray" / "auth_token").is_file()


def _safe_shutdown() -> None:
    import ray

    try:
        ray.shutdown()
    except Exception:
        logger.debug("ray.shutdown after a failed start failed", exc_info=True)


def shutdown_all() -> None:
    for cluster in list(_LIVE):
        cluster.shutdown()


def install_exit_hooks() -> None:
    """atexit, and SIGTERM/SIGHUP/SIGINT handlers that stop Ray before the process exits.

    Signal handlers can only be set from the main thread: a server that starts its pool
    from a worker thread calls this once from the main thread at startup. Re-installed on
    every call, because `ray.init` on the main thread replaces the SIGTERM handler.
    """
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(shutdown_all)
        _atexit_registered = True
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    logger.info("signal %d: stopping the detector pool", signum)
    shutdown_all()
    # then what the signal would have done without us (Ray's own SIGTERM handler exits too)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)
