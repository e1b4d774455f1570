"""The Thea language server: registration glue. The work lives in the feature modules.

`build_server()` makes a new server (nothing is built at import time); `__main__` starts it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from thea_lsp import __version__, code_actions, configuration, diagnostics, fix_all, logs, stdio
from thea_lsp.configuration import Configuration
from thea_lsp.diagnostics import Diagnostics, Mode
from thea_lsp.ml_source import MlSource
from thea_lsp.pipeline import Pipeline
from thea_lsp.protocol import TheaProtocol
from thea_lsp.workspace_diagnostics import DiskAnalyser, workspace_report

logger = logging.getLogger(__name__)

# Without an answer to workspace/configuration by then, documents are linted with what we have.
_SETTINGS_WAIT_S = 2.0


class TheaLanguageServer(LanguageServer):
    protocol: TheaProtocol

    def __init__(self) -> None:
        # pygls' thread pool only reads stdin where it is not a pipe (see `stdio`); Thea's
        # analysis runs in executors of its own (see `pipeline`).
        super().__init__("thea", __version__, protocol_cls=TheaProtocol, max_workers=2)
        self.log_level = logging.WARNING
        self.configuration = Configuration()
        self.diagnostics = Diagnostics(self)
        self.pipeline = Pipeline(
            encoding=lambda: self.protocol.position_encoding,  # type: ignore[arg-type, return-value]
            resolver=self.configuration.resolve,
            debounce_s=lambda: self.configuration.options.debounce_s,
            listener=self.diagnostics,
        )
        # The ML tier: a background source fed by the Ray detector pool (started lazily).
        self.ml = MlSource(self)
        self.pipeline.sources.append(self.ml)
        self.analyser = DiskAnalyser(self.configuration, lambda: self.protocol.position_encoding)  # type: ignore[arg-type, return-value]
        self.watching_config_files = False

    @property
    def encoding(self) -> Any:
        return self.protocol.position_encoding

    def start_io(self, stdin: Any = None, stdout: Any = None) -> int:  # type: ignore[override]
        return stdio.serve(self, stdin, stdout)

    def shutdown(self) -> None:
        self.pipeline.shutdown()
        self.ml.shutdown()
        self.analyser.lane.shutdown(wait=False, cancel_futures=True)
        super().shutdown()

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls shows errors outside requests as popups by default; Thea logs them
        (the client log handler forwards them as window/logMessage)."""
        logger.error("server error (%s): %s", getattr(source, "__name__", source), error)

    def capability(self, dotted: str) -> Any:
        """A client capability by dotted path (None where any part is missing)."""
        value: Any = self.client_capabilities
        for part in dotted.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    async def fetch_settings(self) -> bool:
        return await configuration.fetch_settings(self, self.configuration)

    @property
    def versioned_edits(self) -> bool:
        return bool(self.capability("workspace.workspace_edit.document_changes"))

    def settings_changed(self) -> None:
        """Re-resolve and re-lint open documents, and have pull clients pull again."""
        self.pipeline.reconfigure()
        self.analyser.forget()
        self.diagnostics.request_refresh()


