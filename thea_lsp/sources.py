"""Finding sources: what produces findings for a document snapshot.

The pattern rules are one source ("rules", fast, run on every edit after the debounce).
Besides `analyse`, it can convert in the job that lints (`analyse_converted`) and run in
the calling thread (`analyse_now`, which the pipeline uses in the document lane when no
debounce applies); the pipeline uses whichever a source has, and `analyse` otherwise.
The ML detector will be another ("ml", slower, run in a Ray pool): it receives the same
immutable snapshot, answers later, and its findings are merged into the same document's
diagnostics if the document is still at the analysed version (else they are dropped).

A source is `interactive` when a pull request (textDocument/diagnostic) should wait for
it; a background source's late results reach pull clients by workspace/diagnostic/refresh
and push clients by a new publishDiagnostics.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from typing import Callable, Protocol, Sequence, TypeVar, runtime_checkable

from engine.finding import Finding
from engine.linter import lint_source
from thea_lsp.documents import Snapshot

logger = logging.getLogger(__name__)

# Tells a running analysis whether its snapshot has been superseded by a newer version.
IsCurrent = Callable[[], bool]
T = TypeVar("T")


class Superseded(Exception):
    """An analysis stopped because the document changed under it."""


@runtime_checkable
class FindingSource(Protocol):
    name: str  # key of its findings in a document's store: "rules", "ml"
    interactive: bool  # a pull request waits for it

    def applies_to(self, snapshot: Snapshot) -> bool:
        """Whether to run on this snapshot (e.g. the ML source only when `ml_enabled`)."""
        ...

    async def analyse(self, snapshot: Snapshot, is_current: IsCurrent) -> Sequence[Finding]:
        """Findings for the snapshot (byte offsets into `snapshot.source`). May raise
        Superseded when `is_current()` turns false; must not mutate the snapshot."""
        ...


class RulesSource:
    """The pattern rules, run in a dedicated executor (never pygls' own thread pool,
    whose threads read stdin)."""

    name = "rules"
    interactive = True

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    def applies_to(self, snapshot: Snapshot) -> bool:
        return snapshot.analysable

    async def analyse(self, snapshot: Snapshot, is_current: IsCurrent) -> Sequence[Finding]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _lint, snapshot, is_current)

    def analyse_now(self, snapshot: Snapshot, is_current: IsCurrent, finish: Callable[[Sequence[Finding]], T]) -> T:
        """`analyse_converted` in the calling thread (the document lane, right after the
        edit, when no debounce applies)."""
        return _lint_and_finish(snapshot, is_current, finish)

    async def analyse_converted(self, snapshot: Snapshot, is_current: IsCurrent, finish: Callable[[Sequence[Finding]], T]) -> T:
        """`analyse`, then `finish` (the conversion to diagnostics) in the same lane job:
        one hop to the lane and back instead of two."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _lint_and_finish, snapshot, is_current, finish)


def _lint_and_finish(snapshot: Snapshot, is_current: IsCurrent, finish: Callable[[Sequence[Finding]], T]) -> T:
    findings = _lint(snapshot, is_current)
    if not is_current():
        raise Superseded(snapshot.uri)
    return finish(findings)


def _lint(snapshot: Snapshot, is_current: IsCurrent) -> list[Finding]:
    # A queued job whose document moved on is skipped before it costs anything.
    if not is_current():
        raise Superseded(snapshot.uri)
    assert snapshot.config is not None and snapshot.tree is not None
    return lint_source(snapshot.source, snapshot.tree, snapshot.config.rule_set)
