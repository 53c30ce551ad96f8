"""modules/monitoring.nix evaluated with lib.evalModules for every example host,
with loose stand-in declarations of the NixOS options it writes (the values are
what is checked; the real option names were read in nixpkgs, see the module)."""

from __future__ import annotations

import json

import pytest
from monitoring_helpers import DASHBOARD_FILE, RULES_FILE, load_dashboard
from test_dashboard import DATASOURCE_UID

from conftest import HOSTS

EVAL = """
let
  freeform = lib.mkOption {{
    type = lib.types.submodule {{ freeformType = lib.types.attrsOf lib.types.anything; }};
    default = {{ }};
  }};
  standIn = {{ config, ... }}: {{
    options = {{
      services.aistack.plan = lib.mkOption {{ type = lib.types.attrsOf lib.types.anything; }};
      services.prometheus = freeform;
      services.open-webui = freeform;
      services.grafana = lib.mkOption {{
        type = lib.types.submodule {{
          freeformType = lib.types.attrsOf lib.types.anything;
          options.dataDir = lib.mkOption {{ type = lib.types.str; default = "/var/lib/grafana"; }};
        }};
        default = {{ }};
      }};
      systemd.services = lib.mkOption {{
        type = lib.types.attrsOf (lib.types.submodule {{
          freeformType = lib.types.attrsOf lib.types.anything;
          options.serviceConfig = lib.mkOption {{ type = lib.types.attrsOf lib.types.anything; default = {{ }}; }};
          options.preStart = lib.mkOption {{ type = lib.types.lines; default = ""; }};
        }});
        default = {{ }};
      }};
    }};
    # As modules/nixos.nix computes it.
    config.services.aistack.plan = (import (repo + "/lib") {{ inherit lib; }}).mkPlan {{
      settings = config.services.aistack;
      aistackBin = "/nix/store/fake-aistack/bin/aistack";
    }};
  }};
  fakePkgs = {{
    linkFarm = name: entries: map (e: {{ inherit (e) name; path = toString e.path; }}) entries;
    # Inlines the script so the test can read what it runs.
    writeShellScript = name: text: "/nix/store/fake-${{name}}:" + text;
    runtimeShell = "/nix/store/fake-bash/bin/sh";
  }};
  c = (lib.evalModules {{
    specialArgs.pkgs = fakePkgs;
    modules = [
      standIn
      (repo + "/modules/options.nix")
      (repo + "/modules/monitoring.nix")
      (repo + "/hosts/{host}/aistack.nix")
      {extra}
    ];
  }}).config;
  units = c.systemd.services;
in {{
  plan = {{ inherit (c.services.aistack.plan) monitoring redis; units = lib.attrNames c.services.aistack.plan.units; }};
  prometheus = c.services.prometheus // {{
    ruleFiles = map toString (c.services.prometheus.ruleFiles or [ ]);
  }};
  grafana = c.services.grafana;
  webui = c.services.open-webui;
  units = lib.mapAttrs (_: u: {{ inherit (u) serviceConfig preStart; }}) units;
}}
"""


def evaluate(nix_eval, host: str, extra: str = "{ }") -> dict:
    return nix_eval(EVAL.format(host=host, extra=extra))


@pytest.fixture(scope="module")
def hosts(nix_eval) -> dict[str, dict]:
    return {host: evaluate(nix_eval, host) for host in HOSTS}


def non_loopback(result: dict) -> list[str]:
    """Listen addresses in the evaluated config that are not loopback."""
    p, g, w = result["prometheus"], result["grafana"], result["webui"]
    found = []
    for where, addr in [
        ("prometheus", p.get("listenAddress")),
        ("node exporter", p.get("exporters", {}).get("node", {}).get("listenAddress")),
        ("redis exporter", p.get("exporters", {}).get("redis", {}).get("listenAddress")),
        ("grafana", g.get("settings", {}).get("server", {}).get("http_addr")),
        ("open-webui", w.get("host")),
    ]:
        if addr is not None and addr not in ("127.0.0.1", "::1", "localhost"):
            found.append(f"{where}: {addr}")
    return found


def test_tiers_decide_what_runs(hosts: dict[str, dict]) -> None:
    enabled = {
        h: (
            r["prometheus"].get("enable", False),
            r["grafana"].get("enable", False),
            r["webui"].get("enable", False),
        )
        for h, r in hosts.items()
    }
    print(enabled)
    for host, result in hosts.items():
        mon = result["plan"]["monitoring"]
        assert enabled[host] == (mon["enable"], mon["grafana"]["enable"], mon["webui"]["enable"])
    # The micro board runs none of it; the roomy hosts run all of it.
    assert enabled["sbc-minimal"] == (False, False, False)
    assert enabled["laptop"] == (True, True, True)
    assert enabled["server"] == (True, True, True)
    assert "aistack-unit-memory" not in hosts["sbc-minimal"]["units"]


