"""The language server with the ML tier on: the real server over stdio, a real client, a
real Ray pool. Pattern diagnostics come first; the detector's follow for the same version.
If Ray cannot be reached, the server keeps serving pattern diagnostics and says so once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig

from tests.lsp import conftest as lsp
from tests.lsp.conftest import PROFILES, eventually, make_client
from tests.pool.tiny_detector import program

pytestmark = pytest.mark.slow

STARTUP_S = 300.0  # Ray and two actors on 2 shared cores


def _config(checkpoint: Path) -> str:
    return (
        'extends = "none"\nml = true\n[rules]\neqeqeq = "warn"\n'
        f'[model]\npath = "{checkpoint}"\nworkers = 2\nconfidence-threshold = 0.0\ncontext-length = 8192\n'
    )


Start = Callable[..., Awaitable[lsp.TestClient]]


@pytest_asyncio.fixture
async def serve() -> AsyncIterator[Start]:
    clients: list[lsp.TestClient] = []

    async def start(root: Path, env: dict[str, str] | None = None) -> lsp.TestClient:
        command = ["nice", "-n", "10", sys.executable, "-m", "thea_lsp", "--stdio"]
        config = ClientServerConfig(command, client_factory=make_client, server_env=dict(os.environ, **(env or {})))
        client: Any = await config.start()
        client.statuses = []
        handle = client.protocol._handle_notification

        def record(method: str, params: Any) -> None:  # `thea/status` is Thea's own notification
            if method == "thea/status":
                client.statuses.append(params)
            handle(method, params)

        client.protocol._handle_notification = record

        clients.append(client)
        client.initialize_result = await client.initialize_session(
            types.InitializeParams(
                capabilities=PROFILES["vscode-push"](),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            )
        )
        return client  # type: ignore[no-any-return]

    yield start
    for client in clients:
        try:
            await asyncio.wait_for(client.shutdown_session(), 60)
        except Exception:
            pass
        await client.stop()


def _codes(params: types.PublishDiagnosticsParams) -> list[str]:
    return [str(d.code) for d in params.diagnostics]


async def test_ml_diagnostics_follow_the_pattern_ones(serve: Start, checkpoint: Path, tmp_path: Path) -> None:
    (tmp_path / ".thea.toml").write_text(_config(checkpoint))
    uri = (tmp_path / "a.js").as_uri()
    client = await serve(tmp_path)
    text = "if (x == 1) {}\n" + program(1)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "javascript", 1, text)))
    first = await eventually(lambda: client.published_for(uri), timeout=30)
    assert _codes(first[0]) == ["eqeqeq"] and first[0].version == 1  # the rules did not wait for Ray
    with_ml = await eventually(
        lambda: [p for p in client.published_for(uri) if any(c.startswith("ml/") for c in _codes(p))], timeout=STARTUP_S
    )
    assert with_ml[0].version == 1 and "eqeqeq" in _codes(with_ml[0])  # merged, not replaced
    titles = [getattr(p, "title", None) for reports in client.progress_reports.values() for p in reports]
    assert "Loading detector…" in titles
    # an edit: pattern diagnostics for version 2 at once, ML ones for version 2 after
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [types.TextDocumentContentChangeWholeDocument(text="let y = 1;\nif (y < 2) y = y + 1;\n")],
    ))
    await eventually(
        lambda: [p for p in client.published_for(uri) if p.version == 2 and any(c.startswith("ml/") for c in _codes(p))],
        timeout=120,
    )
    # no publish ever mixed the old version's ML findings into a newer version
    for params in client.published_for(uri):
        if params.version == 2:
            assert all(d.range.start.line <= 1 for d in params.diagnostics)


async def test_pattern_diagnostics_go_on_when_ray_is_unreachable(serve: Start, checkpoint: Path, tmp_path: Path) -> None:
    (tmp_path / ".thea.toml").write_text(_config(checkpoint))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    client = await serve(tmp_path, env={"THEA_RAY_ADDRESS": f"127.0.0.1:{port}"})
    for version, name in enumerate(("a.js", "b.js"), start=1):
        uri = (tmp_path / name).as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, "javascript", version, "if (x == 1) {}\n")))
        published = await eventually(lambda: client.published_for(uri), timeout=30)
        assert _codes(published[-1]) == ["eqeqeq"]
    await eventually(lambda: client.statuses, timeout=60)
    await asyncio.sleep(1.0)
    warnings = [m for m in client.log_messages if "ML detector" in m.message]
    assert len(warnings) == 1 and warnings[0].type == types.MessageType.Warning
    assert [getattr(s, "ml", None) or s["ml"] for s in client.statuses] == ["unavailable"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
async def test_the_pool_ends_with_the_server(serve: Start, checkpoint: Path, tmp_path: Path, signum: int) -> None:
    """Even `kill -9`: the pool's process reads its pipe from the server, and stops Ray at EOF."""
    import glob

    from tests.pool.pool_owner import descendants, running

    (tmp_path / ".thea.toml").write_text(_config(checkpoint))
    uri = (tmp_path / "a.js").as_uri()
    before = set(glob.glob("/tmp/thea-ray-*"))
    client = await serve(tmp_path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "javascript", 1, program(2))))
    await eventually(
        lambda: [p for p in client.published_for(uri) if any(c.startswith("ml/") for c in _codes(p))], timeout=STARTUP_S
    )
    server = client._server  # the server's process (pygls keeps it there)
    started = descendants(server.pid)
    assert len(started) >= 4  # Ray's processes and the two actors
    ours = set(glob.glob("/tmp/thea-ray-*")) - before
    assert len(ours) == 1  # the local instance's private temp dir
    server.send_signal(signum)
    await asyncio.wait_for(server.wait(), 60)
    deadline = asyncio.get_running_loop().time() + 30
    alive = started
    while alive and asyncio.get_running_loop().time() < deadline:
        alive = [pid for pid in alive if running(pid)]
        await asyncio.sleep(0.2)
    assert alive == [], [Path(f"/proc/{pid}/cmdline").read_bytes()[:80] for pid in alive]
    assert not any(Path(d).exists() for d in ours)


