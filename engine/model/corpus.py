"""The training corpus: hand-written JavaScript from npm packages pinned in a manifest.

    python -m engine.model.corpus build [--manifest corpus/packages.txt] [--out .cache/corpus-wide]
                                        [--tarballs .cache/tarballs] [--lock]

The manifest pins one package a line: `name@exact-version license sha512-integrity includes
[excludes]` (its header explains the columns). Each tarball comes from the npm registry, is
cached, and is refused unless its sha512 is the pinned one. From it only the include paths minus
the excludes are read, and a file is kept when `corpus_filters.reject_reason` finds it
hand-written and tree-sitter parses it without an error. Files land in OUT/corpus/<package>/<path>,
the layout `dataset.split_files` reads; a scoped `@scope/name` becomes `scope__name`.

`corpus/files.sha256` locks the result (`sha256  path` per file, sorted by path, paths relative
to OUT/corpus, so `sha256sum -c` reads it too). `build --lock` writes it; a plain `build`
rebuilds and fails unless every file matches it. The corpus is built in OUT/corpus.partial and
only replaces OUT/corpus once it is verified: training never sees an unverified corpus.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import logging
import os
import re
import shutil
import sys
import tarfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Sequence

from engine.model.corpus_filters import reject_reason
from engine.parse import DecodeError, Source, parse
from engine.parse.parser import JAVASCRIPT_SUFFIXES

logger = logging.getLogger("engine.model.corpus")  # not "__main__" under `python -m`

REGISTRY = "https://registry.npmjs.org"
PERMISSIVE_LICENSES = frozenset({"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"})
_SPEC = re.compile(r"(?P<name>(?:@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*)"
                   r"@(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)")
_INTEGRITY = re.compile(r"sha512-[A-Za-z0-9+/]{86}==")


class CorpusError(Exception):
    """The corpus cannot be built as pinned; the message says what and where."""


class ManifestError(CorpusError):
    """A manifest line is malformed."""


class IntegrityError(CorpusError):
    """A tarball's sha512 is not the one the manifest pins."""


class UnsafeTarballError(CorpusError):
    """A tarball member would be written outside the output directory."""


class LockMismatchError(CorpusError):
    """The rebuilt corpus differs from the lock file."""


@dataclass(frozen=True, slots=True)
class Package:
    """One manifest line."""

    name: str
    version: str
    license: str
    integrity: str
    includes: tuple[str, ...]  # "dir/" (everything under it), "file.js", or "./" (the whole package)
    excludes: tuple[str, ...] = ()  # "dir/" or an fnmatch glob ("*" also crosses "/")

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def directory(self) -> str:
        """The package's folder in the corpus: "@scope/name" -> "scope__name"."""
        return self.name.lstrip("@").replace("/", "__")

    @property
    def tarball_name(self) -> str:
        # npm pack's naming, so tarballs cached by `npm pack` are found too
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"

    def url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.name.split('/')[-1]}-{self.version}.tgz"

    def selects(self, path: str) -> bool:
        """Whether a path relative to the package root is included and not excluded."""
        included = any(inc == "./" or path == inc or (inc.endswith("/") and path.startswith(inc))
                       for inc in self.includes)
        return included and not any((ex.endswith("/") and path.startswith(ex)) or fnmatch.fnmatchcase(path, ex)
                                    for ex in self.excludes)


def parse_manifest(text: str, origin: str = "manifest") -> list[Package]:
    """The packages of a manifest, in its order; ManifestError names the first bad line."""
    packages: list[Package] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            package = _parse_line(stripped)
        except ValueError as error:
            raise ManifestError(f"{origin}:{number}: {error}: {stripped!r}") from None
        for key in {package.name, package.directory}:
            if key in seen:
                raise ManifestError(f"{origin}:{number}: {key!r} already on line {seen[key]}")
            seen[key] = number
        packages.append(package)
    if not packages:
        raise ManifestError(f"{origin}: no packages")
    return packages


def read_manifest(path: Path) -> list[Package]:
    return parse_manifest(path.read_text(encoding="utf-8"), str(path))


