"""Every example host's NixOS configuration, evaluated against checks/nixos-stand-in.nix.

modules/nixos.nix (with everything it imports) and the host's
configuration.nix are evaluated with lib.evalModules, the project's stand-in
declarations of the NixOS options and a fake pkgs; the stand-in also repeats
the definitions nixpkgs' own modules make on the same keys (services.llama-cpp's
sandbox, redis' overcommit sysctl, NixOS' vm.max_map_count), so priorities are
checked as a real system would merge them. The assertions are on the resulting
option values, compared with the host's plan.
"""

from __future__ import annotations

import json
import shlex

import pytest

from conftest import HOSTS

# The llama.cpp build each example machine's hardware calls for.
EXPECTED_VARIANT = {"laptop": "vulkan", "server": "cuda", "sbc-minimal": "cpu"}
GPU_FLAGS = ("cudaSupport", "rocmSupport", "vulkanSupport")
VARIANT_FLAG = {"cuda": "cudaSupport", "rocm": "rocmSupport", "vulkan": "vulkanSupport"}

# Services and packages a micro board must not pull in.
HEAVY_SERVICES = ("open-webui", "grafana", "prometheus")


def eval_host(host: str, extra: str = "{ }", pkgs: str = "standIn.mkPkgs { }") -> str:
    """A Nix expression binding ``c`` (the config) and ``plan`` for ``host``."""
    return f"""
    let
      standIn = import (repo + "/checks/nixos-stand-in.nix") {{ inherit lib; }};
      e = standIn.eval {{
        pkgs = {pkgs};
        modules = [
          (repo + "/modules/nixos.nix")
          (repo + "/hosts/{host}/configuration.nix")
          ({extra})
        ];
      }};
      c = e.config;
      plan = c.services.aistack.plan;
      failed = map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
    in
    """


def failed_assertions(nix_eval, host: str, extra: str, pkgs: str = "standIn.mkPkgs { }") -> list:
    """Messages of the assertions that fail for ``host`` with ``extra`` settings."""
    return nix_eval(eval_host(host, extra, pkgs) + "failed")


HOST_VALUES = """
{
  inherit failed;
  planUnits = lib.mapAttrs (_: u: u.serviceConfig.MemoryMax) plan.units;
  units = lib.mapAttrs (_: u: { inherit (u) after requires wantedBy; serviceConfig = u.serviceConfig; })
    c.systemd.services;
  planLlama = { inherit (plan.llamaCpp) variant devices extraFlags packageOverrides serviceConfig; model = plan.llamaCpp.model; };
  llamaPackage = { inherit (c.services.aistack.llamaCpp.package) nixpkgsSet overrideArgs; path = c.services.aistack.llamaCpp.package.outPath; };
  llamaModel = plan.llamaCpp.model.path;
  llamaEnabled = c.systemd.services ? llama-cpp;
  tuning = plan.hostTuning;
  tier = plan.tier;
  sysctl = c.boot.kernel.sysctl;
  zram = { inherit (c.zramSwap) enable memoryPercent; };
  kernelParams = c.boot.kernelParams;
  loginLimits = c.security.pam.loginLimits;
}
"""


@pytest.fixture(scope="module")
def hosts(nix_eval) -> dict[str, dict]:
    """Each example host's evaluated values (one evaluation per host)."""
    return {host: nix_eval(eval_host(host) + HOST_VALUES) for host in HOSTS}


def weaker_directives(plan: dict, actual: dict) -> dict[str, tuple]:
    """Directives of ``plan`` the unit does not carry with the plan's value.

    The unit's value must equal the plan's: every plan directive is a
    deliberate choice (a looser one opens something, a stricter one breaks
    the service, e.g. MemoryDenyWriteExecute for CUDA's JIT). ExecStart is
    quoted by NixOS' utils and checked separately.
    """
    return {
        key: (want, actual.get(key, "<unset>"))
        for key, want in plan.items()
        if key != "ExecStart" and actual.get(key, "<unset>") != want
    }


@pytest.mark.parametrize("host", HOSTS)
def test_host_evaluates_without_failed_assertions(hosts, host: str) -> None:
    assert hosts[host]["failed"] == []


