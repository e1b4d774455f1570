"""The in-process ML detector behind `thea check --ml`: a document in, `ml/<kind>` findings out.

Whole documents up to the context length go through the model in one pass; a longer one is
split at top-level statements into overlapping windows, each site scored in the window that
holds it farthest from an edge. Findings carry a confidence in [0, 1] and one fix, the best
repair: UNSAFE when the ensemble is very sure, DISPLAY_ONLY otherwise, never SAFE.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
import tree_sitter

from engine import directives
from engine.finding import Finding, Severity
from engine.fix.edit import Applicability, Fix
from engine.linter import RuleSet
from engine.model.checkpoint import load_detector
from engine.model.ensemble import SitePrediction, predict
from engine.model.features import featurize
from engine.model.roles import argument_roles
from engine.model.sites import Repair, Site, find_sites
from engine.model.tokenizer import Encoded, encode, marker_ids
from engine.parse import Source, parse

logger = logging.getLogger(__name__)

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "thea-m2-detector"
UNSAFE_FROM = 0.9  # below this confidence the repair is only displayed
OVERLAP_FRACTION = 8  # windows overlap by 1/8 of the context


def default_model_path() -> Path:
    return Path(os.environ.get("THEA_MODEL_PATH") or DEFAULT_MODEL)


@dataclass(frozen=True, slots=True)
class Detection:
    site: Site
    repair: Repair
    prediction: SitePrediction


class Detector:
    def __init__(self, directory: Path, context_length: int | None = None, threshold: float | None = None) -> None:
        self.members, self.tokenizer, self.calibration = load_detector(directory)
        self.markers = marker_ids(self.tokenizer)
        limit = self.members[0].config.max_position_embeddings
        self.context_length = min(context_length or self.calibration.context_length, limit)
        self.threshold = self.calibration.threshold if threshold is None else threshold

    def detect(self, source: Source, tree: tree_sitter.Tree | None = None) -> list[Finding]:
        """Findings at or above the threshold, in document order (directives not applied)."""
        found = [d for d in self.score(source, tree) if d.prediction.confidence >= self.threshold]
        return sorted((_finding(source, d) for d in found), key=lambda f: (f.start, f.end))

    def detect_with_directives(self, source: Source, tree: tree_sitter.Tree | None = None) -> list[Finding]:
        """`detect`, with `thea-disable` / `eslint-disable` comments applied to the ml/* ids.

        For callers that run the detector beside `lint_source` (which applies directives to
        the rules' findings only). Unused-directive reports stay with the linter's pass.
        """
        tree = tree if tree is not None else parse(source)
        comments = [node for node in _walk(tree.root_node) if node.type == "comment"]
        return directives.apply_directives(source, comments, self.detect(source, tree), RuleSet.only([]))

    def score(self, source: Source, tree: tree_sitter.Tree | None = None) -> list[Detection]:
        """Every candidate site with its best repair and confidence."""
        tree = tree if tree is not None else parse(source)
        sites = find_sites(tree)
        if not sites:
            return []
        encoded = encode(self.tokenizer, source)
        features = featurize(encoded, sites, self.markers, roles=argument_roles(tree),
                             names=self.members[0].config.argument_names)
        best: dict[int, tuple[int, SitePrediction]] = {}  # site -> (distance from a window edge, prediction)
        for start, end in self._windows(tree, encoded):
            keep = ((features.site_start >= start) & (features.site_end <= end)).nonzero().flatten().tolist()
            window = features.window(start, end) if (start, end) != (0, len(encoded)) else features
            if window is None or not keep:
                continue
            for prediction in predict(self.members, window, self.calibration):
                site = keep[prediction.site]
                margin = min(int(features.site_start[site]) - start, end - int(features.site_end[site]))
                if site not in best or margin > best[site][0]:
                    best[site] = (margin, prediction)
        out = []
        for site_index, (_, prediction) in sorted(best.items()):
            site = sites[site_index]
            out.append(Detection(site, site.repairs[prediction.repair], prediction))
        return out

    def _windows(self, tree: tree_sitter.Tree, encoded: Encoded) -> list[tuple[int, int]]:
        length, context = len(encoded), self.context_length
        if length <= context:
            return [(0, length)]
        # token starts of top-level statements: the places a window may begin
        cuts = sorted({encoded.token_span(child.start_byte, child.end_byte)[0] for child in tree.root_node.children} | {0})
        overlap = context // OVERLAP_FRACTION
        windows, start = [], 0
        while True:
            end = min(length, start + context)
            windows.append((start, end))
            if end >= length:
                return windows
            target = end - overlap
            candidates = [c for c in cuts if start < c <= target]
            start = candidates[-1] if candidates and candidates[-1] > start + overlap else target  # no statement cut: plain split


@lru_cache(maxsize=4)
def load(path: str, context_length: int | None = None, threshold: float | None = None) -> Detector:
    """A detector per (path, settings), loaded once per process."""
    torch.set_num_threads(max(1, min(torch.get_num_threads(), 2)))
    logger.info("loading the ML detector from %s", path)
    return Detector(Path(path), context_length, threshold)


def _walk(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.children)
    return out


def _finding(source: Source, detection: Detection) -> Finding:
    site, repair, prediction = detection.site, detection.repair, detection.prediction
    title, message = _describe(site, repair, source.slice(site.start, site.end))
    confidence = round(prediction.confidence, 4)
    applicability = Applicability.UNSAFE if confidence >= UNSAFE_FROM else Applicability.DISPLAY_ONLY
    return Finding(
        rule_id=f"ml/{site.kind}",
        message_id=site.kind,
        message=f"{message} (confidence {confidence:.2f})",
        start=site.start,
        end=site.end,
        severity=Severity.WARNING,
        fixes=(Fix((repair.edit,), applicability, title),),
        confidence=confidence,
    )


def _describe(site: Site, repair: Repair, found: str) -> tuple[str, str]:
    short = found if len(found) <= 40 else found[:37] + "..."
    replacement = repair.edit.text
    if site.kind == "variable-misuse":
        return f"Use `{replacement}`", f"`{short}` may be the wrong variable here; did you mean `{replacement}`?"
    if site.kind == "swapped-arguments":
        return "Swap the arguments", f"The arguments `{short}` may be in the wrong order."
    if site.kind == "wrong-operator":
        return f"Use `{replacement}`", f"`{short}` may be the wrong operator; did you mean `{replacement}`?"
    if site.kind == "swapped-operands":
        return "Swap the operands", f"The operands of `{short}` may be swapped."
    if site.kind == "off-by-one":
        return f"Use `{replacement}`", f"`{short}` may be off by one; did you mean `{replacement}`?"
    if repair.edit.text == "!":
        return "Negate the condition", f"`{short}` may be missing a `!`."
    return "Remove the `!`", f"The `!` in `{short}` may be wrong."
