# The records store for stateStore = "postgresql": nixpkgs'
# services.postgresql on this host, one database per aistack service that
# keeps records, owned by a role named after the service's unit. The units run
# with DynamicUser=, whose user name is the unit's name, so PostgreSQL's
# default peer authentication on the Unix socket admits each to its own
# database and no password exists anywhere.
{
  config,
  lib,
  ...
}:
let
  cfg = config.services.aistack;
  plan = cfg.plan;
  # The enabled services whose config points at this host's PostgreSQL socket.
  users = lib.mapAttrsToList (_: svc: svc.config.state_store.user) (
    lib.filterAttrs (
      _: svc:
      (svc.config.state_store.kind or null) == "postgresql"
      && (svc.config.state_store.host or null) == dirOf plan.endpoints.postgresql.path
    ) plan.services
  );
in
{
  config = lib.mkIf (cfg.enable && cfg.stateStore == "postgresql" && users != [ ]) {
    services.postgresql = {
      enable = lib.mkDefault true;
      ensureDatabases = users;
      ensureUsers =
        map (name: {
          inherit name;
          ensureDBOwnership = true;
        }) users
        # The dashboard's probe (SELECT 1): a role that owns nothing and may
        # only connect, as every role may by default.
        ++ lib.optional (plan.services ? dashboard) { name = "aistack-dashboard"; };
    };
  };
}