@pytest.mark.parametrize("host", HOSTS)
def test_every_plan_unit_is_a_systemd_service_with_its_memory_max(hosts, host: str) -> None:
    values = hosts[host]
    assert values["planUnits"], "the plan has no units"
    for unit, memory_max in values["planUnits"].items():
        assert unit in values["units"], f"{host}: {unit} missing from systemd.services"
        assert values["units"][unit]["serviceConfig"]["MemoryMax"] == memory_max


@pytest.mark.parametrize("host", HOSTS)
def test_llama_cpp_build_matches_the_hardware(hosts, host: str) -> None:
    values = hosts[host]
    variant = EXPECTED_VARIANT[host]
    assert values["planLlama"]["variant"] == variant
    args = values["llamaPackage"]["overrideArgs"]
    assert args == values["planLlama"]["packageOverrides"]
    on = {flag for flag in GPU_FLAGS if args.get(flag)}
    assert on == ({VARIANT_FLAG[variant]} if variant in VARIANT_FLAG else set())
    # BLAS only where there is no GPU backend.
    assert args["blasSupport"] is (variant == "cpu")
    assert values["llamaPackage"]["nixpkgsSet"] == "stable"


@pytest.mark.parametrize("host", HOSTS)
def test_llama_cpp_unit_is_as_strict_as_the_plan(hosts, host: str) -> None:
    values = hosts[host]
    plan_sc = values["planLlama"]["serviceConfig"]
    unit = values["units"]["llama-cpp"]
    assert weaker_directives(plan_sc, unit["serviceConfig"]) == {}
    # Only the GPU device classes this build opens (every card of the vendor).
    assert unit["serviceConfig"]["DevicePolicy"] == "closed"
    assert unit["serviceConfig"].get("DeviceAllow", []) == [
        f"{d} rw" for d in values["planLlama"]["devices"]["classes"]
    ]
    # Our own ExecStart: our package, the model, every flag, one argument each.
    argv = shlex.split(unit["serviceConfig"]["ExecStart"])
    assert argv[0] == values["llamaPackage"]["path"] + "/bin/llama-server"
    assert argv[argv.index("-m") + 1] == values["llamaModel"]
    assert argv[-len(values["planLlama"]["extraFlags"]) :] == values["planLlama"]["extraFlags"]
    assert "--metrics" in argv
    assert unit["wantedBy"] == ["multi-user.target"]


def test_strictness_check_catches_a_loosened_directive(nix_eval) -> None:
    """A host that forces a weaker directive is reported by weaker_directives."""
    values = nix_eval(
        eval_host(
            "server",
            """{ lib, ... }: {
              systemd.services.llama-cpp.serviceConfig = {
                ProtectSystem = lib.mkForce false;
                DevicePolicy = "auto";
              };
            }""",
        )
        + "{ planSc = plan.llamaCpp.serviceConfig; sc = c.systemd.services.llama-cpp.serviceConfig; }"
    )
    assert weaker_directives(values["planSc"], values["sc"]) == {
        "ProtectSystem": ("strict", False),
        "DevicePolicy": ("closed", "auto"),
    }


def test_nixpkgs_llama_cpp_module_alongside_ours_fails(nix_eval) -> None:
    """Both would define llama-cpp.service: an assertion says to turn one off."""
    failed = failed_assertions(nix_eval, "laptop", "{ services.llama-cpp.enable = true; }")
    assert len(failed) == 1, failed
    assert "services.aistack.llamaCpp.enable = false" in failed[0]


@pytest.mark.parametrize("host", HOSTS)
def test_model_is_a_fixed_output_derivation(nix_eval, host: str) -> None:
    values = nix_eval(
        eval_host(host)
        + """
        let
          # The derivation behind the model path, rebuilt with the fake fetchurl.
          drv = (standIn.mkPkgs { }).fetchurl {
            name = baseNameOf plan.llamaCpp.model.hf_file;
            inherit (plan.llamaCpp.model) url sha256;
          };
        in {
          model = plan.llamaCpp.model.path;
          execStart = c.systemd.services.llama-cpp.serviceConfig.ExecStart;
          drvPath = drv.outPath;
          inherit (drv) fetchurlArgs;
          registry = plan.model.chat;
          fetchUnit = c.systemd.services ? aistack-model-fetch;
          requires = c.systemd.services.llama-cpp.requires;
        }"""
    )
    assert values["model"] == values["drvPath"]
    argv = shlex.split(values["execStart"])
    assert argv[argv.index("-m") + 1] == values["drvPath"]
    assert values["fetchurlArgs"]["sha256"] == values["registry"]["sha256"]
    assert len(values["fetchurlArgs"]["sha256"]) == 64
    assert values["fetchurlArgs"]["url"] == (
        f"https://huggingface.co/{values['registry']['hf_repo']}/resolve/main/"
        f"{values['registry']['hf_file']}"
    )
    assert values["fetchUnit"] is False
    assert values["requires"] == []


