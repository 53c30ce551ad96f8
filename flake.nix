{
  description = "nixos-ai-stack: a hardened, hardware-tier-aware, local-first AI stack for NixOS";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
  # llama.cpp alone may come from here (services.aistack.llamaCpp.track =
  # "unstable"): a newer llama.cpp without moving the system.
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    {
      self,
      nixpkgs,
      nixpkgs-unstable,
    }:
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

      # The modules, plus the unstable package set for track = "unstable",
      # instantiated for this system with its nixpkgs.config (CUDA's licence
      # choice carries over). Lazy: nothing of it is evaluated on "stable".
      nixosModules.default =
        {
          config,
          lib,
          pkgs,
          ...
        }:
        {
          _file = "${toString ./flake.nix}#nixosModules.default";
          imports = [ ./modules ];
          services.aistack.llamaCpp.unstablePkgs = lib.mkDefault (
            import nixpkgs-unstable {
              system = pkgs.stdenv.hostPlatform.system;
              inherit (config.nixpkgs) config;
            }
          );
        };

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
          aistack = self.packages.${pkgs.stdenv.hostPlatform.system}.aistack;
        }
        // {
          # The whole NixOS module's options (services.aistack.*, the package
          # options included) as nixpkgs renders option docs. docs/options.md
          # is the options module's part, checked for drift by `options-md`.
          options-doc =
            (pkgs.nixosOptionsDoc {
              options =
                (lib.nixosSystem {
                  inherit (pkgs.stdenv.hostPlatform) system;
                  modules = [
                    self.nixosModules.default
                    { system.stateVersion = "26.05"; }
                  ];
                }).options.services.aistack;
              # Declarations as paths in this repository, not in the store.
              transformOptions =
                opt:
                opt
                // {
                  declarations = map (d: lib.removePrefix "${self}/" (toString d)) opt.declarations;
                };
            }).optionsCommonMark;
        }
        # Every host of this system, built whole (srvos' dev/checks.nix does the same).
        // lib.listToAttrs (
          map (name: lib.nameValuePair "host-${name}" self.nixosConfigurations.${name}.config.system.build.toplevel) (
            lib.filter (name: systemOf (import ./hosts/${name}/facts.nix) == pkgs.stdenv.hostPlatform.system) hostNames
          )
        )
      );

      templates.sbc = {
        path = ./templates/sbc;
        description = "A new single-board computer: fill in hostName and systemRamGb";
      };

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.stdenv.hostPlatform.system}.aistack ];
          packages = [
            pkgs.nixfmt-tree
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

      # nixfmt (RFC 166 style) over the whole tree through treefmt: a bare
      # `nix fmt` formats every .nix file (pkgs.nixfmt alone would read stdin).
      formatter = forAllSystems (pkgs: pkgs.nixfmt-tree);

      # Every host's system closure, for nix-eval-jobs / Hydra (.github/workflows/nix.yml).
      hydraJobs.hosts = lib.mapAttrs (_: host: host.config.system.build.toplevel) self.nixosConfigurations;
    };
}
