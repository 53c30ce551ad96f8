"""What a host can change with plain assignments, through the NixOS module and
checks/nixos-stand-in.nix: every derived default, a service's JSON settings (and
everything that follows them), every value aistack sets on nixpkgs' modules,
llama.cpp's arguments and GPU access, and the Qdrant server.
"""

from __future__ import annotations

import fnmatch
import json
import shlex

import pytest

from aistack.render.apparmor import render_profile
from aistack.render.nftables import render_ruleset


def module_eval(host: str, extra: str, body: str) -> str:
    """A Nix expression evaluating ``body`` with ``c`` (config), ``plan`` and
    ``failed`` (failed assertions) in scope, for ``host`` plus ``extra``."""
    return f"""
    let
      standIn = import (repo + "/checks/nixos-stand-in.nix") {{ inherit lib; }};
      c = (standIn.eval {{
        modules = [
          (repo + "/modules/nixos.nix")
          (repo + "/hosts/{host}/configuration.nix")
          ({extra})
        ];
      }}).config;
      plan = c.services.aistack.plan;
      failed = map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
    in
    {body}
    """


# --- derived defaults ----------------------------------------------------------

DERIVED = """{
  inherit failed;
  tier = plan.tier;
  model = plan.model.chat.id;
  source = plan.model.source;
  inherit (plan.llamaCpp) threads gpuLayers contextLength extraFlags;
  coordinatorCtx = plan.services.coordinator.config.local_model.context_length;
  services = lib.attrNames plan.services;
  monitoring = plan.monitoring.enable;
  webui = plan.monitoring.webui.enable;
  prometheus = c.services.prometheus.enable;
  openWebui = c.services.open-webui.enable;
  coordinatorMem = c.systemd.services.aistack-coordinator.serviceConfig.MemoryMax;
}"""


def test_each_derived_default_is_an_option_a_host_sets(nix_eval) -> None:
    """The laptop's derived values, then each one set by a plain assignment: the
    plan (a view of the final config) and the units follow; no mkForce anywhere."""
    default = nix_eval(module_eval("laptop", "{ }", DERIVED))
    assert default["failed"] == []
    assert (default["tier"], default["source"]) == ("medium", "tier-default")
    assert default["monitoring"] is True and default["webui"] is True
    assert {"embeddings", "knowledge"} <= set(default["services"])

    changed = nix_eval(
        module_eval(
            "laptop",
            """{
              services.aistack = {
                tier = "small";
                model = "qwen2.5-1.5b-instruct-q8_0";
                llamaCpp.threads = 3;
                llamaCpp.contextSize = 2048;
                llamaCpp.gpuLayers = 5;
                services.embeddings.enable = false;
                services.knowledge.enable = false;
                monitoring.enable = false;
                webui.enable = false;
              };
            }""",
            DERIVED,
        )
    )
    assert changed["failed"] == []
    assert changed["tier"] == "small" and changed["coordinatorMem"] == "1G"
    assert (changed["model"], changed["source"]) == ("qwen2.5-1.5b-instruct-q8_0", "explicit")
    assert (changed["threads"], changed["contextLength"], changed["gpuLayers"]) == (3, 2048, 5)
    flags = changed["extraFlags"]
    assert flags[flags.index("--threads") + 1] == "3"
    assert flags[flags.index("--ctx-size") + 1] == "2048"
    assert flags[flags.index("--n-gpu-layers") + 1] == "5"
    assert changed["coordinatorCtx"] == 2048  # the coordinator's config follows
    assert changed["services"] == ["audit", "coordinator", "dashboard"]
    assert changed["monitoring"] is False and changed["prometheus"] is False
    assert changed["webui"] is False and changed["openWebui"] is False


def test_a_changed_tier_moves_what_derives_from_it(nix_eval) -> None:
    """Only the tier set: the model, context and threads follow it (defaults read
    the final tier), as they would from the facts."""
    v = nix_eval(module_eval("laptop", '{ services.aistack.tier = "micro"; }', DERIVED))
    assert v["failed"] == []
    assert v["model"] == "qwen2.5-1.5b-instruct-q8_0"
    assert v["contextLength"] == 4096
    assert v["monitoring"] is False and v["webui"] is False