def build_server() -> TheaLanguageServer:
    server = TheaLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: TheaLanguageServer, params: types.InitializeParams) -> None:
        # LSP allows window/logMessage during initialize: settings problems reach the client
        logging.getLogger().addHandler(logs.ClientLogHandler(ls, asyncio.get_running_loop(), ls.log_level))
        ls.diagnostics.mode = diagnostics.choose_mode(params.capabilities)
        ls.protocol.advertise_diagnostics = ls.diagnostics.mode is Mode.PULL
        ls.configuration.set_initial(params.initialization_options)
        ls.configuration.set_folders(configuration.workspace_folders(ls.workspace))
        if ls.capability("workspace.configuration"):  # wait for the settings, but not forever
            asyncio.get_running_loop().call_later(_SETTINGS_WAIT_S, ls.pipeline.open_gate)
        else:
            ls.pipeline.open_gate()
        logger.info(
            "client %s: %s diagnostics, %s positions",
            params.client_info.name if params.client_info else "unknown",
            ls.diagnostics.mode.value,
            ls.encoding,
        )

    @server.feature(types.INITIALIZED)
    async def initialized(ls: TheaLanguageServer, params: types.InitializedParams) -> None:
        registrations = []
        if ls.capability("workspace.did_change_watched_files.dynamic_registration"):
            registrations.append(configuration.watcher_registration())
        if ls.capability("workspace.did_change_configuration.dynamic_registration"):
            registrations.append(configuration.configuration_registration())
        if registrations:
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=registrations))
                ls.watching_config_files = any(r.id == "thea-config-files" for r in registrations)
            except Exception as error:
                logger.warning("client/registerCapability refused: %s", error)
        changed = await ls.fetch_settings()
        ls.pipeline.open_gate()
        if changed:
            ls.settings_changed()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: TheaLanguageServer, params: None) -> None:
        ls.pipeline.shutdown()
        ls.ml.shutdown()
        ls.analyser.lane.shutdown(wait=False, cancel_futures=True)

    # --- documents --------------------------------------------------------------------------

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TheaLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        path = to_fs_path(document.uri)
        ls.pipeline.open(document.uri, Path(path) if path else None, document.language_id, document.text, document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TheaLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        document = params.text_document
        ls.pipeline.change(document.uri, list(params.content_changes), document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: TheaLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        if not ls.watching_config_files:
            ls.pipeline.recheck()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TheaLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.ml.forget(params.text_document.uri)
        if ls.pipeline.close(params.text_document.uri) is not None:
            ls.diagnostics.clear(params.text_document.uri)

    # --- settings and config files ----------------------------------------------------------

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: TheaLanguageServer, params: types.DidChangeConfigurationParams) -> None:
        if ls.capability("workspace.configuration"):
            changed = await ls.fetch_settings()
        else:  # the old push model: the settings come with the notification
            settings = params.settings.get(configuration.SECTION) if isinstance(params.settings, dict) else None
            folders = configuration.workspace_folders(ls.workspace)
            changed = ls.configuration.update(settings, {}, folders)
        if changed:
            ls.settings_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: TheaLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        touched = False
        for change in params.changes:
            path = to_fs_path(change.uri)
            if path and ls.configuration.is_config_file(Path(path)):
                ls.configuration.cache.invalidate(Path(path))
                touched = True
        if touched:
            ls.settings_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_workspace_folders(ls: TheaLanguageServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        await ls.fetch_settings()
        ls.settings_changed()

    # --- diagnostics ------------------------------------------------------------------------

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, diagnostics.provider_options(workspace_diagnostics=True))
    async def document_diagnostic(ls: TheaLanguageServer, params: types.DocumentDiagnosticParams) -> Any:
        return await diagnostics.document_report(ls.pipeline, ls.analyser, params)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(ls: TheaLanguageServer, params: types.WorkspaceDiagnosticParams) -> Any:
        if not ls.configuration.options.workspace_diagnostics:
            return types.WorkspaceDiagnosticReport(items=[])
        open_paths = {state.path for state in ls.pipeline.documents.values() if state.path is not None}
        folders = configuration.workspace_folders(ls.workspace)
        limit = ls.configuration.options.max_workspace_files
        return await workspace_report(ls.analyser, ls, folders, open_paths, params, limit)

    # --- code actions -----------------------------------------------------------------------

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=code_actions.KINDS, resolve_provider=True),
    )
    async def code_action(ls: TheaLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        state = ls.pipeline.documents.get(uri)
        only = params.context.only
        actions: list[types.CodeAction] = []
        if code_actions.wanted(types.CodeActionKind.QuickFix, only):
            actions += code_actions.quick_fixes(uri, params.context.diagnostics, state, ls.versioned_edits)
        if code_actions.wanted(code_actions.FIX_ALL_KIND, only):
            action = code_actions.fix_all_action(uri, state)
            if action is not None and "edit" not in (ls.capability("text_document.code_action.resolve_support.properties") or ()):
                action = await fix_all.resolve(ls.pipeline, action, ls.encoding, ls.versioned_edits)  # no resolve: now
            if action is not None:
                actions.append(action)
        return actions or None

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve_code_action(ls: TheaLanguageServer, action: types.CodeAction) -> types.CodeAction:
        if action.kind == code_actions.FIX_ALL_KIND:
            return await fix_all.resolve(ls.pipeline, action, ls.encoding, ls.versioned_edits)
        return action

    @server.command(code_actions.SHOW_DOCUMENTATION)
    async def show_documentation(ls: TheaLanguageServer, url: str) -> None:
        if ls.capability("window.show_document.support"):
            await ls.window_show_document_async(types.ShowDocumentParams(uri=url, external=True))
        else:  # asked for by the user, so a message is the right place for the link
            message = f"Thea rule documentation: {url}"
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=message))

    @server.command(code_actions.APPLY_FIX_ALL)
    async def apply_fix_all(ls: TheaLanguageServer, uri: str) -> bool:
        """Fix all safe problems of an open document by workspace/applyEdit (for an editor's
        own "fix all" command); True when an edit was applied."""
        edit = await fix_all.workspace_edit(ls.pipeline, uri, ls.encoding, ls.versioned_edits)
        if edit is None or fix_all.is_empty(edit):
            return False
        params = types.ApplyWorkspaceEditParams(edit=edit, label=code_actions.FIX_ALL_TITLE)
        result = await ls.workspace_apply_edit_async(params)
        return bool(result and result.applied)

    return server