def _parse_line(line: str) -> Package:
    columns = line.split()
    if len(columns) not in (4, 5):
        raise ValueError(f"expected 4 or 5 columns (name@version license integrity includes [excludes]), got {len(columns)}")
    spec, license_, integrity, includes = columns[:4]
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise ValueError(f"{spec!r} is not name@exact-version")
    if not any(choice in PERMISSIVE_LICENSES for choice in license_.split("-OR-")):
        raise ValueError(f"license {license_!r} is not one of {sorted(PERMISSIVE_LICENSES)} (alternatives joined by -OR-)")
    if _INTEGRITY.fullmatch(integrity) is None:
        raise ValueError(f"integrity {integrity!r} is not sha512-<base64 of 64 bytes>")
    return Package(match["name"], match["version"], license_, integrity,
                   _paths(includes, "include"), _paths(columns[4], "exclude") if len(columns) == 5 else ())


def _paths(column: str, what: str) -> tuple[str, ...]:
    paths = tuple(column.split(","))
    for path in paths:
        if not path or path.startswith("/") or "\\" in path or ".." in path.split("/") or (path.startswith("./") and path != "./"):
            raise ValueError(f"{what} path {path!r} must be relative to the package root ('dir/', 'file.js' or './'), "
                             "without '..'")
    return paths


def integrity_of(data: bytes) -> str:
    """The npm `dist.integrity` of some bytes."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch(package: Package, cache: Path, registry: str = REGISTRY) -> Path:
    """The package's tarball in `cache`, downloaded unless a copy with the pinned sha512 is there."""
    path = cache / package.tarball_name
    if path.is_file():
        if integrity_of(path.read_bytes()) == package.integrity:
            return path
        logger.warning("%s: cached tarball does not match the pinned sha512; downloading it again", path)
    url = package.url(registry)
    logger.info("downloading %s", url)
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    got = integrity_of(data)
    if got != package.integrity:
        raise IntegrityError(f"{package.spec}: the tarball from {url} has {got}, the manifest pins {package.integrity}; refusing it")
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


@dataclass
class PackageReport:
    """What one package gave the corpus."""

    spec: str
    license: str
    files: int = 0
    bytes: int = 0
    lines: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def extract(package: Package, tarball: Path, root: Path) -> tuple[PackageReport, dict[str, bytes], list[tuple[str, str]]]:
    """Read the package's selected, hand-written, parseable files: (report, {corpus path: bytes},
    [(corpus path, why skipped)]). Refuses the whole tarball if any member would land outside `root`."""
    report = PackageReport(package.spec, package.license)
    kept: dict[str, bytes] = {}
    skipped: list[tuple[str, str]] = []
    base = (root / package.directory).resolve()
    with tarfile.open(tarball, "r:gz") as archive:
        members: dict[str, tarfile.TarInfo] = {}
        for member in archive.getmembers():
            relative = _relative_path(member.name, tarball)
            if relative is not None and member.isfile():
                members[relative] = member  # a repeated name: the last one wins, as tar itself does
        for relative in sorted(members):
            if not package.selects(relative) or PurePosixPath(relative).suffix not in JAVASCRIPT_SUFFIXES:
                continue
            destination = (base / relative).resolve()
            if base not in destination.parents:
                raise UnsafeTarballError(f"{tarball}: member {relative!r} would be written outside {base}")
            handle = archive.extractfile(members[relative])
            data = handle.read() if handle is not None else b""
            corpus_path = f"{package.directory}/{relative}"
            why = reject_reason(relative, data) or _parse_problem(data)
            if why is not None:
                report.skipped[why.split(" (")[0]] += 1
                skipped.append((corpus_path, why))
                continue
            kept[corpus_path] = data
            report.files += 1
            report.bytes += len(data)
            report.lines += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if not kept:
        raise CorpusError(f"{package.spec}: no file selected; check its includes {','.join(package.includes)}")
    return report, kept, skipped



def _relative_path(name: str, tarball: Path) -> str | None:
    """A member's path below the tarball's top folder (npm's is "package/"), checked for escapes."""
    if name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise UnsafeTarballError(f"{tarball}: member {name!r} escapes the package folder; refusing the tarball")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return "/".join(parts[1:]) if len(parts) > 1 else None


def _parse_problem(data: bytes) -> str | None:
    try:
        source = Source.from_bytes(data)
    except DecodeError:
        return "not text"
    return "tree-sitter syntax error" if parse(source).root_node.has_error else None


@dataclass
class BuildReport:
    packages: list[PackageReport]
    hashes: dict[str, str]  # corpus path -> sha256 hex
    seconds: float


