"""knowledgeSources in the plan and on NixOS: the sync oneshots (egress only where a
remote source is synced, the knowledge socket through the socket group), one
timer per distinct schedule, the sources file in /etc, nothing when empty."""

from __future__ import annotations

import json
import shutil
import subprocess

from aistack.sources.load import load_sources

from conftest import REPO_ROOT

PLAN = """
let
  aistack = import (repo + "/lib") {{ inherit lib; }};
  p = aistack.mkPlan {{
    settings = aistack.evalSettings {{
      facts = import (repo + "/hosts/laptop/facts.nix");
      knowledgeSources = {sources};
    }};
  }};
in {{
  inherit (p) sourceSync;
  units = lib.filter (lib.hasPrefix "aistack-sync") (builtins.attrNames p.units);
  policies = lib.filterAttrs (n: _: lib.hasPrefix "aistack-sync" n) p.policies;
  knowledgeNet = p.units.aistack-knowledge.serviceConfig.PrivateNetwork;
}}
"""

SOURCES = """[
  { id = "handbook"; type = "local_dir"; path = "/home/ann/handbook"; schedule = "daily"; }
  { id = "nixdev"; type = "url"; urls = [ "https://nix.dev/manual/" "https://wiki.nixos.org:8443/x" ];
    schedule = "Mon *-*-* 03:00:00"; }
  { id = "repo"; type = "git_repo"; repo = "https://github.com/NixOS/nix.dev.git"; schedule = "daily"; }
  { id = "off"; type = "url"; urls = [ "https://example.org/" ]; schedule = "hourly"; enabled = false; }
]"""


def test_no_sources_no_units(nix_eval) -> None:
    plan = nix_eval(PLAN.format(sources="[ ]"))
    assert plan["sourceSync"] is None and plan["units"] == [] and plan["policies"] == {}


def test_units_and_timers_per_schedule(nix_eval) -> None:
    plan = nix_eval(PLAN.format(sources=SOURCES))
    sync = plan["sourceSync"]
    weekly = (
        "aistack-sync-sources-"
        + __import__("hashlib").sha256(b"Mon *-*-* 03:00:00").hexdigest()[:8]
    )
    assert sorted(plan["units"]) == sorted(
        ["aistack-sync-sources", "aistack-sync-sources-daily", weekly]
    )
    # A disabled source's schedule gets no timer.
    assert {t["timer"]: t["onCalendar"] for t in sync["timers"]} == {
        "aistack-sync-sources-daily": "daily",
        weekly: "Mon *-*-* 03:00:00",
    }
    assert all(t["unit"] == t["timer"] + ".service" for t in sync["timers"])
    units = {u["unit"]: u for u in sync["units"]}
    assert units["aistack-sync-sources"]["sources"] == ["handbook", "nixdev", "repo"]
    assert units["aistack-sync-sources-daily"]["sources"] == ["handbook", "repo"]
    assert units[weekly]["sources"] == ["nixdev"]
    assert units[weekly]["execArgs"][-2:] == ["--schedule", "Mon *-*-* 03:00:00"]
    assert '"--schedule" "Mon *-*-* 03:00:00"' in units[weekly]["serviceConfig"]["ExecStart"]
    assert units["aistack-sync-sources"]["execArgs"][1:] == [
        "sync-sources",
        *("--config", "/etc/aistack/knowledge.json"),
        *("--sources", "/etc/aistack/knowledge-sources.yaml"),
        *("--state", "/var/lib/aistack-sync-sources/sync-sources.json"),
    ]
    for unit in units.values():
        sc = unit["serviceConfig"]
        assert sc["Type"] == "oneshot" and sc["DynamicUser"] is True
        assert sc["SupplementaryGroups"] == ["aistack"]
        assert sc["StateDirectory"] == "aistack-sync-sources"
        assert sc["AppArmorProfile"] == unit["unit"]
        assert sc["NFTSet"].endswith(unit["unit"].replace("-", "_"))
        assert plan["policies"][unit["unit"]]["unixSockets"] == ["/run/aistack/knowledge.sock"]
    # The knowledge service stays offline; only the units syncing remote sources get egress.
    assert plan["knowledgeNet"] is True
    for name in ("aistack-sync-sources", "aistack-sync-sources-daily", weekly):
        assert units[name]["serviceConfig"]["RestrictAddressFamilies"] == [
            "AF_UNIX",
            "AF_INET",
            "AF_INET6",
        ]
        assert plan["policies"][name]["network"] == "egress"
    assert plan["policies"][weekly]["egress"]["remote"] == [
        {"host": "nix.dev", "port": 443},
        {"host": "wiki.nixos.org", "port": 8443},
    ]
    assert plan["policies"]["aistack-sync-sources-daily"]["egress"]["remote"] == [
        {"host": "github.com", "port": 443}
    ]
    # git runs under the profile of the units that clone; they may write /tmp (PrivateTmp).
    assert units["aistack-sync-sources-daily"]["usesGit"] is True
    assert plan["policies"]["aistack-sync-sources-daily"]["execPaths"] == ["/nix/store"]
    assert "/tmp" in plan["policies"]["aistack-sync-sources-daily"]["writePaths"]
    assert units[weekly]["usesGit"] is False and plan["policies"][weekly]["execPaths"] == []
    # The local directory is readable despite ProtectHome=.
    daily = units["aistack-sync-sources-daily"]
    assert daily["serviceConfig"]["BindReadOnlyPaths"] == ["-/home/ann/handbook"]
    assert "/home/ann/handbook" in plan["policies"]["aistack-sync-sources-daily"]["readPaths"]


