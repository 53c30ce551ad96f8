# What the dashboard probes, as data: one entry per unit of the plan, with
# the real check that proves it answers (HTTP /health, Redis PING, a socket
# connect) or none where only systemd's state can say something. And the
# oneshot that runs the evaluation suite after a model change.
{ lib, hardening }:
let
  inherit (import ./exec-args.nix { inherit lib; }) escapeSystemdExecArgs;
  # Services that do not speak HTTP: a connect to their socket is the probe.
  socketOnly = [ "audit" ];

  target = name: unit: check: endpoint: path: {
    inherit
      name
      unit
      check
      endpoint
      path
      ;
  };

  /*
    mkProbeTargets :: { services, llamaCpp, endpoints, monitoring, secretsUnit ? null, embeddingServer ? null } -> [ target ]

    target = { name; unit; check = "http" | "redis" | "postgresql" | "socket" | "none";
               endpoint (or null); path (HTTP only, else null) }

    The dashboard itself is not in the list: it is the one asking.
  */
  mkProbeTargets =
    {
      services,
      llamaCpp,
      endpoints,
      monitoring,
      secretsUnit ? null,
      # The llama.cpp server behind the embeddings service, where the tier uses one.
      embeddingServer ? null,
    }:
    let
      probed = lib.filterAttrs (name: _: name != "dashboard") services;
      # The knowledge base's state store, when a host points it at PostgreSQL
      # by host/dbname/user (a dsn_file stays opaque: nothing to probe from here).
      store = if services ? knowledge then services.knowledge.config.state_store or { } else { };
      usesPostgres = (store.kind or "") == "postgresql" && (store.host or null) != null;
      pgPort = if (store.port or null) == null then 5432 else store.port;
      postgresql =
        if usesPostgres then
          {
            name = "postgresql";
            unit = "postgresql";
            check = "postgresql";
            # A host starting with / is libpq's socket directory.
            endpoint =
              if lib.hasPrefix "/" store.host then
                {
                  kind = "unix";
                  path = "${store.host}/.s.PGSQL.${toString pgPort}";
                }
              else
                {
                  kind = "tcp";
                  inherit (store) host;
                  port = pgPort;
                };
            path = null;
            database = store.dbname;
            # Over a local socket without a password, PostgreSQL's peer
            # authentication takes the OS user: the dashboard's own (a role
            # that may only connect); otherwise the service's credentials.
            user =
              if lib.hasPrefix "/" store.host && (store.password_file or null) == null then
                "aistack-dashboard"
              else
                store.user;
            password_file = store.password_file or null;
          }
        else
          null;
      serviceTargets = lib.mapAttrsToList (
        name: svc:
        if lib.elem name socketOnly then
          target name svc.unit "socket" svc.config.listen null
        else
          target name svc.unit "http" svc.config.listen "/health"
      ) probed;
    in
    serviceTargets
    ++ lib.optional (probed != { }) (target "redis" "redis-aistack" "redis" endpoints.redis null)
    ++ lib.optional (postgresql != null) postgresql
    ++ lib.optional (llamaCpp != null) (target "llama-cpp" llamaCpp.unit "http" endpoints.llama-cpp "/health")
    ++ lib.optional (embeddingServer != null) (
      target "llama-embeddings" embeddingServer.unit "http" endpoints.llama-embeddings "/health"
    )
    ++ lib.optional (llamaCpp != null && llamaCpp.fetchUnit != null) (
      target "model-fetch" llamaCpp.fetchUnit.unit "none" null null
    )
    ++ lib.optional (secretsUnit != null) (target "secrets" secretsUnit.unit "none" null null)
    ++ lib.optionals monitoring.enable [
      (target "prometheus" "prometheus" "http" endpoints.prometheus "/-/healthy")
      (target "grafana" "grafana" "http" endpoints.grafana "/api/health")
    ]
    ++ lib.optional monitoring.webui.enable (target "open-webui" "open-webui" "http" endpoints.open-webui "/health");

  /*
    mkEvalUnit :: { tier, aistackBin, paths, coordinator, knowledge ? null, socketGroup, modelId } -> unit

    `aistack eval` once per model: the NixOS module restarts it (restartTriggers)
    when `modelId` changes, so every model switch adds a run to the score history.
  */
  mkEvalUnit =
    {
      tier,
      aistackBin,
      paths,
      coordinator,
      knowledge ? null,
      socketGroup,
      modelId,
    }:
    let
      unit = "aistack-eval";
      stateDir = "${paths.stateDir}/${unit}";
      configFile = "${paths.configDir}/coordinator.json";
      execArgs = [
        aistackBin
        "eval"
        "--config"
        configFile
        "--history"
        "${stateDir}/history.sqlite"
      ];
    in
    {
      inherit unit modelId execArgs;
      description = "aistack: the evaluation suite against the running coordinator (after a model change)";
      after = [
        "aistack-coordinator.service"
        "llama-cpp.service"
      ];
      wants = [ "aistack-coordinator.service" ];
      requires = [ ];
      environment = { };
      socket = null;
      serviceConfig =
        hardening.mkHardenedService {
          inherit tier;
          network = "loopback";
          stateDirectory = unit;
          supplementaryGroups = lib.optional (knowledge != null) socketGroup;
          memoryMax = "256M";
        }
        // hardening.confinement unit
        // {
          Type = "oneshot";
          RemainAfterExit = true;
          # A slow local model answers ten questions in minutes, not seconds.
          TimeoutStartSec = "30min";
          # Under the threshold it exits 1: the unit shows failed, the history keeps the run.
          Restart = "no";
          ExecStart = escapeSystemdExecArgs execArgs;
        };
      policy = hardening.mkPolicy {
        inherit unit;
        exec = aistackBin;
        network = "loopback";
        readPaths = [ configFile ];
        writePaths = [
          stateDir
          "${paths.stateDir}/private/${unit}"
        ];
        unixSockets = lib.optional (knowledge != null) knowledge.path;
        tcp = [
          {
            name = "coordinator";
            inherit (coordinator) host port;
          }
        ];
      };
    };
in
{
  inherit mkProbeTargets mkEvalUnit;
}
