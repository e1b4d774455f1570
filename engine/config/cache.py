"""Finding the config that applies to a file, with parsed files cached by (path, mtime, size).

Shared by the batch run and the LSP server (whose threads may resolve concurrently). The
nearest config wins: from the file's directory upwards, the first `.thea.toml`, or
`pyproject.toml` holding `[tool.thea]`; settings do not cascade from configs further up.
Lookups stat the candidate files every time, so a config created or edited is seen at the
next resolve; `invalidate` is for callers that know better than the file's mtime.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Mapping

from engine.config.environment import read_environment, relevant
from engine.config.errors import ConfigError
from engine.config.loader import CONFIG_NAMES, read_config_file
from engine.config.overrides import Overrides
from engine.config.resolved import ResolvedConfig, build_resolved
from engine.config.schema import FileConfig

_FileKey = tuple[int, int]  # (mtime_ns, size)


class ConfigCache:
    """Parsed config files and resolved configs, safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[_FileKey, FileConfig | None | ConfigError]] = {}
        self._resolved: dict[tuple[object, ...], ResolvedConfig] = {}

    def resolve(
        self, file_path: Path, overrides: Overrides | None = None, environ: Mapping[str, str] | None = None
    ) -> ResolvedConfig:
        """The settings for `file_path` (a file, existing or not, or a directory).

        Raises ConfigError for a broken config file, environment variable or override.
        """
        overrides = overrides if overrides is not None else Overrides()
        environ = environ if environ is not None else os.environ
        absolute = Path(os.path.abspath(file_path))
        start = absolute if absolute.is_dir() else absolute.parent
        found = self.find_config(start)
        cwd = Path.cwd()
        env_key = relevant(environ)
        # repr covers every field of Overrides, rules included (a dict is not hashable)
        key = (found[0] if found else None, found[1] if found else None, cwd, repr(overrides), env_key)
        with self._lock:
            cached = self._resolved.get(key)
        if cached is not None:
            return cached
        resolved = build_resolved(found[2] if found else None, overrides, read_environment(environ), cwd)
        with self._lock:
            if len(self._resolved) > 256:  # stale keys of edited files; cheap to rebuild
                self._resolved.clear()
            self._resolved[key] = resolved
        return resolved

    def find_config(self, directory: Path) -> tuple[Path, _FileKey, FileConfig] | None:
        """The nearest config at or above `directory`: (path, file key, settings), or None."""
        folder = os.path.abspath(directory)
        while True:
            for name in CONFIG_NAMES:
                candidate = os.path.join(folder, name)
                try:
                    info = os.stat(candidate)
                except OSError:  # absent, or unreadable: as git does, treat as absent
                    continue
                if not stat.S_ISREG(info.st_mode):
                    continue
                file_key = (info.st_mtime_ns, info.st_size)
                config = self._load(Path(candidate), file_key)
                if config is not None:
                    return Path(candidate), file_key, config
            parent = os.path.dirname(folder)
            if parent == folder:
                return None
            folder = parent

    def load(self, path: Path) -> FileConfig | None:
        """One config file's settings (None: a pyproject.toml without `[tool.thea]`)."""
        info = path.stat()
        return self._load(path, (info.st_mtime_ns, info.st_size))

    def _load(self, path: Path, file_key: _FileKey) -> FileConfig | None:
        with self._lock:
            entry = self._files.get(path)
        if entry is None or entry[0] != file_key:
            try:
                result: FileConfig | None | ConfigError = read_config_file(path)
            except ConfigError as error:
                result = error  # remembered, so a broken file is not re-parsed per lookup
            entry = (file_key, result)
            with self._lock:
                self._files[path] = entry
        if isinstance(entry[1], ConfigError):
            raise entry[1].with_traceback(None)  # a fresh traceback each time it is raised
        return entry[1]

    def invalidate(self, path: Path | None = None) -> None:
        """Forget one config file (e.g. on an editor's change notification) or everything."""
        with self._lock:
            if path is None:
                self._files.clear()
            else:
                self._files.pop(Path(os.path.abspath(path)), None)
            self._resolved.clear()
