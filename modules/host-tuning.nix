# Kernel and memory tuning per tier (lib/host-tuning.nix decides; this maps
# it onto NixOS options). The RAM arithmetic assertion reaches `assertions`
# through plan.assertions in nixos.nix.
{ config, lib, ... }:
let
  cfg = config.services.aistack;
  plan = cfg.plan;
  tuning = plan.hostTuning;

  # Our sysctls sit between NixOS' own defaults (mkDefault, 1000) and a host's
  # plain assignment (100). boot.kernel.sysctl keeps one definition per key at
  # the winning priority and fails on two at the same one, so this priority
  # also keeps us clear of the redis module, which writes
  # "vm.overcommit_memory" = "1" with plain priority when vmOverCommit is on.
  sysctlPriority = 900;

  # vm.max_map_count is a floor: NixOS >= 23.11 already sets 1048576 with
  # mkDefault, more than we ask for, so ours yields to it (1100 is weaker than
  # mkDefault) and applies only where nothing else sets the key.
  floorSysctls = [ "vm.max_map_count" ];
in
{
  config = lib.mkIf cfg.enable {
    boot.kernel.sysctl = lib.mapAttrs (
      key: value: lib.mkOverride (if lib.elem key floorSysctls then 1100 else sysctlPriority) value
    ) tuning.sysctl;

    # Redis needs overcommit for its background saves; let its own module say
    # so too, so the setting stays if a host moves Redis elsewhere.
    services.redis.vmOverCommit = lib.mkIf (plan.redis.enable && (tuning.sysctl."vm.overcommit_memory" or 0) == 1) (
      lib.mkDefault true
    );

    zramSwap = lib.mkIf tuning.zram.enable {
      enable = lib.mkDefault true;
      memoryPercent = lib.mkDefault tuning.zram.memoryPercent;
    };

    boot.kernelParams = [ "transparent_hugepage=${tuning.transparentHugepages}" ];

    # The llama-cpp unit gets LimitMEMLOCK=infinity from the plan; this lets
    # members of the aistack group run llama-server --mlock by hand too (e.g.
    # to try a model before switching the service to it).
    security.pam.loginLimits = lib.mkIf tuning.memlock [
      {
        domain = "@${plan.socketGroup}";
        type = "-";
        item = "memlock";
        value = "unlimited";
      }
    ];
  };
}