def test_assertions_check_the_final_values(nix_eval) -> None:
    failed = nix_eval(
        module_eval(
            "sbc-minimal",
            "{ services.aistack.llamaCpp = { contextSize = 1000000; gpuLayers = 999; }; }",
            "failed",
        )
    )
    assert any("llamaCpp.contextSize = 1000000" in m for m in failed), failed
    assert any("llamaCpp.gpuLayers = 999" in m for m in failed), failed


def test_webui_waits_for_the_coordinators_openai_api(nix_eval) -> None:
    """Open WebUI is on by default only where the coordinator serves /v1."""
    v = nix_eval(
        module_eval("laptop", "{ services.aistack.coordinator.openaiApi = false; }", DERIVED)
    )
    assert v["webui"] is False and v["openWebui"] is False
    assert v["monitoring"] is True


# --- settings: RFC 42, and everything that follows them --------------------------

MOVED = """{ lib, ... }: {
  services.aistack.vectorStore = "server";
  services.aistack.services.knowledge.settings = {
    listen = { kind = "unix"; path = "/run/aistack/kb.sock"; };
    vector_store.endpoint = { kind = "tcp"; host = "127.0.0.1"; port = 6400; };
    collection = "notes";
  };
  services.aistack.services.coordinator.settings = {
    listen = { kind = "tcp"; host = "127.0.0.1"; port = 8471; };
    guard.outbound.schemes = [ "https" "http" ];
  };
}"""


@pytest.fixture(scope="module")
def moved(nix_eval) -> dict:
    """The laptop with the knowledge service and the coordinator moved in `settings`."""
    return nix_eval(
        module_eval(
            "laptop",
            MOVED,
            """{
              inherit failed;
              policies = plan.policies;
              knowledge = plan.services.knowledge.config;
              coordinator = plan.services.coordinator.config;
              kbSocket = c.systemd.sockets.aistack-knowledge.listenStreams;
              kbAllow = c.systemd.services.aistack-knowledge.serviceConfig.IPAddressAllow;
              qdrant = c.services.qdrant.settings.service;
              webuiUrl = c.services.open-webui.environment.OPENAI_API_BASE_URL;
              scrape = map (j: j.static_configs) c.services.prometheus.scrapeConfigs;
              defaultLog = c.services.aistack.services.knowledge.settings.log_level;
              rateLimits = c.services.aistack.services.coordinator.settings.guard.rate_limits.high;
            }""",
        )
    )


def test_settings_show_the_module_defaults_in_config(moved) -> None:
    """The module's values are in config (at mkDefault), next to the host's keys."""
    assert moved["failed"] == []
    assert moved["defaultLog"] == "info"
    assert moved["rateLimits"] == {"limit": 10, "window_seconds": 60}
    assert moved["knowledge"]["collection"] == "notes"
    assert moved["knowledge"]["schema_version"] == 1
    # A list is replaced, not concatenated with the module's.
    assert moved["coordinator"]["guard"]["outbound"]["schemes"] == ["https", "http"]


def test_a_moved_listen_moves_socket_profile_and_readers(moved) -> None:
    """knowledge's `listen` in settings: its socket unit, its own AppArmor profile,
    the coordinator's upstream and the coordinator's profile all name the new path."""
    new = "/run/aistack/kb.sock"
    assert moved["kbSocket"] == [new]
    assert new in moved["policies"]["aistack-knowledge"]["unixSockets"]
    assert moved["coordinator"]["upstreams"]["knowledge"] == {"kind": "unix", "path": new}
    assert new in moved["policies"]["aistack-coordinator"]["unixSockets"]
    assert "/run/aistack/knowledge.sock" not in json.dumps(moved["policies"])
    profile = render_profile(moved["policies"]["aistack-coordinator"])
    assert f"{new} rw," in profile


def test_a_moved_upstream_moves_the_firewall_and_qdrant(moved) -> None:
    """knowledge's vector_store endpoint in settings: the nftables rule, the
    IPAddressAllow= and the Qdrant server it points to all use port 6400."""
    tcp = moved["policies"]["aistack-knowledge"]["egress"]["tcp"]
    assert {"name": "qdrant", "host": "127.0.0.1", "port": 6400} in tcp
    ruleset = render_ruleset(moved["policies"])
    assert "ip daddr 127.0.0.1 tcp dport 6400 counter accept" in ruleset
    assert "tcp dport 6333" not in ruleset
    assert moved["kbAllow"] == ["localhost"]
    assert moved["qdrant"]["http_port"] == 6400 and moved["qdrant"]["host"] == "127.0.0.1"


