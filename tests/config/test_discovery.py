"""File discovery over real trees: suffixes, default and git ignores, config ignores,
symlinks, errors, order and deduplication."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.config import ConfigCache, ConfigError, DiscoveredFile, Overrides, discover_files
from tests.config.conftest import write


def _discover(*paths: str | Path, **kwargs: object) -> list[DiscoveredFile]:
    return list(discover_files([Path(path) for path in paths], ConfigCache(), **kwargs))  # type: ignore[arg-type]


def _paths(*paths: str | Path) -> list[str]:
    found = _discover(*paths)
    assert all(entry.error is None for entry in found), found
    return [entry.path.as_posix() for entry in found]


def test_walks_javascript_suffixes_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.js", "a.mjs", "c.cjs", "d.jsx", "e.ts", "f.json", "G.JS", "sub/z.js", "sub/deeper/y.js", "a/x.js"):
        write(tmp_path / "proj" / name)
    assert _paths("proj") == [
        "proj/G.JS",
        "proj/a/x.js",
        "proj/a.mjs",
        "proj/b.js",
        "proj/c.cjs",
        "proj/d.jsx",
        "proj/sub/deeper/y.js",
        "proj/sub/z.js",
    ]


def test_paths_keep_the_spelling_given(tmp_path: Path) -> None:
    write(tmp_path / "src" / "a.js")
    assert _paths(".") == ["src/a.js"]
    assert _paths(tmp_path / "src") == [(tmp_path / "src" / "a.js").as_posix()]


def test_named_files_and_errors(tmp_path: Path) -> None:
    write(tmp_path / "a.js")
    write(tmp_path / "style.css")
    (tmp_path / "dir.js").mkdir()
    assert _discover("missing.js", "style.css", "a.js", "missing_dir") == [
        DiscoveredFile(Path("a.js")),
        DiscoveredFile(Path("missing.js"), "no such file or directory"),
        DiscoveredFile(Path("missing_dir"), "no such file or directory"),
        DiscoveredFile(Path("style.css"), "not a JavaScript file"),
    ]
    assert _discover("dir.js") == []  # a directory is walked, whatever its name


def test_node_modules_and_git_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "src" / "a.js")
    write(tmp_path / "node_modules" / "lib" / "index.js")
    write(tmp_path / "src" / "node_modules" / "x.js")
    write(tmp_path / ".git" / "hooks" / "h.js")
    assert _paths(".") == ["src/a.js"]
    # named explicitly, a file under node_modules is still ignored (as ESLint does), with a log line
    assert _discover("node_modules/lib/index.js") == []


def test_gitignore_nested_and_negated(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "dist/\n*.min.js\n!keep.min.js\n")
    write(tmp_path / "pkg" / ".gitignore", "generated.js\n/local.js\n")
    for name in (
        "a.js",
        "a.min.js",
        "keep.min.js",
        "dist/bundle.js",
        "pkg/dist/x.js",
        "pkg/generated.js",
        "pkg/local.js",
        "pkg/sub/local.js",
        "pkg/sub/generated.js",
        "local.js",
    ):
        write(tmp_path / name)
    assert _paths(".") == ["a.js", "keep.min.js", "local.js", "pkg/sub/local.js"]


def test_deeper_gitignore_reincludes(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.gen.js\n")
    write(tmp_path / "keep" / ".gitignore", "!*.gen.js\n")
    write(tmp_path / "a.gen.js")
    write(tmp_path / "keep" / "b.gen.js")
    assert _paths(".") == ["keep/b.gen.js"]


def test_gitignore_above_the_named_directory_counts_inside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    write(tmp_path / "repo" / ".gitignore", "build/\n")
    write(tmp_path / "repo" / "src" / "build" / "out.js")
    write(tmp_path / "repo" / "src" / "in.js")
    assert _paths("repo/src") == ["repo/src/in.js"]
    # a directory git ignores, named on purpose, is walked; .gitignore files inside it still count
    write(tmp_path / "repo" / "src" / "build" / ".gitignore", "skip.js\n")
    write(tmp_path / "repo" / "src" / "build" / "skip.js")
    assert _paths("repo/src/build") == ["repo/src/build/out.js"]
    # outside a repository a parent's .gitignore is not git's business
    write(tmp_path / "plain" / ".gitignore", "build/\n")
    write(tmp_path / "plain" / "src" / "build" / "out.js")
    assert _paths("plain/src") == ["plain/src/build/out.js"]


def test_gitignored_file_named_explicitly_is_linted(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.js\n")
    write(tmp_path / "a.js")
    assert _paths(".") == []
    assert _paths("a.js") == ["a.js"]


def test_config_ignore_patterns_relative_to_the_config(tmp_path: Path) -> None:
    write(tmp_path / "proj" / ".thea.toml", 'ignore = ["vendor/", "*.spec.js", "/top.js"]\n')
    for name in ("a.js", "top.js", "sub/top.js", "vendor/v.js", "sub/vendor/v.js", "x.spec.js", "sub/y.spec.js"):
        write(tmp_path / "proj" / name)
    assert _paths("proj") == ["proj/a.js", "proj/sub/top.js"]
    assert _discover("proj/x.spec.js") == []  # named explicitly: the project's ignore still applies
    assert _discover("proj/vendor") == []


def test_nearest_config_decides_ignores_in_its_own_tree(tmp_path: Path) -> None:
    write(tmp_path / ".thea.toml", 'ignore = ["sub/", "*.gen.js"]\n')
    write(tmp_path / "sub" / ".thea.toml", 'ignore = ["skip.js"]\n')
    for name in ("a.gen.js", "sub/a.gen.js", "sub/skip.js", "sub/ok.js"):
        write(tmp_path / name)
    assert _paths(".") == ["sub/a.gen.js", "sub/ok.js"]


def test_symlink_loop_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "src" / "a.js")
    os.symlink("..", tmp_path / "src" / "up")
    os.symlink("self.js", tmp_path / "src" / "self.js")
    assert _discover("src") == [
        DiscoveredFile(Path("src/a.js")),
        DiscoveredFile(Path("src/self.js"), "symlink loop"),
        DiscoveredFile(Path("src/up"), "symlink loop"),
    ]
    assert _discover("src/self.js") == [DiscoveredFile(Path("src/self.js"), "symlink loop")]


def test_symlinks_followed_and_deduplicated(tmp_path: Path) -> None:
    write(tmp_path / "lib" / "a.js")
    write(tmp_path / "real.js")
    os.symlink("lib", tmp_path / "alias")
    os.symlink("real.js", tmp_path / "link.js")
    os.symlink("gone.js", tmp_path / "dangling.js")
    assert _paths(".") == ["alias/a.js", "link.js"]  # first spelling in sorted order wins
    assert _paths("lib", "lib/a.js", "./lib/a.js") == ["lib/a.js"]


def test_unreadable_directory_is_an_error_entry(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write(locked / "a.js")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # running as root: permissions do not bind
            pytest.skip("permissions are not enforced for this user")
        assert _discover("locked") == [DiscoveredFile(Path("locked"), "permission denied")]
    finally:
        locked.chmod(0o755)


def test_broken_config_raises(tmp_path: Path) -> None:
    write(tmp_path / "sub" / ".thea.toml", "ignore = [\n")
    write(tmp_path / "sub" / "a.js")
    with pytest.raises(ConfigError, match="invalid TOML"):
        _discover(".")


def test_overrides_and_environment_are_validated_during_discovery(tmp_path: Path) -> None:
    write(tmp_path / "a.js")
    assert _discover(".", overrides=Overrides(workers=3), environ={}) == [DiscoveredFile(Path("a.js"))]
    with pytest.raises(ConfigError, match="THEA_MAX_WORKERS"):
        _discover(".", environ={"THEA_MAX_WORKERS": "x"})
