# Monitoring and the optional web UI, mapped from plan.monitoring (lib/monitoring.nix)
# onto nixpkgs' own modules: services.prometheus (+ node and Redis exporters),
# services.grafana with a provisioned datasource and the dashboard kept in
# ./monitoring, and services.open-webui pointed at the coordinator. Everything
# listens on loopback; the plan decides what runs (off on nano and micro
# unless asked for).
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.aistack;
  plan = cfg.plan;
  mon = plan.monitoring;
  # Every value on nixpkgs' modules at mkDefault: a host changes any of them
  # with a plain assignment (services.open-webui.host = "0.0.0.0";).
  inherit (import ../lib { inherit lib; }) mkDefaultDeep;

  # Referenced by every panel of the dashboard: a fixed uid, not a name, so
  # renaming the datasource cannot orphan the panels.
  datasourceUid = "aistack-prometheus";

  # Grafana's file provider watches a directory.
  dashboards = pkgs.linkFarm "aistack-grafana-dashboards" [
    {
      name = "aistack-dashboard.json";
      path = ./monitoring/aistack-dashboard.json;
    }
  ];

  # nixpkgs names a redis server's unit, user and group "redis-<name>".
  redisUnit = "redis-aistack";

  # Units whose memory is charted against their MemoryMax: every unit the
  # plan sandboxes (the aistack services, llama.cpp) and Redis.
  memoryUnits = lib.attrNames plan.units ++ lib.optional plan.redis.enable redisUnit;

  # node-exporter's textfile collector reads *.prom files from here.
  textfileDir = "/run/aistack-unit-memory";

  unitMemoryLoop = pkgs.writeShellScript "aistack-unit-memory" ''
    while :; do
      ${pkgs.runtimeShell} ${./monitoring/unit-memory.sh} /sys/fs/cgroup \
        ${textfileDir}/units.prom ${lib.escapeShellArgs memoryUnits}
      sleep 15
    done
  '';

  # Generated on first start inside Grafana's own state directory, so the
  # keys never enter the Nix store (Grafana reads them with $__file{}).
  grafanaSecretKey = "${config.services.grafana.dataDir}/aistack-secret-key";
  grafanaAdminPassword = "${config.services.grafana.dataDir}/aistack-admin-password";
