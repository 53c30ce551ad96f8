"""Domain query expansion: NixOS and AI-inference vocabulary (pure).

A user asks about "the flake" or "quantization"; the documents say
``flake.nix``, ``inputs``, ``follows``, ``GGUF``, ``Q4_K_M``. Expansion adds
those terms to the query's BM25 side (the dense side keeps the user's words,
which the embedding model already generalises). Terms are matched as whole
words, case-insensitively, singular or plural.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DOMAIN_VOCABULARY: Mapping[str, tuple[str, ...]] = {
    # NixOS and Nix
    "flake": ("flake.nix", "inputs", "outputs", "follows", "lock", "flake.lock"),
    "module": ("options", "config", "imports", "mkOption", "mkIf", "nixosModules"),
    "derivation": ("mkDerivation", "stdenv", "buildInputs", "drv", "store path", "build"),
    "overlay": ("overlays", "final", "prev", "override", "overrideAttrs"),
    "nixpkgs": ("pkgs", "channel", "nixos-unstable", "lib"),
    "generation": ("rollback", "nixos-rebuild", "switch", "boot entry"),
    "garbage": ("nix-collect-garbage", "gc", "store", "roots"),
    "home-manager": ("home.nix", "user environment", "dotfiles"),
    "secret": ("agenix", "sops-nix", "LoadCredential", "credentials"),
    # systemd, sandboxing, firewall
    "sandbox": ("ProtectSystem", "PrivateTmp", "NoNewPrivileges", "hardening", "namespace"),
    "hardening": ("ProtectSystem", "ProtectHome", "CapabilityBoundingSet", "SystemCallFilter"),
    "timer": ("OnCalendar", "OnBootSec", "Persistent", "RandomizedDelaySec", "schedule"),
    "schedule": ("OnCalendar", "timer", "calendar", "cron"),
    "cron": ("OnCalendar", "timer", "calendar"),
    "memory": ("MemoryMax", "MemoryHigh", "RAM", "limit"),
    "cpu": ("CPUQuota", "CPUWeight", "AllowedCPUs", "threads"),
    "restart": ("Restart", "RestartSec", "on-failure", "StartLimitBurst"),
    "socket": ("ListenStream", "Accept", "activation", "sockets"),
    "firewall": ("nftables", "nft", "chain", "rule", "accept", "drop", "iptables"),
    "apparmor": ("profile", "confinement", "complain", "enforce", "apparmor_parser"),
    "network": ("PrivateNetwork", "IPAddressDeny", "IPAddressAllow", "RestrictAddressFamilies"),
    "user": ("User", "DynamicUser", "Group", "uid"),
    "environment": ("Environment", "EnvironmentFile", "variables"),
    "log": ("journal", "StandardOutput", "StandardError", "journald", "logging"),
    # AI inference
    "quantization": ("GGUF", "Q4_K_M", "Q8_0", "IQ2_M", "bits-per-weight", "quantized"),
    "quantize": ("GGUF", "Q4_K_M", "Q8_0", "quantization"),
    "inference": ("llama.cpp", "llama-server", "tokens per second", "context", "batch"),
    "embedding": ("vector", "embeddings", "dimensions", "cosine", "sentence-transformers"),
    "model": ("GGUF", "weights", "parameters", "checkpoint"),
    "context": ("context length", "n_ctx", "tokens", "window", "KV cache"),
    "gpu": ("CUDA", "ROCm", "Vulkan", "offload", "n-gpu-layers", "VRAM"),
    "offload": ("n-gpu-layers", "GPU", "layers", "VRAM"),
    "rag": ("retrieval", "knowledge base", "chunks", "embeddings", "context"),
    "retrieval": ("search", "RAG", "BM25", "hybrid", "rerank"),
    "token": ("tokenizer", "tokens", "vocabulary", "context"),
    "prompt": ("system prompt", "template", "chat template", "instructions"),
    "llm": ("language model", "llama.cpp", "GGUF", "inference"),
    "vram": ("GPU memory", "offload", "n-gpu-layers"),
}

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]*")


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            return base
    return word


def expansion_terms(
    query: str, vocabulary: Mapping[str, tuple[str, ...]] = DOMAIN_VOCABULARY
) -> list[str]:
    """Terms to add for ``query``: each vocabulary entry whose key the query mentions,
    minus words the query already has, in vocabulary order, without repeats."""
    words = {w.lower() for w in _WORD.findall(query)}
    stems = {_stem(w) for w in words} | words
    added: list[str] = []
    for key, terms in vocabulary.items():
        if key in stems or _stem(key) in stems:
            for term in terms:
                if term.lower() not in words and term not in added:
                    added.append(term)
    return added


def expand_query(query: str, vocabulary: Mapping[str, tuple[str, ...]] = DOMAIN_VOCABULARY) -> str:
    """``query`` followed by its expansion terms (unchanged when none apply)."""
    extra = expansion_terms(query, vocabulary)
    return f"{query} {' '.join(extra)}" if extra else query