def test_runtime_fetch_unit_orders_llama_cpp_after_it(nix_eval) -> None:
    values = nix_eval(
        eval_host("sbc-minimal", '{ services.aistack.modelFetch = "runtime"; }')
        + """{
          inherit failed;
          model = plan.llamaCpp.model.path;
          planPath = plan.llamaCpp.model.path;
          llama = { inherit (c.systemd.services.llama-cpp) after requires; };
          fetch = c.systemd.services.aistack-model-fetch;
          planFetch = plan.llamaCpp.fetchUnit.serviceConfig;
          allowlist = plan.modelRepoAllowlist;
          repo = plan.model.chat.hf_repo;
          sha256 = plan.model.chat.sha256;
        }"""
    )
    assert values["failed"] == []
    assert values["model"] == values["planPath"]
    assert values["model"].startswith("/var/lib/aistack-models/")
    assert "aistack-model-fetch.service" in values["llama"]["requires"]
    assert "aistack-model-fetch.service" in values["llama"]["after"]
    fetch = values["fetch"]
    assert fetch["wantedBy"] == []  # started by llama-cpp's Requires=
    assert fetch["serviceConfig"] == values["planFetch"]
    exec_start = shlex.split(fetch["serviceConfig"]["ExecStart"])
    assert exec_start[1] == "fetch-model"
    assert exec_start[exec_start.index("--dest") + 1] == values["model"]
    assert exec_start[exec_start.index("--repo") + 1] == values["repo"]
    allowed = [exec_start[i + 1] for i, a in enumerate(exec_start) if a == "--allow-repo"]
    assert allowed == values["allowlist"]
    assert exec_start[exec_start.index("--sha256") + 1] == values["sha256"]
    assert fetch["serviceConfig"]["Type"] == "oneshot"


@pytest.mark.parametrize("host", HOSTS)
def test_host_tuning_per_tier(hosts, host: str) -> None:
    values = hosts[host]
    tuning = values["tuning"]
    sysctl = values["sysctl"]
    assert sysctl["vm.swappiness"] == tuning["sysctl"]["vm.swappiness"]
    # Redis' module writes "1" at plain priority; ours yields without a conflict.
    assert str(sysctl["vm.overcommit_memory"]) == str(tuning["sysctl"]["vm.overcommit_memory"])
    if "vm.max_map_count" in tuning["sysctl"]:
        assert sysctl["vm.max_map_count"] >= tuning["sysctl"]["vm.max_map_count"]
    assert values["zram"]["enable"] is tuning["zram"]["enable"]
    if tuning["zram"]["enable"]:
        assert values["zram"]["memoryPercent"] == tuning["zram"]["memoryPercent"]
    assert f"transparent_hugepage={tuning['transparentHugepages']}" in values["kernelParams"]
    memlock = [lim for lim in values["loginLimits"] if lim["item"] == "memlock"]
    assert bool(memlock) is tuning["memlock"]
    assert tuning["ramBudget"]["ok"] is True


def test_tiers_get_different_tuning(hosts) -> None:
    """zram and swappiness follow the tier: the micro board swaps to zram, the
    large server keeps its model in RAM."""
    sbc, server = hosts["sbc-minimal"], hosts["server"]
    assert (sbc["tier"], server["tier"]) == ("micro", "large")
    assert sbc["zram"] == {"enable": True, "memoryPercent": sbc["tuning"]["zram"]["memoryPercent"]}
    assert sbc["zram"]["memoryPercent"] > 0
    assert server["zram"]["enable"] is False
    assert sbc["sysctl"]["vm.swappiness"] > server["sysctl"]["vm.swappiness"]
    assert "transparent_hugepage=never" in sbc["kernelParams"]
    assert "transparent_hugepage=madvise" in server["kernelParams"]


