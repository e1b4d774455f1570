"""What a training run's rounding depends on, besides the code and the data.

PyTorch picks CPU kernels by the instruction set it finds (its "CPU capability": AVX2, AVX-512
...), and the BLAS, FFT and oneDNN libraries under it do the same; the number of threads
splits reductions differently. Two machines can then train the same code on the same data to
weights that part after some hundred steps, each run repeating itself bit for bit (measured:
model card, Limits). The description below goes into every run's log and model card, so that a
run that does not reproduce the shipped weights can be told apart from a change in the code.
"""

from __future__ import annotations

import platform
from pathlib import Path

import torch


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name as the kernel reports it (plus "with AMX" where it has Intel's matrix
    units, which oneDNN uses), else what `platform` knows. A virtual machine's name can be as bare
    as "Intel(R) Xeon(R) Processor"."""
    model, amx = "", False
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and not model:
                model = value.strip()
            elif key.strip() == "flags":
                amx = amx or "amx_tile" in value.split()
    except OSError:
        pass
    model = model or platform.processor() or platform.machine() or "unknown CPU"
    return f"{model} with AMX" if amx else model


def describe_machine(device: str, threads: int) -> str:
    """One line: CPU model, PyTorch's CPU kernel level, PyTorch build, threads, and the GPU if used."""
    parts = [cpu_model(), f"kernels {torch.backends.cpu.get_cpu_capability()}", f"PyTorch {torch.__version__}",
             f"{threads} threads"]
    if device.startswith("cuda") and torch.cuda.is_available():
        parts.append(f"GPU {torch.cuda.get_device_name(torch.device(device))}")
    return ", ".join(parts)
