"""The detector pool: whole documents to ML detector actors on Ray (local or joined).

snapshot.py        DocumentSnapshot(uri, version, text), the immutable unit of work
wire.py            findings as plain tuples between processes
detector.py        what an actor loads and runs (DetectorSpec -> engine.model.detector)
actor.py           DetectorActor: one detector per process; analyze(), health()
outcome.py         PoolResult and the ways a submission fails (Superseded, PoolUnavailable...)
orchestrator.py    DetectorPool: dispatch, queue, coalescing, restarts and retries
cluster.py         start / join / shut down Ray, locked to the loopback with token auth
service.py         start_pool(): Ray and the pool, started and stopped together
host.py            the pool in a child process, for the server (Ray's death cannot kill it)
batch_detector.py  `thea check --ml --workers N`: the batch detector call answered by the pool
health.py          a probe through every actor (`thea health`)
"""