def test_a_moved_coordinator_moves_its_clients(moved) -> None:
    """The coordinator's `listen`: its policy, the web UI and Prometheus follow."""
    listen = moved["policies"]["aistack-coordinator"]["listenTcp"]
    assert listen == [{"host": "127.0.0.1", "port": 8471}]
    assert moved["webuiUrl"] == "http://127.0.0.1:8471/v1"
    targets = {t for job in moved["scrape"] for sc in job for t in sc["targets"]}
    assert "127.0.0.1:8471" in targets and "127.0.0.1:8470" not in targets


def test_unknown_settings_keys_reach_the_checked_config(nix_eval) -> None:
    """A freeform key lands in the JSON the build checks (and the model rejects)."""
    v = nix_eval(
        module_eval(
            "sbc-minimal",
            "{ services.aistack.services.audit.settings.no_such_key = 1; }",
            '(lib.head (lib.filter (d: d.name == "aistack-audit.json") '
            '[ c.environment.etc."aistack/audit.json".source ])).env.unchecked.value',
        )
    )
    assert v["no_such_key"] == 1


def test_check_config_off_installs_the_config_unchecked(nix_eval) -> None:
    v = nix_eval(
        module_eval(
            "sbc-minimal",
            "{ services.aistack.checkConfig = false; }",
            'c.environment.etc."aistack/audit.json".source.value.service',
        )
    )
    assert v == "audit"


# --- foreign options: a host's plain assignment wins ------------------------------

FOREIGN = """{
  services.open-webui.host = "0.0.0.0";
  services.open-webui.port = 8091;
  services.open-webui.environment.OFFLINE_MODE = "False";
  services.prometheus.port = 9091;
  services.prometheus.listenAddress = "0.0.0.0";
  services.prometheus.retentionTime = "30d";
  services.prometheus.extraFlags = [ "--web.enable-lifecycle" ];
  services.prometheus.globalConfig.scrape_interval = "15s";
  services.prometheus.scrapeConfigs = [ ];
  services.prometheus.ruleFiles = [ ];
  services.prometheus.exporters.node.port = 9101;
  services.prometheus.exporters.node.listenAddress = "0.0.0.0";
  services.prometheus.exporters.node.extraFlags = [ ];
  services.prometheus.exporters.redis.port = 9122;
  services.prometheus.exporters.redis.enable = false;
  services.grafana.settings.server.http_port = 3001;
  services.grafana.settings.server.http_addr = "0.0.0.0";
  services.grafana.settings.analytics.reporting_enabled = true;
  services.grafana.provision.datasources.settings.datasources = [ ];
  services.redis.servers.aistack.unixSocketPerm = 600;
  services.redis.servers.aistack.port = 6380;
  services.redis.vmOverCommit = false;
  security.apparmor.enable = false;
  security.apparmor.policies.aistack-coordinator.state = "complain";
  zramSwap.enable = false;
  zramSwap.memoryPercent = 10;
  systemd.services.llama-cpp.serviceConfig.DeviceAllow = [ "char-drm rw" "char-kfd rw" ];
  systemd.services.llama-cpp.serviceConfig.ExecStart = "/bin/true";
  systemd.services.prometheus-redis-exporter.serviceConfig.SupplementaryGroups = [ "wheel" ];
  systemd.sockets.aistack-audit.socketConfig.SocketMode = "0600";
  services.qdrant.settings.service.http_port = 7000;
}"""


