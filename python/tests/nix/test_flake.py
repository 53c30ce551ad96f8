"""flake.nix's outputs, evaluated with nixpkgs' lib standing in for the nixpkgs input.

The real input cannot be fetched here; the outputs' shape, the host list and
the module wiring are what this checks. `nix flake check` on a connected
machine builds them for real (.github/workflows/nix.yml).
"""

from __future__ import annotations

from conftest import HOSTS

FLAKE = """
let
  stubNixpkgs = {
    lib = lib // { nixosSystem = args: { nixosSystemArgs = args; }; };
    legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: { inherit system; });
  };
  flake = import (repo + "/flake.nix");
  outputs = flake.outputs { self = outputs; nixpkgs = stubNixpkgs; };
in
"""


def test_flake_outputs(nix_eval) -> None:
    result = nix_eval(
        FLAKE
        + """
        {
          nixpkgsUrl = flake.inputs.nixpkgs.url;
          top = lib.attrNames outputs;
          systems = map (n: lib.attrNames outputs.${n}) [ "packages" "checks" "devShells" "formatter" ];
          hosts = lib.attrNames outputs.nixosConfigurations;
          hostSystems = lib.mapAttrs (_: c: c.nixosSystemArgs.system) outputs.nixosConfigurations;
          hostModules = map toString outputs.nixosConfigurations.laptop.nixosSystemArgs.modules;
          template = builtins.pathExists (outputs.templates.sbc.path + "/facts.nix");
          libTier = outputs.lib.hardwareTier { systemRamGb = 4; };
        }
        """
    )
    assert result["nixpkgsUrl"] == "github:NixOS/nixpkgs/nixos-26.05"
    assert {
        "lib",
        "nixosModules",
        "nixosConfigurations",
        "packages",
        "checks",
        "templates",
        "devShells",
        "formatter",
    } <= set(result["top"])
    assert result["systems"] == [["aarch64-linux", "x86_64-linux"]] * 4
    assert result["hosts"] == HOSTS
    assert result["hostSystems"] == {
        "laptop": "x86_64-linux",
        "sbc-minimal": "aarch64-linux",
        "server": "x86_64-linux",
    }
    assert result["hostModules"][0].endswith("/modules")
    assert result["hostModules"][1].endswith("/hosts/laptop/configuration.nix")
    assert result["template"] is True
    assert result["libTier"] == "micro"
