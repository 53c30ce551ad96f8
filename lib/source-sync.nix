# `aistack sync-sources` as oneshot units: one run by hand (all enabled
# sources) and one per distinct schedule, each started by its own timer. The
# knowledge service itself never touches the network: these units fetch and
# hand documents to its Unix socket (through the socket group), with egress
# only where a source they sync is remote.
{ lib, hardening }:
let
  inherit (import ./exec-args.nix { inherit lib; }) escapeSystemdExecArgs;

  remoteTypes = [
    "url"
    "git_repo"
  ];

  # host and port of an http(s) URL, for the egress policy (null when unparsable).
  hostPortOf =
    url:
    let
      m = builtins.match "(https?)://([^/:?#]+)(:([0-9]+))?([/?#].*)?" url;
    in
    if m == null then
      null
    else
      {
        host = builtins.elemAt m 1;
        port =
          if builtins.elemAt m 3 != null then
            lib.toInt (builtins.elemAt m 3)
          else if builtins.elemAt m 0 == "https" then
            443
          else
            80;
      };

  urlsOf =
    s:
    if s.type == "url" then
      s.urls or [ ]
    else if s.type == "git_repo" then
      lib.optional (s ? repo) s.repo
    else
      [ ];

  /*
    unitName :: schedule -> str

    A stable, readable unit name per schedule: the schedule itself when it is
    a plain word ("daily", "hourly"), else a short hash of it.
  */
  unitName =
    schedule:
    "aistack-sync-sources-"
    + (
      if builtins.match "[a-z]+" schedule != null then
        schedule
      else
        builtins.substring 0 8 (builtins.hashString "sha256" schedule)
    );

  /*
    mkSourceSync :: { tier, aistackBin, paths, socketGroup, knowledge, configFile, sourcesFile, sources } -> null | { units, timers, sourcesFile, document }

    null when the knowledge service does not run, its sources_file is null, or no source is enabled.
  */
  mkSourceSync =
    {
      tier,
      aistackBin,
      paths,
      socketGroup,
      # The knowledge service's endpoint (null when it does not run).
      knowledge,
      configFile,
      sourcesFile,
      sources,
    }:
    let
      enabled = lib.filter (s: s.enabled or true) sources;
      base = "aistack-sync-sources";
      stateDir = "${paths.stateDir}/${base}";
      schedules = lib.unique (lib.filter (x: x != null) (map (s: s.schedule or null) enabled));

      mkUnit =
        {
          unit,
          selected,
          schedule ? null,
        }:
        let
          remote = lib.filter (s: lib.elem s.type remoteTypes) selected;
          usesGit = lib.any (s: s.type == "git_repo") selected;
          network = if remote == [ ] then "none" else "egress";
          localDirs = map (s: s.path) (lib.filter (s: s.type == "local_dir" && s ? path) selected);
          destinations = lib.unique (lib.filter (x: x != null) (map hostPortOf (lib.concatMap urlsOf remote)));
          execArgs = [
            aistackBin
            "sync-sources"
            "--config"
            configFile
            "--sources"
            sourcesFile
            "--state"
            "${stateDir}/sync-sources.json"
          ]
          ++ lib.optionals (schedule != null) [
            "--schedule"
            schedule
          ];
        in
        {
          inherit
            unit
            execArgs
            schedule
            usesGit
            ;
          sources = map (s: s.id) selected;
          description =
            "aistack: sync knowledge sources"
            + (if schedule == null then " (all enabled)" else " scheduled ${schedule}");
          after = [ "network-online.target" ] ++ lib.optional (knowledge != null) "aistack-knowledge.socket";
          wants = lib.optional (network == "egress") "network-online.target";
          requires = [ ];
          environment = { };
          socket = null;
          serviceConfig =
            hardening.mkHardenedService {
              inherit tier network;
              stateDirectory = base;
              supplementaryGroups = [ socketGroup ];
            }
            // hardening.confinement unit
            // {
              Type = "oneshot";
              # A large directory waits out the service's per-key document rate.
              TimeoutStartSec = "2h";
              # A failed source is reported and retried at the next tick, not in a loop.
              Restart = "no";
              ExecStart = escapeSystemdExecArgs execArgs;
            }
            # ProtectHome= hides /home and /root; a source directory there is bound in read-only.
            // lib.optionalAttrs (localDirs != [ ]) { BindReadOnlyPaths = map (p: "-${p}") localDirs; };
          policy = hardening.mkPolicy {
            inherit unit network;
            exec = aistackBin;
            readPaths = [
              configFile
              sourcesFile
            ]
            ++ localDirs;
            writePaths = [
              stateDir
              "${paths.stateDir}/private/${base}"
            ]
            # The shallow clone goes to a temporary directory (PrivateTmp=).
            ++ lib.optional usesGit "/tmp";
            unixSockets = lib.optional (knowledge != null && knowledge.kind == "unix") knowledge.path;
            remote = destinations;
            # git and its https helper run under this profile.
            execPaths = lib.optional usesGit "/nix/store";
          };
        };

      manual = mkUnit {
        unit = base;
        selected = enabled;
      };
      scheduled = map (
        schedule:
        mkUnit {
          unit = unitName schedule;
          selected = lib.filter (s: (s.schedule or null) == schedule) enabled;
          inherit schedule;
        }
      ) schedules;
    in
    if knowledge == null || sourcesFile == null || enabled == [ ] then
      null
    else
      {
        inherit sourcesFile;
        # What sourcesFile holds (the NixOS module and `aistack render` write it).
        document = {
          schema_version = 1;
          inherit sources;
        };
        units = [ manual ] ++ scheduled;
        timers = map (u: {
          timer = u.unit;
          unit = "${u.unit}.service";
          description = "aistack: sync knowledge sources ${u.schedule}";
          onCalendar = u.schedule;
        }) scheduled;
      };
in
{
  inherit mkSourceSync unitName hostPortOf;
}
