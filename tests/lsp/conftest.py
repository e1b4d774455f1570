"""The real server (`python -m thea_lsp`) over stdio, driven by pytest-lsp's client.

Client profiles: pytest-lsp's captured capabilities of VS Code 1.65 (push diagnostics,
UTF-16 only) and Neovim 0.11 (UTF-8 first; declares pull diagnostics without refresh, so
it is pushed to), VS Code 1.65 plus what current vscode-languageclient declares for pull
diagnostics, and a hand-made Helix profile (UTF-8 positions, no pull, no codeAction/resolve).
"""

from __future__ import annotations

import asyncio
import copy
import sys
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Union

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import register_lsp_features
from pytest_lsp.protocol import LanguageClientProtocol

SERVER_COMMAND = [sys.executable, "-m", "thea_lsp", "--stdio"]
TIMEOUT_S = 15.0

# Only these rules, so that rules added to the registry later do not change the tests.
CONFIG = 'extends = "none"\n[rules]\neqeqeq = "warn"\nno-debugger = "error"\n'


class RecordingProtocol(LanguageClientProtocol):
    """Also keeps every publishDiagnostics (with its version), in arrival order."""

    def _handle_notification(self, method_name: str, params: Any) -> None:
        if method_name == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            self._server.published.append(params)  # type: ignore[attr-defined]
        super()._handle_notification(method_name, params)


def _converter() -> Any:
    """pygls' converter, except that lsprotocol's hook takes any code action that has a
    `command` for a bare Command; a bare Command's `command` is a string (LSP 3.17)."""
    converter = default_converter()

    def command_or_action(value: Any, _: type) -> types.Command | types.CodeAction:
        kind = types.Command if isinstance(value.get("command"), str) else types.CodeAction
        return converter.structure(value, kind)

    converter.register_structure_hook(types.Command | types.CodeAction, command_or_action)  # type: ignore[arg-type]
    converter.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)  # type: ignore[arg-type]
    return converter


class TestClient(LanguageClient):
    def __init__(self) -> None:
        super().__init__(protocol_cls=RecordingProtocol, converter_factory=_converter)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.applied_edits: list[types.ApplyWorkspaceEditParams] = []
        self.initialize_result: types.InitializeResult | None = None

    @property
    def server_capabilities(self) -> types.ServerCapabilities:
        assert self.initialize_result is not None
        return self.initialize_result.capabilities

    def published_for(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [params for params in self.published if params.uri == uri]


def make_client() -> TestClient:
    client = TestClient()
    register_lsp_features(client)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(client: TestClient, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(client: TestClient, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        client.applied_edits.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    return client


# --- client profiles -------------------------------------------------------------------------


def vscode_push() -> types.ClientCapabilities:
    return client_capabilities("visual-studio-code")


def vscode_pull() -> types.ClientCapabilities:
    capabilities = copy.deepcopy(client_capabilities("visual-studio-code"))
    capabilities.text_document.diagnostic = types.DiagnosticClientCapabilities(
        dynamic_registration=True, related_document_support=False
    )
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    return capabilities


def neovim() -> types.ClientCapabilities:
    return client_capabilities("neovim")


def neovim_07() -> types.ClientCapabilities:
    return client_capabilities("neovim@v0.7")


def helix() -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32, types.PositionEncodingKind.Utf16]
        ),
        workspace=types.WorkspaceClientCapabilities(
            apply_edit=True,
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            configuration=True,
            did_change_configuration=types.DidChangeConfigurationClientCapabilities(dynamic_registration=False),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            workspace_folders=True,
        ),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                version_support=True, data_support=True,
                tag_support=types.ClientDiagnosticsTagOptions(value_set=[types.DiagnosticTag.Unnecessary]),
            ),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=["", "quickfix", "refactor", "source", "source.fixAll"]
                    )
                ),
                is_preferred_support=True,
                data_support=True,
            ),
        ),
        window=types.WindowClientCapabilities(work_done_progress=True),
    )


