"""pygls' LanguageServerProtocol, adjusted where Thea needs something else.

- Position encoding: pygls takes the client's first choice; Thea picks UTF-8 > UTF-32 >
  UTF-16 from the client's list (its offsets are bytes), see `convert`.
- Capabilities: `diagnosticProvider` only for pull clients (a push client must not pull).
- Documents: pygls keeps its own copy of every open document and applies each change to it
  by rebuilding the whole text; Thea's document lane keeps the one copy, so the built-in
  didOpen/didChange/didClose handlers only forward to Thea's.
- Large results: `RawJSON` params or results are written as they are; pygls would run them
  through cattrs, which costs far more than the analysis for a few hundred diagnostics.
  `JsonText` ones are already serialized (the diagnostics of a document are serialized once,
  in the lane that converted them) and are framed without another pass over them.
- didChange, the message of every keystroke, goes straight to its handler: pygls' generic
  dispatch (runtime Protocol isinstance checks, a generator hop, a Future and a uuid per
  notification) costs more than applying the edit to a small file.
- Malformed requests: pygls drops a request whose params do not validate without answering,
  and the client waits forever. Here it gets an InvalidParams error. A codeAction request
  whose context diagnostics do not validate (seen from Neovim 0.7) is retried without them;
  the server then matches diagnostics by range itself.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from typing import Any, Generator

from cattrs.errors import ClassValidationError
from lsprotocol import types
from pygls.exceptions import FeatureNotificationError, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol, lsp_method

from thea_lsp import convert

logger = logging.getLogger(__name__)


class RawJSON:
    """Params or a result that is JSON-ready already (dicts, lists, strings, numbers)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class JsonText:
    """Params or a result already serialized: JSON text, ASCII only (`json.dumps`' default)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class _Dropped:
    """Stands for a message that was already answered with an error."""

    jsonrpc = "dropped"


class TheaProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.position_encoding = "utf-16"
        self.advertise_diagnostics = False  # set by the initialize handler for pull clients

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        self.position_encoding = convert.choose_position_encoding(params.capabilities)
        result = yield from super().lsp_initialize(params)
        result.capabilities.position_encoding = self.position_encoding
        if not self.advertise_diagnostics:
            result.capabilities.diagnostic_provider = None
        return result

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._forward(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._forward(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._forward(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _forward(self, method: str, params: Any) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    # --- malformed messages -----------------------------------------------------------------

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except Exception as error:
            if "jsonrpc" not in data or "id" not in data or "method" not in data:
                raise  # a notification or a response: nothing to answer, pygls logs it
            if data.get("method") == types.TEXT_DOCUMENT_CODE_ACTION:
                retried = _without_context_diagnostics(data)
                if retried is not None:
                    try:
                        return super().structure_message(retried)
                    except Exception:
                        pass
            logger.warning("invalid params for %s (id %r): %s", data.get("method"), data.get("id"), _cause(error))
            self._send_response(
                data["id"], error=JsonRpcInvalidParams(f"Invalid params: {_cause(error)}").to_response_error()
            )
            return _Dropped()

    def _send_data(self, data: Any) -> None:
        body = _framed_text(data)
        if body is None:
            super()._send_data(data)
            return
        if self.writer is None:
            logger.error("Unable to send data, no available transport!")
            return
        try:
            header = f"Content-Length: {len(body)}\r\nContent-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            written = self.writer.write((header + body).encode(self.CHARSET))
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)
        except BrokenPipeError:
            logger.exception("Error sending data. BrokenPipeError")
            raise
        except Exception as error:
            logger.exception("Error sending data")
            self._server._report_server_error(error, JsonRpcInternalError)

    def _serialize_message(self, data: Any) -> Any:
        # json.dumps' `default`: a message whose params or result is RawJSON is written as is
        params = getattr(data, "params", None)
        if isinstance(params, RawJSON):
            return {"jsonrpc": data.jsonrpc, "method": data.method, "params": params.value}
        result = getattr(data, "result", None)
        if isinstance(result, RawJSON):
            return {"jsonrpc": data.jsonrpc, "id": data.id, "result": result.value}
        if isinstance(data, RawJSON):
            return data.value
        return super()._serialize_message(data)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Dropped):
            return
        if type(message) is types.DidChangeTextDocumentNotification and message.jsonrpc == "2.0" and not self._shutdown:
            handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
            if handler is not None and not inspect.iscoroutinefunction(handler):
                self._notify_directly(handler, message.params)
                return
        super().handle_message(message)

    def _notify_directly(self, handler: Any, params: Any) -> None:
        """A synchronous notification handler, called as pygls would but without its
        generic dispatch; errors are logged and reported the same way."""
        try:
            handler(params)
        except Exception as error:
            logger.exception("Failed to handle notification %r", types.TEXT_DOCUMENT_DID_CHANGE)
            self._server._report_server_error(error, FeatureNotificationError)


def _framed_text(data: Any) -> str | None:
    """The message as JSON text when its params or result is `JsonText`, else None."""
    params = getattr(data, "params", None)
    if isinstance(params, JsonText):
        return f'{{"jsonrpc":"2.0","method":{json.dumps(data.method)},"params":{params.text}}}'
    result = getattr(data, "result", None)
    if isinstance(result, JsonText):
        return f'{{"jsonrpc":"2.0","id":{json.dumps(data.id)},"result":{result.text}}}'
    return None


def _without_context_diagnostics(data: dict[str, Any]) -> dict[str, Any] | None:
    params = data.get("params")
    context = params.get("context") if isinstance(params, dict) else None
    if not isinstance(context, dict) or not context.get("diagnostics"):
        return None
    return {**data, "params": {**params, "context": {**context, "diagnostics": []}}}


def _cause(error: BaseException) -> str:
    cause = error.__cause__ or error
    if isinstance(cause, ClassValidationError):
        return "; ".join(str(inner) for inner in cause.exceptions) or str(cause)
    return str(cause)
