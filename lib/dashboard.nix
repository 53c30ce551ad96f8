# What the dashboard probes, as data: one entry per unit of the plan, with
# the real check that proves it answers (HTTP /health, Redis PING, a socket
# connect) or none where only systemd's state can say something.
{ lib }:
let
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
    mkProbeTargets :: { services, llamaCpp, endpoints, monitoring, secretsUnit ? null } -> [ target ]

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
    }:
    let
      probed = lib.filterAttrs (name: _: name != "dashboard") services;
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
    ++ lib.optional (llamaCpp != null) (target "llama-cpp" llamaCpp.unit "http" endpoints.llama-cpp "/health")
    ++ lib.optional (llamaCpp != null && llamaCpp.fetchUnit != null) (
      target "model-fetch" llamaCpp.fetchUnit.unit "none" null null
    )
    ++ lib.optional (secretsUnit != null) (target "secrets" secretsUnit.unit "none" null null)
    ++ lib.optionals monitoring.enable [
      (target "prometheus" "prometheus" "http" endpoints.prometheus "/-/healthy")
      (target "grafana" "grafana" "http" endpoints.grafana "/api/health")
    ]
    ++ lib.optional monitoring.webui.enable (target "open-webui" "open-webui" "http" endpoints.open-webui "/health");
in
{
  inherit mkProbeTargets;
}
