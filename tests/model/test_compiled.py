"""Training steps with the encoder compiled (engine/model/compiled.py): the same gradients as
eager to rounding, bit-for-bit repeatable, any window length or batch size, and the module plain
again afterwards. Needs a C++ compiler, as torch.compile does."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from engine.model import train
from engine.model.compiled import compiled_encoder, cxx_compiler
from engine.model.config import TheaM2Config
from engine.model.modeling import TheaM2ForBugDetection

needs_compiler = pytest.mark.skipif(cxx_compiler() is None, reason="torch.compile needs a C++ compiler")

TINY = dict(vocab_size=64, hidden_size=16, num_hidden_layers=2, intermediate_size=32, nblocks=4,
            max_position_embeddings=128, hyena_filter_order=8, hyena_filter_scale=32,
            hidden_dropout_prob=0.0)  # as the shipped recipe: compiled dropout draws other masks than eager


def _gradients(model: TheaM2ForBugDetection, batch: int, length: int) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(batch * 1000 + length)
    ids = torch.randint(1, 64, (batch, length), generator=generator)
    mask = torch.ones(batch, length, dtype=torch.long)
    mask[0, length // 2:] = 0  # a padded row, as in a length-bucketed batch
    model.zero_grad()
    hidden = model.m2(ids, mask)  # (b, l, d)
    (hidden * torch.linspace(-1, 1, hidden.shape[-1])).pow(2).mean().backward()
    return {name: p.grad.clone() for name, p in model.m2.named_parameters() if p.grad is not None}


@needs_compiler
def test_compiled_steps_match_eager_and_repeat_themselves() -> None:
    torch.manual_seed(0)
    model = TheaM2ForBugDetection(TheaM2Config(**TINY)).train()
    names = list(model.state_dict())
    shapes = [(2, 40), (3, 17), (5, 64)]  # lengths and batch sizes vary from batch to batch in training
    eager = [_gradients(model, *shape) for shape in shapes]
    with compiled_encoder(model):
        compiled = [_gradients(model, *shape) for shape in shapes]
        again = [_gradients(model, *shape) for shape in shapes]
    for plain, fused, repeated in zip(eager, compiled, again):
        assert plain.keys() == fused.keys() and len(plain) > 10
        for name in plain:
            torch.testing.assert_close(fused[name], plain[name], rtol=1e-4, atol=1e-6)
            assert torch.equal(fused[name], repeated[name]), f"{name}: a compiled step does not repeat itself"
    assert "forward" not in vars(model.m2), "after the block the encoder is the plain module again"
    assert list(model.state_dict()) == names, "compiling renames no parameter"


def test_compile_without_a_compiler_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "corpus" / "some-package").mkdir(parents=True)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        train.main(["--corpus", str(tmp_path / "corpus"), "--out", str(out), "--compile"])
    assert exited.value.code == 2
    assert "--compile: no C++ compiler on the PATH" in capsys.readouterr().err
    assert not out.exists() and not out.with_name("out.partial").exists()


def test_the_compiler_looked_for_is_the_one_inductor_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inductor runs $CXX, else g++, and nothing else: another compiler on the PATH does not count."""
    monkeypatch.setenv("CXX", "no-such-compiler-here")
    assert cxx_compiler() is None
