# Kernel and memory tuning per tier, and the RAM arithmetic that must add up.
{
  lib,
  tiers,
  showNumber,
}:
let
  # RAM kept free for the kernel, page cache and the rest of the system (GB).
  reserveGbByTier = {
    nano = 0.5;
    micro = 1;
    small = 1;
    medium = 2;
    large = 4;
  };

  # zram swap (share of RAM) where RAM is tight; none where it is not.
  zramPercentByTier = {
    nano = 75;
    micro = 50;
    small = 25;
    medium = 0;
    large = 0;
  };

  # "256M" / "2G" -> GB as a number.
  memoryGb =
    text:
    let
      m = builtins.match "([0-9]+)([MG])" text;
      n = lib.toInt (builtins.elemAt m 0);
    in
    if m == null then
      throw "aistack: cannot read memory size ${builtins.toJSON text} (expected e.g. 512M or 2G)"
    else if builtins.elemAt m 1 == "G" then
      n * 1.0
    else
      n / 1024.0;

  /*
    mkHostTuning :: { tier, systemRamGb, llamaCpp, services, extraMemoryMax } -> attrset

    `services` is the plan's services (each with serviceConfig.MemoryMax);
    `extraMemoryMax` the MemoryMax of other units (monitoring, web UI).
  */
  mkHostTuning =
    {
      tier,
      systemRamGb,
      llamaCpp,
      services,
      extraMemoryMax ? { },
    }:
    let
      zramPercent = zramPercentByTier.${tier};
      smallTier = !(tiers.tierAtLeast "medium" tier);
      servicesGb =
        lib.foldl' (sum: svc: sum + memoryGb svc.serviceConfig.MemoryMax) 0.0 (lib.attrValues services)
        + lib.foldl' (sum: text: sum + memoryGb text) 0.0 (lib.attrValues extraMemoryMax);
      modelGb = if llamaCpp == null then 0.0 else llamaCpp.ram.modelGb;
      kvGb = if llamaCpp == null then 0.0 else llamaCpp.ram.kvCacheGb;
      reserveGb = reserveGbByTier.${tier};
      totalGb = modelGb + kvGb + servicesGb + reserveGb;
      fmt = x: showNumber (builtins.floor (x * 10 + 0.5) / 10.0);
    in
    {
      sysctl = {
        # zram is cheap to swap to, so the kernel may use it early; with disk
        # swap only, keep the model's pages in RAM.
        "vm.swappiness" = if zramPercent > 0 then 100 else 10;
        # Redis forks to save; it warns and may fail without overcommit.
        "vm.overcommit_memory" = 1;
      }
      // lib.optionalAttrs (!smallTier) {
        # Large mmap'd models and many threads need more mappings than the default.
        "vm.max_map_count" = 262144;
      };
      zram = {
        enable = zramPercent > 0;
        memoryPercent = zramPercent;
      };
      # llama.cpp's weights are a file mapping, which hugetlb pages cannot back;
      # transparent huge pages on request (madvise) help its anonymous buffers
      # where RAM is plentiful, and cost compaction stalls where it is not.
      transparentHugepages = if smallTier then "never" else "madvise";
      memlock = llamaCpp != null && llamaCpp.mlock;
      ramBudget = {
        inherit
          modelGb
          kvGb
          servicesGb
          reserveGb
          totalGb
          systemRamGb
          ;
        ok = totalGb <= systemRamGb;
      };
      assertions = [
        {
          assertion = totalGb <= systemRamGb;
          message = "aistack: RAM does not add up on this ${toString systemRamGb} GB host: model ${fmt modelGb} GB + KV cache ${fmt kvGb} GB + services' MemoryMax ${fmt servicesGb} GB + reserve ${fmt reserveGb} GB = ${fmt totalGb} GB. Pick a smaller services.aistack.model, lower the tier (services.aistack.tier), or disable a service (services.aistack.services.<name>.enable = false).";
        }
      ];
    };
in
{
  inherit
    mkHostTuning
    memoryGb
    reserveGbByTier
    zramPercentByTier
    ;
}
