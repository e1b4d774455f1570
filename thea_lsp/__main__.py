"""`thea serve` / `python -m thea_lsp`: start the language server.

stdio is the default (`--stdio` is accepted because editors' clients append it); `--tcp
--port N` listens on 127.0.0.1 only, for debugging with a client that connects.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from pathlib import Path
from typing import Sequence

from thea_lsp import __version__

logger = logging.getLogger(__name__)

DEFAULT_PORT = 2087
_YOUNG_COLLECTION_THRESHOLD = 10_000
LOG_LEVELS = ("debug", "info", "warning", "error")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thea serve", description="Run the Thea language server (LSP over stdio by default)."
    )
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)")
    transport.add_argument("--tcp", action="store_true", help="listen on 127.0.0.1:PORT instead")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    parser.add_argument("--log-file", type=Path, help="write the log here instead of stderr")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="warning", help="default: warning")
    parser.add_argument("--ray-address", metavar="HOST:PORT",
                        help="run the ML detector on this Ray cluster (default: THEA_RAY_ADDRESS, else a local one)")
    # vscode-languageclient may pass this; the server's lifetime follows the LSP exit anyway
    parser.add_argument("--clientProcessId", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"thea-lsp {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` (without the program name), serve until the client exits; the exit status."""
    args = _parser().parse_args(argv)
    if not 0 < args.port < 65536:
        _parser().error(f"--port must be from 1 to 65535, got {args.port}")
    # imported here so that `--help` and `--version` stay fast
    from engine.rules import all_rules
    from thea_lsp import logs
    from thea_lsp.server import build_server

    try:
        level = logs.configure(args.log_level, args.log_file)
    except OSError as error:
        _parser().error(f"cannot open the log file: {error}")
    server = build_server()
    server.log_level = level
    if args.ray_address:
        server.ml.address = args.ray_address
    # Load every rule now rather than at the first keystroke, then move everything built so
    # far out of the collector's reach: full collections then only walk what documents
    # allocate, which keeps their pauses out of the per-edit latency.
    all_rules()
    gc.freeze()
    # Linting a large file allocates tens of thousands of short-lived objects per keystroke;
    # at the default threshold (700) that meant ~7 young collections and ~1 ms of collector
    # work per edit of a 4,300-line file, at 10,000 one collection and ~0.3 ms. Nearly all
    # of it is freed by reference counting anyway (diagnostics are kept as JSON text).
    gc.set_threshold(_YOUNG_COLLECTION_THRESHOLD, 10, 10)
    if args.tcp:
        logger.warning("listening on 127.0.0.1:%d", args.port)
        server.start_tcp("127.0.0.1", args.port)
        return 0
    return server.start_io()


if __name__ == "__main__":
    sys.exit(main())
