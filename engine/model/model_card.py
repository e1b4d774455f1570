"""MODEL_CARD.md beside the weights: data, sizes, training, calibration. `thea eval --card`
appends the held-out test metrics (engine/model/evaluate.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Mapping, Sequence

from engine.model.checkpoint import Calibration
from engine.model.compiled import describe_steps
from engine.model.config import TheaM2Config
from engine.model.dataset import TEST_PACKAGES, VALIDATION_PACKAGES
from engine.model.features import DocFeatures
from engine.model.machine import describe_machine
from engine.model.monitor import LossReading
from engine.model.sites import KINDS

CARD_FILE = "MODEL_CARD.md"


def describe_members(calibration: Calibration) -> str:
    """Per member: localisation/repair temperature/no-bug offset, then the kind offsets in KINDS order."""
    parts = []
    for index in range(len(calibration.loc_temperatures)):
        member = calibration.member(index)
        kinds = "" if member.kind_offsets is None else " [" + " ".join(f"{v:+.2f}" for v in member.kind_offsets.tolist()) + "]"
        parts.append(f"{member.loc_temperature:.2f}/{member.repair_temperature:.2f}/{member.no_bug_offset:+.2f}{kinds}")
    return ", ".join(parts)


def describe_stages(stages: Mapping[str, float]) -> str:
    """'71.3 minutes (data preparation 1.2; training steps 62.4; calibration 7.7)' from minutes per stage."""
    return f"{sum(stages.values()):.1f} minutes ({'; '.join(f'{name} {value:.1f}' for name, value in stages.items())})"


def write_model_card(directory: Path, config: TheaM2Config, args: argparse.Namespace, splits: dict[str, list[Path]],
                     train_docs: list[DocFeatures], calibration: Calibration, stages: Mapping[str, float],
                     readings: Sequence[LossReading] = ()) -> None:
    """`stages`: minutes spent in each stage of the run, in order (data preparation, steps...)."""
    weights = sum(p.stat().st_size for p in directory.rglob("model.safetensors"))
    temperatures = describe_members(calibration)
    mixer = (f"- Site mixer: {config.site_mixer_layers} attention layers among the candidate sites, in blocks of\n"
             f"  {config.site_mixer_block} consecutive sites of a document ({config.site_mixer_heads} heads; cost linear in length).\n"
             if config.site_mixer_layers else "")
    roles = ("- Argument roles (DeepBugs-style): each argument of a candidate swap is matched against the pooled\n"
             "  other uses of its position's role and of the other one (the same callee's arguments elsewhere in\n"
             "  the file, the parameters of a function of that name declared there; engine/model/roles.py).\n"
             if config.argument_roles else "")
    peers = ("- Peers: an operator, literal or negation site is compared with the pooled other sites of its shape\n"
             "  in the document (`i < n` with `i <= n` elsewhere, `a.length - 1` with `a.length - 2`; engine/model/sites.py).\n"
             if config.peer_groups else "")
    names = ("- Argument names (Rice et al. 2017): a candidate swap also reads how alike its arguments' names are\n"
             "  (word overlap) to the callee's parameters and to the other calls' arguments, as written and swapped.\n"
             if config.argument_names else "")
    picks = "kinds balanced" if args.pick == "kinds" else "sites drawn uniformly: each kind in proportion to its sites"
    memorised = (f"- Loss per site on fixed windows, without dropout (`--monitor-every` logs it as training goes): before\n"
                 f"  training held-out files {readings[0].held_out:.4f}, training files {readings[0].training:.4f}; at the end "
                 f"{readings[-1].held_out:.4f} and {readings[-1].training:.4f}"
                 f"{f' ({readings[-1].weights})' if readings[-1].weights else ''}.\n"
                 f"  What the gap grew by is what the model learnt of its training files that unseen code does not share.\n"
                 if len(readings) > 1 else "")
    tokens = sum(int(doc.ids.shape[0]) for doc in train_docs)
    bugs = sum(int((doc.labels() >= 0).sum()) for doc in train_docs)
    clean_copies = f"; and {args.clean_versions} unmutated copies" if args.clean_versions else ""
    pointer = ("- Localisation term per injected bug (`--pointer each-bug`): each bug's site against its window's clean\n"
               "  sites and the no-bug slot. The loss per site below is the shipped any-bug loss, for comparison.\n"
               if args.pointer == "each-bug" else "")
    min_sites = "" if config.no_bug_min_sites == 1 else (
        f", counted as at least {config.no_bug_min_sites}: a shorter document gets a prior of a bug in proportion to its sites")
    text = f"""# thea-m2-detector