PROFILES: dict[str, Callable[[], types.ClientCapabilities]] = {
    "vscode-push": vscode_push,
    "vscode-pull": vscode_pull,
    "neovim": neovim,
    "neovim-0.7": neovim_07,
    "helix": helix,
}


# --- sessions --------------------------------------------------------------------------------

Start = Callable[..., Awaitable[TestClient]]


@pytest_asyncio.fixture
async def start_server() -> AsyncIterator[Start]:
    """`await start_server(profile, root=..., init=..., settings=...)`: an initialized client.
    `settings` answers workspace/configuration for the `thea` section."""
    clients: list[TestClient] = []

    async def start(
        profile: str = "vscode-push",
        root: Path | None = None,
        init: Any = None,
        settings: dict[str, Any] | None = None,
        folders: list[Path] | None = None,
        command: list[str] | None = None,
    ) -> TestClient:
        config = ClientServerConfig(server_command=command or SERVER_COMMAND, client_factory=make_client)
        client = await config.start()
        clients.append(client)  # type: ignore[arg-type]
        if settings is not None:
            client.set_configuration(settings, section="thea")
        roots = folders if folders is not None else ([root] if root is not None else [])
        client.initialize_result = await asyncio.wait_for(
            client.initialize_session(
                types.InitializeParams(
                    capabilities=PROFILES[profile](),
                    root_uri=roots[0].as_uri() if roots else None,
                    workspace_folders=[types.WorkspaceFolder(uri=p.as_uri(), name=p.name) for p in roots] or None,
                    initialization_options=init,
                )
            ),
            TIMEOUT_S,
        )
        return client  # type: ignore[return-value]

    yield start
    for client in clients:
        try:
            await asyncio.wait_for(client.shutdown_session(), TIMEOUT_S)
        except Exception:
            pass
        await client.stop()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace folder whose config enables exactly eqeqeq (warn) and no-debugger (error)."""
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".thea.toml").write_text(CONFIG)
    return root


# --- helpers ---------------------------------------------------------------------------------


async def eventually(condition: Callable[[], Any], timeout: float = TIMEOUT_S, message: str = "") -> Any:
    """Poll until `condition()` is truthy; its value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting: {message or condition}")
        await asyncio.sleep(0.01)


async def diagnostics_for(client: TestClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The pushed diagnostics for exactly this version of the document."""
    params = await eventually(
        lambda: next((p for p in reversed(client.published_for(uri)) if p.version == version), None),
        message=f"diagnostics of {uri} v{version}",
    )
    return list(params.diagnostics)


def open_document(client: TestClient, path: Path, text: str, version: int = 1, language_id: str = "javascript") -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)
        )
    )
    return uri


def change_document(
    client: TestClient, uri: str, version: int, text: str, start: tuple[int, int] | None = None, end: tuple[int, int] | None = None
) -> None:
    if start is None:
        change: types.TextDocumentContentChangeEvent = types.TextDocumentContentChangeWholeDocument(text=text)
    else:
        end = end if end is not None else start
        change = types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=start[0], character=start[1]), end=types.Position(line=end[0], character=end[1])
            ),
            text=text,
        )
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
        )
    )


def span(diagnostic: types.Diagnostic) -> tuple[int, int, int, int]:
    r = diagnostic.range
    return (r.start.line, r.start.character, r.end.line, r.end.character)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    """Apply LSP edits to a text (independently of the server's code), last first."""

    def offset(position: types.Position) -> int:
        lines = text.splitlines(keepends=True)
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units, index = 0, 0
        while index < len(line) and units < position.character:
            width = {"utf-8": len(line[index].encode("utf-8")), "utf-16": 2 if ord(line[index]) > 0xFFFF else 1, "utf-32": 1}[encoding]
            units += width
            index += 1
        return before + index

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def edits_of(action: types.CodeAction | types.WorkspaceEdit) -> list[types.TextEdit]:
    edit = action.edit if isinstance(action, types.CodeAction) else action
    assert edit is not None, action
    if edit.document_changes:
        return [e for change in edit.document_changes for e in change.edits]  # type: ignore[union-attr]
    return [e for edits in (edit.changes or {}).values() for e in edits]
