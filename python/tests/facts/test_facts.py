"""`aistack facts`: detection parsers on recorded /proc and /sys contents, and the
real command's output evaluated by Nix into a tier."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from aistack.facts.detect import (
    best_gpu,
    classify_gpu,
    cpu_vendor_from_cpuinfo,
    normalise_arch,
    ram_gb,
    read_gpus,
)

GIB = 1024**3


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (int(7.6 * GIB), 8),
        (int(3.7 * GIB), 4),
        (int(1.8 * GIB), 2),
        (27 * GIB, 27),
        (int(26.96 * GIB), 27),
        (GIB // 2, 1),
    ],
)
def test_ram_rounds_up_to_nominal(total: int, expected: int) -> None:
    assert ram_gb(total) == expected


def test_arch_aliases() -> None:
    assert [normalise_arch(m) for m in ("x86_64", "arm64", "aarch64", "AMD64")] == [
        "x86_64",
        "aarch64",
        "aarch64",
        "x86_64",
    ]


def test_cpu_vendor() -> None:
    assert cpu_vendor_from_cpuinfo("processor\t: 0\nvendor_id\t: AuthenticAMD\n") == "amd"
    assert cpu_vendor_from_cpuinfo("processor\t: 0\nvendor_id\t: GenuineIntel\n") == "intel"
    assert cpu_vendor_from_cpuinfo("processor\t: 0\nCPU implementer\t: 0x41\n") == "arm"
    assert cpu_vendor_from_cpuinfo("") == "unknown"


def test_gpu_classification() -> None:
    assert classify_gpu("0x10de", 24 * GIB).discrete
    apu = classify_gpu("0x1002", 512 * 1024**2)
    assert (apu.vendor, apu.discrete, apu.vram_bytes) == ("amd", False, 0)
    assert classify_gpu("0x1002", 16 * GIB).discrete
    assert not classify_gpu("0x8086", 0, "0x46a6").discrete
    assert classify_gpu("0x8086", 8 * GIB, "0x56a0").discrete
    assert classify_gpu("0x1af4", 0) is None  # virtio GPU: nothing llama.cpp uses


def _card(root: Path, name: str, vendor: str, vram: int | None = None) -> None:
    device = root / name / "device"
    device.mkdir(parents=True)
    (device / "vendor").write_text(vendor + "\n")
    (device / "device").write_text("0x0000\n")
    if vram is not None:
        (device / "mem_info_vram_total").write_text(f"{vram}\n")


def test_read_gpus_prefers_the_discrete_card(tmp_path: Path) -> None:
    _card(tmp_path, "card0", "0x1002", 512 * 1024**2)  # laptop APU
    _card(tmp_path, "card1", "0x1002", 8 * GIB)  # discrete Radeon
    (tmp_path / "card0-eDP-1").mkdir()  # a connector, not a card
    gpus = read_gpus(tmp_path)
    assert len(gpus) == 2
    best = best_gpu(gpus)
    assert (best.vendor, best.discrete, best.vram_bytes) == ("amd", True, 8 * GIB)
    assert best_gpu([]) is None


def test_command_prints_facts_that_nix_turns_into_a_tier(tmp_path: Path, nix_eval) -> None:
    proc = subprocess.run(["aistack", "facts"], capture_output=True, text=True, check=True)
    facts = tmp_path / "facts.nix"
    facts.write_text(proc.stdout)
    result = nix_eval(
        f'let f = import {facts}; in {{ inherit f; tier = (import (repo + "/lib") {{ inherit lib; }}).hardwareTier f; }}'
    )
    assert result["tier"] in ["nano", "micro", "small", "medium", "large"]
    assert result["f"]["systemRamGb"] >= 1
    assert result["f"]["cpuArchitecture"] in ["x86_64", "aarch64", "armv7l", "riscv64"]