in
{
  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      {
        # The caps the host's RAM arithmetic counted (plan.monitoring.memoryMax);
        # a plain assignment in the host config overrides one.
        systemd.services = lib.mapAttrs (_: limit: {
          serviceConfig.MemoryMax = lib.mkDefault limit;
        }) mon.memoryMax;
      }
      (lib.mkIf mon.enable {
        services.prometheus = mkDefaultDeep {
          enable = true;
          listenAddress = mon.prometheus.host;
          port = mon.prometheus.port;
          # Modest: a week of history, capped in size, on a machine whose
          # disk also holds models.
          retentionTime = "7d";
          extraFlags = [ "--storage.tsdb.retention.size=2GB" ];
          globalConfig = {
            scrape_interval = "30s";
            evaluation_interval = "30s";
          };
          scrapeConfigs = mon.prometheus.scrapeConfigs;
          # The file the tests check with `promtool check rules` / `test rules`.
          ruleFiles = [ ./monitoring/alerts.rules.yml ];
          exporters = {
            node = {
              enable = true;
              listenAddress = mon.exporters.node.host;
              port = mon.exporters.node.port;
              extraFlags = [ "--collector.textfile.directory=${textfileDir}" ];
            };
          }
          // lib.optionalAttrs plan.redis.enable {
            redis = {
              enable = true;
              listenAddress = mon.exporters.redis.host;
              port = mon.exporters.redis.port;
              # Redis listens on its Unix socket only (port 0).
              extraFlags = [ "--redis.addr=unix://${plan.redis.socket}" ];
            };
          };
        };

        # The socket is 0660 redis-aistack:redis-aistack; the exporter runs as
        # a DynamicUser and joins that group to open it.
        systemd.services.prometheus-redis-exporter = lib.mkIf plan.redis.enable {
          after = [ "${redisUnit}.service" ];
          serviceConfig.SupplementaryGroups = lib.mkDefault [ plan.redis.group ];
        };

        # Each unit's cgroup memory.current / memory.max, as Prometheus text
        # for node-exporter (Prometheus cannot read cgroups; node-exporter has
        # no per-unit memory collector). No network, no privileges: it only
        # reads /sys/fs/cgroup and writes one file.
        systemd.services.aistack-unit-memory = {
          description = "Write the aistack units' memory use and MemoryMax for node-exporter";
          wantedBy = [ "multi-user.target" ];
          serviceConfig = {
            Type = "simple";
            ExecStart = "${unitMemoryLoop}";
            Restart = "on-failure";
            RestartSec = "5s";
            DynamicUser = true;
            RuntimeDirectory = "aistack-unit-memory";
            # node-exporter (another user) reads the file.
            RuntimeDirectoryMode = "0755";
            UMask = "0022";
            MemoryMax = "32M";
            TasksMax = 16;
            PrivateNetwork = true;
            RestrictAddressFamilies = "none";
            IPAddressDeny = "any";
            CapabilityBoundingSet = "";
            NoNewPrivileges = true;
            PrivateDevices = true;
            PrivateTmp = true;
            PrivateUsers = true;
            ProtectSystem = "strict";
            ProtectHome = true;
            ProtectClock = true;
            ProtectControlGroups = true;
            ProtectHostname = true;
            ProtectKernelLogs = true;
            ProtectKernelModules = true;
            ProtectKernelTunables = true;
            ProtectProc = "invisible";
            ProcSubset = "pid";
            LockPersonality = true;
            MemoryDenyWriteExecute = true;
            RestrictNamespaces = true;
            RestrictRealtime = true;
            RestrictSUIDSGID = true;
            RemoveIPC = true;
            SystemCallArchitectures = "native";
            SystemCallFilter = [
              "@system-service"
              "~@privileged"
              "~@resources"
            ];
          };
        };

        services.grafana = lib.mkIf mon.grafana.enable (mkDefaultDeep {
          enable = true;
          settings = {
            server = {
              http_addr = mon.grafana.host;
              http_port = mon.grafana.port;
            };
            security = {
              secret_key = "$__file{${grafanaSecretKey}}";
              admin_password = "$__file{${grafanaAdminPassword}}";
            };
            # No calls home from an offline-first host.
            analytics = {
              reporting_enabled = false;
              check_for_updates = false;
              check_for_plugin_updates = false;
            };
          };
          provision = {
            enable = true;
            datasources.settings = {
              apiVersion = 1;
              datasources = [
                {
                  name = "Prometheus (aistack)";
                  type = "prometheus";
                  uid = datasourceUid;
                  access = "proxy";
                  url = mon.grafana.prometheusUrl;
                  isDefault = true;
                  editable = false;
                }
              ];
            };
            dashboards.settings = {
              apiVersion = 1;
              providers = [
                {
                  name = "aistack";
                  type = "file";
                  options.path = dashboards;
                  # The repo's JSON is the source of truth.
                  disableDeletion = true;
                  allowUiUpdates = false;
                }
              ];
            };
          };
        });

        systemd.services.grafana.preStart = lib.mkIf mon.grafana.enable (
          lib.mkBefore ''
            for f in ${grafanaSecretKey} ${grafanaAdminPassword}; do
              if [ ! -s "$f" ]; then
                (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f")
              fi
            done
          ''
        );
      })

      (lib.mkIf mon.webui.enable {
        services.open-webui = mkDefaultDeep {
          enable = true;
          host = mon.webui.host;
          port = mon.webui.port;
          # Replaces the module's default, so its telemetry opt-outs are repeated.
          environment = {
            SCARF_NO_ANALYTICS = "True";
            DO_NOT_TRACK = "True";
            ANONYMIZED_TELEMETRY = "False";
            # No update checks or Hugging Face downloads.
            OFFLINE_MODE = "True";
            WEBUI_URL = "http://${mon.webui.host}:${toString mon.webui.port}";
            # The coordinator is the only model provider: it routes between
            # llama.cpp and the remote API, with retrieval.
            ENABLE_OLLAMA_API = "False";
            ENABLE_OPENAI_API = "True";
            OPENAI_API_BASE_URL = mon.webui.openaiBaseUrl;
            OPENAI_API_BASE_URLS = mon.webui.openaiBaseUrl;
          };
        };
      })
    ]
  );
}
