# Per-service systemd sandboxing. Every service starts from the strictest
# profile; each known need for less is a named switch with its reason, so a
# weakening is always visible in the plan and never silent.
{ lib, tiers }:
let
  inherit (lib) optionalAttrs;
  netRanges = import ./net-ranges.nix;

  # MemoryMax per tier, per service. Public: the README and dashboards quote it.
  memoryMaxByTier = {
    nano = "256M";
    micro = "512M";
    small = "1G";
    medium = "2G";
    large = "4G";
  };

  memoryMaxFor = tier: memoryMaxByTier.${tiers.validateTier tier};

  # The egress table every unit's set and chain live in.
  nftTable = {
    family = "inet";
    name = "aistack";
  };

  /*
    namesFor :: unit -> { profile; nftSet; }

    The names every layer uses for a unit, decided here only: its AppArmor
    profile and its nftables set (and chain). The policy carries them; the
    NixOS modules and the Python renderers read them from the policy.
  */
  namesFor = unit: {
    profile = if lib.hasPrefix "aistack-" unit then unit else "aistack-${unit}";
    nftSet = lib.replaceStrings [ "-" ] [ "_" ] unit;
  };

  networkModes = [
    "none"
    "loopback"
    "egress"
  ];

  /*
    mkHardenedService :: profile -> serviceConfig attrset (systemd directive names)

    profile = {
      tier;                       # sets MemoryMax
      network ? "loopback";       # "none": PrivateNetwork, AF_UNIX only;
                                  # "loopback": IP only to/from localhost;
                                  # "egress": localhost and the public internet, never the LAN
      allowWriteExecute ? false;  # torch/onnxruntime JIT need W+X pages: MemoryDenyWriteExecute=no
      readsSystemInfo ? false;    # libraries that read /proc/cpuinfo or /proc/meminfo: ProcSubset=all
      gpuDevices ? [ ];           # device nodes the service may open (rw), e.g. [ "/dev/dri/renderD128" ]
      stateDirectory ? null;      # name under /var/lib (systemd creates it, owned by the dynamic user)
      runtimeDirectory ? null;    # name under /run
      supplementaryGroups ? [ ];  # e.g. the Redis socket's group
      extraAddressAllow ? [ ];    # more IP addresses for IPAddressAllow (host-added destinations)
      publicInternet ? true;      # "egress": allow public unicast (a remote API), or only the above
      memoryMax ? null;           # overrides the tier's value
      limitNofile ? null;         # LimitNOFILE= (systemd's default, 1024, when null)
      runsSandboxes ? false;      # starts bubblewrap sandboxes: namespaces, mounts inside
                                  # them, a delegated cgroup subtree for per-task caps
    }

    The NixOS module sets every directive with mkDefault, so a host overrides
    one of them with a plain assignment, no mkForce.
  */
  mkHardenedService =
    {
      tier,
      network ? "loopback",
      allowWriteExecute ? false,
      readsSystemInfo ? false,
      gpuDevices ? [ ],
      stateDirectory ? null,
      runtimeDirectory ? null,
      supplementaryGroups ? [ ],
      extraAddressAllow ? [ ],
      publicInternet ? true,
      memoryMax ? null,
      limitNofile ? null,
      runsSandboxes ? false,
    }:
    assert lib.assertMsg (lib.elem network networkModes)
      "aistack: hardening profile network must be one of ${lib.concatStringsSep ", " networkModes}, got ${builtins.toJSON network}";
    {
      DynamicUser = true;
      NoNewPrivileges = true;
      CapabilityBoundingSet = "";
      AmbientCapabilities = "";
      UMask = "0077";

      ProtectSystem = "strict";
      ProtectHome = true;
      PrivateTmp = true;
      PrivateUsers = true;
      PrivateIPC = true;
      PrivateMounts = true;
      ProtectHostname = true;
      ProtectClock = true;
      ProtectKernelTunables = true;
      ProtectKernelModules = true;
      ProtectKernelLogs = true;
      ProtectControlGroups = true;
      ProtectProc = "invisible";
      ProcSubset = if readsSystemInfo then "all" else "pid";
      RestrictNamespaces = true;
      RestrictRealtime = true;
      RestrictSUIDSGID = true;
      RemoveIPC = true;
      LockPersonality = true;
      MemoryDenyWriteExecute = !allowWriteExecute;
      KeyringMode = "private";
      NotifyAccess = "none";

      SystemCallArchitectures = "native";
      SystemCallFilter = [
        "@system-service"
        "~@privileged"
        "~@resources"
      ];
      SystemCallErrorNumber = "EPERM";

      DevicePolicy = "closed";
      PrivateDevices = gpuDevices == [ ];

      MemoryMax = if memoryMax != null then memoryMax else memoryMaxFor tier;
      TasksMax = 256;
      Restart = "on-failure";
      RestartSec = "2s";
    }
    // optionalAttrs (limitNofile != null) { LimitNOFILE = limitNofile; }
    // optionalAttrs (gpuDevices != [ ]) { DeviceAllow = map (d: "${d} rw") gpuDevices; }
    // optionalAttrs runsSandboxes {
      # bubblewrap gives each task new namespaces and mounts its view inside
      # them; the syscalls for that stay allowed, nothing else of @privileged.
      RestrictNamespaces = "user pid ipc net uts cgroup mnt";
      SystemCallFilter = [
        "@system-service"
        "@mount"
        "unshare"
        "setns"
        "pivot_root"
        "sethostname"
        "capset"
        "~@resources"
      ];
      # The kernel refuses a new /proc (the task's PID namespace needs one)
      # while parts of the service's own /proc are hidden or over-mounted.
      ProtectKernelTunables = false;
      ProtectKernelLogs = false;
      ProtectProc = "default";
      ProcSubset = "all";
      # Per-task pids.max and memory.max live in a subtree the service owns.
      ProtectControlGroups = false;
      Delegate = "pids memory";
    }
    // optionalAttrs (network == "none") {
      PrivateNetwork = true;
      RestrictAddressFamilies = [ "AF_UNIX" ];
      IPAddressDeny = "any";
    }
    // optionalAttrs (network == "loopback") {
      RestrictAddressFamilies = [
        "AF_UNIX"
        "AF_INET"
        "AF_INET6"
      ];
      IPAddressDeny = "any";
      IPAddressAllow = [ "localhost" ] ++ extraAddressAllow;
    }
    // optionalAttrs (network == "egress") {
      RestrictAddressFamilies = [
        "AF_UNIX"
        "AF_INET"
        "AF_INET6"
      ];
      # Public unicast only: a remote API is on the internet, and nothing a
      # caller influences may reach LAN hosts or cloud metadata. A LAN-hosted
      # API needs its prefix added to IPAddressAllow in the host config.
      IPAddressDeny = "any";
      IPAddressAllow =
        [ "localhost" ]
        ++ extraAddressAllow
        ++ lib.optionals publicInternet (netRanges.publicIpv4 ++ netRanges.publicIpv6);
    }
    // optionalAttrs (stateDirectory != null) {
      StateDirectory = stateDirectory;
      StateDirectoryMode = "0700";
    }
    // optionalAttrs (runtimeDirectory != null) {
      RuntimeDirectory = runtimeDirectory;
      RuntimeDirectoryMode = "0750";
    }
    // optionalAttrs (supplementaryGroups != [ ]) { SupplementaryGroups = supplementaryGroups; };
  /*
    mkPolicy :: { unit, exec, network, ... } -> policy

    A unit's policy as data, for the AppArmor and nftables renderers. Socket
    families follow from the network mode; no capability unless listed.
  */
  mkPolicy =
    {
      unit,
      exec,
      network,
      readPaths ? [ ],
      writePaths ? [ ],
      unixSockets ? [ ],
      tcp ? [ ],
      remote ? [ ],
      listenTcp ? [ ],
      devices ? [ ],
      capabilities ? [ ],
      execPaths ? [ ],
      sandboxes ? false,
      apparmorMode ? "enforce",
    }:
    assert lib.assertMsg (lib.elem network networkModes)
      "aistack: policy network must be one of ${lib.concatStringsSep ", " networkModes}, got ${builtins.toJSON network}";
    {
      inherit (namesFor unit) profile nftSet;
      inherit nftTable;
      inherit
        unit
        exec
        network
        writePaths
        unixSockets
        listenTcp
        devices
        capabilities
        execPaths
        sandboxes
        apparmorMode
        ;
      # Every unit runs from the Nix store.
      readPaths = [ "/nix/store" ] ++ readPaths;
      networkFamilies = [ "unix" ] ++ lib.optionals (network != "none") [
        "inet"
        "inet6"
      ];
      egress = {
        inherit tcp remote;
        # What "the public internet" excludes, for a remote host given by name.
        nonPublic = {
          ipv4 = netRanges.nonPublicIpv4;
          ipv6 = netRanges.nonPublicIpv6;
        };
      };
    };

  /*
    confinement :: unit -> serviceConfig attrs

    Puts a unit into its AppArmor profile and its egress set (namesFor), the
    names the renderers read from its policy (systemd >= 254 adds the unit's
    cgroup to the set on every start, and removes it on stop).
  */
  confinement = unit: {
    AppArmorProfile = (namesFor unit).profile;
    NFTSet = "cgroup:${nftTable.family}:${nftTable.name}:${(namesFor unit).nftSet}";
  };
in
{
  inherit
    mkPolicy
    namesFor
    nftTable
    confinement
    memoryMaxByTier
    memoryMaxFor
    networkModes
    mkHardenedService
    ;
}
