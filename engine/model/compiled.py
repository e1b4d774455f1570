"""Training steps with the encoder compiled by torch.compile (TorchInductor's C++ kernels).

At width 128 an eager training step is mostly small elementwise kernels over (b, l, d) tensors
(the gates, the short convolution's shifted multiply-adds, GELU, the residuals, each with its own
pass over memory and its own backward): on 2 cores `aten::mul`, `copy_`, `fill_` and `add` are
about half of the encoder's time. Inductor fuses them. Measured on the encoder alone (4 layers,
width 128, 8 x 512 tokens, forward and backward): 336 ms eager, 202 ms compiled. A whole training
step (heads, loss and optimizer stay as they were) went from 0.47-0.60 s to 0.39-0.46 s.

What stays eager: the FFT long convolution (`fft_long_conv` is excluded from compilation: Inductor
generates no code for complex arithmetic, and its FFT size is chosen in Python from the length),
the detection heads (their shapes follow the number of sites in each batch), calibration and
inference (a command-line check cannot wait for a compile). Shapes are dynamic: windows of any
length and batches of any size reuse the same kernels, so a run compiles a handful of times,
about a minute in all.

The compiled kernels round differently from the eager ones (within 2e-6 on the encoder's
output), so a compiled run and an eager run of the same recipe train sibling weights; each
repeats itself on the same machine. Compiling needs a C++ compiler on the PATH.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from engine.model.modeling import TheaM2ForBugDetection


def wanted_compiler() -> str:
    """The C++ compiler Inductor runs on Linux: $CXX, else g++ (torch._inductor.config.cpp.cxx)."""
    return os.environ.get("CXX", "g++")


def cxx_compiler() -> str | None:
    """Where that compiler is, or None when it is not there (Inductor would then fail at the first step)."""
    return shutil.which(wanted_compiler())


@contextmanager
def compiled_encoder(model: TheaM2ForBugDetection) -> Iterator[None]:
    """Within the block, `model`'s encoder runs compiled; afterwards it is the plain module again
    (its parameters and state dict are never wrapped or renamed)."""
    encoder = model.m2
    encoder.forward = torch.compile(encoder.forward, dynamic=True)  # an instance attribute shadows the method
    try:
        yield
    finally:
        del encoder.forward


def describe_steps(compile: bool) -> str:
    """How the training steps run, for the log and the model card."""
    if compile:
        return f"encoder compiled by torch.compile (C++ compiler {cxx_compiler()})"
    return "eager (a compiled run of the same recipe steps about a fifth faster and trains sibling weights)"