def test_host_sysctl_assignment_wins(nix_eval) -> None:
    """A plain assignment of the host beats ours, with no conflict error."""
    values = nix_eval(
        eval_host("sbc-minimal", '{ boot.kernel.sysctl."vm.swappiness" = 42; }')
        + "c.boot.kernel.sysctl"
    )
    assert values["vm.swappiness"] == 42


# --- assertions that must fire -------------------------------------------------


def test_14b_model_on_an_8gb_host_fails(nix_eval) -> None:
    failed = failed_assertions(
        nix_eval, "sbc-minimal", '{ services.aistack.model = "qwen2.5-14b-instruct-q4_k_m"; }'
    )
    assert any("14B-class" in m and "8 GB" in m for m in failed), failed


def test_repo_off_the_allowlist_fails(nix_eval) -> None:
    failed = failed_assertions(
        nix_eval, "laptop", '{ services.aistack.modelRepoAllowlist = [ "someone/else-GGUF" ]; }'
    )
    assert len(failed) == 1
    assert "services.aistack.modelRepoAllowlist" in failed[0]
    assert "bartowski/Qwen2.5-7B-Instruct-GGUF" in failed[0]


def test_ram_budget_that_does_not_add_up_fails(nix_eval) -> None:
    """The large tier forced on the 27 GB laptop, retrieval forced on: the 14B
    model fits by itself, but model + KV cache at 32k + 4G per service + reserve
    exceed the RAM. (Left to the defaults, retrieval would stay off with a warning.)"""
    failed = failed_assertions(
        nix_eval,
        "laptop",
        '{ services.aistack.tier = "large"; services.aistack.model = "qwen2.5-14b-instruct-q4_k_m";'
        " services.aistack.services.embeddings.enable = true; services.aistack.services.knowledge.enable = true; }",
    )
    assert len(failed) == 1, failed
    assert "RAM does not add up on this 27 GB host" in failed[0]
    assert "services.aistack.tier" in failed[0]


def test_unstable_track_without_the_package_set_fails(nix_eval) -> None:
    failed = failed_assertions(
        nix_eval, "laptop", '{ services.aistack.llamaCpp.track = "unstable"; }'
    )
    assert len(failed) == 1
    assert "services.aistack.llamaCpp.unstablePkgs" in failed[0]
    assert "nixosModules.default" in failed[0]


def test_unstable_track_takes_llama_cpp_from_unstable(nix_eval) -> None:
    values = nix_eval(
        eval_host(
            "server",
            """{
              services.aistack.llamaCpp.track = "unstable";
              services.aistack.llamaCpp.unstablePkgs = standIn.mkPkgs { set = "unstable"; };
            }""",
        )
        + """{
          inherit failed;
          pkg = { inherit (c.services.aistack.llamaCpp.package) nixpkgsSet overrideArgs; path = c.services.aistack.llamaCpp.package.outPath; };
          execStart = c.systemd.services.llama-cpp.serviceConfig.ExecStart;
          planExec = plan.policies.llama-cpp.exec;
        }"""
    )
    assert values["failed"] == []
    assert values["pkg"]["nixpkgsSet"] == "unstable"
    assert values["pkg"]["overrideArgs"]["cudaSupport"] is True
    assert shlex.split(values["execStart"])[0] == values["pkg"]["path"] + "/bin/llama-server"
    assert values["planExec"] == values["pkg"]["path"] + "/bin/llama-server"


# --- sbc-minimal's closure -----------------------------------------------------

CLOSURE = """
let
  heavy = [ "open-webui" "grafana" "prometheus" "qdrant" ];
in {
  services = lib.filter (n: c.services.${n}.enable) heavy
    ++ lib.optional (c.systemd.services ? llama-cpp) "llama-cpp"
    ++ map (n: "redis-" + n) (lib.attrNames (lib.filterAttrs (_: s: s.enable) c.services.redis.servers));
  units = lib.attrNames c.systemd.services;
  packages = map (p: p.name or (toString p)) c.environment.systemPackages;
  llamaCppFeatures = lib.attrNames (lib.filterAttrs (_: on: on) c.services.aistack.llamaCpp.package.overrideArgs);
}
"""


