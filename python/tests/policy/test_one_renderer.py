"""One renderer: the files ``aistack render`` writes are the files the NixOS module
builds (``aistack render-policy`` on the plan's policies), byte for byte, and the
module hands them to NixOS' own options by path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from aistack.render.apparmor import profile_name
from aistack.render.nftables import nft_set_directive

from conftest import HOSTS


def render_policy(policies_json: Path, out: Path) -> None:
    proc = subprocess.run(
        ["aistack", "render-policy", "--policies", str(policies_json), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def tree(root: Path) -> dict[str, bytes]:
    files = [root / "nftables.nft", *sorted((root / "apparmor").iterdir())]
    return {str(f.relative_to(root)): f.read_bytes() for f in files}


@pytest.mark.artifacts
@pytest.mark.parametrize("host", HOSTS)
def test_render_and_render_policy_agree(
    host: str, rendered: dict[str, Path], tmp_path: Path
) -> None:
    """``aistack render HOST`` and ``aistack render-policy --policies <its policies>``
    write the same bytes."""
    plan = json.loads((rendered[host] / "plan.json").read_text())
    policies = tmp_path / "policies.json"
    policies.write_text(json.dumps(plan["policies"]))
    render_policy(policies, tmp_path / "out")
    ours, theirs = tree(rendered[host]), tree(tmp_path / "out")
    assert list(ours) == list(theirs)
    assert len(ours) == len(plan["policies"]) + 1
    for name in ours:
        assert ours[name] == theirs[name], name


def _module(host: str, extra: str = "{ }") -> str:
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
      drv = c.services.aistack.renderedPolicy;
      fw = c.systemd.services.aistack-firewall;
    in {{
      script = drv.script;
      policiesText = drv.env.policies.text;
      closureRoots = map toString drv.env.closure.rootPaths;
      out = toString drv;
      apparmorEnable = c.security.apparmor.enable;
      apparmor = lib.mapAttrs (_: p: {{ inherit (p) state path; }}) c.security.apparmor.policies;
      planPolicies = c.services.aistack.plan.policies;
      unitNames = lib.mapAttrs (u: _: {{
        inherit (c.systemd.services.${{u}}.serviceConfig) NFTSet AppArmorProfile;
      }}) c.services.aistack.plan.policies;
      firewall = {{
        inherit (fw) before requiredBy after wantedBy;
        exec = fw.serviceConfig.ExecStart;
        reload = fw.serviceConfig.ExecReload;
        propagated = fw.unitConfig.ReloadPropagatedFrom;
      }};
    }}
    """


@pytest.mark.nix
@pytest.mark.parametrize("host", HOSTS)
def test_nixos_module_builds_the_same_files(
    host: str, nix_eval, tmp_path: Path, rendered: dict[str, Path]
) -> None:
    """The module renders with the packaged CLI from exactly the plan's policies, and
    passes each profile (by path, state from apparmorMode) and the ruleset on."""
    v = nix_eval(_module(host))
    assert "aistack render-policy" in v["script"]
    assert '--closure "$closure/store-paths"' in v["script"]
    assert json.loads(v["policiesText"]) == v["planPolicies"]
    assert any(
        r.endswith("/etc/aistack/coordinator.json") or "aistack-coordinator.json" in r
        for r in v["closureRoots"]
    )

    units = sorted(v["planPolicies"])
    assert v["apparmorEnable"] is True
    assert v["apparmor"] == {
        profile_name(v["planPolicies"][u]): {
            "state": v["planPolicies"][u]["apparmorMode"],
            "path": f"{v['out']}/apparmor/{profile_name(v['planPolicies'][u])}",
        }
        for u in units
    }
    fw = v["firewall"]
    assert fw["exec"][0].endswith(f"/bin/nft -f {v['out']}/nftables.nft")
    assert fw["reload"] == fw["exec"]
    assert sorted(fw["before"]) == sorted(fw["requiredBy"]) == [f"{u}.service" for u in units]
    assert fw["after"] == ["nftables.service"] and fw["propagated"] == ["nftables.service"]
    assert fw["exec"][1].endswith("-aistack-firewall-register")
    # The set and profile each unit enters (NFTSet=, AppArmorProfile=) are the
    # names its policy carries, and exist under those names in the rendered files.
    ruleset = (rendered[host] / "nftables.nft").read_text()
    for unit in units:
        policy = v["planPolicies"][unit]
        assert v["unitNames"][unit] == {
            "NFTSet": nft_set_directive(policy),
            "AppArmorProfile": profile_name(policy),
        }
        set_ = nft_set_directive(policy).rsplit(":", 1)[1]
        assert f"set {set_} {{\n\t\ttype cgroupsv2" in ruleset
        assert (rendered[host] / "apparmor" / profile_name(policy)).is_file()

    # The module's policies JSON, rendered: valid for both tools, like the CI files.
    policies = tmp_path / "policies.json"
    policies.write_text(v["policiesText"])
    render_policy(policies, tmp_path / "out")
    for profile in (tmp_path / "out" / "apparmor").iterdir():
        proc = subprocess.run(
            ["apparmor_parser", "-Q", "-K", "-T", str(profile)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        ["unshare", "-n", "nft", "-c", "-f", str(tmp_path / "out" / "nftables.nft")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.nix
def test_complain_option_reaches_nixos_and_the_profile(nix_eval, tmp_path: Path) -> None:
    """services.aistack.services.coordinator.apparmorMode = "complain": the policy's
    state is complain and the built profile carries flags=(complain)."""
    v = nix_eval(
        _module("laptop", '{ services.aistack.services.coordinator.apparmorMode = "complain"; }')
    )
    assert v["apparmor"]["aistack-coordinator"]["state"] == "complain"
    assert v["apparmor"]["aistack-embeddings"]["state"] == "enforce"
    policies = tmp_path / "policies.json"
    policies.write_text(v["policiesText"])
    render_policy(policies, tmp_path / "out")
    text = (tmp_path / "out" / "apparmor" / "aistack-coordinator").read_text()
    assert "profile aistack-coordinator flags=(complain) {" in text
    assert (
        "flags=(complain)" not in (tmp_path / "out" / "apparmor" / "aistack-embeddings").read_text()
    )


@pytest.mark.nix
def test_without_apparmor_units_do_not_require_a_profile(nix_eval) -> None:
    """A host that turns AppArmor off gets no hard AppArmorProfile= requirement."""
    v = nix_eval(
        _module("laptop", "{ security.apparmor.enable = false; }").replace(
            "in {",
            "in { profileDirective = c.systemd.services.aistack-coordinator.serviceConfig.AppArmorProfile;",
            1,
        )
    )
    assert v["apparmorEnable"] is False
    assert v["profileDirective"] == "-aistack-coordinator"
