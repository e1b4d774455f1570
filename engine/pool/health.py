"""Health checks: a probe document through every actor of a pool, with state and timings.

`thea health` prints the report (text, or JSON for monitoring) and exits non-zero unless
every actor answered. The probe goes to each actor directly, not through the queue, so a
check says which actor is broken rather than only that one was.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from engine.pool.actor import ActorHealth, Analysis
from engine.pool.detector import DetectorSpec
from engine.pool.orchestrator import DetectorPool
from engine.pool.snapshot import DocumentSnapshot

# Small, with sites of several kinds (a call, comparisons, arithmetic), parsed cleanly.
PROBE = DocumentSnapshot(
    "thea:health-probe.js",
    0,
    "function clamp(value, low, high) {\n"
    "  if (value < low) return low;\n"
    "  if (value > high) return high;\n"
    "  return value;\n"
    "}\n"
    "const width = clamp(120, 0, 100) - 1;\n",
)


@dataclass
class ActorReport:
    index: int
    state: str
    ok: bool
    pid: int | None = None
    model: str | None = None
    rss_bytes: int | None = None
    uptime_s: float | None = None
    documents_served: int | None = None
    probe_s: float | None = None  # the actor's own analysis time for the probe
    roundtrip_s: float | None = None  # submit to answer, through Ray
    findings: int | None = None
    error: str | None = None
    torch_threads: int | None = None  # intra-op threads: 1, the actors share the cores


@dataclass
class HealthReport:
    address: str
    owned: bool
    workers: int
    startup_s: float
    actors: list[ActorReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.actors) and all(actor.ok for actor in self.actors)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def render_text(self) -> str:
        where = "local Ray instance" if self.owned else "Ray cluster"
        lines = [f"{where} at {self.address}: {self.workers} detector actors, started in {self.startup_s:.1f}s"]
        for actor in self.actors:
            if actor.ok:
                lines.append(
                    f"  actor {actor.index}: {actor.state}, pid {actor.pid}, model {actor.model}, "
                    f"{(actor.rss_bytes or 0) / 2**20:.0f} MiB, up {actor.uptime_s:.1f}s, "
                    f"{actor.documents_served} documents, {actor.torch_threads} torch thread(s), "
                    f"probe {1000 * (actor.probe_s or 0):.0f} ms "
                    f"({1000 * (actor.roundtrip_s or 0):.0f} ms round trip, {actor.findings} findings)"
                )
            else:
                lines.append(f"  actor {actor.index}: FAILED ({actor.state}): {actor.error}")
        lines.append("healthy" if self.ok else "UNHEALTHY")
        return "\n".join(lines)


def check(pool: DetectorPool, timeout_s: float = 60.0, probe: DocumentSnapshot = PROBE) -> list[ActorReport]:
    import ray

    payload = ray.put(probe.payload())
    started: dict[int, float] = {}
    calls = []
    for index, handle, state in pool.actors():
        started[index] = time.perf_counter()
        calls.append((index, state, handle.health.remote(), handle.analyze.remote(probe.uri, probe.version, payload)))
    reports = []
    deadline = time.monotonic() + timeout_s
    for index, state, health_ref, probe_ref in calls:
        try:
            analysis: Analysis = ray.get(probe_ref, timeout=max(0.1, deadline - time.monotonic()))
            roundtrip = time.perf_counter() - started[index]
            health: ActorHealth = ray.get(health_ref, timeout=max(0.1, deadline - time.monotonic()))
        except Exception as error:
            reports.append(ActorReport(index, state, False, error=f"{type(error).__name__}: {error}".splitlines()[0]))
            continue
        reports.append(
            ActorReport(
                index, state, True, health.pid, health.model, health.rss_bytes, health.uptime_s,
                health.documents_served, analysis.seconds, roundtrip, len(analysis.findings),
                torch_threads=health.torch_threads,
            )
        )
    return reports


def run_health(spec: DetectorSpec, workers: int, address: str | None, timeout_s: float = 300.0) -> HealthReport:
    """Start or join the pool, probe every actor, stop again. A pool that cannot start gives
    a report with no healthy actor and the reason (never an exception)."""
    from engine.pool.cluster import ClusterError, resolve_address
    from engine.pool.orchestrator import PoolUnavailable
    from engine.pool.service import start_pool

    address = resolve_address(address)
    started = time.monotonic()
    try:
        service = start_pool(spec, workers, address, start_timeout_s=timeout_s)
    except (ClusterError, PoolUnavailable) as error:
        report = HealthReport(address or "local", address is None, workers, time.monotonic() - started)
        report.actors.append(ActorReport(0, "not started", False, error=str(error).splitlines()[0]))
        return report
    with service:
        report = HealthReport(service.cluster.address, service.cluster.owned, workers, service.startup_s)
        report.actors = check(service.pool, timeout_s)
    return report
