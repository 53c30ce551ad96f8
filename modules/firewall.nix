# Per-service egress: `table inet aistack`, rendered at build time next to the
# AppArmor profiles (./apparmor.nix) and loaded by a oneshot unit before the
# services start.
#
# Why not networking.nftables.tables.aistack: it takes the table's text
# (`content`), so handing it the rendered file would need builtins.readFile of
# a build output (import from derivation); and nftables.service deletes and
# recreates its tables on every reload (or flushes the whole ruleset), which
# would empty the cgroup sets systemd filled and silently unregister running
# services. The rendered file is idempotent and keeps the sets' elements.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.aistack;
  plan = cfg.plan;
  units = lib.attrNames plan.policies;

  # The set name each policy carries (lib/hardening.nix namesFor).
  setName = unit: plan.policies.${unit}.nftSet;
  table = "${plan.nftTable.family} ${plan.nftTable.name}";
  ruleset = "${cfg.renderedPolicy}/nftables.nft";
  nft = "${pkgs.nftables}/bin/nft";

  # After a (re)load, put back the cgroup of every unit already running: after
  # a `flush ruleset` by nftables.service the sets are new and empty, and
  # systemd only adds a unit's cgroup when the unit starts.
  register = pkgs.writeShellScript "aistack-firewall-register" (
    lib.concatMapStrings (unit: ''
      if [ -d /sys/fs/cgroup/system.slice/${unit}.service ]; then
        ${nft} add element ${table} ${setName unit} '{ "system.slice/${unit}.service" }'
      fi
    '') units
  );
in
{
  # Each unit registers its own cgroup on start with
  # NFTSet=cgroup:inet:aistack:<unit, - as _> (systemd >= 254); that
  # directive belongs to the plan's serviceConfig, like every other one.
  config = lib.mkIf (cfg.enable && units != [ ]) {
    systemd.services.aistack-firewall = {
      description = "aistack: per-service egress rules (table inet aistack)";
      wantedBy = [ "multi-user.target" ];
      # Loaded before any unit registers in it; a unit does not start
      # without it (it would run unfiltered). Reloaded whenever
      # nftables.service reloads (it may flush every table).
      before = map (u: "${u}.service") units;
      requiredBy = map (u: "${u}.service") units;
      after = [ "nftables.service" ];
      unitConfig.ReloadPropagatedFrom = [ "nftables.service" ];
      # A changed ruleset is reloaded in place; the running services stay registered.
      reloadIfChanged = true;
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
        ExecStart = [
          "${nft} -f ${ruleset}"
          "${register}"
        ];
        ExecReload = [
          "${nft} -f ${ruleset}"
          "${register}"
        ];
      };
    };
  };
}
