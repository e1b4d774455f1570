"""`thea train` repeats bit for bit on the CPU, which lets it reproduce the shipped checkpoint
rather than a sibling of it.

The hazard measured: the site features gather encoder states by (document, token) index
(`hidden[site_doc, site_start]`), and the backward of such a gather adds into the same rows
with parallel atomic adds on a CPU with 2 threads, in an order that changes from run to run.
Two runs of the shipped recipe drifted apart from step ~100."""

from __future__ import annotations

import pytest
import torch

from engine.model.train import make_reproducible


def _gather_gradients(runs: int) -> set[bytes]:
    torch.manual_seed(0)
    hidden = torch.randn(2, 64, 128, requires_grad=True)  # (b, l, d) encoder states
    # many sites on few tokens: rows added to many times, long enough for both threads to overlap
    site_doc = torch.zeros(100_000, dtype=torch.long)
    site_start = torch.randint(0, 8, (100_000,))
    upstream = torch.randn(100_000, 128)
    found = set()
    for _ in range(runs):
        hidden.grad = None
        (hidden[site_doc, site_start] * upstream).sum().backward()
        found.add(hidden.grad.numpy().tobytes())
    return found


def test_the_site_gathers_backward_repeats_bit_for_bit_under_thea_trains_settings(restore_torch) -> None:  # type: ignore[no-untyped-def]
    make_reproducible(2, "cpu")
    assert not torch.utils.deterministic.fill_uninitialized_memory, "NaN-filling every new tensor costs a fifth of a step"
    assert len(_gather_gradients(20)) == 1


def test_off_a_gpu_deterministic_mode_warns_instead_of_failing(restore_torch) -> None:  # type: ignore[no-untyped-def]
    make_reproducible(1, "cuda")
    assert torch.are_deterministic_algorithms_enabled() and torch.is_deterministic_algorithms_warn_only_enabled()
