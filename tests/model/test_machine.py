"""The machine description written into each training run's log and model card."""

from __future__ import annotations

from pathlib import Path

import torch

from engine.model.machine import cpu_model, describe_machine

_CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu vme avx2 avx512f amx_bf16 amx_tile
processor\t: 1
model name\t: Intel(R) Xeon(R) Platinum 8480+
"""


def test_cpu_model_is_read_from_cpuinfo_with_its_matrix_units(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(_CPUINFO)
    assert cpu_model(cpuinfo) == "Intel(R) Xeon(R) Platinum 8480+ with AMX"
    cpuinfo.write_text(_CPUINFO.replace(" amx_bf16 amx_tile", ""))
    assert cpu_model(cpuinfo) == "Intel(R) Xeon(R) Platinum 8480+"


def test_cpu_model_without_cpuinfo_still_names_something(tmp_path: Path) -> None:
    assert cpu_model(tmp_path / "missing")


def test_machine_description_names_the_kernels_the_build_and_the_threads() -> None:
    described = describe_machine("cpu", 2)
    assert f"kernels {torch.backends.cpu.get_cpu_capability()}" in described
    assert f"PyTorch {torch.__version__}" in described
    assert described.endswith("2 threads")
