"""Settings and config files: which `ResolvedConfig` each open document is linted with.

Sources, later ones winning key by key: initializationOptions, the client's global `thea`
section (workspace/configuration), then the section scoped to the document's workspace
folder (multi-root). Config files (`.thea.toml`, `pyproject.toml` with `[tool.thea]`) are
found per document by `engine.config.ConfigCache`, which stats them at every resolve.

Config is resolved when a document opens and when something changes: settings
(didChangeConfiguration), a watched config file (didChangeWatchedFiles, registered
dynamically where the client allows), the workspace folders, or, for clients that cannot
watch files, a save. Never per keystroke.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from engine.config.cache import ConfigCache
from engine.config.errors import ConfigError
from engine.config.loader import CONFIG_NAMES
from engine.config.overrides import Overrides
from engine.config.resolved import ResolvedConfig
from thea_lsp.options import EDITOR_ONLY_KEYS, ServerOptions

logger = logging.getLogger(__name__)

SECTION = "thea"
ORIGIN = "editor settings"
WATCHED_GLOBS = tuple(f"**/{name}" for name in CONFIG_NAMES)


@dataclass(frozen=True)
class FolderSettings:
    path: Path
    overrides: Overrides | None  # None: the settings were invalid (see `problem`)
    problem: str | None = None


class Configuration:
    """Editor settings per workspace folder, and config resolution for documents.

    `resolve` runs in the document lane; it only reads attributes that the loop replaces
    whole, never mutates."""

    def __init__(self) -> None:
        self.cache = ConfigCache()
        self.options = ServerOptions()
        self._initial: Mapping[str, Any] = {}
        self._global: Mapping[str, Any] = {}
        self._folders: tuple[FolderSettings, ...] = ()
        self._default = FolderSettings(Path.cwd(), Overrides(origin=ORIGIN))

    # --- settings ---------------------------------------------------------------------------

    def set_initial(self, initialization_options: Any) -> None:
        self._initial = _section(initialization_options)
        self._rebuild(self._folder_paths(), {})

    def update(self, global_settings: Any, folder_settings: Mapping[Path, Any], folders: list[Path]) -> bool:
        """New settings from the client; True when anything that matters changed."""
        before = (self.options, self._default, self._folders)
        self._global = _section(global_settings)
        self._rebuild(folders, {path: _section(value) for path, value in folder_settings.items()})
        return before != (self.options, self._default, self._folders)

    def set_folders(self, folders: list[Path]) -> bool:
        before = self._folders
        self._rebuild(folders, {folder.path: None for folder in self._folders})
        return before != self._folders

    def _folder_paths(self) -> list[Path]:
        return [folder.path for folder in self._folders]

    def _rebuild(self, folders: list[Path], scoped: Mapping[Path, Any]) -> None:
        base = _merge(self._initial, self._global)
        options, problems = ServerOptions.from_mapping(base.get("server"))
        for problem in problems:
            logger.warning("invalid setting ignored: %s", problem)
        self.options = options
        self._default = _folder_settings(Path.cwd(), base)
        self._folders = tuple(_folder_settings(path, _merge(base, scoped.get(path) or {})) for path in folders)

    # --- resolution -------------------------------------------------------------------------

    def folder_for(self, path: Path | None) -> FolderSettings:
        """The innermost workspace folder holding `path` (the default settings if none)."""
        if path is None:
            return self._folders[0] if self._folders else self._default
        best: FolderSettings | None = None
        for folder in self._folders:
            if path.is_relative_to(folder.path) and (best is None or len(folder.path.parts) > len(best.path.parts)):
                best = folder
        return best or self._default

    def resolve(self, path: Path | None) -> tuple[ResolvedConfig | None, str | None]:
        """A document's config and a problem to show with it. A broken editor setting falls
        back to the config files alone; a broken config file leaves no config."""
        folder = self.folder_for(path)
        # an unsaved document is linted as a file at the top of its folder would be
        target = path if path is not None else folder.path / "untitled.js"
        problem = folder.problem
        if folder.overrides is not None:
            try:
                return self.cache.resolve(target, folder.overrides, os.environ), problem
            except ConfigError as error:
                if error.origin != ORIGIN:
                    return None, f"Thea: not analysed: invalid configuration: {error}"
                problem = f"Thea: invalid settings ignored: {error}"
        try:
            return self.cache.resolve(target, None, os.environ), problem
        except ConfigError as error:
            return None, f"Thea: not analysed: invalid configuration: {error}"

    def is_config_file(self, path: Path) -> bool:
        return path.name in CONFIG_NAMES


async def fetch_settings(server: LanguageServer, configuration: Configuration) -> bool:
    """Ask the client for the `thea` section, global and per workspace folder (where it
    supports workspace/configuration); True when anything that matters changed."""
    folders = workspace_folders(server.workspace)
    workspace_capabilities = server.client_capabilities.workspace
    if workspace_capabilities is None or not workspace_capabilities.configuration:
        return configuration.set_folders(folders)
    items = configuration_items(folders)
    try:
        answers = await server.workspace_configuration_async(types.ConfigurationParams(items=items))
    except Exception as error:
        logger.warning("workspace/configuration failed: %s", error)
        return configuration.set_folders(folders)
    answers = list(answers or [])
    answers += [None] * (len(items) - len(answers))
    return configuration.update(answers[0], dict(zip(folders, answers[1:])), folders)


def workspace_folders(workspace: Any) -> list[Path]:
    """Filesystem paths of the client's workspace folders (its root when it sends none)."""
    paths = []
    for folder in workspace.folders.values():
        path = to_fs_path(folder.uri)
        if path:
            paths.append(Path(path))
    if not paths and workspace.root_path:
        paths.append(Path(workspace.root_path))
    return paths


def configuration_items(folders: list[Path]) -> list[types.ConfigurationItem]:
    """The global section first, then one scoped to each folder."""
    items = [types.ConfigurationItem(section=SECTION)]
    items.extend(types.ConfigurationItem(section=SECTION, scope_uri=folder.as_uri()) for folder in folders)
    return items


def watcher_registration() -> types.Registration:
    return types.Registration(
        id="thea-config-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        ),
    )


def configuration_registration() -> types.Registration:
    return types.Registration(
        id="thea-settings",
        method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
        register_options=types.DidChangeConfigurationRegistrationOptions(section=SECTION),
    )


def _folder_settings(path: Path, section: Mapping[str, Any]) -> FolderSettings:
    try:
        return FolderSettings(path, Overrides.from_mapping(section, ORIGIN, extra_keys=EDITOR_ONLY_KEYS))
    except ConfigError as error:
        logger.warning("invalid editor settings for %s: %s", path, error)
        return FolderSettings(path, None, f"Thea: invalid settings ignored: {error}")


def _section(value: Any) -> Mapping[str, Any]:
    """The `thea` section from whatever the client sent (wrapped or not, maybe null)."""
    if not isinstance(value, Mapping):
        return {}
    inner = value.get(SECTION)
    if isinstance(inner, Mapping):
        return inner
    return value


def _merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """`top` over `base`, one level deep for tables (`rules`, `server`); nulls do not override."""
    merged = dict(base)
    for key, value in top.items():
        if value is None:
            continue
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged
