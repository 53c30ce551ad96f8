# Stand-in declarations of the NixOS options the aistack modules write, and a
# fake `pkgs`, so modules/nixos.nix (and everything it imports) evaluates with
# nixpkgs' lib alone (no nixpkgs checkout can be fetched where the tests run).
#
# Option paths are nixpkgs' own; types are loose (freeform submodules) except
# where the merge behaviour is what a test checks: systemd unit directives
# (lists concatenate, scalars must agree), boot.kernel.sysctl (one definition
# per key at the winning priority), zramSwap and security.pam.loginLimits
# (nixpkgs' element shapes). `nixpkgsDefinitions` repeats, as data, the
# definitions nixpkgs' own modules make on the same keys as ours, so a
# priority mistake shows up here as it would on a real system.
#
# Usage: (import ./checks/nixos-stand-in.nix { inherit lib; }).eval {
#   modules = [ ./modules/nixos.nix ./hosts/laptop/configuration.nix ];
# }
{ lib }:
let
  inherit (lib) mkOption types;

  freeform = types.attrsOf types.anything;
  freeformSubmodule =
    options:
    types.submodule {
      freeformType = freeform;
      inherit options;
    };
  attrsOfFreeform = options: types.attrsOf (freeformSubmodule options);
  loose =
    type: default:
    mkOption {
      inherit type default;
      description = "Stand-in; the NixOS option of the same path is the real one.";
    };
  strList = loose (types.listOf types.str) [ ];
  enableOption = loose types.bool false;

  # A systemd unit directive as NixOS merges it: lists from several
  # definitions concatenate; other values must all be equal.
  unitOption = lib.mkOptionType {
    name = "systemd option (stand-in)";
    check = _: true;
    merge =
      loc: defs:
      if lib.any (d: builtins.isList d.value) defs then
        lib.concatMap (d: lib.toList d.value) defs
      else
        lib.mergeEqualOption loc defs;
  };

  unitOptions = {
    description = loose types.str "";
    after = strList;
    before = strList;
    wants = strList;
    requires = strList;
    wantedBy = strList;
    requiredBy = strList;
    environment = loose (types.attrsOf types.anything) { };
    restartTriggers = loose (types.listOf types.anything) [ ];
    path = loose (types.listOf types.anything) [ ];
    serviceConfig = loose (types.attrsOf unitOption) { };
  };

  socketOptions = unitOptions // {
    listenStreams = strList;
    listenDatagrams = strList;
    socketConfig = loose (types.attrsOf unitOption) { };
  };

  # boot.kernel.sysctl keeps a single definition per key (nixos/modules/config/sysctl.nix).
  sysctlValue = lib.mkOptionType {
    name = "sysctl option value (stand-in)";
    check = v: builtins.isBool v || builtins.isString v || builtins.isInt v || v == null;
    merge = lib.mergeOneOption;
  };

  # security.pam.loginLimits elements, as nixos/modules/security/pam.nix types them.
  loginLimit = types.submodule {
    options = {
      domain = mkOption { type = types.str; };
      type = mkOption {
        type = types.enum [
          "-"
          "hard"
          "soft"
        ];
        default = "-";
      };
      item = mkOption {
        type = types.enum [
          "core"
          "data"
          "fsize"
          "memlock"
          "nofile"
          "rss"
          "stack"
          "cpu"
          "nproc"
          "as"
          "maxlogins"
          "maxsyslogins"
          "priority"
          "locks"
          "sigpending"
          "msgqueue"
          "nice"
          "rtprio"
        ];
      };
      value = mkOption {
        type = types.oneOf [
          types.str
          types.int
        ];
      };
    };
  };

  # A service module of nixpkgs we only need enable (and free keys) of.
  serviceStandIn = loose (freeformSubmodule { enable = enableOption; }) { };

  options = {
    assertions = loose (types.listOf types.unspecified) [ ];
    warnings = loose (types.listOf types.str) [ ];

    system.stateVersion = loose types.str "26.05";
    networking.hostName = loose types.str "nixos";
    fileSystems = loose (attrsOfFreeform { }) { };
    nixpkgs.config = loose freeform { };

    systemd.services = loose (attrsOfFreeform unitOptions) { };
    systemd.sockets = loose (attrsOfFreeform socketOptions) { };
    systemd.slices = loose (attrsOfFreeform unitOptions) { };
    systemd.timers = loose (attrsOfFreeform unitOptions) { };

    security.apparmor = {
      enable = enableOption;
      killUnconfinedConfinables = enableOption;
      policies = loose (attrsOfFreeform {
        state = loose (types.enum [
          "disable"
          "complain"
          "enforce"
        ]) "enforce";
      }) { };
      includes = loose (types.attrsOf types.anything) { };
      packages = loose (types.listOf types.anything) [ ];
    };
    security.pam.loginLimits = loose (types.listOf loginLimit) [ ];

    networking.nftables = {
      enable = enableOption;
      tables = loose (attrsOfFreeform {
        family = loose types.str "inet";
        content = loose types.lines "";
      }) { };
      ruleset = loose types.lines "";
      checkRuleset = loose types.bool true;
    };
    networking.firewall = loose (freeformSubmodule { enable = loose types.bool true; }) { };

    services.redis = {
      vmOverCommit = enableOption;
      servers = loose (attrsOfFreeform { enable = enableOption; }) { };
    };
    services.prometheus = serviceStandIn;
    services.grafana = serviceStandIn;
    services.open-webui = serviceStandIn;
    services.qdrant = serviceStandIn;

    # nixos/modules/services/misc/llama-cpp.nix, with its types.
    services.llama-cpp = {
      enable = enableOption;
      package = mkOption { type = types.package; };
      model = mkOption { type = types.nullOr types.path; };
      modelsDir = loose (types.nullOr types.path) null;
      extraFlags = loose (types.listOf types.str) [ ];
      host = loose types.str "127.0.0.1";
      port = loose types.port 8080;
      openFirewall = enableOption;
    };

    boot.kernel.sysctl = loose (types.submodule { freeformType = types.attrsOf sysctlValue; }) { };
    boot.kernelParams = strList;
    boot.kernelModules = strList;
    boot.loader = loose freeform { };

    zramSwap = {
      enable = enableOption;
      memoryPercent = loose types.int 50;
      algorithm = loose types.str "zstd";
    };

    environment.etc = loose (attrsOfFreeform { }) { };
    environment.systemPackages = loose (types.listOf types.anything) [ ];
    users.groups = loose (attrsOfFreeform { }) { };
    users.users = loose (attrsOfFreeform { }) { };
  };

  # What nixpkgs' own modules define on the keys we touch, with their
  # priorities (plain = 100, mkDefault = 1000).
  nixpkgsDefinitions =
    { config, ... }:
    {
      config = lib.mkMerge [
        # nixos/modules/config/sysctl.nix (NixOS >= 23.11).
        { boot.kernel.sysctl."vm.max_map_count" = lib.mkDefault 1048576; }

        # nixos/modules/services/databases/redis.nix: plain "1" when asked.
        (lib.mkIf (config.services.redis.vmOverCommit && lib.any (s: s.enable) (lib.attrValues config.services.redis.servers)) {
          boot.kernel.sysctl."vm.overcommit_memory" = "1";
        })

        # nixos/modules/services/misc/llama-cpp.nix: its unit, with its own
        # (plain-priority) sandbox, as in its current version.
        (
          let
            cfg = config.services.llama-cpp;
          in
          lib.mkIf cfg.enable {
            assertions = [
              {
                assertion = cfg.model != null || cfg.modelsDir != null;
                message = "services.llama-cpp: Either 'model' or 'modelDir' must be set.";
              }
            ];
            systemd.services.llama-cpp = {
              description = "LLaMA C++ server";
              after = [ "network.target" ];
              wantedBy = [ "multi-user.target" ];
              serviceConfig = {
                Type = "idle";
                KillSignal = "SIGINT";
                ExecStart = lib.concatStringsSep " " (
                  [
                    "${cfg.package}/bin/llama-server"
                    "--host"
                    cfg.host
                    "--port"
                    (toString cfg.port)
                  ]
                  ++ lib.optionals (cfg.model != null) [
                    "-m"
                    (toString cfg.model)
                  ]
                  ++ cfg.extraFlags
                );
                Restart = "on-failure";
                RestartSec = 300;
                PrivateDevices = false;
                DynamicUser = true;
                CapabilityBoundingSet = "";
                RestrictAddressFamilies = [
                  "AF_INET"
                  "AF_INET6"
                  "AF_UNIX"
                ];
                NoNewPrivileges = true;
                PrivateMounts = true;
                PrivateTmp = true;
                PrivateUsers = true;
                ProtectClock = true;
                ProtectControlGroups = true;
                ProtectHome = true;
                ProtectKernelLogs = true;
                ProtectKernelModules = true;
                ProtectKernelTunables = true;
                ProtectSystem = "strict";
                MemoryDenyWriteExecute = true;
                LockPersonality = true;
                RemoveIPC = true;
                RestrictNamespaces = true;
                RestrictRealtime = true;
                RestrictSUIDSGID = true;
                SystemCallArchitectures = "native";
                SystemCallFilter = [
                  "@system-service"
                  "~@privileged"
                ];
                SystemCallErrorNumber = "EPERM";
                ProtectProc = "invisible";
                ProtectHostname = true;
                ProcSubset = "pid";
              };
            };
          }
        )
      ];
    };

  # A derivation-shaped attrset: interpolates to its outPath, records its inputs.
  fakeDrv =
    name: attrs:
    {
      type = "derivation";
      inherit name;
      outPath = "/nix/store/${builtins.substring 0 32 (builtins.hashString "sha256" name)}-${name}";
    }
    // attrs;

  # pkgs.llama-cpp: `.override` records the arguments a real override would get.
  fakeLlamaCpp =
    set: args:
    fakeDrv "llama-cpp-${set}" {
      pname = "llama-cpp";
      nixpkgsSet = set;
      overrideArgs = args;
      override = more: fakeLlamaCpp set (args // more);
    };

  /*
    mkPkgs :: { system ? "x86_64-linux", set ? "stable" } -> fake pkgs
    `set` names the package set (stable, unstable) in the derivations' names.
  */
  mkPkgs =
    {
      system ? "x86_64-linux",
      set ? "stable",
    }:
    let
      format = kind: { }: {
        type = kind;
        generate = name: value: fakeDrv name { inherit value; };
      };
    in
    {
      inherit system lib;
      stdenv.hostPlatform.system = system;
      path = "/nix/store/fake-nixpkgs-${set}";
      formats.json = format "json";
      formats.yaml = format "yaml";
      formats.ini = format "ini";
      runCommand = name: env: script: fakeDrv name { inherit env script; };
      runtimeShell = "/nix/store/fake-bash/bin/bash";
      writeText = name: text: fakeDrv name { inherit text; };
      writeTextFile = args: fakeDrv args.name { inherit (args) text; };
      writeTextDir = path: text: fakeDrv (baseNameOf path) { inherit path text; };
      writeScript = name: text: fakeDrv name { inherit text; };
      writeShellScript = name: text: fakeDrv name { inherit text; };
      writeShellScriptBin = name: text: fakeDrv name { inherit text; };
      linkFarm = name: entries: fakeDrv name { inherit entries; };
      symlinkJoin = args: fakeDrv args.name { inherit (args) paths; };
      fetchurl = args: fakeDrv (args.name or (baseNameOf args.url)) { fetchurlArgs = args; };
      callPackage =
        fn: args:
        fakeDrv (lib.removeSuffix ".nix" (baseNameOf (toString fn))) {
          callPackageArgs = args;
        };
      llama-cpp = fakeLlamaCpp set { };
      nftables = fakeDrv "nftables" { };
      bubblewrap = fakeDrv "bubblewrap" { };
      aider-chat = fakeDrv "aider-chat" { };
      closureInfo = args: fakeDrv "closure-info" { inherit (args) rootPaths; };
    };

  module = {
    inherit options;
    # Anything else a module writes (systemd.tmpfiles.rules, hardware.*, ...)
    # lands here unchecked rather than failing on a missing declaration.
    config._module.freeformType = freeform;
    imports = [ nixpkgsDefinitions ];
  };

  /*
    eval :: { modules, pkgs ? mkPkgs { } } -> the lib.evalModules result
  */
  eval =
    {
      modules,
      pkgs ? mkPkgs { },
    }:
    lib.evalModules {
      specialArgs = { inherit pkgs; };
      modules = [ module ] ++ modules;
    };
in
{
  inherit
    module
    mkPkgs
    eval
    fakeDrv
    ;
}
