# Stand-in declarations of the NixOS options the aistack modules and the
# example hosts write, and a fake `pkgs` and `utils`, so modules/nixos.nix
# (and everything it imports) evaluates with nixpkgs' lib alone (no nixpkgs
# checkout can be fetched where the tests run).
#
# Only the option paths the project uses are declared, each with nixpkgs'
# type where the tests depend on it (systemd directives: lists concatenate,
# scalars must agree; boot.kernel.sysctl: one definition per key at the
# winning priority; nixpkgs' element shapes for zramSwap and
# security.pam.loginLimits; pkgs.formats.* types for freeform settings).
# There is no top-level freeform: an option path nobody declared (a typo,
# `securty.apparmor.enable`) fails evaluation as it would on NixOS.
# `nixpkgsDefinitions` repeats, as data, the definitions nixpkgs' own
# modules make on the same keys as ours, so a priority mistake shows up here
# as it would on a real system.
#
# Usage: (import ./checks/nixos-stand-in.nix { inherit lib; }).eval {
#   modules = [ ./modules/nixos.nix ./hosts/laptop/configuration.nix ];
# }
{ lib }:
let
  inherit (lib) mkOption types;

  loose =
    type: default:
    mkOption {
      inherit type default;
      description = "Stand-in; the NixOS option of the same path is the real one.";
    };
  strList = loose (types.listOf types.str) [ ];
  enableOption = loose types.bool false;
  portOption = default: loose types.port default;

  # pkgs.formats.{json,yaml,ini}'s value types (nixpkgs' pkgs/pkgs-lib/formats.nix).
  jsonValue =
    let
      valueType =
        types.nullOr (
          types.oneOf [
            types.bool
            types.int
            types.float
            types.str
            types.path
            (types.attrsOf valueType)
            (types.listOf valueType)
          ]
        )
        // {
          description = "JSON value";
        };
    in
    valueType;
  iniAtom = types.nullOr (
    types.oneOf [
      types.bool
      types.int
      types.float
      types.str
    ]
  );
  iniSections = types.attrsOf (types.attrsOf iniAtom);

  # A submodule whose unknown keys follow `freeformType` (RFC 42 settings).
  settingsOf =
    freeformType: options:
    types.submodule {
      inherit freeformType options;
    };

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
    environment = loose (types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]))) { };
    restartTriggers = loose (types.listOf types.unspecified) [ ];
    reloadIfChanged = enableOption;
    restartIfChanged = loose types.bool true;
    path = loose (types.listOf (types.either types.package types.str)) [ ];
    preStart = loose types.lines "";
    unitConfig = loose (types.attrsOf unitOption) { };
    serviceConfig = loose (types.attrsOf unitOption) { };
  };

  socketOptions = {
    description = loose types.str "";
    wantedBy = strList;
    listenStreams = strList;
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

  exporterOptions = port: {
    enable = enableOption;
    listenAddress = loose types.str "0.0.0.0";
    port = portOption port;
    extraFlags = strList;
  };

  options = {
    assertions = loose (types.listOf types.unspecified) [ ];
    warnings = loose (types.listOf types.str) [ ];
    meta.maintainers = loose (types.listOf (types.attrsOf types.str)) [ ];

    system.stateVersion = loose types.str "26.05";
    networking.hostName = loose types.str "nixos";
    fileSystems = loose (types.attrsOf (
      types.submodule {
        options = {
          device = loose (types.nullOr types.str) null;
          fsType = loose types.str "auto";
        };
      }
    )) { };
    nixpkgs.config = loose (types.attrsOf types.anything) { };
    boot.loader.grub.enable = loose types.bool true;
    boot.loader.systemd-boot.enable = enableOption;
    boot.loader.generic-extlinux-compatible.enable = enableOption;

    systemd.package = loose types.package (fakeDrv "systemd" { pname = "systemd"; });
    systemd.services = loose (types.attrsOf (types.submodule { options = unitOptions; })) { };
    systemd.sockets = loose (types.attrsOf (types.submodule { options = socketOptions; })) { };
    systemd.timers = loose (types.attrsOf (
      types.submodule {
        options = {
          description = loose types.str "";
          wantedBy = strList;
          timerConfig = loose (types.attrsOf unitOption) { };
        };
      }
    )) { };

    security.apparmor = {
      enable = enableOption;
      policies = loose (types.attrsOf (
        types.submodule {
          options = {
            state = loose (types.enum [
              "disable"
              "complain"
              "enforce"
            ]) "enforce";
            path = loose (types.nullOr types.path) null;
          };
        }
      )) { };
    };
    security.pam.loginLimits = loose (types.listOf loginLimit) [ ];

    services.redis = {
      vmOverCommit = enableOption;
      servers = loose (types.attrsOf (
        types.submodule {
          options = {
            enable = enableOption;
            port = portOption 6379;
            unixSocket = loose (types.nullOr types.path) null;
            unixSocketPerm = loose types.int 660;
          };
        }
      )) { };
    };

    services.prometheus = {
      enable = enableOption;
      listenAddress = loose types.str "0.0.0.0";
      port = portOption 9090;
      retentionTime = loose (types.nullOr types.str) null;
      extraFlags = strList;
      globalConfig = loose (settingsOf jsonValue { }) { };
      scrapeConfigs = loose (types.listOf (settingsOf jsonValue { })) [ ];
      ruleFiles = loose (types.listOf types.path) [ ];
      exporters.node = exporterOptions 9100;
      exporters.redis = exporterOptions 9121;
    };

    services.grafana = {
      enable = enableOption;
      dataDir = loose types.str "/var/lib/grafana";
      settings = loose (settingsOf iniSections { }) { };
      provision = {
        enable = enableOption;
        datasources.settings = loose (types.nullOr (settingsOf jsonValue { })) null;
        dashboards.settings = loose (types.nullOr (settingsOf jsonValue { })) null;
      };
    };

    services.open-webui = {
      enable = enableOption;
      host = loose types.str "127.0.0.1";
      port = portOption 8080;
      environment = loose (types.attrsOf types.str) {
        SCARF_NO_ANALYTICS = "True";
        DO_NOT_TRACK = "True";
        ANONYMIZED_TELEMETRY = "False";
      };
    };

    services.qdrant = {
      enable = enableOption;
      settings = loose jsonValue { };
    };

    # nixos/modules/services/databases/postgresql.nix
    services.postgresql = {
      enable = enableOption;
      ensureDatabases = strList;
      ensureUsers = loose (types.listOf (
        types.submodule {
          options = {
            name = mkOption { type = types.str; };
            ensureDBOwnership = loose types.bool false;
          };
        }
      )) [ ];
    };

    # nixpkgs' module; aistack runs its own llama-cpp unit instead.
    services.llama-cpp.enable = enableOption;

    boot.kernel.sysctl = loose (types.submodule { freeformType = types.attrsOf sysctlValue; }) { };
    boot.kernelParams = strList;

    zramSwap = {
      enable = enableOption;
      memoryPercent = loose types.int 50;
    };

    environment.etc = loose (types.attrsOf (
      types.submodule {
        options.source = mkOption { type = types.path; };
      }
    )) { };
    environment.systemPackages = loose (types.listOf types.package) [ ];
    users.groups = loose (types.attrsOf (types.submodule { })) { };
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

        # nixos/modules/services/search/qdrant.nix: its settings at mkDefault.
        (lib.mkIf config.services.qdrant.enable {
          services.qdrant.settings = {
            service.host = lib.mkDefault "127.0.0.1";
            service.http_port = lib.mkDefault 6333;
            service.grpc_port = lib.mkDefault 6334;
            service.enable_cors = lib.mkDefault true;
            telemetry_disabled = lib.mkDefault true;
          };
          systemd.services.qdrant = {
            description = "Vector Search Engine for the next generation of AI applications";
            wantedBy = [ "multi-user.target" ];
            serviceConfig = {
              DynamicUser = true;
              StateDirectory = "qdrant";
              CapabilityBoundingSet = "";
              NoNewPrivileges = true;
              ProtectHome = true;
              ProcSubset = "pid";
            };
          };
        })
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
      # Not cross-building: the build machine's packages are these.
      buildPackages = mkPkgs { inherit system set; };
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
      git = fakeDrv "git" { };
      aider-chat = fakeDrv "aider-chat" { };
      closureInfo = args: fakeDrv "closure-info" { inherit (args) rootPaths; };
    };

  module = {
    inherit options;
    imports = [ nixpkgsDefinitions ];
  };

  # nixos/lib/utils.nix's escapeSystemdExecArg(s), as nixpkgs defines them.
  utils = rec {
    escapeSystemdExecArg =
      arg:
      let
        s =
          if builtins.isPath arg then
            "${arg}"
          else if builtins.isString arg then
            arg
          else if builtins.isInt arg || builtins.isFloat arg || lib.isDerivation arg then
            toString arg
          else
            throw "escapeSystemdExecArg only allows strings, paths, numbers and derivations";
      in
      lib.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (builtins.toJSON s);
    escapeSystemdExecArgs = lib.concatMapStringsSep " " escapeSystemdExecArg;
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
      specialArgs = { inherit pkgs utils; };
      modules = [ module ] ++ modules;
    };
in
{
  inherit
    module
    mkPkgs
    eval
    fakeDrv
    utils
    ;
}
