# `aistack sync-sources` on NixOS: the sources file from
# services.aistack.knowledgeSources, the plan's oneshot units and a timer per
# distinct schedule.
{
  config,
  lib,
  pkgs,
  utils,
  ...
}:
let
  cfg = config.services.aistack;
  sync = cfg.plan.sourceSync or null;
  yaml = pkgs.formats.yaml { };
  sourcesFile = yaml.generate "knowledge-sources.yaml" sync.document;
in
{
  config = lib.mkIf (cfg.enable && sync != null) {
    assertions = [
      {
        assertion = lib.hasPrefix "/etc/" sync.sourcesFile;
        message = "aistack: services.aistack.services.knowledge.settings.sources_file must be under /etc to be written from services.aistack.knowledgeSources, got ${sync.sourcesFile}.";
      }
    ];

    environment.etc.${lib.removePrefix "/etc/" sync.sourcesFile}.source = sourcesFile;

    systemd.services = lib.listToAttrs (
      map (
        u:
        lib.nameValuePair u.unit {
          inherit (u) description after wants;
          # git for git_repo sources (run under the unit's AppArmor profile).
          path = lib.optional u.usesGit pkgs.git;
          restartIfChanged = false;
          serviceConfig = lib.mapAttrs (_: lib.mkDefault) (
            u.serviceConfig // { ExecStart = utils.escapeSystemdExecArgs u.execArgs; }
          );
        }
      ) sync.units
    );

    systemd.timers = lib.listToAttrs (
      map (
        t:
        lib.nameValuePair t.timer {
          inherit (t) description;
          wantedBy = [ "timers.target" ];
          timerConfig = {
            OnCalendar = t.onCalendar;
            Unit = t.unit;
            # A run missed while the machine was off happens at the next boot.
            Persistent = lib.mkDefault true;
            RandomizedDelaySec = lib.mkDefault "10min";
          };
        }
      ) sync.timers
    );
  };
}
