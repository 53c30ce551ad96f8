"""The options module evaluates on its own with lib.evalModules, typed and documented."""

from __future__ import annotations

import pytest

from conftest import HOSTS

EVAL_HOST = """
let
  eval = lib.evalModules {{
    modules = [ (repo + "/modules/options.nix") (repo + "/hosts/{host}/aistack.nix") ];
  }};
in eval.config.services.aistack
"""


@pytest.mark.parametrize("host", HOSTS)
def test_host_settings_evaluate(nix_eval, host: str) -> None:
    cfg = nix_eval(EVAL_HOST.format(host=host))
    assert cfg["enable"] is True
    assert cfg["facts"]["hostName"] == host
    # Defaults filled in by the module, not by the host: derived from the facts.
    assert cfg["services"]["coordinator"]["enable"] is True
    assert cfg["tier"] in ("micro", "medium", "large")
    assert cfg["services"]["coordinator"]["settings"]["schema_version"] == 1
    assert cfg["services"]["coordinator"]["apparmorMode"] == "enforce"
    assert cfg["embeddingModel"] is None  # the tier picks it (lib/embeddings.nix)


def test_every_option_is_documented_and_typed(nix_eval) -> None:
    options = nix_eval(
        """
        let
          eval = lib.evalModules { modules = [ (repo + "/modules/options.nix") ]; };
          docs = lib.optionAttrSetToDocList eval.options;
        in
        map (o: { inherit (o) name type; description = o.description or null; })
          (lib.filter (o: lib.hasPrefix "services.aistack" o.name && !(lib.hasInfix "._module." o.name) && (o.visible or true)) docs)
        """
    )
    names = {o["name"] for o in options}
    assert {"services.aistack.enable", "services.aistack.facts", "services.aistack.model"} <= names
    undocumented = [o["name"] for o in options if not o["description"]]
    assert undocumented == []
    untyped = [o["name"] for o in options if o["type"] in ("unspecified value", None)]
    assert untyped == []


def test_wrong_type_is_named(nix_eval) -> None:
    with pytest.raises(RuntimeError) as err:
        nix_eval(
            """
            (lib.evalModules {
              modules = [
                (repo + "/modules/options.nix")
                { services.aistack.facts = { systemRamGb = 8; cpuArchitecture = "sparc"; }; }
              ];
            }).config.services.aistack.facts.cpuArchitecture
            """
        )
    assert "services.aistack.facts.cpuArchitecture" in str(err.value)


def test_nixos_module_maps_plan_onto_options(nix_eval) -> None:
    """The NixOS module, evaluated with stand-in declarations of the NixOS options it
    writes, sets units with mkDefault directives, /etc files and assertions."""
    result = nix_eval(
        """
        let
          # The project's stand-in for the NixOS options the modules write (and a fake pkgs).
          standIn = import (repo + "/checks/nixos-stand-in.nix") { inherit lib; };
          eval = standIn.eval {
            modules = [
              (repo + "/modules/nixos.nix")
              (repo + "/hosts/sbc-minimal/aistack.nix")
              # A host overriding one directive without mkForce.
              { systemd.services.aistack-coordinator.serviceConfig.MemoryMax = "300M"; }
            ];
          };
          c = eval.config;
        in {
          units = lib.attrNames c.systemd.services;
          coordinatorMem = c.systemd.services.aistack-coordinator.serviceConfig.MemoryMax;
          knowledgeMem = c.systemd.services.aistack-knowledge.serviceConfig.MemoryMax;
          dynamicUser = c.systemd.services.aistack-knowledge.serviceConfig.DynamicUser;
          etc = lib.attrNames c.environment.etc;
          redisSocket = c.services.redis.servers.aistack.unixSocket;
          assertionsOk = lib.all (a: a.assertion) c.assertions;
          sockets = lib.mapAttrs (_: s: s.listenStreams) c.systemd.sockets;
          groups = lib.attrNames c.users.groups;
          embeddingsNet = c.systemd.services.aistack-embeddings.serviceConfig.PrivateNetwork or false;
          embeddingsIp = c.systemd.services.aistack-embeddings.serviceConfig.IPAddressAllow;
          embeddingServerExec = c.systemd.services.aistack-llama-embeddings.serviceConfig.ExecStart;
          embeddingsWantedBy = c.systemd.services.aistack-embeddings.wantedBy;
        }
        """
    )
    # The aistack services, plus llama.cpp (modules/llama-cpp.nix) and the unit
    # loading the egress table (modules/firewall.nix).
    assert result["units"] == [
        "aistack-audit",
        "aistack-coordinator",
        "aistack-dashboard",
        "aistack-embeddings",
        "aistack-eval",
        "aistack-firewall",
        "aistack-knowledge",
        "aistack-learn",
        "aistack-llama-embeddings",
        "aistack-secrets",
        "llama-cpp",
    ]
    assert result["coordinatorMem"] == "300M"  # the host's plain assignment won
    assert result["knowledgeMem"] == "512M"  # micro tier default elsewhere
    assert result["dynamicUser"] is True
    assert result["etc"] == [
        "aistack/audit.json",
        "aistack/coordinator.json",
        "aistack/dashboard.json",
        "aistack/embeddings.json",
        "aistack/knowledge.json",
    ]
    assert result["redisSocket"] == "/run/redis-aistack/redis.sock"
    assert result["assertionsOk"] is True
    assert result["sockets"] == {
        "aistack-audit": ["/run/aistack/audit.sock"],
        "aistack-embeddings": ["/run/aistack/embeddings.sock"],
        "aistack-knowledge": ["/run/aistack/knowledge.sock"],
    }
    assert result["groups"] == ["aistack"]
    # A micro board embeds with llama.cpp (torch does not fit 512M): the
    # service reaches that server on loopback, nothing else.
    assert result["embeddingsNet"] is False
    assert result["embeddingsIp"] == ["localhost"]
    assert '"--embeddings" "--pooling" "mean"' in result["embeddingServerExec"]
    assert result["embeddingsWantedBy"] == []


def test_misspelt_fact_is_named(nix_eval) -> None:
    """Facts are declared, not freeform: `systemRamGB` fails instead of leaving
    systemRamGb unset (or at a default) without a word."""
    with pytest.raises(RuntimeError) as err:
        nix_eval(
            """
            (lib.evalModules {
              modules = [
                (repo + "/modules/options.nix")
                { services.aistack.facts = { systemRamGb = 8; systemRamGB = 16; }; }
              ];
            }).config.services.aistack.facts.systemRamGb
            """
        )
    assert "services.aistack.facts.systemRamGB" in str(err.value)
    assert "does not exist" in str(err.value)