An M2-BERT (Monarch Mixer) encoder with per-site "keep" and repair heads that finds the bugs
pattern rules cannot see in JavaScript: {", ".join(f"`ml/{k}`" for k in KINDS)}.
Each candidate site chooses between keeping its text and each of its repairs (ELECTRA-style:
every site of a training window is labelled). Pointer-style features (GREAT/BugLab): a site is
scored from the encoder states of its span and boundary tokens, its kind, and the pooled states
of the other uses of its name; a repair from the site, the replacement (operator/marker
embedding) and the pooled uses of a proposed name. A document's localisation is a softmax over
its sites' log-odds and a no-bug slot (a learned bias plus log of the number of sites{min_sites}).
Produced by `thea train` (engine/model/train.py) in {describe_stages(stages)},
training steps on `{args.device}` ({describe_machine(args.device, args.threads)}; {describe_steps(args.compile)}).

## Data
- Real JavaScript from the pinned npm corpus (`{args.corpus}`; manifest `corpus/packages.txt`, lock
  `corpus/files.sha256`; `python -m engine.model.corpus build` rebuilds it byte for byte).
- Whole packages held out: validation {", ".join(VALIDATION_PACKAGES)}; test {", ".join(TEST_PACKAGES)}.
- Files: {len(splits["train"])} training, {len(splits["validation"])} validation, {len(splits["test"])} test.
- Bugs injected at tree-sitter sites ({picks}); a mutant that a recommended pattern rule
  reports, that does not parse, or whose repair cannot be expressed is dropped.
- {len(train_docs)} training documents ({args.versions} mutants per file, about {args.per_kb} bugs per KB, sites
  apart{clean_copies}): {tokens} tokens, {bugs} injected bugs, every other site labelled clean. Each epoch cuts
  fresh windows of {args.train_window} tokens at random offsets.

## Model
- {config.num_hidden_layers} layers, width {config.hidden_size}, GLU width {config.intermediate_size},
  {config.nblocks} Monarch blocks, Hyena filter order {config.hyena_filter_order} (scale {config.hyena_filter_scale} positions), vocabulary {config.vocab_size}
  (byte-level BPE, `tokenizer.json`), context up to {config.max_position_embeddings} tokens.
{mixer}{roles}{names}{peers}- Ensemble of {len(calibration.loc_temperatures)} detection heads over one encoder (initialised apart, trained
  together; one encoder pass serves them all), fp16 safetensors, {weights / 1e6:.1f} MB in all.

## Training
- {args.steps} AdamW steps, peak learning rate {args.lr}, dropout {args.dropout}, ~{args.batch_tokens} tokens per batch,
  seed {args.seed}, {args.threads} CPU threads; warm-up, then one cosine cycle.
{pointer}{memorised}
## Calibration
- Calibration per member (localisation/repair temperature/no-bug offset [offset per kind, in the
  order above]): {temperatures}.
- Confidence = mean over members of P(bug here) x P(best repair) minus {calibration.disagreement_weight} x their
  standard deviation (members that disagree lower it).
- Default threshold {calibration.threshold:.2f}: the lowest at which the alarms on clean validation code
  keep the 95% upper bound of their rate within {args.alarms_per_kloc} per 1,000 lines (never below 0.5).

## Limits
- Trained on injected bugs, not real ones; real bugs look different and are rarer.
- Scope of names is approximated by function nesting; block scoping is ignored.
- One bug per document is assumed by the localisation softmax; training mutants carry about
  {args.per_kb} bugs per KB, so calibration moves the no-bug prior (the offsets above).
- The kind offsets fit the validation split's mix of bug kinds (each injected bug's kind drawn
  evenly): they favour a site of a kind that is rare in its file. Real bugs' mix of kinds is
  unknown and surely differs.
- The ensemble's members share the encoder: their disagreement reflects the heads only, so it
  understates the uncertainty of independently trained models.
- A training window that cuts through a bug's site drops the site and its label (the mutated
  text stays, unlabelled): a little label noise at window edges.
"""
    (directory / CARD_FILE).write_text(text)
