"""The corpus builder on tarballs made here and served from a file:// registry (no network)."""

from __future__ import annotations

import io
import re
import tarfile
from pathlib import Path

import pytest

from engine.model.corpus import (
    CorpusError,
    IntegrityError,
    LockMismatchError,
    ManifestError,
    UnsafeTarballError,
    build,
    fetch,
    integrity_of,
    main,
    parse_manifest,
    read_lock,
    read_manifest,
)
from engine.model.dataset import TEST_PACKAGES, VALIDATION_PACKAGES

REPO = Path(__file__).resolve().parents[2]
GOOD = "sha512-" + "A" * 86 + "=="


def _tarball(members: dict[str, bytes]) -> bytes:
    """A gzipped tarball with these member names (given in full, "package/" included)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _publish(registry: Path, name: str, version: str, data: bytes) -> None:
    folder = registry / name / "-"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name.split('/')[-1]}-{version}.tgz").write_bytes(data)


# --- the manifest ----------------------------------------------------------------------------

def test_manifest_columns() -> None:
    text = f"""# a comment
lodash@4.17.21   MIT          {GOOD}  ./  fp/,*.min.js

@hapi/hapi@21.4.10  BSD-3-Clause {GOOD}  lib/,index.js
node-forge@1.4.3 BSD-3-Clause-OR-GPL-2.0 {GOOD} lib/
"""
    lodash, hapi, forge = parse_manifest(text)
    assert (lodash.name, lodash.version, lodash.includes, lodash.excludes) == ("lodash", "4.17.21", ("./",), ("fp/", "*.min.js"))
    assert (hapi.name, hapi.directory, hapi.tarball_name) == ("@hapi/hapi", "hapi__hapi", "hapi-hapi-21.4.10.tgz")
    assert hapi.url("https://registry.npmjs.org") == "https://registry.npmjs.org/@hapi/hapi/-/hapi-21.4.10.tgz"
    assert forge.license == "BSD-3-Clause-OR-GPL-2.0"
    assert lodash.selects("add.js") and lodash.selects("internal/x.js")
    assert not lodash.selects("fp/add.js") and not lodash.selects("dist/lodash.min.js")
    assert hapi.selects("lib/route.js") and hapi.selects("index.js") and not hapi.selects("test/route.js")


@pytest.mark.parametrize(("line", "problem"), [
    (f"lodash@4 MIT {GOOD} lib/", "is not name@exact-version"),
    (f"lodash@^4.17.21 MIT {GOOD} lib/", "is not name@exact-version"),
    (f"Lodash@4.17.21 MIT {GOOD} lib/", "is not name@exact-version"),
    (f"lodash@4.17.21 GPL-3.0 {GOOD} lib/", "license 'GPL-3.0'"),
    ("lodash@4.17.21 MIT sha512-abc lib/", "is not sha512-<base64 of 64 bytes>"),
    (f"lodash@4.17.21 MIT {GOOD}", "expected 4 or 5 columns"),
    (f"lodash@4.17.21 MIT {GOOD} lib/ test/ extra", "expected 4 or 5 columns"),
    (f"lodash@4.17.21 MIT {GOOD} ../lib/", "must be relative to the package root"),
    (f"lodash@4.17.21 MIT {GOOD} /lib/", "must be relative to the package root"),
    (f"lodash@4.17.21 MIT {GOOD} lib/,,src/", "must be relative to the package root"),
    (f"lodash@4.17.21 MIT {GOOD} lib/ lib/../x", "must be relative to the package root"),
])
def test_bad_manifest_line(line: str, problem: str) -> None:
    text = f"# header\nexpress@4.21.2 MIT {GOOD} lib/\n{line}\n"
    with pytest.raises(ManifestError) as caught:
        parse_manifest(text, "packages.txt")
    assert str(caught.value).startswith("packages.txt:3: ")
    assert problem in str(caught.value)


def test_duplicate_package_refused() -> None:
    text = f"a@1.0.0 MIT {GOOD} lib/\na@2.0.0 MIT {GOOD} lib/\n"
    with pytest.raises(ManifestError, match=r"packages.txt:2: 'a' already on line 1"):
        parse_manifest(text, "packages.txt")


def test_empty_manifest_refused() -> None:
    with pytest.raises(ManifestError, match="no packages"):
        parse_manifest("# only a comment\n")


# --- tarballs --------------------------------------------------------------------------------

def test_sha512_mismatch_refused(tmp_path: Path) -> None:
    registry, cache = tmp_path / "registry", tmp_path / "cache"
    _publish(registry, "pkg", "1.0.0", _tarball({"package/index.js": b"var a = 1;\n"}))
    pinned = integrity_of(b"some other tarball")
    [package] = parse_manifest(f"pkg@1.0.0 MIT {pinned} index.js")
    with pytest.raises(IntegrityError) as caught:
        fetch(package, cache, registry.as_uri())
    assert "pkg@1.0.0" in str(caught.value) and pinned in str(caught.value) and "refusing" in str(caught.value)
    assert not (cache / "pkg-1.0.0.tgz").exists()


def test_corrupt_cached_tarball_is_downloaded_again(tmp_path: Path) -> None:
    registry, cache = tmp_path / "registry", tmp_path / "cache"
    data = _tarball({"package/index.js": b"var a = 1;\n"})
    _publish(registry, "pkg", "1.0.0", data)
    cache.mkdir()
    (cache / "pkg-1.0.0.tgz").write_bytes(b"truncated")
    [package] = parse_manifest(f"pkg@1.0.0 MIT {integrity_of(data)} index.js")
    assert fetch(package, cache, registry.as_uri()).read_bytes() == data


FILES = {
    "index.js": b"module.exports = require('./lib/a');\n",
    "lib/a.js": b"export function a(x) { return x + 1; }\n",
    "lib/nested/b.cjs": b"'use strict';\nmodule.exports = { b: 2 };\n",
    "lib/c.jsx": b"const c = <div className=\"c\">{1}</div>;\n",
    "lib/d.mjs": b"\xef\xbb\xbfexport default 4;\n",  # a BOM is kept as it is
    "lib/a.test.js": b"test('a', () => {});\n",  # excluded by a glob
    "lib/skip/x.js": b"var x = 1;\n",  # excluded folder
    "other/o.js": b"var o = 1;\n",  # not included
    "lib/readme.md": b"# not JavaScript\n",  # ignored, not reported
    "lib/a.min.js": b"var a=1;\n",
    "lib/dist/d.js": b"var d = 1;\n",
    "lib/.eslintrc.js": b"module.exports = {};\n",
    "lib/big.js": b"var x = 1;\n" * 30_000,
    "lib/blob.js": b"var s = '" + b"A" * 6000 + b"';\n",
    "lib/wide.js": (b"var s = '" + b"B" * 1100 + b"';\n") * 3,
    "lib/gen.js": b"// @generated by a tool\nvar x = 1;\n",
    "lib/babel.js": b"\"use strict\";\n\nObject.defineProperty(exports, \"__esModule\", { value: true });\n",
    "lib/mapped.js": b"var x = 1;\n//# sourceMappingURL=mapped.js.map\n",
    "lib/broken.js": b"function (\n",
    "lib/latin1.js": b"var s = '\xe9';\n",
    "lib/empty.js": b"\n\n",
}
KEPT = ["scope__pkg/index.js", "scope__pkg/lib/a.js", "scope__pkg/lib/c.jsx", "scope__pkg/lib/d.mjs",
        "scope__pkg/lib/nested/b.cjs"]
SKIPPED = {
    "lib/a.min.js": "minified/bundle name", "lib/dist/d.js": "bundle/vendor dir", "lib/.eslintrc.js": "linter config",
    "lib/big.js": "too large (330000 B)", "lib/blob.js": "minified (6011-character line)",
    "lib/wide.js": "minified (mean line 834 characters)", "lib/gen.js": "generated banner",
    "lib/babel.js": "transpiled output", "lib/mapped.js": "transpiled output",
    "lib/broken.js": "tree-sitter syntax error", "lib/latin1.js": "not utf-8", "lib/empty.js": "empty",
}


def _setup(tmp_path: Path, members: dict[str, bytes], excludes: str = "*.test.js,lib/skip/") -> tuple[str, str]:
    """Publish @scope/pkg@1.0.0 with `members` under "package/"; return (manifest line, registry URI)."""
    data = _tarball({f"package/{name}": body for name, body in members.items()})
    _publish(tmp_path / "registry", "@scope/pkg", "1.0.0", data)
    return f"@scope/pkg@1.0.0 MIT {integrity_of(data)} index.js,lib/ {excludes}", (tmp_path / "registry").as_uri()


def test_includes_excludes_and_filters(tmp_path: Path) -> None:
    line, registry = _setup(tmp_path, FILES)
    out, lock = tmp_path / "out", tmp_path / "files.sha256"
    result = build(parse_manifest(line), out, tmp_path / "cache", lock, write_lock=True, registry=registry)
    written = sorted(str(p.relative_to(out / "corpus")) for p in (out / "corpus").rglob("*") if p.is_file())
    assert written == KEPT
    for path in KEPT:
        assert (out / "corpus" / path).read_bytes() == FILES[path.split("/", 1)[1]]
    skipped = dict(line.split("\t") for line in (out / "skipped.tsv").read_text().splitlines())
    assert skipped == {f"scope__pkg/{path}": why for path, why in SKIPPED.items()}
    [report] = result.packages
    assert (report.files, report.lines) == (5, 6)
    assert report.bytes == sum(len(FILES[p.split("/", 1)[1]]) for p in KEPT)
    assert report.skipped["minified"] == 2 and report.skipped["transpiled output"] == 2
    assert list(read_lock(lock)) == KEPT
    assert not (out / "corpus.partial").exists()


@pytest.mark.parametrize("name", ["package/../../evil.js", "/tmp/evil.js", "package/lib/../../../evil.js"])
def test_path_traversal_refused(tmp_path: Path, name: str) -> None:
    data = _tarball({"package/index.js": b"var a = 1;\n", name: b"var evil = 1;\n"})
    _publish(tmp_path / "registry", "pkg", "1.0.0", data)
    packages = parse_manifest(f"pkg@1.0.0 MIT {integrity_of(data)} ./")
    with pytest.raises(UnsafeTarballError, match="escapes the package folder"):
        build(packages, tmp_path / "out", tmp_path / "cache", tmp_path / "lock", write_lock=True,
              registry=(tmp_path / "registry").as_uri())
    assert not list(tmp_path.rglob("evil.js"))
    assert not (tmp_path / "out" / "corpus").exists()


def test_no_selected_file_is_an_error(tmp_path: Path) -> None:
    line, registry = _setup(tmp_path, {"src/a.js": b"var a = 1;\n"})
    with pytest.raises(CorpusError, match="no file selected"):
        build(parse_manifest(line), tmp_path / "out", tmp_path / "cache", tmp_path / "lock", write_lock=True,
              registry=registry)


# --- the lock --------------------------------------------------------------------------------

def test_rebuild_verifies_and_lock_detects_changes(tmp_path: Path) -> None:
    line, registry = _setup(tmp_path, FILES)
    out, cache, lock = tmp_path / "out", tmp_path / "cache", tmp_path / "files.sha256"
    first = build(parse_manifest(line), out, cache, lock, write_lock=True, registry=registry)
    again = build(parse_manifest(line), out, cache, lock, registry=registry)  # verifies: same bytes
    assert again.hashes == first.hashes

    # a file of the rebuilt corpus no longer matches the lock
    locked = lock.read_text()
    digest = first.hashes["scope__pkg/lib/a.js"]
    lock.write_text(locked.replace(digest, "0" * 64))
    with pytest.raises(LockMismatchError) as caught:
        build(parse_manifest(line), out, cache, lock, registry=registry)
    assert "0 missing, 0 added, 1 changed" in str(caught.value)
    assert "changed: scope__pkg/lib/a.js" in str(caught.value)
    # the unverified rebuild is left aside; the verified corpus stays in place
    assert (out / "corpus.partial" / "scope__pkg/lib/a.js").exists()
    assert (out / "corpus" / "scope__pkg/lib/a.js").read_bytes() == FILES["lib/a.js"]

    # the selection changed: a locked file is no longer built
    lock.write_text(locked)
    narrower = line.replace("*.test.js,lib/skip/", "*.test.js,lib/skip/,lib/c.jsx")
    with pytest.raises(LockMismatchError, match=r"1 missing, 0 added, 0 changed[\s\S]*missing: scope__pkg/lib/c.jsx"):
        build(parse_manifest(narrower), out, cache, lock, registry=registry)


def test_verify_needs_a_lock(tmp_path: Path) -> None:
    line, registry = _setup(tmp_path, FILES)
    with pytest.raises(LockMismatchError, match="build once with --lock"):
        build(parse_manifest(line), tmp_path / "out", tmp_path / "cache", tmp_path / "none.sha256", registry=registry)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line, registry = _setup(tmp_path, FILES)
    manifest = tmp_path / "corpus" / "packages.txt"
    manifest.parent.mkdir()
    manifest.write_text(line + "\n")
    args = ["build", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--tarballs", str(tmp_path / "cache"),
            "--registry", registry]
    assert main(args) == 1
    assert "build once with --lock" in capsys.readouterr().err
    assert main([*args, "--lock"]) == 0
    assert (tmp_path / "corpus" / "files.sha256").is_file()
    assert main(args) == 0
    assert "1 packages, 5 files" in capsys.readouterr().out


# --- the repository's manifest and lock --------------------------------------------------------

def test_repo_manifest_holds_out_the_evaluation_packages() -> None:
    packages = read_manifest(REPO / "corpus" / "packages.txt")
    directories = [p.directory for p in packages]
    assert set(VALIDATION_PACKAGES) | set(TEST_PACKAGES) <= set(directories)
    lock = read_lock(REPO / "corpus" / "files.sha256")
    assert list(lock) == sorted(lock)
    assert {path.split("/", 1)[0] for path in lock} == set(directories)


def test_no_training_package_is_of_a_held_out_family() -> None:
    """A training package named after a held-out one (`postcss-value-parser`, `d3-geo-projection`,
    `express-session`) is likely its plugin, fork or vendored copy: held-out code seen in training."""
    held_out = set(VALIDATION_PACKAGES) | set(TEST_PACKAGES)
    family = re.compile(r"(?:^|[-_./@])(?:" + "|".join(map(re.escape, held_out)) + r")(?:$|[-_./])")
    training = [p.name for p in read_manifest(REPO / "corpus" / "packages.txt") if p.directory not in held_out]
    assert [name for name in training if family.search(name)] == []
