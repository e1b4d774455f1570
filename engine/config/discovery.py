"""Which files a run lints: the paths given, with directories walked.

A named file is taken if it is JavaScript and its config does not ignore it; a named
directory is walked for `.js .mjs .cjs .jsx` files, skipping `node_modules`, `.git`,
`.gitignore`d paths (every `.gitignore` from the repository root down) and each config's
`ignore` patterns. Which config applies to a directory or file is the nearest one, as for
linting, so a sub-project's `.thea.toml` decides for its own tree.

Problems come back as entries, not exceptions: a missing path, a symlink loop, a named file
that is not JavaScript. A broken config file does raise ConfigError: every result after it
would be wrong. Output is sorted by path components and deduplicated by resolved path
(the spelling met first wins: given paths in order, each walked in sorted order; a real
directory reached twice through symlinks is walked once), so two runs over the same tree agree.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from engine.config.cache import ConfigCache
from engine.config.gitignore import GitignoreStack
from engine.config.overrides import Overrides
from engine.config.resolved import DEFAULT_IGNORED_DIRECTORIES, ResolvedConfig
from engine.parse.parser import JAVASCRIPT_SUFFIXES

logger = logging.getLogger(__name__)

NO_SUCH_FILE = "no such file or directory"
SYMLINK_LOOP = "symlink loop"
NOT_JAVASCRIPT = "not a JavaScript file"


@dataclass(frozen=True)
class DiscoveredFile:
    path: Path  # as given or joined below a given directory (not resolved)
    error: str | None = None


def discover_files(
    paths: Sequence[Path],
    cache: ConfigCache,
    overrides: Overrides | None = None,
    environ: Mapping[str, str] | None = None,
) -> Iterator[DiscoveredFile]:
    """The files to lint under `paths`, and the problems met on the way (see module doc)."""
    walk = _Walk(cache, overrides, environ)
    for given in paths:
        walk.visit(Path(given))
    found = sorted(walk.found, key=lambda item: (item[0].path.parts, item[0].error or ""))
    seen: set[str] = set()
    for entry, identity in found:
        if identity in seen:
            continue
        seen.add(identity)
        yield entry


class _Walk:
    """One discovery run: results so far, and the configs of directories already seen."""

    def __init__(self, cache: ConfigCache, overrides: Overrides | None, environ: Mapping[str, str] | None) -> None:
        self.cache = cache
        self.overrides = overrides
        self.environ = environ
        self.found: list[tuple[DiscoveredFile, str]] = []  # (entry, identity for deduplication)
        self._configs: dict[Path, ResolvedConfig] = {}
        self._walked: set[str] = set()  # real paths of directories walked, so symlinks add no second walk

    def config_for(self, directory: Path) -> ResolvedConfig:
        absolute = Path(os.path.abspath(directory))
        config = self._configs.get(absolute)
        if config is None:
            config = self._configs[absolute] = self.cache.resolve(absolute, self.overrides, self.environ)
        return config

    def error(self, path: Path, message: str) -> None:
        self.found.append((DiscoveredFile(path, message), "error:" + str(path)))

    def file(self, path: Path, real: str) -> None:
        self.found.append((DiscoveredFile(path), real))

    def visit(self, given: Path) -> None:
        """A path named by the user: a file, a directory, or a problem."""
        try:
            info = given.stat()
        except OSError as error:
            self.error(given, _describe(error))
            return
        absolute = Path(os.path.abspath(given))
        if stat.S_ISDIR(info.st_mode):
            if self.config_for(absolute).is_ignored(absolute, is_dir=True):
                logger.warning("%s: directory ignored by configuration", given)
                return
            self._walk(given, absolute, GitignoreStack.above(absolute), os.path.realpath(absolute))
        elif not stat.S_ISREG(info.st_mode) or given.suffix.lower() not in JAVASCRIPT_SUFFIXES:
            self.error(given, NOT_JAVASCRIPT)
        elif self.config_for(absolute.parent).is_ignored(absolute, is_dir=False):
            logger.warning("%s: file ignored by configuration", given)
        else:
            self.file(given, os.path.realpath(absolute))

    def _walk(self, shown: Path, absolute: Path, gitignore: GitignoreStack, real: str) -> None:
        """Walk one directory; `real` is its resolved path."""
        if real in self._walked:
            return
        self._walked.add(real)
        gitignore = gitignore.entered(absolute)
        config = self.config_for(absolute)
        try:
            with os.scandir(absolute) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            self.error(shown, _describe(error))
            return
        for entry in entries:
            child_shown, child = shown / entry.name, absolute / entry.name
            try:
                is_link = entry.is_symlink()
                if is_link:
                    os.stat(child)  # a loop of links raises ELOOP; a dangling one ENOENT
                is_dir = entry.is_dir()  # follows symlinks
                is_file = not is_dir and entry.is_file()
            except OSError as error:
                if error.errno == errno.ELOOP:
                    self.error(child_shown, SYMLINK_LOOP)
                else:
                    logger.info("%s: skipped: %s", child_shown, _describe(error))
                continue
            if is_dir:
                if entry.name in DEFAULT_IGNORED_DIRECTORIES or gitignore.is_ignored(child, is_dir=True):
                    continue
                # the nearest config to the directory itself decides whether to enter it
                if self.config_for(child).is_ignored(child, is_dir=True):
                    continue
                target = os.path.realpath(child) if is_link else os.path.join(real, entry.name)
                if is_link and os.path.commonpath([target, real]) == target:  # links to itself or above
                    self.error(child_shown, SYMLINK_LOOP)
                    continue
                self._walk(child_shown, child, gitignore, target)
            elif is_file and os.path.splitext(entry.name)[1].lower() in JAVASCRIPT_SUFFIXES:
                if gitignore.is_ignored(child, is_dir=False) or config.is_ignored(child, is_dir=False):
                    continue
                self.file(child_shown, os.path.realpath(child) if is_link else os.path.join(real, entry.name))


def _describe(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return NO_SUCH_FILE
    if error.errno == errno.ELOOP:
        return SYMLINK_LOOP
    return (error.strerror or str(error)).lower()