def build(packages: Sequence[Package], out: Path, tarballs: Path, lock: Path, write_lock: bool = False,
          registry: str = REGISTRY) -> BuildReport:
    """Rebuild OUT/corpus from the pinned tarballs; write the lock, or verify against it."""
    started = time.monotonic()
    if not write_lock and not lock.is_file():
        raise LockMismatchError(f"no lock file {lock}: build once with --lock to create it")
    staging = out / "corpus.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    reports: list[PackageReport] = []
    hashes: dict[str, str] = {}
    skipped: list[tuple[str, str]] = []
    for package in packages:
        report, kept, package_skipped = extract(package, fetch(package, tarballs, registry), staging)
        for corpus_path, data in kept.items():
            target = staging / corpus_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            hashes[corpus_path] = hashlib.sha256(data).hexdigest()
        reports.append(report)
        skipped.extend(package_skipped)
        logger.info("%-28s %5d files %8.1f KB; skipped %s", package.spec, report.files, report.bytes / 1e3,
                    dict(report.skipped) or "none")
    (out / "skipped.tsv").write_text("".join(f"{path}\t{why}\n" for path, why in sorted(skipped)), encoding="utf-8")
    if write_lock:
        write_lock_file(lock, hashes)
        logger.info("wrote %s (%d files)", lock, len(hashes))
    else:
        verify(hashes, read_lock(lock), lock)
        logger.info("verified against %s: %d files identical", lock, len(hashes))
    final = out / "corpus"
    shutil.rmtree(final, ignore_errors=True)
    os.replace(staging, final)
    return BuildReport(reports, hashes, time.monotonic() - started)


def write_lock_file(lock: Path, hashes: dict[str, str]) -> None:
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("".join(f"{hashes[path]}  {path}\n" for path in sorted(hashes)), encoding="utf-8")


def read_lock(lock: Path) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, path = line.partition("  ")
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or not path:
            raise LockMismatchError(f"{lock}:{number}: expected 'sha256  path', got {line!r}")
        hashes[path] = digest
    return hashes


def verify(built: dict[str, str], locked: dict[str, str], lock: Path, shown: int = 10) -> None:
    """Raise LockMismatchError listing the files missing, added or changed against the lock."""
    missing = sorted(set(locked) - set(built))
    added = sorted(set(built) - set(locked))
    changed = sorted(path for path in set(built) & set(locked) if built[path] != locked[path])
    if not (missing or added or changed):
        return
    lines = [f"the rebuilt corpus differs from {lock}: {len(missing)} missing, {len(added)} added, {len(changed)} changed"]
    for label, paths in (("missing", missing), ("added", added), ("changed", changed)):
        lines += [f"  {label}: {path}" for path in paths[:shown]]
        if len(paths) > shown:
            lines.append(f"  ... and {len(paths) - shown} more {label}")
    lines.append("if the manifest changed on purpose, rebuild with --lock and commit the new lock")
    raise LockMismatchError("\n".join(lines))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine.model.corpus",
                                     description="Build the training corpus from the pinned npm manifest.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("build", help="download, verify, filter and extract; check or write the lock")
    command.add_argument("--manifest", type=Path, default=Path("corpus/packages.txt"))
    command.add_argument("--out", type=Path, default=Path(".cache/corpus-wide"))
    command.add_argument("--tarballs", type=Path, default=Path(".cache/tarballs"))
    command.add_argument("--lock-file", type=Path, default=None, help="default: files.sha256 beside the manifest")
    command.add_argument("--lock", action="store_true", help="write the lock instead of verifying against it")
    command.add_argument("--registry", default=REGISTRY)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    lock = args.lock_file or args.manifest.with_name("files.sha256")
    try:
        result = build(read_manifest(args.manifest), args.out, args.tarballs, lock, args.lock, args.registry)
    except CorpusError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    sys.stdout.write(_summary(result, args.out / "corpus"))
    return 0


def _summary(result: BuildReport, corpus: Path) -> str:
    rows = [f"{'package':<30} {'license':<24} {'files':>6} {'KB':>9} {'lines':>8}  skipped"]
    for report in result.packages:
        skipped = ", ".join(f"{why}: {n}" for why, n in sorted(report.skipped.items()))
        rows.append(f"{report.spec:<30} {report.license:<24} {report.files:>6} {report.bytes / 1e3:>9.1f} {report.lines:>8}  {skipped}")
    files = sum(r.files for r in result.packages)
    size = sum(r.bytes for r in result.packages)
    lines = sum(r.lines for r in result.packages)
    rows.append(f"{len(result.packages)} packages, {files} files, {size / 1e6:.2f} MB, {lines} lines "
                f"in {corpus} ({result.seconds:.0f} s)")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
