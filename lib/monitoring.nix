# What Prometheus scrapes and whether monitoring and the web UI run, as data.
{ lib, tiers }:
let
  target = ep: "${ep.host}:${toString ep.port}";

  /*
    mkMonitoring :: { tier, endpoints, services, llamaCpp, monitoring, webui } -> attrset

    `monitoring` / `webui` are the final options (services.aistack.monitoring.enable,
    webui.enable; their defaults come from plan.nix derivedDefaults).
  */
  mkMonitoring =
    {
      tier,
      endpoints,
      services,
      llamaCpp,
      monitoring,
      webui,
    }:
    let
      enable = monitoring;
      webuiEnable = webui;
      coordinator = endpoints.coordinator;
      # Services without an HTTP /metrics: the audit writer speaks JSON lines
      # on its socket, so a scrape job for it could only ever report it down.
      notHttp = [ "audit" ];
      # Socket-only services cannot be scraped over TCP; the coordinator relays
      # the /metrics of those it is connected to at /metrics/upstream/<name>.
      # Others on a socket (the task runner) are read by the dashboard instead.
      relayed =
        name: svc:
        svc.config.listen.kind == "tcp"
        || (services ? coordinator && services.coordinator.config.upstreams ? ${name});
      httpServices = lib.filterAttrs (name: svc: !(lib.elem name notHttp) && relayed name svc) services;
      serviceJobs = lib.mapAttrsToList (
        name: svc:
        if svc.config.listen.kind == "tcp" then
          {
            job_name = "aistack-${name}";
            metrics_path = "/metrics";
            static_configs = [ { targets = [ (target svc.config.listen) ]; } ];
          }
        else
          {
            job_name = "aistack-${name}";
            metrics_path = "/metrics/upstream/${name}";
            static_configs = [ { targets = [ (target coordinator) ]; } ];
          }
      ) httpServices;
    in
    {
      inherit enable;
      prometheus = {
        inherit (endpoints.prometheus) host port;
        scrapeConfigs =
          serviceJobs
          ++ lib.optional (llamaCpp != null) {
            job_name = "llama-cpp";
            metrics_path = "/metrics";
            static_configs = [ { targets = [ (target endpoints.llama-cpp) ]; } ];
          }
          ++ [
            {
              job_name = "redis";
              static_configs = [ { targets = [ (target endpoints.redis-exporter) ]; } ];
            }
            {
              job_name = "node";
              static_configs = [ { targets = [ (target endpoints.node-exporter) ]; } ];
            }
          ];
      };
      exporters = {
        node = {
          inherit (endpoints.node-exporter) host port;
        };
        redis = {
          inherit (endpoints.redis-exporter) host port;
        };
      };
      grafana = {
        inherit enable;
        inherit (endpoints.grafana) host port;
        prometheusUrl = "http://${target endpoints.prometheus}";
      };
      # MemoryMax of each extra unit: the module sets them and the host's RAM
      # arithmetic counts them.
      memoryMax =
        lib.optionalAttrs enable {
          prometheus = "512M";
          grafana = "256M";
          prometheus-node-exporter = "64M";
          prometheus-redis-exporter = "64M";
          aistack-unit-memory = "32M";
        }
        // lib.optionalAttrs webuiEnable {
          # A Python app with its own embedding stack: the heaviest extra.
          open-webui = "1G";
        };
      webui = {
        enable = webuiEnable;
        inherit (endpoints.open-webui) host port;
        # The coordinator's OpenAI-compatible API.
        openaiBaseUrl = "http://${target coordinator}/v1";
      };
    };
in
{
  inherit mkMonitoring;
}
