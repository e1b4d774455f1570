"""`.gitignore` files as git reads them, without running git.

Each `.gitignore` applies to paths relative to its own directory; a deeper file's match
(ignore or `!` re-include) beats a shallower one's, and within a file the last matching
pattern wins (pathspec's GitIgnoreSpec gives that). A directory that is ignored is not
entered, so nothing below it can be re-included, as in git.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pathspec

logger = logging.getLogger(__name__)

GITIGNORE = ".gitignore"


@dataclass(frozen=True)
class GitignoreStack:
    """The `.gitignore` files in force for one directory, outermost first."""

    layers: tuple[tuple[Path, pathspec.GitIgnoreSpec], ...] = ()

    def entered(self, directory: Path) -> GitignoreStack:
        """The stack for `directory`, adding its own `.gitignore` if it has one."""
        spec = _read(directory / GITIGNORE)
        return GitignoreStack((*self.layers, (directory, spec))) if spec is not None else self

    def is_ignored(self, path: Path, *, is_dir: bool) -> bool:
        for base, spec in reversed(self.layers):
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                return result.include
        return False

    @classmethod
    def above(cls, directory: Path) -> GitignoreStack:
        """The `.gitignore` files of the repository above `directory` (not its own).

        Only inside a git work tree (a `.git` beside some ancestor): outside one, a stray
        `.gitignore` in a parent directory means nothing to git either. A directory that
        those files ignore was named on purpose: it is walked with none of them (they would
        ignore everything in it), only with the `.gitignore` files inside it.
        """
        ancestors = list(directory.parents)
        for index, folder in enumerate(ancestors):
            if (folder / ".git").exists():
                stack = cls()
                for outer in reversed(ancestors[: index + 1]):
                    stack = stack.entered(outer)
                if stack.is_ignored(directory, is_dir=True):
                    logger.info("%s: ignored by git, walked because it was named", directory)
                    return cls()
                return stack
        return cls()


def _read(path: Path) -> pathspec.GitIgnoreSpec | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # absent (the usual case), a directory, or unreadable
        return None
    try:
        return pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    except ValueError as error:  # git skips a bad pattern; pathspec refuses the whole file
        logger.warning("%s: ignored, cannot parse: %s", path, error)
        return None
