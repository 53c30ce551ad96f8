# The NixOS adapter: maps the plan onto NixOS options. The only file that
# knows NixOS option names; every decision comes from lib's mkPlan.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.aistack;
  aistackLib = import ../lib { inherit lib; };
  plan = aistackLib.mkPlan {
    settings = cfg;
    aistackBin = "${cfg.package}/bin/aistack";
    # The build modules/llama-cpp.nix chose from the facts (not from the plan).
    llamaServerBin = "${cfg.llamaCpp.package}/bin/llama-server";
    # Forced only for a model with a sha256 (fetch = "store"); the plan's url
    # and sha256 do not depend on this path, so the self-reference is lazy.
    modelStorePath = "${modelFile}";
  };
  # The model as a fixed-output derivation checked against the registry hash
  # (fetchurl takes a hex sha256 as outputHash with outputHashAlgo sha256).
  modelFile = pkgs.fetchurl {
    name = baseNameOf plan.llamaCpp.model.hf_file;
    inherit (plan.llamaCpp.model) url sha256;
  };
  json = pkgs.formats.json { };

  # The JSON config, validated by the service's own model at build time: a
  # wrong key in `settings` fails the build with the field named, not the boot.
  checkedConfig =
    name: svc:
    pkgs.runCommand "aistack-${name}.json"
      {
        nativeBuildInputs = [ cfg.package ];
        unchecked = json.generate "aistack-${name}.json" svc.config;
      }
      ''
        aistack config check "$unchecked"
        cp "$unchecked" "$out"
      '';

  configFiles = lib.mapAttrs checkedConfig plan.services;
in
{
  imports = [
    ./options.nix
    ./llama-cpp.nix
    ./host-tuning.nix
    ./apparmor.nix
    ./firewall.nix
    ./monitoring.nix
    ./tasks.nix
  ];

  options.services.aistack = {
    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.callPackage ../pkgs/aistack.nix { };
      defaultText = lib.literalExpression "pkgs.callPackage ./pkgs/aistack.nix { }";
      description = "The aistack Python package providing the services and the `aistack` command.";
    };

    plan = lib.mkOption {
      type = lib.types.attrsOf lib.types.anything;
      readOnly = true;
      description = "Every decision made for this host (tier, model, configs, sandboxing), for inspection: `nix eval .#nixosConfigurations.HOST.config.services.aistack.plan`.";
    };
  };

  config = lib.mkIf cfg.enable {
    services.aistack.plan = plan;

    assertions = plan.assertions;
    warnings = plan.warnings;

    environment.systemPackages = [ cfg.package ];

    environment.etc = lib.mapAttrs' (
      name: _: lib.nameValuePair "aistack/${name}.json" { source = configFiles.${name}; }
    ) plan.services;

    services.redis.servers.aistack = lib.mkIf plan.redis.enable {
      enable = true;
      # Unix socket only: no service needs Redis over TCP.
      port = 0;
      unixSocket = plan.redis.socket;
      unixSocketPerm = 660;
    };

    # Members may open the services' Unix sockets under /run/aistack.
    users.groups.${plan.socketGroup} = { };

    systemd.sockets = lib.mapAttrs' (
      name: svc:
      lib.nameValuePair svc.unit {
        description = "Socket of ${svc.description}";
        wantedBy = [ "sockets.target" ];
        listenStreams = [ svc.socket.listenStream ];
        socketConfig = svc.socket.socketConfig;
      }
    ) (lib.filterAttrs (_: svc: svc.socket != null) plan.services);

    systemd.services =
      lib.mapAttrs' (
      name: svc:
      lib.nameValuePair svc.unit {
        inherit (svc)
          description
          after
          wants
          requires
          ;
        # Socket-activated services start on their first connection.
        wantedBy = lib.optional (svc.socket == null) "multi-user.target";
        environment = svc.environment;
        restartTriggers = [ configFiles.${name} ];
        # mkDefault on every directive: a host overrides one with a plain
        # assignment (serviceConfig.MemoryMax = "3G";), no mkForce needed.
        serviceConfig = lib.mapAttrs (_: lib.mkDefault) svc.serviceConfig;
      }
    ) plan.services
      # The oneshot that creates the host's keys (LoadCredential= sources).
      // lib.optionalAttrs (plan.units ? aistack-secrets) {
        aistack-secrets = {
          inherit (plan.secretsUnit) description;
          serviceConfig = lib.mapAttrs (_: lib.mkDefault) plan.secretsUnit.serviceConfig;
        };
      };
  };
}
