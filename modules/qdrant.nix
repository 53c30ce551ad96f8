# The Qdrant server for vectorStore = "server": nixpkgs' services.qdrant on
# loopback, at the address the knowledge service's final config points to
# (services.aistack.services.knowledge.settings.vector_store.endpoint), with
# the sandbox and IP allowlist of our own units added to nixpkgs' unit.
{
  config,
  lib,
  ...
}:
let
  cfg = config.services.aistack;
  plan = cfg.plan;
  ep = plan.qdrant.endpoint;

  # nixpkgs' module sets its defaults with mkDefault (1000) inside `config`;
  # ours must beat those and still yield to a host's plain assignment (100).
  mkAistackDefault = lib.mkOverride 900;
in
{
  config = lib.mkIf (cfg.enable && plan.qdrant.enable) {
    services.qdrant = {
      enable = lib.mkDefault true;
      settings = {
        service.host = mkAistackDefault ep.host;
        service.http_port = mkAistackDefault ep.port;
        # gRPC is unused (the knowledge service speaks HTTP); keep it next
        # to the HTTP port, on loopback too.
        service.grpc_port = mkAistackDefault (ep.port + 1);
        service.enable_cors = mkAistackDefault false;
        telemetry_disabled = mkAistackDefault true;
      };
    };

    # What nixpkgs' unit leaves open: IP beyond loopback, devices, the
    # kernel's keyrings, W+X memory. Only keys nixpkgs does not set, so
    # nothing here fights its values; all are mkDefault.
    systemd.services.qdrant.serviceConfig = lib.mapAttrs (_: lib.mkDefault) {
      RestrictAddressFamilies = [
        "AF_UNIX"
        "AF_INET"
        "AF_INET6"
      ];
      IPAddressDeny = "any";
      IPAddressAllow = [ "localhost" ];
      PrivateDevices = true;
      PrivateUsers = true;
      PrivateIPC = true;
      ProtectSystem = "strict";
      KeyringMode = "private";
      UMask = "0077";
      SystemCallArchitectures = "native";
      SystemCallErrorNumber = "EPERM";
      # Counted in the host's RAM arithmetic (plan.hostTuning).
      MemoryMax = plan.qdrant.memoryMax;
    };

    assertions = [
      {
        assertion = ep.kind == "tcp" && (lib.hasPrefix "127." ep.host || ep.host == "::1");
        message = "aistack: the knowledge service's vector_store.endpoint must be a TCP address on loopback for the Qdrant server aistack runs, got ${builtins.toJSON ep}.";
      }
    ];
  };
}