def test_local_only_sources_get_no_network(nix_eval) -> None:
    plan = nix_eval(
        PLAN.format(sources='[ { id = "docs"; type = "local_dir"; path = "/srv/docs"; } ]')
    )
    (unit,) = plan["sourceSync"]["units"]
    assert plan["sourceSync"]["timers"] == []  # no schedule: by hand only
    assert unit["serviceConfig"]["PrivateNetwork"] is True
    assert unit["serviceConfig"]["RestrictAddressFamilies"] == ["AF_UNIX"]
    assert plan["policies"]["aistack-sync-sources"]["network"] == "none"


def test_nixos_module_writes_units_timers_and_sources_file(nix_eval) -> None:
    result = nix_eval(
        """
        let
          standIn = import (repo + "/checks/nixos-stand-in.nix") { inherit lib; };
          eval = standIn.eval {
            modules = [
              (repo + "/modules/nixos.nix")
              (repo + "/hosts/laptop/aistack.nix")
              { services.aistack.knowledgeSources = SOURCES; }
            ];
          };
          c = eval.config;
          sync = lib.filterAttrs (n: _: lib.hasPrefix "aistack-sync" n) c.systemd.services;
        in {
          services = lib.mapAttrs (_: s: {
            exec = s.serviceConfig.ExecStart;
            path = map (p: p.name) s.path;
            inherit (s) restartIfChanged;
          }) sync;
          timers = c.systemd.timers;
          sourcesFile = c.environment.etc."aistack/knowledge-sources.yaml".source.value;
          assertionsOk = lib.all (a: a.assertion) c.assertions;
        }
        """.replace("SOURCES", SOURCES)
    )
    assert result["assertionsOk"] is True
    timers = result["timers"]
    assert timers["aistack-sync-sources-daily"]["wantedBy"] == ["timers.target"]
    assert timers["aistack-sync-sources-daily"]["timerConfig"] == {
        "OnCalendar": "daily",
        "Unit": "aistack-sync-sources-daily.service",
        "Persistent": True,
        "RandomizedDelaySec": "10min",
    }
    # The two schedules' timers, and the coordinator's weekly learning pass.
    assert sorted(timers) == sorted(
        ["aistack-sync-sources-daily", "aistack-sync-sources-2f35a731", "aistack-learn"]
    ), sorted(timers)
    services = result["services"]
    assert len(services) == 3
    assert services["aistack-sync-sources-daily"]["path"] == ["git"]
    assert services["aistack-sync-sources"]["exec"].startswith('"/nix/store/')
    assert all(s["restartIfChanged"] is False for s in services.values())
    written = result["sourcesFile"]
    assert written["schema_version"] == 1
    ids = [s["id"] for s in written["sources"]]
    assert ids == ["handbook", "nixdev", "repo", "off"]
    assert written["sources"][1]["urls"] == [
        "https://nix.dev/manual/",
        "https://wiki.nixos.org:8443/x",
    ]
    assert written["sources"][3]["enabled"] is False


def test_the_rendered_sources_file_is_what_sync_sources_reads(nix_eval, tmp_path) -> None:
    """The module's value, written as YAML, passes the Python model unchanged."""
    value = nix_eval(
        """
        let
          standIn = import (repo + "/checks/nixos-stand-in.nix") { inherit lib; };
          c = (standIn.eval {
            modules = [
              (repo + "/modules/nixos.nix")
              (repo + "/hosts/laptop/aistack.nix")
              { services.aistack.knowledgeSources = SOURCES; }
            ];
          }).config;
        in c.environment.etc."aistack/knowledge-sources.yaml".source.value
        """.replace("SOURCES", SOURCES)
    )
    path = tmp_path / "knowledge-sources.yaml"
    path.write_text(json.dumps(value))  # JSON is YAML
    parsed = load_sources(path)
    assert [s.id for s in parsed.sources] == ["handbook", "nixdev", "repo", "off"]
    assert parsed.sources[2].ref == "HEAD" and parsed.sources[3].enabled is False


def test_render_writes_the_units_and_the_sources_file(tmp_path, nixpkgs_lib) -> None:
    """``aistack render`` (the tree a non-NixOS host or ``aistack dev`` uses) writes
    the sync units, their AppArmor profiles and the sources file they read."""
    host = tmp_path / "srchost"
    shutil.copytree(REPO_ROOT / "hosts" / "laptop", host)
    (host / "aistack.nix").write_text(
        "{ services.aistack = { enable = true; facts = import ./facts.nix;\n"
        f"  knowledgeSources = {SOURCES}; }}; }}\n"
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        ["aistack", "render", str(host), "--out", str(out), "--source", str(REPO_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    parsed = load_sources(out / "etc" / "aistack" / "knowledge-sources.yaml")
    assert [s.id for s in parsed.sources] == ["handbook", "nixdev", "repo", "off"]
    unit = (out / "systemd" / "aistack-sync-sources-daily.service").read_text()
    assert "Type=oneshot" in unit and "AppArmorProfile=aistack-sync-sources-daily" in unit
    assert '"--schedule" "daily"' in unit and "SupplementaryGroups=aistack" in unit
    profile = (out / "apparmor" / "aistack-sync-sources-daily").read_text()
    assert "/run/aistack/knowledge.sock rw," in profile
    assert "/etc/aistack/knowledge-sources.yaml r," in profile
    assert "set aistack_sync_sources_daily" in (out / "nftables.nft").read_text()
