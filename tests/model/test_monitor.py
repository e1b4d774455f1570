"""The loss monitor of `thea train`: per-site losses of held-out and training windows, read
without dropout and without touching the training's random stream."""

from __future__ import annotations

import math

import torch

from engine.model.config import TheaM2Config
from engine.model.features import collate, featurize
from engine.model.inject import inject_many
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.monitor import LossMonitor
from engine.model.scoring import loss
from engine.model.sites import find_sites
from engine.model.tokenizer import encode, marker_ids, train_tokenizer
from engine.parse import Source, parse

TRAINING = [
    "function area(width, height) { return width * height - 1; }\n",
    "function pick(list, index) { if (index < list.length) { return list[index]; } return null; }\n",
]
HELD_OUT = ["function ratio(total, part) { if (part > total) { return 1; } return part / total; }\n"]


def _mutants(tokenizer, codes):  # type: ignore[no-untyped-def]
    markers = marker_ids(tokenizer)
    docs = []
    for code in codes:
        source = Source(code)
        sites = find_sites(parse(source))
        mutant = inject_many(source, [(sites[1], sites[1].repairs[0])], None, None)
        assert mutant is not None
        docs.append(featurize(encode(tokenizer, mutant.source), mutant.sites, markers, targets=mutant.targets))
    return docs


def test_memorising_the_training_files_opens_the_gap_and_the_training_stream_is_untouched() -> None:
    torch.manual_seed(0)
    tokenizer = train_tokenizer((TRAINING + HELD_OUT) * 5, vocab_size=300)
    training, held_out = _mutants(tokenizer, TRAINING), _mutants(tokenizer, HELD_OUT)
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=2, intermediate_size=64,
                          max_position_embeddings=256, hyena_filter_order=16, hidden_dropout_prob=0.5)
    model = TheaM2ForBugDetection(config)
    monitor = LossMonitor(held_out, training, batch_tokens=4096, seed=0)
    first = monitor.read(model, 0, "cpu")
    assert model.training, "the monitor puts the model back in training mode"
    assert math.isfinite(first.held_out) and math.isfinite(first.training)
    assert monitor.read(model, 0, "cpu") == first, "no dropout while reading: the same model reads the same"

    state = torch.get_rng_state()
    monitor.read(model, 0, "cpu")
    assert torch.equal(state, torch.get_rng_state()), "reading draws nothing from the training's random stream"

    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    batch = collate(training)
    for _ in range(150):  # memorise the training files
        value = loss(model(batch.input_ids, batch.attention_mask, batch.sites), batch)
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
    last = monitor.read(model, 150, "cpu")
    assert last.training < 0.5 * first.training
    assert last.held_out - last.training > first.held_out - first.training
    assert [r.step for r in monitor.readings] == [0, 0, 0, 150]
    assert "held-out" in last.describe() and "gap" in last.describe()
