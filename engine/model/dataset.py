"""Training, validation and test data from the npm corpus: whole packages are held out.

For each file: a few injected bugs (kinds balanced: a kind, then a site of that kind, then a
repair, all drawn uniformly) and as many clean windows. Training examples are token windows
around the bug (GREAT-style); validation and test keep whole documents (see `documents`).
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tokenizers import Tokenizer

from engine.linter import RuleSet, lint_source
from engine.model.features import DocFeatures, featurize
from engine.model.inject import Mutant, inject, rule_counts
from engine.model.sites import Site, find_sites
from engine.model.tokenizer import encode, marker_ids
from engine.parse import DecodeError, Source, parse

logger = logging.getLogger(__name__)

# Held out, whole packages. Validation fits the temperature and the threshold; test is
# reported by `thea eval`. Chosen to mix old CommonJS, modern CommonJS and ESM.
VALIDATION_PACKAGES = ("backbone", "bn.js", "commander", "semver", "ws")
TEST_PACKAGES = ("axios", "escodegen", "express", "markdown-it", "postcss", "preact")
MAX_FILE_BYTES = 200_000


def split_files(corpus: Path) -> dict[str, list[Path]]:
    """{"train": [...], "validation": [...], "test": [...]}, each sorted (deterministic)."""
    splits: dict[str, list[Path]] = {"train": [], "validation": [], "test": []}
    for package in sorted(p for p in corpus.iterdir() if p.is_dir()):
        name = "validation" if package.name in VALIDATION_PACKAGES else "test" if package.name in TEST_PACKAGES else "train"
        splits[name].extend(sorted(p for p in package.rglob("*") if p.is_file() and p.stat().st_size <= MAX_FILE_BYTES))
    return splits


@dataclass(frozen=True, slots=True)
class Document:
    """One whole document as the model sees it, with what is known about it."""

    path: str
    kind: str | None  # the injected bug's kind; None for clean code
    features: DocFeatures
    lines: int


def read_source(path: Path) -> Source | None:
    try:
        return Source.from_bytes(path.read_bytes())
    except (OSError, DecodeError):
        return None


def sample_injections(source: Source, sites: list[Site], rules: RuleSet, rng: random.Random, wanted: int,
                      tries: int = 4) -> Iterator[Mutant]:
    """Up to `wanted` mutants of `source`, kinds balanced; each site/repair drawn at most once."""
    tree = parse(source)
    counts = rule_counts(lint_source(source, tree, rules))
    by_kind: dict[str, list[Site]] = {}
    for site in sites:
        by_kind.setdefault(site.kind, []).append(site)
    kinds = sorted(by_kind)
    made = 0
    for _ in range(wanted * tries):
        if made >= wanted or not kinds:
            return
        kind = rng.choice(kinds)
        site = rng.choice(by_kind[kind])
        mutant = inject(source, site, rng.choice(site.repairs), rules, counts)
        if mutant is not None:
            made += 1
            yield mutant


def documents(paths: list[Path], tokenizer: Tokenizer, rules: RuleSet, seed: int, mutants_per_file: int,
              max_tokens: int) -> list[Document]:
    """Whole documents for evaluation: each file clean, plus `mutants_per_file` mutants."""
    markers = marker_ids(tokenizer)
    out: list[Document] = []
    for path in paths:
        source = read_source(path)
        if source is None:
            continue
        tree = parse(source)
        if tree.root_node.has_error:
            continue
        sites = find_sites(tree)
        encoded = encode(tokenizer, source)
        if len(encoded) > max_tokens or not sites:
            continue
        lines = len(source.line_starts)
        out.append(Document(str(path), None, featurize(encoded, sites, markers), lines))
        rng = random.Random(f"{seed}:{path}")
        for mutant in sample_injections(source, sites, rules, rng, mutants_per_file):
            target = (mutant.target_site, mutant.target_repair)
            features = featurize(encode(tokenizer, mutant.source), mutant.sites, markers, target)
            out.append(Document(str(path), mutant.sites[mutant.target_site].kind, features, lines))
    logger.info("%d documents from %d files: %s", len(out), len(paths), Counter(d.kind for d in out))
    return out


def training_windows(path: Path, tokenizer: Tokenizer, rules: RuleSet, seed: int, window: int,
                     per_kb: float, max_per_file: int) -> list[DocFeatures]:
    """Token windows of one training file: mutants (window placed at random around the bug)
    and as many clean windows."""
    source = read_source(path)
    if source is None:
        return []
    tree = parse(source)
    if tree.root_node.has_error:
        return []
    sites = find_sites(tree)
    if not sites:
        return []
    markers = marker_ids(tokenizer)
    rng = random.Random(f"{seed}:{path.name}:{len(source.data)}")
    wanted = max(1, min(max_per_file, round(len(source.data) / 1024 * per_kb)))
    out: list[DocFeatures] = []
    for mutant in sample_injections(source, sites, rules, rng, wanted):
        features = featurize(encode(tokenizer, mutant.source), mutant.sites, markers, (mutant.target_site, mutant.target_repair))
        center = int(features.site_start[features.target_site])
        cropped = _crop(features, rng, window, center)
        if cropped is not None:
            out.append(cropped)
    clean = featurize(encode(tokenizer, source), sites, markers)
    for _ in range(len(out)):
        cropped = _crop(clean, rng, window, rng.randrange(max(1, int(clean.ids.shape[0]))))
        if cropped is not None and cropped.site_start.shape[0] > 0:
            out.append(cropped)
    return out


def recrop(windows: list[DocFeatures], rng: random.Random, window: int) -> list[DocFeatures]:
    """Shorter windows cut afresh from the cached ones (each epoch sees other cuts): the bug's
    site placed at random inside, clean windows anywhere; windows left without sites dropped."""
    out = []
    for features in windows:
        length = int(features.ids.shape[0])
        if features.target_site >= 0:
            center = int(features.site_start[features.target_site])
        else:
            center = rng.randrange(max(1, length))
        cropped = _crop(features, rng, window, center)
        if cropped is not None and cropped.site_start.shape[0] > 0:
            out.append(cropped)
    return out


def _crop(features: DocFeatures, rng: random.Random, window: int, center: int) -> DocFeatures | None:
    length = int(features.ids.shape[0])
    if length <= window:
        return features
    start = max(0, min(length - window, center - rng.randrange(window // 8, window - window // 8)))
    return features.window(start, start + window)
