"""Hardware facts from /proc and /sys, as a ``facts.nix`` the lib understands.

Parsing is pure (functions of file contents) and reading is at the edge
(:func:`detect`), so the parsers are tested on recorded contents.
"""

from __future__ import annotations

import math
import platform
import socket
from dataclasses import dataclass
from pathlib import Path

# PCI vendor ids of GPU makers, as /sys/class/drm/card*/device/vendor shows them.
PCI_VENDORS = {"0x10de": "nvidia", "0x1002": "amd", "0x8086": "intel"}

# amdgpu reports a VRAM carve-out for APUs too; below this it is an iGPU.
AMD_DISCRETE_MIN_VRAM_BYTES = 4 * 1024**3

# uname -m spellings folded onto the architectures the lib knows.
ARCH_ALIASES = {"amd64": "x86_64", "arm64": "aarch64", "armv8l": "aarch64", "armv7": "armv7l"}

GIB = 1024**3


@dataclass(frozen=True)
class Gpu:
    """One DRM card's vendor, VRAM and whether it is a discrete part."""

    vendor: str
    vram_bytes: int
    discrete: bool


@dataclass(frozen=True)
class Facts:
    """The facts a host's facts.nix carries."""

    host_name: str
    system_ram_gb: int
    cpu_architecture: str
    cpu_cores: int
    cpu_vendor: str
    has_discrete_gpu: bool
    gpu_vendor: str
    gpu_vram_gb: int


def ram_gb(total_bytes: int) -> int:
    """Installed RAM in whole GB, rounded up: the kernel reserves some, and a
    board sold as 8 GB reports about 7.6."""
    return max(1, math.ceil(total_bytes / GIB - 0.05))


def normalise_arch(machine: str) -> str:
    """``uname -m`` output folded onto x86_64 / aarch64 / armv7l / riscv64."""
    machine = machine.strip().lower()
    return ARCH_ALIASES.get(machine, machine)


def cpu_vendor_from_cpuinfo(text: str) -> str:
    """The CPU vendor from /proc/cpuinfo (x86 ``vendor_id``, ARM ``CPU implementer``)."""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "vendor_id":
            return {"GenuineIntel": "intel", "AuthenticAMD": "amd"}.get(
                value, value.lower() or "unknown"
            )
        if key == "CPU implementer":
            return {"0x41": "arm", "0x61": "apple", "0x51": "qualcomm", "0x48": "hisilicon"}.get(
                value, "arm"
            )
    return "unknown"


def classify_gpu(vendor_id: str, vram_bytes: int, device_id: str = "") -> Gpu | None:
    """A GPU from its PCI vendor id and VRAM; ``None`` for vendors we do not use."""
    vendor = PCI_VENDORS.get(vendor_id.strip().lower())
    if vendor is None:
        return None
    if vendor == "nvidia":
        discrete = True
    elif vendor == "amd":
        discrete = vram_bytes >= AMD_DISCRETE_MIN_VRAM_BYTES
    else:
        # Intel Arc (device ids 0x56xx) is discrete; everything else Intel is integrated.
        discrete = device_id.strip().lower().startswith("0x56")
    return Gpu(vendor, vram_bytes if discrete else 0, discrete)


def read_gpus(drm_root: Path) -> list[Gpu]:
    """Every GPU under a /sys/class/drm-shaped directory."""
    gpus = []
    for card in sorted(drm_root.glob("card[0-9]*")):
        device = card / "device"
        if "-" in card.name or not (device / "vendor").is_file():
            continue  # connectors (card0-HDMI-A-1) are not cards

        def read(name: str, device: Path = device) -> str:
            try:
                return (device / name).read_text().strip()
            except OSError:
                return ""

        vram = read("mem_info_vram_total")
        gpu = classify_gpu(read("vendor"), int(vram) if vram.isdigit() else 0, read("device"))
        if gpu is not None:
            gpus.append(gpu)
    return gpus


def best_gpu(gpus: list[Gpu]) -> Gpu | None:
    """The GPU llama.cpp should use: a discrete one with the most VRAM first."""
    return max(gpus, key=lambda g: (g.discrete, g.vram_bytes), default=None)


def detect(proc: Path = Path("/proc"), drm: Path = Path("/sys/class/drm")) -> Facts:
    """This machine's facts."""
    import psutil

    try:
        cpuinfo = (proc / "cpuinfo").read_text()
    except OSError:
        cpuinfo = ""
    gpu = best_gpu(read_gpus(drm))
    return Facts(
        host_name=socket.gethostname().split(".")[0] or "nixos",
        system_ram_gb=ram_gb(psutil.virtual_memory().total),
        cpu_architecture=normalise_arch(platform.machine()),
        cpu_cores=psutil.cpu_count(logical=False) or psutil.cpu_count() or 1,
        cpu_vendor=cpu_vendor_from_cpuinfo(cpuinfo),
        has_discrete_gpu=bool(gpu and gpu.discrete),
        gpu_vendor=gpu.vendor if gpu else "none",
        gpu_vram_gb=round(gpu.vram_bytes / GIB) if gpu else 0,
    )


def facts_fields(facts: Facts) -> dict[str, str | int | bool]:
    """The facts under the names facts.nix (and the Nix lib) use."""
    return {
        "hostName": facts.host_name,
        "systemRamGb": facts.system_ram_gb,
        "cpuArchitecture": facts.cpu_architecture,
        "cpuCores": facts.cpu_cores,
        "cpuVendor": facts.cpu_vendor,
        "hasDiscreteGpu": facts.has_discrete_gpu,
        "gpuVendor": facts.gpu_vendor,
        "gpuVramGb": facts.gpu_vram_gb,
    }


def _nix_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${")
    return f'"{escaped}"'


def to_facts_nix(facts: Facts) -> str:
    """The text of a facts.nix for ``facts``."""
    body = "\n".join(f"  {k} = {_nix_value(v)};" for k, v in facts_fields(facts).items())
    header = "# Hardware facts of this host, detected by `aistack facts`; edit freely."
    return f"{header}\n{{\n{body}\n}}\n"