def closure_problems(closure: dict) -> list[str]:
    """What in a closure listing a micro board must not have."""
    problems = [f"service {s}" for s in closure["services"] if s in HEAVY_SERVICES]
    problems += [f"unit {u}" for u in closure["units"] if any(h in u for h in HEAVY_SERVICES)]
    problems += [
        f"package {p}"
        for p in closure["packages"]
        if any(h in p for h in (*HEAVY_SERVICES, "cuda", "rocm"))
    ]
    problems += [
        f"llama-cpp {f}" for f in closure["llamaCppFeatures"] if f in ("cudaSupport", "rocmSupport")
    ]
    return problems


def test_sbc_minimal_closure_stays_small(nix_eval) -> None:
    closure = nix_eval(eval_host("sbc-minimal") + CLOSURE)
    print("sbc-minimal pulls in:", json.dumps(closure, indent=1))
    assert closure_problems(closure) == []
    assert closure["llamaCppFeatures"] == ["blasSupport"]
    assert "llama-cpp" in closure["services"]
    assert "redis-aistack" in closure["services"]
    # Exactly the plan's units, nothing a heavier tier adds.
    plan_units = nix_eval(eval_host("sbc-minimal") + "lib.attrNames plan.units")
    # (aistack-firewall loads the egress table for them: modules/firewall.nix.)
    assert sorted(closure["units"]) == sorted([*plan_units, "aistack-firewall"])


def test_closure_check_catches_heavy_parts(nix_eval) -> None:
    """The same listing, for a board that was given Grafana and a CUDA build."""
    closure = nix_eval(
        eval_host(
            "sbc-minimal",
            """{ pkgs, ... }: {
              services.grafana.enable = true;
              services.aistack.llamaCpp.package = pkgs.llama-cpp.override { cudaSupport = true; };
            }""",
        )
        + CLOSURE
    )
    assert closure_problems(closure) == ["service grafana", "llama-cpp cudaSupport"]


def test_closure_listing_sees_what_a_medium_host_runs(nix_eval) -> None:
    """On the medium laptop the monitoring and web UI modules are on by default:
    the same listing names them, so its silence on sbc-minimal means something."""
    closure = nix_eval(eval_host("laptop") + CLOSURE)
    problems = closure_problems(closure)
    assert {f"service {s}" for s in HEAVY_SERVICES} <= set(problems)
    assert not any("cuda" in p.lower() or "rocm" in p.lower() for p in problems)


def test_server_admits_only_cudas_unfree_packages(nix_eval) -> None:
    """The CUDA build needs NVIDIA's unfree libraries; nothing else unfree gets in."""
    allowed = nix_eval(
        eval_host("server")
        + """map (n: c.nixpkgs.config.allowUnfreePredicate { pname = n; name = n + "-1.0"; })
          [ "cuda_cudart" "libcublas" "cuda_nvcc" "steam" "nvidia-x11" ]"""
    )
    assert allowed == [True, True, True, False, False]


def test_task_runner_takes_its_programs_from_the_store(nix_eval) -> None:
    """On NixOS the sandbox and the default agent are store paths, not PATH lookups;
    a host still points either elsewhere with a plain assignment."""
    values = nix_eval(
        eval_host("server")
        + """{
          sandbox = plan.services.tasks.config.sandbox.bwrap;
          aider = builtins.head plan.services.tasks.config.tools.aider.command;
          rw = c.systemd.services.aistack-tasks.serviceConfig.ReadWritePaths;
          delegate = c.systemd.services.aistack-tasks.serviceConfig.Delegate;
        }"""
    )
    assert values["sandbox"].startswith("/nix/store/") and values["sandbox"].endswith("/bin/bwrap")
    assert values["aider"].startswith("/nix/store/") and values["aider"].endswith("/bin/aider")
    assert values["rw"] == ["/srv/code"]
    assert values["delegate"] == "pids memory"
    overridden = nix_eval(
        eval_host("server", '{ services.aistack.tasks.bwrap = "/opt/bwrap"; }')
        + "plan.services.tasks.config.sandbox.bwrap"
    )
    assert overridden == "/opt/bwrap"


