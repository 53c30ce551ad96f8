"""flake.nix's outputs, evaluated with nixpkgs' lib standing in for the nixpkgs input.

The real input cannot be fetched here; the outputs' shape, the host list and
the module wiring are what this checks. `nix flake check` on a connected
machine builds them for real (.github/workflows/nix.yml).
"""

from __future__ import annotations

import pytest

from conftest import HOSTS

FLAKE = """
let
  stubNixpkgs = {
    lib = lib // { nixosSystem = args: { nixosSystemArgs = args; }; };
    legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
      inherit system;
      stdenv.hostPlatform.system = system;
      nixfmt-tree = { name = "nixfmt-tree"; };
    });
  };
  flake = import (repo + "/flake.nix");
  outputs = flake.outputs { self = outputs; nixpkgs = stubNixpkgs; nixpkgs-unstable = UNSTABLE; };
in
"""

# nixpkgs-unstable stand-in: `import input { system; config; }` gives a package
# set; this one reports what it was called with.
UNSTABLE_DEFAULT_NIX = """
{ system, config }:
{
  calledWith = { inherit system config; };
  llama-cpp = { type = "derivation"; name = "llama-cpp-unstable"; outPath = "/nix/store/fake-llama-cpp-unstable"; };
}
"""


@pytest.fixture(scope="module")
def unstable_input(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A directory standing in for the nixpkgs-unstable input, as a Nix path literal."""
    root = tmp_path_factory.mktemp("nixpkgs-unstable")
    (root / "default.nix").write_text(UNSTABLE_DEFAULT_NIX)
    return str(root)


@pytest.fixture
def flake_eval(nix_eval, unstable_input: str):
    """Evaluate ``body`` with ``flake`` and ``outputs`` (stub inputs) in scope."""
    return lambda body: nix_eval(FLAKE.replace("UNSTABLE", unstable_input) + body)


def test_flake_outputs(flake_eval) -> None:
    result = flake_eval(
        """
        {
          nixpkgsUrl = flake.inputs.nixpkgs.url;
          unstableUrl = flake.inputs.nixpkgs-unstable.url;
          top = lib.attrNames outputs;
          systems = map (n: lib.attrNames outputs.${n}) [ "packages" "checks" "devShells" "formatter" ];
          hosts = lib.attrNames outputs.nixosConfigurations;
          hostSystems = lib.mapAttrs (_: c: c.nixosSystemArgs.system) outputs.nixosConfigurations;
          hostModules = map (m: if builtins.isFunction m then "<function>" else toString m)
            outputs.nixosConfigurations.laptop.nixosSystemArgs.modules;
          template = builtins.pathExists (outputs.templates.sbc.path + "/facts.nix");
          libTier = outputs.lib.hardwareTier { systemRamGb = 4; };
          formatter = outputs.formatter.x86_64-linux.name;
        }
        """
    )
    assert result["nixpkgsUrl"] == "github:NixOS/nixpkgs/nixos-26.05"
    assert result["unstableUrl"] == "github:NixOS/nixpkgs/nixos-unstable"
    assert {
        "lib",
        "nixosModules",
        "nixosConfigurations",
        "packages",
        "checks",
        "templates",
        "devShells",
        "formatter",
        "hydraJobs",
    } <= set(result["top"])
    assert result["systems"] == [["aarch64-linux", "x86_64-linux"]] * 4
    assert result["hosts"] == HOSTS
    assert result["hostSystems"] == {
        "laptop": "x86_64-linux",
        "sbc-minimal": "aarch64-linux",
        "server": "x86_64-linux",
    }
    assert result["hostModules"][0] == "<function>"  # nixosModules.default, see below
    assert result["hostModules"][1].endswith("/hosts/laptop/configuration.nix")
    assert result["template"] is True
    assert result["libTier"] == "micro"
    # A bare `nix fmt` formats the tree (nixfmt alone would wait on stdin).
    assert result["formatter"] == "nixfmt-tree"


def test_flake_uses_no_deprecated_pkgs_system() -> None:
    """`pkgs.system` is deprecated in current nixpkgs; the host platform says it."""
    from conftest import REPO_ROOT

    for path in [REPO_ROOT / "flake.nix", *(REPO_ROOT / "modules").rglob("*.nix")]:
        assert "pkgs.system" not in path.read_text().replace("hostPlatform.system", ""), path


def test_default_module_passes_unstable_llama_cpp(flake_eval) -> None:
    """nixosModules.default imports ./modules and hands them nixpkgs-unstable,
    instantiated for the host's system with the host's nixpkgs.config."""
    result = flake_eval(
        """
        let
          m = outputs.nixosModules.default {
            inherit lib;
            config.nixpkgs.config = { allowUnfree = true; cudaSupport = true; };
            pkgs.stdenv.hostPlatform.system = "aarch64-linux";
          };
          unstable = m.services.aistack.llamaCpp.unstablePkgs;
        in {
          imports = map toString m.imports;
          priority = unstable.priority;
          calledWith = unstable.content.calledWith;
          llamaCpp = unstable.content.llama-cpp.name;
        }
        """
    )
    assert len(result["imports"]) == 1 and result["imports"][0].endswith("/modules")
    assert result["priority"] == 1000  # mkDefault: a host may pass its own set
    assert result["calledWith"] == {
        "system": "aarch64-linux",
        "config": {"allowUnfree": True, "cudaSupport": True},
    }
    assert result["llamaCpp"] == "llama-cpp-unstable"


def test_workflow_builds_every_host_against_both_channels() -> None:
    """.github/workflows/nix.yml builds each host's toplevel against the pinned
    release and nixos-unstable, and runs the flake checks (VM tests) on both."""
    import yaml

    from conftest import REPO_ROOT

    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "nix.yml").read_text())
    hosts = workflow["jobs"]["hosts"]
    assert sorted(hosts["strategy"]["matrix"]["host"]) == HOSTS
    channels = ["nixos-26.05", "nixos-unstable"]
    assert hosts["strategy"]["matrix"]["nixpkgs"] == channels
    build = " ".join(step.get("run", "") for step in hosts["steps"])
    assert "config.system.build.toplevel" in build and "--override-input nixpkgs" in build
    checks = workflow["jobs"]["checks"]
    assert checks["strategy"]["matrix"]["nixpkgs"] == channels
    assert any("nix flake check" in step.get("run", "") for step in checks["steps"])
