"""The server's own settings: fully defaulted, and an invalid value never stops the server.

They live in the `server` table of the `thea` settings section (initializationOptions or
workspace/configuration), next to the engine's settings, which `engine.config` validates:

    {"thea": {"rules": {"eqeqeq": "off"}, "server": {"debounceMs": 0}}}

A wrong value is reported (the caller logs it) and the default is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Mapping

# Keys of the `thea` section that belong to an editor's extension or to this server; the
# engine's `Overrides` skips them. (`path`, `interpreter`, `trace` are the VS Code
# extension's: how to start the server and its LSP trace.)
EDITOR_ONLY_KEYS = ("server", "path", "interpreter", "trace")

_DEBOUNCE_RANGE = (0, 2000)
_WORKSPACE_FILES_RANGE = (0, 100_000)


@dataclass(frozen=True)
class ServerOptions:
    """What the server itself does; each field documents its JSON key."""

    debounce_ms: int = 75  # "debounceMs": wait this long after the last edit before linting
    workspace_diagnostics: bool = True  # "workspaceDiagnostics": answer workspace/diagnostic
    max_workspace_files: int = 10_000  # "maxWorkspaceFiles": at most this many files per workspace pull

    @property
    def debounce_s(self) -> float:
        return self.debounce_ms / 1000

    @classmethod
    def from_mapping(cls, data: Any, base: ServerOptions | None = None) -> tuple[ServerOptions, list[str]]:
        """Options from a `server` table, starting from `base`; also the problems found."""
        options = base if base is not None else cls()
        if data is None:
            return options, []
        if not isinstance(data, Mapping):
            return options, [f"thea.server: expected an object, got {type(data).__name__}"]
        problems: list[str] = []
        changes: dict[str, Any] = {}
        known = {_camel(field.name): field.name for field in fields(cls)}
        for key, value in data.items():
            name = known.get(key) or (key if key in known.values() else None)
            if name is None:
                problems.append(f"thea.server.{key}: unknown setting (known: {', '.join(sorted(known))})")
                continue
            checked = _check(name, value)
            if isinstance(checked, str):
                problems.append(f"thea.server.{key}: {checked}")
            else:
                changes[name] = checked[0]
        return replace(options, **changes), problems


def _check(name: str, value: Any) -> tuple[Any] | str:
    """(value,) when valid, else the problem."""
    if name == "workspace_diagnostics":
        return (value,) if isinstance(value, bool) else f"expected true or false, got {value!r}"
    low, high = _DEBOUNCE_RANGE if name == "debounce_ms" else _WORKSPACE_FILES_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        return f"expected a number from {low} to {high}, got {value!r}"
    return (int(value),)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