def test_dashboard_may_run_exactly_the_systems_systemctl(nix_eval) -> None:
    """The dashboard reads units' states with `systemctl show`: its AppArmor
    policy admits the host's systemd bin directory and the system bus, and no
    other service gets either."""
    policies = nix_eval(
        eval_host("laptop")
        + """lib.mapAttrs (_: p: { inherit (p) execPaths; bus = lib.elem "/run/dbus/system_bus_socket" p.unixSockets; }) plan.policies"""
    )
    dashboard = policies.pop("aistack-dashboard")
    assert len(dashboard["execPaths"]) == 1
    assert dashboard["execPaths"][0].startswith("/nix/store/")
    assert dashboard["execPaths"][0].endswith("-systemd/bin") and dashboard["bus"]
    assert not any(p["bus"] or p["execPaths"] for p in policies.values()), policies


def test_postgresql_state_store_is_one_peer_authenticated_database_per_service(nix_eval) -> None:
    """stateStore = "postgresql": each service with records gets its own
    database and role named after its unit on the host's PostgreSQL, reached
    over the Unix socket (AppArmor admits it, the unit orders after it), and
    the dashboard probes it."""
    values = nix_eval(
        eval_host("laptop", '{ services.aistack.stateStore = "postgresql"; }')
        + """{
          pg = { inherit (c.services.postgresql) enable ensureDatabases ensureUsers; };
          stores = lib.mapAttrs (_: s: s.config.state_store) (lib.filterAttrs (_: s: s.config ? state_store) plan.services);
          sockets = plan.policies.aistack-knowledge.unixSockets;
          after = plan.units.aistack-knowledge.after;
          probes = map (t: { inherit (t) name; user = t.user or null; }) plan.services.dashboard.config.targets;
        }"""
    )
    assert values["pg"]["enable"] is True
    assert sorted(values["pg"]["ensureDatabases"]) == ["aistack-coordinator", "aistack-knowledge"]
    owners = [u for u in values["pg"]["ensureUsers"] if u["name"] != "aistack-dashboard"]
    assert all(u["ensureDBOwnership"] for u in owners) and len(owners) == 2
    for name, store in values["stores"].items():
        assert store == {
            "kind": "postgresql",
            "host": "/run/postgresql",
            "dbname": f"aistack-{name}",
            "user": f"aistack-{name}",
        }
    assert "/run/postgresql/.s.PGSQL.5432" in values["sockets"]
    assert "postgresql.service" in values["after"]
    # The dashboard probes it as itself (peer authentication), with a role of its own.
    assert {"name": "postgresql", "user": "aistack-dashboard"} in values["probes"]
    assert {"name": "aistack-dashboard", "ensureDBOwnership": False} in values["pg"]["ensureUsers"]
    sqlite = nix_eval(eval_host("laptop") + "c.services.postgresql.enable")
    assert sqlite is False


def test_learning_pass_runs_weekly_as_the_coordinator_without_network(nix_eval) -> None:
    """`aistack learn` is a oneshot started by a weekly timer, as the
    coordinator's dynamic user, in its AppArmor profile and state directory,
    with no IP network; there is none where the coordinator does not run."""
    values = nix_eval(
        eval_host("laptop")
        + """{
          timer = c.systemd.timers.aistack-learn.timerConfig;
          svc = c.systemd.services.aistack-learn.serviceConfig;
          rendered = plan.units.aistack-learn.timer;
        }"""
    )
    assert values["timer"]["OnCalendar"] == "weekly"
    assert values["timer"]["Persistent"] is True
    assert values["timer"]["Unit"] == "aistack-learn.service"
    svc = values["svc"]
    assert svc["Type"] == "oneshot" and svc["User"] == "aistack-coordinator"
    assert svc["AppArmorProfile"] == "aistack-coordinator"
    assert svc["StateDirectory"] == "aistack-coordinator"
    assert svc["PrivateNetwork"] is True and "Restart" not in svc
    assert svc["ExecStart"].endswith('"learn" "--config" "/etc/aistack/coordinator.json"')
    assert values["rendered"]["onCalendar"] == "weekly"
    without = nix_eval(
        eval_host("laptop", "{ services.aistack.services.coordinator.enable = false; }")
        + "c.systemd.timers ? aistack-learn"
    )
    assert without is False
