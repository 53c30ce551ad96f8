# The NixOS adapter: maps the plan (a read-only view of the final
# services.aistack options, lib/plan.nix) onto NixOS options.
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
  plan = aistackLib.mkPlan {
    settings = cfg;
    aistackBin = "${cfg.package}/bin/aistack";
    # The build modules/llama-cpp.nix chose from the facts (not from the plan).
    llamaServerBin = "${cfg.llamaCpp.package}/bin/llama-server";
    # The dashboard runs this systemctl (its PATH has systemd's bin); AppArmor allows exactly it.
    systemctlBin = "${config.systemd.package}/bin/systemctl";
    # Forced only for a model with a sha256 (fetch = "store"); the plan's url
    # and sha256 do not depend on this path, so the self-reference is lazy.
    modelStorePath = "${modelFile}";
    # Forced only where the embeddings backend is llama-cpp.
    embeddingModelStorePath = "${embeddingModelFile}";
  };
  # The model as a fixed-output derivation checked against the registry hash
  # (fetchurl takes a hex sha256 as outputHash with outputHashAlgo sha256).
  modelFile = pkgs.fetchurl {
    name = baseNameOf plan.llamaCpp.model.hf_file;
    inherit (plan.llamaCpp.model) url sha256;
  };
  embeddingModelFile = pkgs.fetchurl {
    name = baseNameOf plan.model.embedding.hf_file;
    url = "https://huggingface.co/${plan.model.embedding.hf_repo}/resolve/main/${plan.model.embedding.hf_file}";
    inherit (plan.model.embedding) sha256;
  };
  json = pkgs.formats.json { };

  # aistack as the build machine runs it (the same package unless cross-building).
  buildAistack = pkgs.buildPackages.callPackage ../pkgs/aistack.nix { };

  # The JSON config, validated by the service's own model at build time
  # (checkConfig): a wrong key in `settings` fails the build with the field
  # named, not the boot.
  checkedConfig =
    name: svc:
    let
      unchecked = json.generate "aistack-${name}.json" svc.config;
    in
    if cfg.checkConfig then
      pkgs.runCommand "aistack-${name}.json"
        {
          nativeBuildInputs = [ buildAistack ];
          inherit unchecked;
        }
        ''
          aistack config check "$unchecked"
          cp "$unchecked" "$out"
        ''
    else
      unchecked;

  configFiles = lib.mapAttrs checkedConfig plan.services;

  # ExecStart= from a unit's argument list, quoted by NixOS' own helper.
  withExecStart = unit: unit.serviceConfig // { ExecStart = utils.escapeSystemdExecArgs unit.execArgs; };
in
{
  imports = [
    ./options.nix
    ./llama-cpp.nix
    ./host-tuning.nix
    ./apparmor.nix
    ./firewall.nix
    ./monitoring.nix
    ./qdrant.nix
    ./postgresql.nix
    ./tasks.nix
    ./source-sync.nix
  ];

  meta.maintainers = [ (import ../maintainers.nix).aistack ];

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
      description = "A read-only view of this host's final settings laid out as units, configs, policies and RAM arithmetic (change the options, not this), for inspection: `nix eval .#nixosConfigurations.HOST.config.services.aistack.plan`.";
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

    # Every value on another module's option is a mkDefault: a host changes
    # it with a plain assignment, never mkForce.
    services.redis.servers.aistack = lib.mkIf plan.redis.enable {
      enable = lib.mkDefault true;
      # Unix socket only: no service needs Redis over TCP.
      port = lib.mkDefault 0;
      unixSocket = lib.mkDefault plan.redis.socket;
      unixSocketPerm = lib.mkDefault 660;
    };

    # Members may open the services' Unix sockets under /run/aistack.
    users.groups.${plan.socketGroup} = { };

    systemd.sockets = lib.mapAttrs' (
      name: svc:
      lib.nameValuePair svc.unit {
        description = "Socket of ${svc.description}";
        wantedBy = [ "sockets.target" ];
        listenStreams = [ svc.socket.listenStream ];
        socketConfig = lib.mapAttrs (_: lib.mkDefault) svc.socket.socketConfig;
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
        serviceConfig = lib.mapAttrs (_: lib.mkDefault) (withExecStart svc);
      }
    ) plan.services
      # The oneshot that creates the host's keys (LoadCredential= sources).
      // lib.optionalAttrs (plan.units ? aistack-secrets) {
        aistack-secrets = {
          inherit (plan.secretsUnit) description;
          serviceConfig = lib.mapAttrs (_: lib.mkDefault) (withExecStart plan.secretsUnit);
        };
      }
      # The evaluation suite, run again whenever the model changes.
      // lib.optionalAttrs (plan.evalUnit != null) {
        aistack-eval = {
          inherit (plan.evalUnit) description after wants;
          wantedBy = [ "multi-user.target" ];
          restartTriggers = [ plan.evalUnit.modelId ];
          path = [ config.nix.package ]; # nix-instantiate --parse checks generated Nix
          serviceConfig = lib.mapAttrs (_: lib.mkDefault) plan.evalUnit.serviceConfig;
        };
      }
      # Scheduled jobs (`aistack learn`), started by their timers below.
      // lib.listToAttrs (
        map (
          job:
          lib.nameValuePair job.unit {
            inherit (job) description after wants;
            restartIfChanged = false;
            serviceConfig = lib.mapAttrs (_: lib.mkDefault) (
              job.serviceConfig // { ExecStart = utils.escapeSystemdExecArgs job.execArgs; }
            );
          }
        ) plan.jobs
      )
      # The llama.cpp server behind the embeddings service (llama-cpp backend).
      // lib.optionalAttrs (plan.embeddings.server != null) {
        ${plan.embeddings.server.unit} = {
          inherit (plan.embeddings.server) description after;
          wantedBy = [ "multi-user.target" ];
          before = [ "aistack-embeddings.service" ];
          serviceConfig = lib.mapAttrs (_: lib.mkDefault) plan.embeddings.server.serviceConfig;
        };
      };

    systemd.timers = lib.listToAttrs (
      map (
        job:
        lib.nameValuePair job.unit {
          description = "Timer of ${job.description}";
          wantedBy = [ "timers.target" ];
          timerConfig = lib.mapAttrs (_: lib.mkDefault) {
            OnCalendar = job.timer.onCalendar;
            RandomizedDelaySec = job.timer.randomizedDelaySec;
            # A run missed while the machine was off happens at the next boot.
            Persistent = job.timer.persistent;
            Unit = "${job.unit}.service";
          };
        }
      ) plan.jobs
    );
  };
}