async def test_no_pool_starts_while_the_ml_tier_is_off(serve: Start, tmp_path: Path) -> None:
    from tests.pool.pool_owner import descendants

    (tmp_path / ".thea.toml").write_text('extends = "none"\n[rules]\neqeqeq = "warn"\n')  # ml off (development)
    uri = (tmp_path / "a.js").as_uri()
    client = await serve(tmp_path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "javascript", 1, "if (x == 1) {}\n" + program(3))))
    published = await eventually(lambda: client.published_for(uri), timeout=30)
    await asyncio.sleep(2.0)
    assert all(not c.startswith("ml/") for p in client.published_for(uri) for c in _codes(p)) and published
    assert descendants(client._server.pid) == [] and not client.progress_reports


async def test_a_dead_pool_is_announced_once_and_restarted(serve: Start, checkpoint: Path, tmp_path: Path) -> None:
    import signal

    from tests.pool.pool_owner import descendants

    (tmp_path / ".thea.toml").write_text(_config(checkpoint))
    uri = (tmp_path / "a.js").as_uri()
    client = await serve(tmp_path)

    def ml_for(version: int) -> Callable[[], list[types.PublishDiagnosticsParams]]:
        return lambda: [p for p in client.published_for(uri)
                        if p.version == version and any(c.startswith("ml/") for c in _codes(p))]

    def edit(version: int) -> None:
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=f"if (x == {version}) {{}}\n" + program(version))],
        ))

    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri, "javascript", 1, "if (x == 1) {}\n" + program(1))))
    await eventually(ml_for(1), timeout=STARTUP_S)
    for pid in descendants(client._server.pid):  # all of Ray, at once: nothing can restart
        os.kill(pid, signal.SIGKILL)
    edit(2)
    await eventually(lambda: [p for p in client.published_for(uri) if p.version == 2], timeout=30)  # rules go on
    await eventually(lambda: client.statuses, timeout=60)
    assert [getattr(s, "ml", None) or s["ml"] for s in client.statuses] == ["ready", "unavailable"]
    await asyncio.sleep(6.0)  # the first back-off
    edit(3)
    await eventually(ml_for(3), timeout=STARTUP_S)  # a new pool answered
    warnings = [m for m in client.log_messages if "ML detector" in m.message]
    assert len(warnings) == 1


async def test_folders_with_other_thresholds_share_one_pool_each_cut_at_its_own(
    serve: Start, checkpoint: Path, tmp_path: Path
) -> None:
    # strict/ reports only above 0.99, low/ everything (threshold 0), from the same checkpoint:
    # the pool restarts once (for the lower threshold), never back and forth
    for folder, threshold in (("strict", "0.99"), ("low", "0")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / ".thea.toml").write_text(
            _config(checkpoint).replace("confidence-threshold = 0.0", f"confidence-threshold = {threshold}"))
    strict, low = (tmp_path / "strict" / "a.js").as_uri(), (tmp_path / "low" / "b.js").as_uri()
    client = await serve(tmp_path)

    def states() -> list[str]:
        return [getattr(s, "ml", None) or s["ml"] for s in client.statuses]

    def ml_for(uri: str, version: int) -> Callable[[], list[types.PublishDiagnosticsParams]]:
        return lambda: [p for p in client.published_for(uri)
                        if p.version == version and any(c.startswith("ml/") for c in _codes(p))]

    def edit(uri: str, version: int) -> None:
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=program(version + 10 * (uri == low)))],
        ))

    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(strict, "javascript", 1, program(1))))
    await eventually(states, timeout=STARTUP_S)  # a pool at 0.99
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(low, "javascript", 1, program(11))))
    await eventually(ml_for(low, 1), timeout=STARTUP_S)  # a pool at 0
    for version in (2, 3):
        edit(strict, version)
        edit(low, version)
        await eventually(ml_for(low, version), timeout=120)
    assert states() == ["ready", "ready"]
    confidences = [float(d.message.rsplit("(confidence ", 1)[1].rstrip(")")) for p in client.published_for(strict)
                   for d in p.diagnostics if str(d.code).startswith("ml/")]
    assert all(c >= 0.99 for c in confidences)
