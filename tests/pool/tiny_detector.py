"""A tiny detector checkpoint for the pool's tests, built with the real engine/model code.

Until the shipped checkpoint (models/) is present, the pool's tests load this one: a
randomly initialised TheaM2ForBugDetection saved with `save_pretrained` (safetensors) and a
byte-level BPE trained on the programs below, written by engine.model.checkpoint exactly as
the shipped one is. Its findings are meaningless but deterministic, which is what the pool's
tests need: the same document gives the same findings on any actor. The reporting threshold
is 0 so that every candidate site comes back as a finding.
"""

from __future__ import annotations

from pathlib import Path

import torch

from engine.model.checkpoint import Calibration, save_detector
from engine.model.config import TheaM2Config
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.tokenizer import train_tokenizer


def program(seed: int, functions: int = 3) -> str:
    """A small, valid JavaScript program with candidate sites of every kind; different per seed."""
    parts = []
    for index in range(functions):
        n = seed * 31 + index
        parts.append(
            f"function f{n}(a{n}, b{n}, limit) {{\n"
            f"  let total = 0;\n"
            f"  for (let i = 0; i < limit; i++) {{\n"
            f"    if (a{n} <= b{n} && !total) total = total + a{n} - {n % 7};\n"
            f"  }}\n"
            f"  return Math.max(total, b{n} / {n % 5 + 1});\n"
            f"}}\n"
            f"const r{n} = f{n}({n}, {n + 1}, {n % 13});\n"
        )
    return "".join(parts)


def build(directory: Path, hidden: int = 32, layers: int = 2) -> Path:
    torch.manual_seed(0)
    tokenizer = train_tokenizer([program(seed) for seed in range(40)], vocab_size=400)
    config = TheaM2Config(
        vocab_size=tokenizer.get_vocab_size(), hidden_size=hidden, num_hidden_layers=layers,
        intermediate_size=2 * hidden, nblocks=4, hyena_filter_order=16, hidden_dropout_prob=0.0,
    )
    model = TheaM2ForBugDetection(config).eval()
    save_detector(directory, [model], tokenizer, Calibration(threshold=0.0))
    return directory