def test_every_foreign_option_yields_to_a_plain_assignment(nix_eval) -> None:
    """Each value aistack sets on another module, set again by the host without
    mkForce: evaluation succeeds and the host's value is the one in config."""
    v = nix_eval(
        module_eval(
            "laptop",
            "{ lib, ... }: lib.recursiveUpdate "
            + FOREIGN
            + ' { services.aistack.vectorStore = "server"; }',
            """{
              inherit failed;
              webui = { inherit (c.services.open-webui) host port; offline = c.services.open-webui.environment.OFFLINE_MODE; };
              prom = { inherit (c.services.prometheus) port listenAddress retentionTime extraFlags scrapeConfigs ruleFiles; interval = c.services.prometheus.globalConfig.scrape_interval; };
              node = { inherit (c.services.prometheus.exporters.node) port listenAddress extraFlags; };
              redisExporter = { inherit (c.services.prometheus.exporters.redis) port enable; };
              grafana = c.services.grafana.settings.server // { reporting = c.services.grafana.settings.analytics.reporting_enabled; };
              datasources = c.services.grafana.provision.datasources.settings.datasources;
              redis = { inherit (c.services.redis.servers.aistack) unixSocketPerm port; overcommit = c.services.redis.vmOverCommit; };
              apparmor = { inherit (c.security.apparmor) enable; state = c.security.apparmor.policies.aistack-coordinator.state; };
              zram = { inherit (c.zramSwap) enable memoryPercent; };
              llama = { inherit (c.systemd.services.llama-cpp.serviceConfig) DeviceAllow ExecStart; };
              groups = c.systemd.services.prometheus-redis-exporter.serviceConfig.SupplementaryGroups;
              socketMode = c.systemd.sockets.aistack-audit.socketConfig.SocketMode;
              qdrantPort = c.services.qdrant.settings.service.http_port;
            }""",
        )
    )
    assert v["failed"] == []
    assert v["webui"] == {"host": "0.0.0.0", "port": 8091, "offline": "False"}
    assert v["prom"] == {
        "port": 9091,
        "listenAddress": "0.0.0.0",
        "retentionTime": "30d",
        "extraFlags": ["--web.enable-lifecycle"],
        "scrapeConfigs": [],
        "ruleFiles": [],
        "interval": "15s",
    }
    assert v["node"] == {"port": 9101, "listenAddress": "0.0.0.0", "extraFlags": []}
    assert v["redisExporter"] == {"port": 9122, "enable": False}
    assert v["grafana"] == {"http_port": 3001, "http_addr": "0.0.0.0", "reporting": True}
    assert v["datasources"] == []
    assert v["redis"] == {"unixSocketPerm": 600, "port": 6380, "overcommit": False}
    assert v["apparmor"] == {"enable": False, "state": "complain"}
    assert v["zram"] == {"enable": False, "memoryPercent": 10}
    # DeviceAllow is a list directive: a host's list is added to the plan's.
    assert v["llama"]["DeviceAllow"][-2:] == ["char-drm rw", "char-kfd rw"]
    assert v["llama"]["ExecStart"] == "/bin/true"
    assert v["groups"] == ["wheel"]
    assert v["socketMode"] == "0600"
    assert v["qdrantPort"] == 7000


# --- llama.cpp: its own unit, quoted arguments, GPUs by class ---------------------

ODD_ARGS = ["--alias", 'my "local" model', "--chat-template-kwargs", '{"a": "b c"}', "50%", "$HOME"]


def test_exec_start_keeps_spaces_quotes_and_specifiers(nix_eval) -> None:
    """Arguments with spaces, quotes, % and $ reach llama-server one by one: quoted
    with NixOS' utils.escapeSystemdExecArgs, equal to the plan's own quoting."""
    flags = " ".join(json.dumps(a) for a in ODD_ARGS).replace("$", "\\$")
    v = nix_eval(
        module_eval(
            "laptop",
            f"{{ services.aistack.llamaCpp.extraFlags = [ {flags} ]; "
            '  services.aistack.modelFetch = "runtime"; '
            '  services.aistack.modelRepoAllowlist = [ "bartowski/Qwen2.5-7B-Instruct-GGUF" "a b/\\"c\\"" ]; }',
            """{
              unit = c.systemd.services.llama-cpp.serviceConfig.ExecStart;
              planned = plan.llamaCpp.serviceConfig.ExecStart;
              fetch = c.systemd.services.aistack-model-fetch.serviceConfig.ExecStart;
            }""",
        )
    )
    assert v["unit"] == v["planned"]
    # systemd's unquoting of "..." strings matches the shell's for these, after
    # its own specifier (%%) and variable ($$) un-doubling.
    argv = shlex.split(v["unit"].replace("%%", "%").replace("$$", "$"))
    assert argv[-len(ODD_ARGS) :] == ODD_ARGS
    fetch = shlex.split(v["fetch"])
    allowed = [fetch[i + 1] for i, a in enumerate(fetch) if a == "--allow-repo"]
    assert allowed == ["bartowski/Qwen2.5-7B-Instruct-GGUF", 'a b/"c"']


