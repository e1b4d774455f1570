"""The jobs the pipeline runs in its lanes (worker threads), outside the event loop.

A document-lane job owns the document's model while it runs (the lane is one thread, so
jobs apply in the order they were submitted) and returns a `Snapshot`; a failure is logged
and the last good state is kept. Diagnostics travel back as JSON text (`Serialized`).
"""

from __future__ import annotations

import logging
from typing import Callable, Sequence

from lsprotocol import types

from engine.finding import Finding
from engine.parse.source import PositionEncoding, Source
from thea_lsp import convert
from thea_lsp.convert import JsonDiagnostic
from thea_lsp.documents import ConfigResolver, DocumentModel, Snapshot

logger = logging.getLogger(__name__)

# A source's diagnostics as JSON text, and how many there are.
Serialized = tuple[str, int]
NOTHING: Serialized = ("[]", 0)
# Results a lane computed with the snapshot: source name -> its diagnostics.
Prepared = dict[str, Serialized]
# What the lane did after the job: the results, and the publishDiagnostics it is to send
# itself once the loop has them ((version, diagnostics JSON), or None: the loop publishes).
Preparation = tuple[Prepared, "tuple[int, str] | None"]


def snapshot_and_prepare(
    job: Callable[..., Snapshot], args: tuple[object, ...], prepare: Callable[[Snapshot], Preparation] | None
) -> tuple[Snapshot, Preparation]:
    """A document job, then (when given) the analysis of its snapshot in the same thread."""
    snapshot = job(*args)
    return snapshot, prepare(snapshot) if prepare is not None else ({}, None)


def converted(findings: Sequence[Finding], source: Source, version: int, encoding: PositionEncoding) -> Serialized:
    """A source's findings as serialized diagnostics (in a lane where the source has one: on
    a large file the text is a good part of a publish's cost)."""
    return serialized(convert.diagnostics(findings, source, version, encoding))


def serialized(diagnostics: Sequence[JsonDiagnostic]) -> Serialized:
    return convert.to_json(diagnostics), len(diagnostics)


def configure_and_snapshot(model: DocumentModel, resolver: ConfigResolver) -> Snapshot:
    try:
        model.configure(resolver)
    except Exception:
        logger.exception("document %s: resolving its config failed", model.uri)
    return model.snapshot()


def recheck(model: DocumentModel, resolver: ConfigResolver) -> bool:
    """Re-resolve the config; True when it is not the one in use."""
    try:
        return model.configure(resolver)
    except Exception:
        logger.exception("document %s: resolving its config failed", model.uri)
        return False


def apply_and_snapshot(
    model: DocumentModel, changes: list[types.TextDocumentContentChangeEvent], version: int, encoding: PositionEncoding
) -> Snapshot:
    try:
        model.apply(changes, version, encoding)
    except Exception:
        logger.exception("document %s: applying changes for version %d failed; text may be out of sync", model.uri, version)
    return model.snapshot()
