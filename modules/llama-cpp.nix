# The llama.cpp server: pkgs.llama-cpp built for this host's GPU, run by a
# unit of our own (`llama-cpp`) with the flags, model and sandbox the plan
# chose (lib/llama-cpp.nix). Like nixpkgs' services.llama-cpp it quotes
# ExecStart= with utils.escapeSystemdExecArgs; unlike it, every directive is
# a mkDefault, so a host changes one with a plain assignment.
{
  config,
  lib,
  pkgs,
  utils,
  ...
}:
let
  cfg = config.services.aistack;
  aistackLib = import ../lib { inherit lib; };
  llama = cfg.plan.llamaCpp;

  unstableMissing = "aistack: services.aistack.llamaCpp.track = \"unstable\" needs a nixpkgs-unstable package set, and none was given. With the flake, use its nixosModules.default (it passes the `nixpkgs-unstable` input); without it, set services.aistack.llamaCpp.unstablePkgs = import <nixos-unstable> { inherit (config.nixpkgs) config; system = pkgs.stdenv.hostPlatform.system; }; or go back to track = \"stable\".";

  # The package set llama-cpp comes from, per track.
  basePackage =
    if cfg.llamaCpp.track == "unstable" then
      (if cfg.llamaCpp.unstablePkgs == null then throw unstableMissing else cfg.llamaCpp.unstablePkgs.llama-cpp)
    else
      pkgs.llama-cpp;
in
{
  options.services.aistack.llamaCpp = {
    unstablePkgs = lib.mkOption {
      type = lib.types.nullOr lib.types.raw;
      default = null;
      defaultText = lib.literalMD "`null`; the flake's `nixosModules.default` sets it from its `nixpkgs-unstable` input";
      description = ''
        The nixpkgs-unstable package set that `track = "unstable"` takes
        llama-cpp from (only llama-cpp: the rest of the system stays on its
        own nixpkgs). The flake's module sets it from its `nixpkgs-unstable`
        input with this system's `nixpkgs.config` (so CUDA's licence choice
        carries over). Without the flake, and with track = "unstable", set it
        yourself or evaluation fails with an assertion saying so.
      '';
    };

    package = lib.mkOption {
      type = lib.types.package;
      default = basePackage.override (aistackLib.packageOverridesFor (aistackLib.variantFor cfg.facts));
      defaultText = lib.literalMD ''
        `pkgs.llama-cpp` (or nixpkgs-unstable's, per `track`) overridden for
        this host's GPU: `cudaSupport` (NVIDIA), `rocmSupport` (discrete AMD
        with a ROCm gfx target), `vulkanSupport` (other AMD/Intel GPUs) or
        `blasSupport` (no GPU)
      '';
      description = "The llama.cpp build the llama-cpp unit runs; the default is chosen from `services.aistack.facts`.";
    };
  };

  config = lib.mkIf cfg.enable (
    lib.mkIf (llama != null) (
      lib.mkMerge [
        {
          assertions = [
            {
              assertion = cfg.llamaCpp.track != "unstable" || cfg.llamaCpp.unstablePkgs != null;
              message = unstableMissing;
            }
            {
              # Both would define the unit llama-cpp.service.
              assertion = !config.services.llama-cpp.enable;
              message = "aistack: services.llama-cpp (nixpkgs' module) and services.aistack.llamaCpp both run llama-cpp.service; turn one off (services.aistack.llamaCpp.enable = false to keep nixpkgs' unit).";
            }
          ];

          systemd.services.llama-cpp = {
            inherit (llama) description;
            # Ordered after the model download when there is one.
            inherit (llama) after wants requires;
            wantedBy = [ "multi-user.target" ];
            environment = llama.environment;
            serviceConfig = lib.mapAttrs (_: lib.mkDefault) (
              llama.serviceConfig // { ExecStart = utils.escapeSystemdExecArgs llama.execArgs; }
            );
          };
        }
        (lib.mkIf (llama.fetchUnit != null) {
          systemd.services.${llama.fetchUnit.unit} = {
            inherit (llama.fetchUnit)
              description
              after
              wants
              requires
              environment
              ;
            # Started by llama-cpp's Requires=; nothing else needs it.
            serviceConfig = lib.mapAttrs (_: lib.mkDefault) (
              llama.fetchUnit.serviceConfig // { ExecStart = utils.escapeSystemdExecArgs llama.fetchUnit.execArgs; }
            );
          };
        })
      ]
    )
  );
}
