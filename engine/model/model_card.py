"""MODEL_CARD.md beside the weights: data, sizes, training, calibration. `thea eval --card`
appends the held-out test metrics (engine/model/evaluate.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.model.checkpoint import Calibration
from engine.model.config import TheaM2Config
from engine.model.dataset import TEST_PACKAGES, VALIDATION_PACKAGES
from engine.model.sites import KINDS

CARD_FILE = "MODEL_CARD.md"


def write_model_card(directory: Path, config: TheaM2Config, args: argparse.Namespace, splits: dict[str, list[Path]],
                     windows: int, calibration: Calibration, minutes: float) -> None:
    weights = sum(p.stat().st_size for p in directory.rglob("model.safetensors"))
    temperatures = ", ".join(
        f"{a:.2f}/{b:.2f}" for a, b in zip(calibration.loc_temperatures, calibration.repair_temperatures)
    )
    text = f"""# thea-m2-detector

An M2-BERT (Monarch Mixer) encoder with site-localisation, no-bug and repair heads that
finds the bugs pattern rules cannot see in JavaScript: {", ".join(f"`ml/{k}`" for k in KINDS)}.
Pointer-style heads (GREAT/BugLab): a site is scored from the encoder states of its span and
its boundary tokens, its kind, and the pooled states of the other uses of its name; a repair
from the site, the replacement (operator/marker embedding) and the pooled uses of a proposed name.
Produced by `thea train` (engine/model/train.py) on CPU in {minutes:.1f} minutes.

## Data
- Real JavaScript from the pinned npm corpus (`{args.corpus}`; manifest `/work/shared/corpus/corpus-packages.txt`).
- Whole packages held out: validation {", ".join(VALIDATION_PACKAGES)}; test {", ".join(TEST_PACKAGES)}.
- Files: {len(splits["train"])} training, {len(splits["validation"])} validation, {len(splits["test"])} test.
- Bugs injected at tree-sitter sites (kinds balanced); a mutant that a recommended pattern rule
  reports, that does not parse, or whose repair cannot be expressed is dropped.
- {windows} training examples (windows of at most {args.window} tokens, about half of them clean), recut
  each epoch into windows of {args.train_window} tokens around the bug (clean ones anywhere).

## Model
- {config.num_hidden_layers} layers, width {config.hidden_size}, GLU width {config.intermediate_size},
  {config.nblocks} Monarch blocks, Hyena filter order {config.hyena_filter_order} (scale {config.hyena_filter_scale} positions), vocabulary {config.vocab_size}
  (byte-level BPE, `tokenizer.json`), context up to {config.max_position_embeddings} tokens.
- Ensemble of {len(calibration.loc_temperatures)} snapshots (member 0 = final weights), fp16 safetensors,
  {weights / 1e6:.1f} MB in all.

## Training
- {args.steps} AdamW steps, peak learning rate {args.lr}, dropout {args.dropout}, ~{args.batch_tokens} tokens per batch,
  seed {args.seed}, {args.threads} CPU threads; snapshot schedule: one long cosine cycle, then restarts.

## Calibration
- Temperatures (localisation/repair) per member: {temperatures}.
- Confidence = mean over members of P(bug here) x P(best repair) minus {calibration.disagreement_weight} x their
  standard deviation (members that disagree lower it).
- Default threshold {calibration.threshold:.2f}: chosen so that clean validation code raises at most
  {args.alarms_per_kloc} alarms per 1,000 lines (and never below 0.5).

## Limits
- Trained on injected bugs, not real ones; real bugs look different and are rarer.
- Scope of names is approximated by function nesting; block scoping is ignored.
- One bug per document is assumed by the localisation softmax.
"""
    (directory / CARD_FILE).write_text(text)
