"""The shipped detector on JavaScript it has never seen: the npm packages installed for this
repository's own tooling (`node_modules`, pinned by package-lock.json) that are not in the
training corpus, against its held-out test split.

    .venv/bin/python benchmarks/ml_unseen_code.py [--model DIR] [--lines-per-package 1500]

The held-out split (`thea eval`) shares the corpus's selection of packages (hand-written
library code, chosen by one manifest); these packages were chosen by nobody for this model
(ESLint and its plugins, the VS Code extension tooling, their dependencies). Taken: `.js`,
`.mjs` and `.cjs` files of packages whose name is not in corpus/packages.txt and whose bytes
are not a corpus file (corpus/files.sha256), outside dist/build/umd/test folders, no minified
files (a line over 400 characters); per package, files in path order up to about
--lines-per-package lines, so no large package dominates. Small files are kept and their
alarms shown apart: a five-line module is as real as a long one. The files are copied to a
temporary directory (`thea check` does not lint inside node_modules) and measured twice:

1. `thea eval --files` on them: injected bugs per kind and the clean files' false alarms at
   the checkpoint's threshold (the same table as for the test split);
2. `thea check --ml --format json` on them, as a user runs it: every ml/ finding on this
   clean code is a false alarm (the packages are released code; a real bug found would be a
   welcome exception, listed for a reader to judge).

Then the held-out test split's figures from the checkpoint's model card, for the ratio.
Target (issue 4): at most 0.1 false alarms per 1,000 clean lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.model.calibration import poisson_upper_bound  # noqa: E402
from engine.model.dataset import MAX_FILE_BYTES  # noqa: E402
from engine.model.evaluate import main as evaluate_main  # noqa: E402

SKIPPED_FOLDERS = re.compile(r"(^|/)(dist|umd|build|bundle|browser|test|tests|__tests__|node_modules)(/|$)")
MINIFIED = re.compile(r"\.min\.|\.bundle\.")
SUFFIXES = (".js", ".mjs", ".cjs")


def corpus_names_and_digests() -> tuple[set[str], set[str]]:
    names = set()
    for line in (ROOT / "corpus/packages.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(line.split()[0].rsplit("@", 1)[0])
    digests = {line.split()[0] for line in (ROOT / "corpus/files.sha256").read_text().splitlines() if line.strip()}
    return names, digests


def installed_packages(node_modules: Path) -> dict[str, Path]:
    """name -> directory, top-level and one level nested (`a/node_modules/b`), first spelling wins."""
    found: dict[str, Path] = {}
    for level in (node_modules, *sorted(node_modules.glob("*/node_modules")), *sorted(node_modules.glob("@*/*/node_modules"))):
        for entry in sorted(level.iterdir()):
            directories = sorted(entry.iterdir()) if entry.name.startswith("@") and entry.is_dir() else [entry]
            for directory in directories:
                name = directory.relative_to(level).as_posix()
                if directory.is_dir() and not name.startswith(".") and name not in found:
                    found[name] = directory
    return found


def pick_files(packages: dict[str, Path], corpus_names: set[str], corpus_digests: set[str],
               lines_per_package: int) -> list[tuple[str, Path, str]]:
    """(package, file, text) for the files this benchmark measures (see the module doc)."""
    picked = []
    for name, directory in packages.items():
        if name in corpus_names:
            continue
        taken = 0
        for path in sorted(directory.rglob("*")):
            relative = path.relative_to(directory).as_posix()
            if taken >= lines_per_package:
                break
            if path.suffix not in SUFFIXES or SKIPPED_FOLDERS.search(relative) or MINIFIED.search(relative):
                continue
            if not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            if len(data) > MAX_FILE_BYTES or hashlib.sha256(data).hexdigest() in corpus_digests:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            lines = text.splitlines()
            if not lines or max(map(len, lines)) > 400:
                continue
            picked.append((name, path.relative_to(directory), text))
            taken += len(lines)
    return picked


def check_false_alarms(folder: Path, model: Path) -> tuple[dict[str, int], list[tuple[str, int, str, float]]]:
    """Lines per file linted, and the ml/ findings of `thea check --ml` (path, line, message,
    confidence); paths relative to `folder`."""
    report = folder.parent / "report.json"
    command = [sys.executable, "-m", "engine.cli", "check", "--ml", "--workers", "1", "--format", "json",
               "--output-file", str(report), str(folder)]
    done = subprocess.run(command, cwd=ROOT, env={**_environ(), "THEA_MODEL_PATH": str(model)},
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"thea check failed ({done.returncode}): {done.stderr[-2000:]}")
    lines: dict[str, int] = {}
    findings = []
    for result in json.loads(report.read_text()):
        path = Path(result["filePath"])
        relative = path.relative_to(folder).as_posix()
        lines[relative] = len(path.read_text(encoding="utf-8").splitlines())
        for message in result["messages"]:
            if (message.get("ruleId") or "").startswith("ml/"):
                findings.append((relative, message["line"], message["message"], message.get("confidence", 0.0)))
    return lines, findings


def size_class(lines: int) -> str:
    return "files under 20 lines" if lines < 20 else "files of 20 lines or more"


def _environ() -> dict[str, str]:
    """This process's environment without THEA_ settings, so the checkpoint's defaults apply."""
    return {key: value for key, value in os.environ.items() if not key.startswith("THEA_")}


def held_out_figures(model: Path) -> str:
    card = (model / "MODEL_CARD.md").read_text() if (model / "MODEL_CARD.md").exists() else ""
    wanted = [line for line in card.splitlines() if line.startswith(("all injected", "no-bug accuracy", "false alarms at"))]
    return "\n".join(wanted) if wanted else "(no held-out results in the model card)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, action="append",
                        help="a checkpoint directory (repeatable: each measured on the same files; "
                             "default: the shipped one)")
    parser.add_argument("--node-modules", type=Path, default=ROOT / "node_modules")
    parser.add_argument("--lines-per-package", type=int, default=1500)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.node_modules.is_dir():
        parser.error(f"--node-modules {args.node_modules}: not there; run `npm ci` first")
    names, digests = corpus_names_and_digests()
    picked = pick_files(installed_packages(args.node_modules), names, digests, args.lines_per_package)
    with tempfile.TemporaryDirectory(prefix="thea-unseen-") as temporary:
        folder = Path(temporary) / "code"
        for package, relative, text in picked:
            destination = folder / package.replace("/", "__") / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
        packages = len({package for package, _, _ in picked})
        print(f"# {len(picked)} files from {packages} installed packages not in the corpus")
        for model in args.model or [ROOT / "models/thea-m2-detector"]:
            measure(model, folder)
    return 0


def measure(model: Path, folder: Path) -> None:
    print(f"\n# {model}\n\n## thea eval --files (injected bugs; clean files' alarms at the threshold)\n")
    sys.stdout.flush()
    evaluate_main(["--model", str(model), "--files", str(folder)])
    file_lines, findings = check_false_alarms(folder, model)
    lines: dict[str, int] = {}
    for count in file_lines.values():
        lines[size_class(count)] = lines.get(size_class(count), 0) + count
    print("\n## thea check --ml on the same clean files (target: 0.1 false alarms per 1,000 lines)\n")
    for label, total in [*sorted(lines.items()), ("all files", sum(lines.values()))]:
        alarms = sum(1 for path, *_ in findings if label == "all files" or size_class(file_lines[path]) == label)
        print(f"{label:<26} {alarms:>3} ml/ findings in {total:>7} lines = {1000 * alarms / max(total, 1):.3f} per 1,000 "
              f"(95% upper bound {1000 * poisson_upper_bound(alarms) / max(total, 1):.3f})")
    for path, line, message, confidence in sorted(findings, key=lambda item: -item[3]):
        print(f"  {confidence:.2f}  {path}:{line}  {message}")
    print("\n## the held-out test split (its model card), for comparison\n")
    print(held_out_figures(model))
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
