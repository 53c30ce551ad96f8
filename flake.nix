{
  description = "nixos-ai-stack: a hardened, hardware-tier-aware, local-first AI stack for NixOS";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # Every folder in hosts/ is a NixOS configuration; its facts decide the system.
      hostNames = lib.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir ./hosts));
      systemOf = facts: "${facts.cpuArchitecture or "x86_64"}-linux";
    in
    {
      lib = import ./lib { inherit lib; };

      nixosModules.default = ./modules;

      nixosConfigurations = lib.genAttrs hostNames (
        name:
        lib.nixosSystem {
          system = systemOf (import ./hosts/${name}/facts.nix);
          modules = [
            self.nixosModules.default
            ./hosts/${name}/configuration.nix
          ];
        }
      );

      packages = forAllSystems (pkgs: rec {
        aistack = pkgs.callPackage ./pkgs/aistack.nix { };
        default = aistack;
      });

      checks = forAllSystems (
        pkgs:
        import ./checks {
          inherit pkgs;
          aistack = self.packages.${pkgs.system}.aistack;
        }
      );

      templates.sbc = {
        path = ./templates/sbc;
        description = "A new single-board computer: fill in hostName and systemRamGb";
      };

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.system}.aistack ];
          packages = [
            pkgs.nixfmt-rfc-style
            pkgs.ruff
            pkgs.python3Packages.pytest
            pkgs.redis
            pkgs.nftables
            pkgs.apparmor-parser
          ];
          # The tests evaluate lib with the same nixpkgs the flake pins.
          NIXPKGS_LIB = "${nixpkgs}";
        };
      });

      formatter = forAllSystems (pkgs: pkgs.nixfmt-rfc-style);
    };
}
