# The llama.cpp server: nixpkgs' services.llama-cpp and pkgs.llama-cpp, with
# the build, flags, model and sandbox the plan chose (lib/llama-cpp.nix).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.aistack;
  aistackLib = import ../lib { inherit lib; };
  llama = cfg.plan.llamaCpp;

  # Keys nixpkgs' services.llama-cpp puts in its own serviceConfig
  # (nixos/modules/services/misc/llama-cpp.nix, the union over its versions
  # since NixOS 24.05). It defines them with plain priority (100), so a
  # mkDefault of ours would lose to them, and several are weaker than our
  # sandbox (SystemCallFilter without ~@resources in recent versions, no
  # DevicePolicy, all of /dev through PrivateDevices = false). For these keys
  # we use mkOverride 90: it beats nixpkgs' plain definition whatever value a
  # given nixpkgs version chose, and still loses to a host's mkForce (50).
  # Every other key is mkDefault, so a host changes it with a plain assignment.
  nixpkgsServiceKeys = [
    "Type"
    "KillSignal"
    "Restart"
    "RestartSec"
    "PrivateDevices"
    "DynamicUser"
    "CapabilityBoundingSet"
    "RestrictAddressFamilies"
    "NoNewPrivileges"
    "PrivateMounts"
    "PrivateTmp"
    "PrivateUsers"
    "ProtectClock"
    "ProtectControlGroups"
    "ProtectHome"
    "ProtectKernelLogs"
    "ProtectKernelModules"
    "ProtectKernelTunables"
    "ProtectSystem"
    "MemoryDenyWriteExecute"
    "LockPersonality"
    "RemoveIPC"
    "RestrictNamespaces"
    "RestrictRealtime"
    "RestrictSUIDSGID"
    "SystemCallArchitectures"
    "SystemCallFilter"
    "SystemCallErrorNumber"
    "ProtectProc"
    "ProtectHostname"
    "ProcSubset"
  ];

  # nixpkgs builds ExecStart itself from services.llama-cpp.{package, model,
  # host, port, extraFlags}, which we set from the same plan values; replacing
  # it would throw away the escaping it does.
  hardenedServiceConfig = lib.mapAttrs (
    key: value: if lib.elem key nixpkgsServiceKeys then lib.mkOverride 90 value else lib.mkDefault value
  ) (removeAttrs llama.serviceConfig [ "ExecStart" ]);

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
      description = "The llama.cpp build services.llama-cpp runs; the default is chosen from `services.aistack.facts`.";
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
          ];

          services.llama-cpp = {
            enable = true;
            package = cfg.llamaCpp.package;
            # The fixed-output derivation's store path (pkgs.fetchurl with the
            # registry's sha256, made in nixos.nix) or, for a runtime fetch,
            # the file aistack-model-fetch.service verifies into place.
            model = llama.model.path;
            inherit (llama) host port extraFlags;
          };

          systemd.services.llama-cpp = {
            # Ordered after the model download when there is one (lists merge
            # with nixpkgs' own after = [ "network.target" ]).
            inherit (llama) after wants requires;
            environment = llama.environment;
            serviceConfig = hardenedServiceConfig;
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
            serviceConfig = lib.mapAttrs (_: lib.mkDefault) llama.fetchUnit.serviceConfig;
          };
        })
      ]
    )
  );
}
