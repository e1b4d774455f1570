"""The detector pool: whole documents to ML detector actors on Ray (local or joined).

snapshot.py      DocumentSnapshot(uri, version, text), the immutable unit of work
wire.py          findings as plain tuples between processes
detector.py      what an actor loads and runs (DetectorSpec, load_detector)
actor.py         DetectorActor: one detector per process; analyze(), health()
orchestrator.py  DetectorPool: dispatch, queue, coalescing, restarts and retries
cluster.py       start / join / shut down Ray, locked to the loopback with token auth
service.py       start_pool(): Ray and the pool, started and stopped together
health.py        a probe through every actor (`thea health`)
"""
