"""Bad input: malformed JSON-RPC, unknown documents, huge and binary files, bad params.
The server answers properly (errors where due), shows no popups, and keeps serving."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from tests.lsp.conftest import SERVER_COMMAND, diagnostics_for, eventually, open_document


class RawServer:
    """The server as a subprocess, spoken to in raw bytes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def write(self, raw: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(raw)
        self.process.stdin.flush()

    def send(self, message: dict[str, Any] | bytes) -> None:
        body = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise EOFError("server closed its output")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n") and length:
                return json.loads(self.process.stdout.read(length))

    def response(self, request_id: Any) -> dict[str, Any]:
        """Read until the response to `request_id` (skipping the server's notifications)."""
        while True:
            message = self.read()
            if message.get("id") == request_id and "method" not in message:
                return message

    def close(self) -> int:
        self.send({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"})
        self.response("bye")
        self.send({"jsonrpc": "2.0", "method": "exit"})
        try:
            return self.process.wait(10)
        finally:
            self.process.kill()


def test_malformed_json_rpc_then_still_answers() -> None:
    server = RawServer()
    try:
        server.write(b"this is not a header\r\n\r\n")  # garbage lines are skipped
        server.send(b"{not json")  # unparsable body: logged, dropped
        server.send(b"[1, 2, 3]")  # JSON, but not a message
        server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": 1}})
        error = server.response(1)
        assert error["error"]["code"] == -32602  # InvalidParams, instead of no answer at all
        server.send({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"capabilities": {}, "processId": None}})
        result = server.response(2)["result"]
        assert result["serverInfo"]["name"] == "thea" and result["capabilities"]["positionEncoding"] == "utf-16"
        server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        server.send({"jsonrpc": "2.0", "id": 3, "method": "no/suchMethod", "params": {}})
        assert server.response(3)["error"]["code"] == -32601
        server.send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/codeAction", "params": {"textDocument": 5}})
        assert server.response(4)["error"]["code"] == -32602
        # Neovim 0.7 style: context diagnostics that do not validate (no range); answered anyway
        position = {"line": 0, "character": 0}
        server.send(
            {
                "jsonrpc": "2.0",
                "id": 5,
                "method": "textDocument/codeAction",
                "params": {
                    "textDocument": {"uri": "file:///nowhere.js"},
                    "range": {"start": position, "end": position},
                    "context": {"diagnostics": [{"code": "eqeqeq", "user_data": {}}]},
                },
            }
        )
        assert "result" in server.response(5)
        assert server.close() == 0
    finally:
        server.process.kill()


def test_exit_without_shutdown_is_status_1() -> None:
    server = RawServer()
    try:
        server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        server.response(1)
        server.send({"jsonrpc": "2.0", "method": "exit"})
        assert server.process.wait(10) == 1
    finally:
        server.process.kill()


async def test_requests_for_documents_never_opened(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    uri = (workspace / "ghost.js").as_uri()
    position = types.Position(line=3, character=4)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert actions is None
    stale = types.CodeAction(title="Fix all safe Thea problems", kind="source.fixAll.thea", data={"uri": uri, "version": 3})
    assert (await client.code_action_resolve_async(stale)).edit is None
    garbage = types.CodeAction(title="x", kind="source.fixAll.thea", data=[1, 2])
    assert (await client.code_action_resolve_async(garbage)).edit is None
    with pytest.raises(JsonRpcInvalidParams):
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command="thea.applyFixAll", arguments=[]))
    assert await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="thea.applyFixAll", arguments=[uri])
    ) is False
    # a quick fix request whose diagnostics carry foreign or broken data is answered too
    odd = types.Diagnostic(
        range=types.Range(start=position, end=position), message="m", code="eqeqeq", source="thea", data={"fixes": "x"}
    )
    assert await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[odd], only=["quickfix"]),
        )
    ) is not None
    # and the server still serves
    opened = open_document(client, workspace / "real.js", "debugger;\n")
    assert [d.code for d in await diagnostics_for(client, opened, 1)] == ["no-debugger"]
    assert client.messages == []


async def test_ten_megabyte_file(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    big = "a == b;\n" * (10 * 1024 * 1024 // 8)
    started = time.perf_counter()
    uri = open_document(client, workspace / "big.js", big)
    (notice,) = await diagnostics_for(client, uri, 1)
    elapsed = time.perf_counter() - started
    assert notice.severity == types.DiagnosticSeverity.Information
    assert "over max_file_size" in notice.message and "10.0 MiB" in notice.message
    assert elapsed < 10
    # still served meanwhile and after; an edit shrinking it below the limit brings analysis back
    small = open_document(client, workspace / "small.js", "debugger;\n")
    assert [d.code for d in await diagnostics_for(client, small, 1)] == ["no-debugger"]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="a == b;\n")],
        )
    )
    assert [d.code for d in await diagnostics_for(client, uri, 2)] == ["eqeqeq"]
    assert client.messages == []


async def test_binary_content(start_server, workspace: Path) -> None:
    client = await start_server("helix", root=workspace)
    uri = open_document(client, workspace / "bin.js", "var a\x00\x00\x01 = 1;\ndebugger;\n")
    (notice,) = await diagnostics_for(client, uri, 1)
    assert "NUL bytes" in notice.message and notice.severity == types.DiagnosticSeverity.Information
    (workspace / "disk.js").write_bytes(b"\xff\xfe\x00garbage\x00")
    client2 = await start_server("vscode-pull", root=workspace)
    report = await client2.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=(workspace / "disk.js").as_uri()))
    )
    (disk_notice,) = report.items
    assert "not analysed" in disk_notice.message


async def test_broken_notification_is_logged_not_shown(start_server, workspace: Path) -> None:
    client = await start_server("vscode-push", root=workspace)
    uri = open_document(client, workspace / "n.js", "debugger;\n")
    await diagnostics_for(client, uri, 1)
    # a didChange whose params do not validate: pygls cannot even build the params
    client.protocol._send_data(
        {"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_CHANGE, "params": {"textDocument": {"uri": uri}, "contentChanges": 7}}
    )
    await eventually(lambda: any(m.type == types.MessageType.Error for m in client.log_messages))
    assert client.messages == []
    opened = open_document(client, workspace / "after.js", "a == b;\n")
    assert [d.code for d in await diagnostics_for(client, opened, 1)] == ["eqeqeq"]


def test_cli_accepts_editor_arguments_and_tcp(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    help_text = subprocess.run([sys.executable, "-m", "thea_lsp", "--help"], capture_output=True, text=True, check=True)
    assert "--stdio" in help_text.stdout and "--tcp" in help_text.stdout
    bad = subprocess.run([sys.executable, "-m", "thea_lsp", "--tcp", "--port", "0"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--port" in bad.stderr
    import socket

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "thea_lsp", "--tcp", "--port", str(port), "--log-file", str(log), "--log-level", "info"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with connection:
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}).encode()
            connection.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            reply = b""
            while b"serverInfo" not in reply:
                chunk = connection.recv(65536)
                assert chunk, "connection closed"
                reply += chunk
        assert log.exists() and "listening on 127.0.0.1" in log.read_text()
    finally:
        process.kill()
        process.wait(10)
