"""Moving averages of the weights during `thea train` (engine/model/weight_average.py): their
arithmetic, that they leave the training untouched, and that the run keeps whichever weights
read best held out."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine.model import train
from engine.model.config import TheaM2Config
from engine.model.features import collate
from engine.model.modeling import TheaM2ForBugDetection
from engine.model.monitor import LossMonitor
from engine.model.scoring import loss
from engine.model.tokenizer import train_tokenizer
from engine.model.weight_average import WeightAverages
from tests.model.test_monitor import HELD_OUT, TRAINING, _mutants


def test_each_average_weighs_the_steps_by_its_decay_from_the_first_update_on() -> None:
    layer = nn.Linear(1, 1, bias=False)
    averages = WeightAverages(layer, [0.5, 0.9])
    with pytest.raises(ValueError, match="no weights averaged yet"):
        averages.load(0.5)
    values = [1.0, 2.0, 4.0, 8.0]
    for value in values:
        with torch.no_grad():
            layer.weight.fill_(value)
        averages.update()
    expected = {}
    for decay in (0.5, 0.9):
        weights = [decay ** (len(values) - 1 - s) for s in range(len(values))]  # the latest step weighs most
        expected[decay] = sum(w * v for w, v in zip(weights, values)) / sum(weights)
        with averages.swapped_in(decay):
            assert float(layer.weight.detach()) == pytest.approx(expected[decay], rel=1e-6)
    assert float(layer.weight.detach()) == 8.0, "the model's own weights come back after the block"
    averages.load(0.9)
    assert float(layer.weight.detach()) == pytest.approx(expected[0.9], rel=1e-6)


@pytest.mark.parametrize("decays", [[], [0.0], [1.0], [0.9, 1.5]])
def test_decays_outside_zero_to_one_are_refused(decays: list[float]) -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        WeightAverages(nn.Linear(1, 1), decays)


@pytest.mark.parametrize("text", ["1", "0", "-0.5", "nan", "x"])
def test_the_command_line_refuses_decays_outside_zero_to_one(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        train.build_parser().parse_args(["--average-decays", "0.999", text])
    assert raised.value.code == 2
    assert "--average-decays" in capsys.readouterr().err


def _tiny_detector_and_data():  # type: ignore[no-untyped-def]
    tokenizer = train_tokenizer((TRAINING + HELD_OUT) * 5, vocab_size=300)
    config = TheaM2Config(vocab_size=tokenizer.get_vocab_size(), hidden_size=32, num_hidden_layers=2, intermediate_size=64,
                          max_position_embeddings=256, hyena_filter_order=16)
    return config, _mutants(tokenizer, TRAINING), _mutants(tokenizer, HELD_OUT)


def _train(model: TheaM2ForBugDetection, docs, steps: int, averages: WeightAverages | None) -> None:  # type: ignore[no-untyped-def]
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    batch = collate(docs)
    torch.manual_seed(1)  # the same dropout masks for each run
    for _ in range(steps):
        value = loss(model(batch.input_ids, batch.attention_mask, batch.sites), batch)
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
        if averages is not None:
            averages.update()


@pytest.mark.usefixtures("restore_torch")
def test_averaging_leaves_the_training_exactly_as_without_it() -> None:
    train.make_reproducible(2, "cpu")  # as `thea train` runs: deterministic, so two runs can compare
    config, training, _ = _tiny_detector_and_data()
    torch.manual_seed(0)
    plain = TheaM2ForBugDetection(config)
    torch.manual_seed(0)
    averaged = TheaM2ForBugDetection(config)
    averages = WeightAverages(averaged, [0.9, 0.99])
    _train(plain, training, 20, None)
    _train(averaged, training, 20, averages)
    for (name, a), b in zip(plain.named_parameters(), averaged.parameters()):
        assert torch.equal(a, b), name
    with averages.swapped_in(0.9):
        assert any(not torch.equal(a, b) for a, b in zip(plain.parameters(), averaged.parameters()))
    for a, b in zip(plain.parameters(), averaged.parameters()):
        assert torch.equal(a, b), "swapping an average in and out restores the weights bit for bit"


@pytest.mark.usefixtures("restore_torch")
def test_the_run_keeps_whichever_weights_read_best_held_out() -> None:
    train.make_reproducible(2, "cpu")
    config, training, held_out = _tiny_detector_and_data()
    torch.manual_seed(0)
    model = TheaM2ForBugDetection(config)
    averages = WeightAverages(model, [0.5, 0.9])
    _train(model, training, 20, averages)
    monitor = LossMonitor(held_out, training, batch_tokens=4096, seed=0)
    last = monitor.read(model, 20, "cpu")
    candidates = [last.held_out]
    for decay in averages.decays:
        with averages.swapped_in(decay):
            candidates.append(monitor.measure(model, 20, "cpu").held_out)
    assert len(set(candidates)) == len(candidates), "the averages differ from the last step and each other"

    train.keep_best_average(model, averages, monitor, 20, "cpu")
    kept = monitor.readings[-1]
    assert kept.held_out == min(candidates)
    assert monitor.measure(model, 20, "cpu").held_out == kept.held_out, "the model now holds the kept weights"
    assert (kept.weights == "") == (kept is last), "an average kept is named in the reading (and the model card)"