@pytest.mark.parametrize("host", ["laptop", "server"])
def test_prometheus_from_the_plan(hosts: dict[str, dict], host: str) -> None:
    result = hosts[host]
    p, mon = result["prometheus"], result["plan"]["monitoring"]
    assert p["listenAddress"] == mon["prometheus"]["host"]
    assert p["port"] == mon["prometheus"]["port"]
    assert p["scrapeConfigs"] == mon["prometheus"]["scrapeConfigs"]
    assert p["ruleFiles"] == [str(RULES_FILE)]
    assert p["retentionTime"] == "7d"
    jobs = {j["job_name"] for j in p["scrapeConfigs"]}
    assert {"aistack-coordinator", "aistack-embeddings", "llama-cpp", "redis", "node"} <= jobs
    assert "aistack-audit" not in jobs  # no HTTP /metrics


@pytest.mark.parametrize("host", ["laptop", "server"])
def test_exporters_and_unit_memory(hosts: dict[str, dict], host: str) -> None:
    result = hosts[host]
    exporters, mon, redis = (
        result["prometheus"]["exporters"],
        result["plan"]["monitoring"],
        result["plan"]["redis"],
    )
    assert exporters["node"]["port"] == mon["exporters"]["node"]["port"]
    assert exporters["redis"]["port"] == mon["exporters"]["redis"]["port"]
    assert exporters["redis"]["extraFlags"] == [f"--redis.addr=unix://{redis['socket']}"]
    groups = result["units"]["prometheus-redis-exporter"]["serviceConfig"]["SupplementaryGroups"]
    assert groups == [redis["group"]]
    textfile = "--collector.textfile.directory=/run/aistack-unit-memory"
    assert textfile in exporters["node"]["extraFlags"]
    writer = result["units"]["aistack-unit-memory"]["serviceConfig"]
    words = writer["ExecStart"].replace("'", "").split()
    for unit in [*result["plan"]["units"], "redis-aistack"]:
        assert unit in words, unit
    assert "/run/aistack-unit-memory/units.prom" in writer["ExecStart"]
    assert writer["PrivateNetwork"] is True
    assert writer["RuntimeDirectory"] == "aistack-unit-memory"


@pytest.mark.parametrize("host", ["laptop", "server"])
def test_grafana_provisions_the_datasource_the_dashboard_uses(
    hosts: dict[str, dict], host: str
) -> None:
    result = hosts[host]
    g, mon = result["grafana"], result["plan"]["monitoring"]
    assert g["settings"]["server"] == {
        "http_addr": mon["grafana"]["host"],
        "http_port": mon["grafana"]["port"],
    }
    (datasource,) = g["provision"]["datasources"]["settings"]["datasources"]
    assert datasource["uid"] == DATASOURCE_UID
    assert datasource["type"] == "prometheus"
    assert datasource["url"] == mon["grafana"]["prometheusUrl"]
    # Every panel of the repo's dashboard points at that uid.
    uids = {p["datasource"]["uid"] for p in load_dashboard()["panels"]}
    assert uids == {datasource["uid"]}
    (provider,) = g["provision"]["dashboards"]["settings"]["providers"]
    assert provider["options"]["path"] == [
        {"name": "aistack-dashboard.json", "path": str(DASHBOARD_FILE)}
    ]
    # Secrets by file reference only, generated at first start.
    security = g["settings"]["security"]
    assert security["secret_key"].startswith("$__file{/var/lib/grafana/")
    assert security["admin_password"].startswith("$__file{/var/lib/grafana/")
    assert "/dev/urandom" in result["units"]["grafana"]["preStart"]


@pytest.mark.parametrize("host", ["laptop", "server"])
def test_webui_points_at_the_coordinator(hosts: dict[str, dict], host: str) -> None:
    result = hosts[host]
    w, mon = result["webui"], result["plan"]["monitoring"]["webui"]
    assert (w["host"], w["port"]) == (mon["host"], mon["port"])
    env = w["environment"]
    assert env["OPENAI_API_BASE_URL"] == env["OPENAI_API_BASE_URLS"] == mon["openaiBaseUrl"]
    assert mon["openaiBaseUrl"].endswith("/v1")
    assert env["ENABLE_OLLAMA_API"] == "False"
    assert env["OFFLINE_MODE"] == "True"
    assert env["ANONYMIZED_TELEMETRY"] == "False"


@pytest.mark.parametrize("host", HOSTS)
def test_everything_listens_on_loopback(hosts: dict[str, dict], host: str) -> None:
    assert non_loopback(hosts[host]) == []


def test_loopback_check_flags_a_public_address(hosts: dict[str, dict]) -> None:
    result = json.loads(json.dumps(hosts["server"]))
    result["grafana"]["settings"]["server"]["http_addr"] = "0.0.0.0"
    assert non_loopback(result) == ["grafana: 0.0.0.0"]


def test_asked_for_on_the_micro_board(nix_eval) -> None:
    result = evaluate(
        nix_eval,
        "sbc-minimal",
        "{ services.aistack.monitoring.enable = true; services.aistack.webui.enable = true; }",
    )
    assert result["prometheus"]["enable"] is True
    assert result["grafana"]["enable"] is True
    assert result["webui"]["enable"] is True


def test_webui_off_on_a_roomy_host_when_asked(nix_eval) -> None:
    result = evaluate(nix_eval, "server", "{ services.aistack.webui.enable = false; }")
    assert result["prometheus"]["enable"] is True
    assert result["webui"] == {}
