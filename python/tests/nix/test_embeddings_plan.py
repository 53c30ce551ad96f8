"""The plan's embeddings backend per tier (lib/embeddings.nix): a backend that
fits the tier's MemoryMax, the reason in the plan, and the llama.cpp
embedding server unit exactly where that backend is chosen."""

from __future__ import annotations

import shlex

import pytest

TIERS = ("nano", "micro", "small", "medium", "large")


@pytest.fixture(scope="module")
def selections(nix_eval) -> dict:
    return nix_eval(
        """
        let a = import (repo + "/lib") { inherit lib; };
        in lib.genAttrs [ "nano" "micro" "small" "medium" "large" ] (tier:
          let s = a.selectEmbedding { inherit tier; };
          in { inherit (s) backend reason warnings memoryMax; model = s.model.id; })
        """
    )


def test_torch_only_where_it_fits_memory_max(selections: dict) -> None:
    backends = {tier: selections[tier]["backend"] for tier in TIERS}
    assert backends == {
        "nano": "llama-cpp",
        "micro": "llama-cpp",
        "small": "sentence-transformers",
        "medium": "sentence-transformers",
        "large": "sentence-transformers",
    }
    assert selections["micro"]["model"] == "nomic-embed-text-v1.5-q8_0"
    assert selections["small"]["model"] == "all-minilm-l6-v2"
    assert all(selections[t]["warnings"] == [] for t in TIERS)


def test_the_reason_names_the_figures(selections: dict) -> None:
    micro = selections["micro"]["reason"]
    assert "MemoryMax=512M" in micro and "690 MiB" in micro and "its own unit" in micro
    assert "within this small tier's MemoryMax=1G" in selections["small"]["reason"]


def test_an_explicit_model_decides_the_backend_and_warns_when_it_cannot_fit(nix_eval) -> None:
    result = nix_eval(
        """
        let a = import (repo + "/lib") { inherit lib; };
            gguf = a.selectEmbedding { tier = "large"; model = "nomic-embed-text-v1.5-q8_0"; };
            torch = a.selectEmbedding { tier = "micro"; model = "all-minilm-l6-v2"; };
        in { g = gguf.backend; t = torch.backend; w = torch.warnings; gw = gguf.warnings; }
        """
    )
    assert result["g"] == "llama-cpp" and result["gw"] == []
    assert result["t"] == "sentence-transformers"
    assert len(result["w"]) == 1 and "systemd will kill it" in result["w"][0]


def test_plans_carry_the_backend_and_its_unit(nix_eval) -> None:
    result = nix_eval(
        """
        let
          a = import (repo + "/lib") { inherit lib; };
          sbc = a.mkPlan { settings = { facts = import (repo + "/hosts/sbc-minimal/facts.nix"); }; };
          laptop = a.mkPlan { settings = { facts = import (repo + "/hosts/laptop/facts.nix"); }; };
          summary = p: {
            inherit (p.embeddings) backend backendReason;
            server = if p.embeddings.server == null then null else {
              inherit (p.embeddings.server) unit memoryMax;
              exec = p.embeddings.server.serviceConfig.ExecStart;
            };
            units = lib.attrNames p.units;
            network = p.services.embeddings.network.mode;
            config = p.services.embeddings.config;
            wx = p.services.embeddings.serviceConfig.MemoryDenyWriteExecute;
            servicesGb = p.hostTuning.ramBudget.servicesGb;
          };
        in { sbc = summary sbc; laptop = summary laptop; }
        """
    )
    sbc, laptop = result["sbc"], result["laptop"]
    assert sbc["backend"] == "llama-cpp" and "512M" in sbc["backendReason"]
    assert sbc["server"]["unit"] == "aistack-llama-embeddings"
    assert "aistack-llama-embeddings" in sbc["units"]
    exec_start = sbc["server"]["exec"]
    argv = " ".join(shlex.split(exec_start))  # ExecStart quotes each argument
    assert "--embeddings --pooling mean" in argv and "--host 127.0.0.1 --port 8081" in argv
    assert "nomic-embed-text-v1.5.Q8_0.gguf" in argv
    # The service is then a thin client: loopback to llama.cpp, no torch relaxations.
    assert sbc["network"] == "loopback" and sbc["wx"] is True
    assert sbc["config"]["upstreams"]["llama_cpp"] == {
        "kind": "tcp",
        "host": "127.0.0.1",
        "port": 8081,
    }
    assert sbc["config"]["model"]["format"] == "gguf"
    assert sbc["config"]["model"]["weights_sha256"]
    # A text always fits a llama.cpp slot (4096 tokens, each >= 1 byte).
    assert sbc["config"]["max_input_bytes"] < 4096

    assert laptop["backend"] == "sentence-transformers" and laptop["server"] is None
    assert "aistack-llama-embeddings" not in laptop["units"]
    assert laptop["network"] == "none" and laptop["wx"] is False
    assert laptop["config"]["upstreams"]["llama_cpp"] is None
    assert laptop["config"]["threads"] == 2  # a quarter of the laptop's 8 cores


def test_the_embedding_servers_memory_counts_in_the_ram_budget(nix_eval) -> None:
    result = nix_eval(
        """
        let
          a = import (repo + "/lib") { inherit lib; };
          facts = import (repo + "/hosts/sbc-minimal/facts.nix");
          with_ = a.mkPlan { settings = { inherit facts; }; };
          without = a.mkPlan { settings = { inherit facts; embeddingModel = "all-minilm-l6-v2"; }; };
        in { w = with_.hostTuning.ramBudget.servicesGb; wo = without.hostTuning.ramBudget.servicesGb; }
        """
    )
    # 495M for the llama.cpp embedding server on top of the same services.
    assert result["w"] == pytest.approx(result["wo"] + 495 / 1024, abs=1e-3)