GPU = """{
  devices = c.systemd.services.llama-cpp.serviceConfig.DeviceAllow or [ ];
  privateDevices = c.systemd.services.llama-cpp.serviceConfig.PrivateDevices;
  policy = plan.policies.llama-cpp;
}"""


@pytest.mark.parametrize(
    ("facts", "classes", "reached"),
    [
        (
            "",  # the server's own facts: a discrete NVIDIA GPU
            ["char-nvidiactl rw", "char-nvidia-frontend rw", "char-nvidia-uvm rw"],
            ["/dev/nvidia0", "/dev/nvidia1", "/dev/nvidiactl", "/dev/nvidia-uvm"],
        ),
        (
            'gpuVendor = lib.mkForce "amd"; gpuVramGb = lib.mkForce 16; gpuGfx = "gfx1100";',
            ["char-drm rw", "char-kfd rw"],
            ["/dev/kfd", "/dev/dri/renderD128", "/dev/dri/renderD129"],
        ),
        (
            'gpuVendor = lib.mkForce "intel"; hasDiscreteGpu = lib.mkForce false;',
            ["char-drm rw"],
            ["/dev/dri/renderD128", "/dev/dri/renderD129"],
        ),
    ],
)
def test_a_second_gpu_is_reached(nix_eval, facts: str, classes: list, reached: list) -> None:
    """GPU access by device class for the vendor (systemd) and by numbered-node
    pattern (AppArmor): a second card, or a discrete card at renderD129, is
    allowed by both layers, and nothing of another vendor is."""
    # The server's facts with another GPU (mkForce: facts are the host's own data).
    v = nix_eval(
        module_eval("server", f"{{ lib, ... }}: {{ services.aistack.facts = {{ {facts} }}; }}", GPU)
    )
    assert v["devices"] == classes
    assert v["privateDevices"] is False
    profile = render_profile(v["policy"])
    patterns = [ln.strip().removesuffix(" rw,") for ln in profile.splitlines() if "/dev/" in ln]
    for node in reached:
        # AppArmor's [0-9]* is "one digit, then anything"; fnmatch reads it alike.
        assert any(fnmatch.fnmatchcase(node, p) for p in patterns), (node, patterns)
    other = {"nvidia": "/dev/kfd", "amd": "/dev/nvidia0", "intel": "/dev/nvidia0"}
    vendor = facts.split('"')[1] if '"' in facts else "nvidia"
    assert not any(fnmatch.fnmatchcase(other[vendor], p) for p in patterns)


def test_cpu_host_gets_no_device(nix_eval) -> None:
    v = nix_eval(module_eval("sbc-minimal", "{ }", GPU))
    assert v["devices"] == [] and v["privateDevices"] is True
    assert v["policy"]["devices"] == []


# --- Qdrant for vectorStore = "server" ---------------------------------------------


def test_vector_store_server_enables_qdrant_on_loopback(nix_eval) -> None:
    body = """{
      inherit failed;
      enable = c.services.qdrant.enable;
      service = c.services.qdrant.settings.service;
      telemetry = c.services.qdrant.settings.telemetry_disabled;
      sc = c.systemd.services.qdrant.serviceConfig;
      knowledge = plan.services.knowledge.config.vector_store;
      tcp = plan.policies.aistack-knowledge.egress.tcp;
      network = plan.policies.aistack-knowledge.network;
    }"""
    local = nix_eval(module_eval("laptop", "{ }", "c.services.qdrant.enable"))
    assert local is False
    v = nix_eval(module_eval("laptop", '{ services.aistack.vectorStore = "server"; }', body))
    assert v["failed"] == []
    assert v["enable"] is True and v["telemetry"] is True
    endpoint = v["knowledge"]["endpoint"]
    assert v["knowledge"]["mode"] == "server"
    assert (v["service"]["host"], v["service"]["http_port"]) == (endpoint["host"], endpoint["port"])
    assert v["service"]["host"] == "127.0.0.1"
    assert v["sc"]["IPAddressDeny"] == "any" and v["sc"]["IPAddressAllow"] == ["localhost"]
    assert v["sc"]["PrivateDevices"] is True and v["sc"]["DynamicUser"] is True
    assert {"name": "qdrant", "host": "127.0.0.1", "port": endpoint["port"]} in v["tcp"]
    assert v["network"] == "loopback"


