"""Save a detector model, load it back through `from_pretrained` (safetensors only) and check
that it scores a batch as before: shared by the tests of each optional model input."""

from __future__ import annotations

from pathlib import Path

import torch

from engine.model.config import TheaM2Config
from engine.model.features import Batch
from engine.model.modeling import Logits, TheaM2ForBugDetection


def assert_round_trips(model: TheaM2ForBugDetection, batch: Batch, before: Logits, directory: Path) -> TheaM2Config:
    """`before`: the first member's logits on `batch` before saving. Returns the loaded config."""
    model.save_pretrained(directory)
    loaded = TheaM2ForBugDetection.from_pretrained(directory, use_safetensors=True).eval()
    with torch.no_grad():
        again = loaded(batch.input_ids, batch.attention_mask, batch.sites)[0]
    for x, y in zip(before, again):
        torch.testing.assert_close(x, y)
    return loaded.config
