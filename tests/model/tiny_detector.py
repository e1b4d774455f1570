"""A tiny, randomly initialised detector saved as a real checkpoint directory (safetensors,
tokenizer, calibration): real loading code, seconds to build. Shared by the tests that need
a loadable detector without the shipped one."""

from __future__ import annotations

from pathlib import Path

import torch

from engine.model.checkpoint import Calibration, save_detector
from engine.model.config import TheaM2Config
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.tokenizer import train_tokenizer

FUNCTION = "function f{i}(a, b) {{ if (!a) {{ return b - {i}; }} return g(a, b) < a.length; }}\n"


def build_tiny_detector(directory: Path, members: int) -> Path:
    torch.manual_seed(0)
    tokenizer = train_tokenizer([FUNCTION.format(i=i) for i in range(50)], vocab_size=300)
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=16, num_hidden_layers=1,
                          intermediate_size=32, max_position_embeddings=4096, hyena_filter_order=8,
                          ensemble_heads=members)
    models = [TheaM2ForBugDetection(config).eval()]
    calibration = Calibration([1.0] * members, [1.0] * members, [0.0] * members, threshold=0.0, context_length=4096)
    save_detector(directory, models, tokenizer, calibration)
    return directory