# --- the stand-in itself ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "path"),
    [
        ("securty.apparmor.enable = true;", "securty"),
        ("services.prometheus.prot = 9091;", "services.prometheus.prot"),
        ('services.open-webui.hots = "0.0.0.0";', "services.open-webui.hots"),
        ('systemd.services.llama-cpp.serviceConfg.MemoryMax = "1G";', "serviceConfg"),
    ],
)
def test_the_stand_in_rejects_a_typo(nix_eval, typo: str, path: str) -> None:
    """No freeform anywhere a typo could hide: an undeclared option path fails
    evaluation, as it does on NixOS."""
    with pytest.raises(RuntimeError) as err:
        nix_eval(
            module_eval(
                "laptop",
                "{ " + typo + " }",
                "[ c.security.apparmor.enable (lib.attrNames c.systemd.services.llama-cpp) ]",
            )
        )
    assert path in str(err.value) and "does not exist" in str(err.value)


def test_qdrant_server_memory_is_counted(nix_eval) -> None:
    """The Qdrant server's MemoryMax enters the host's RAM arithmetic."""
    body = "{ gb = plan.hostTuning.ramBudget.servicesGb; mem = c.systemd.services.qdrant.serviceConfig.MemoryMax or null; }"
    local = nix_eval(module_eval("laptop", "{ }", body))
    server = nix_eval(module_eval("laptop", '{ services.aistack.vectorStore = "server"; }', body))
    assert local["mem"] is None and server["mem"] == "2G"
    assert round(server["gb"] - local["gb"], 3) == 2.0


def test_a_listen_off_loopback_warns(nix_eval) -> None:
    warnings = nix_eval(
        module_eval(
            "laptop",
            '{ services.aistack.services.coordinator.settings.listen = { kind = "tcp"; host = "0.0.0.0"; port = 8470; }; }',
            "c.warnings",
        )
    )
    assert any("off loopback" in w and "IPAddressAllow" in w for w in warnings), warnings


def test_a_host_switches_off_or_retunes_each_foreign_service(nix_eval) -> None:
    """`enable = false` and the remaining keys (Qdrant's settings and sandbox,
    Grafana's provisioning, a profile's path, monitoring units' MemoryMax) are
    plain assignments too."""
    v = nix_eval(
        module_eval(
            "laptop",
            """{
              services.aistack.vectorStore = "server";
              services.prometheus.enable = false;
              services.prometheus.exporters.node.enable = false;
              services.grafana.enable = false;
              services.grafana.provision.enable = false;
              services.open-webui.enable = false;
              services.redis.servers.aistack.enable = false;
              services.redis.servers.aistack.unixSocket = "/run/r/r.sock";
              services.qdrant.enable = false;
              services.qdrant.settings.telemetry_disabled = false;
              services.qdrant.settings.service.host = "127.0.0.2";
              systemd.services.qdrant.serviceConfig.MemoryMax = "8G";
              systemd.services.prometheus.serviceConfig.MemoryMax = "1G";
              security.apparmor.policies.aistack-audit.path = "/etc/apparmor.d/mine";
            }""",
            """{
              inherit failed;
              on = map (n: c.services.${n}.enable) [ "prometheus" "grafana" "open-webui" "qdrant" ];
              node = c.services.prometheus.exporters.node.enable;
              provision = c.services.grafana.provision.enable;
              redis = { inherit (c.services.redis.servers.aistack) enable unixSocket; };
              qdrant = { t = c.services.qdrant.settings.telemetry_disabled; h = c.services.qdrant.settings.service.host; };
              mem = map (u: c.systemd.services.${u}.serviceConfig.MemoryMax) [ "qdrant" "prometheus" ];
              path = c.security.apparmor.policies.aistack-audit.path;
            }""",
        )
    )
    assert v["on"] == [False, False, False, False] and v["node"] is False
    assert v["provision"] is False
    assert v["redis"] == {"enable": False, "unixSocket": "/run/r/r.sock"}
    assert v["qdrant"] == {"t": False, "h": "127.0.0.2"}
    assert v["mem"] == ["8G", "1G"]
    assert v["path"] == "/etc/apparmor.d/mine"
