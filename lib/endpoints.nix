# The endpoint registry: the single source of every port, socket path and URL
# between services. Python never carries a port literal; it reads these from
# its JSON config.
{ lib }:
let
  tcp = host: port: {
    kind = "tcp";
    inherit host port;
  };
  unix = path: {
    kind = "unix";
    inherit path;
  };

  /*
    mkEndpoints :: { runtimeDir ? "/run" } -> attrset of endpoints

    `runtimeDir` moves every socket path (only `aistack render --local` changes
    it, so services can be run unprivileged from a scratch directory).
  */
  mkEndpoints =
    {
      runtimeDir ? "/run",
    }:
    {
      # OpenAI-compatible API that users and the web UI talk to.
      coordinator = tcp "127.0.0.1" 8470;
      # Internal services listen on Unix sockets that systemd opens for them
      # (socket activation), so they can run with no network at all.
      embeddings = unix "${runtimeDir}/aistack/embeddings.sock";
      knowledge = unix "${runtimeDir}/aistack/knowledge.sock";
      # nixpkgs' services.llama-cpp defaults to 8080 as well.
      llama-cpp = tcp "127.0.0.1" 8080;
      # A second llama.cpp server (--embeddings) where the embeddings backend is llama-cpp.
      llama-embeddings = tcp "127.0.0.1" 8081;
      # nixpkgs' services.redis.servers.<name>.unixSocket default path.
      redis = unix "${runtimeDir}/redis-aistack/redis.sock";
      # Only used when the knowledge base runs against a Qdrant server.
      qdrant = tcp "127.0.0.1" 6333;
      audit = unix "${runtimeDir}/aistack/audit.sock";
      # nixpkgs' services.postgresql: its socket directory and default port.
      postgresql = unix "${runtimeDir}/postgresql/.s.PGSQL.5432";
      # The task runner: only local users (the socket's group) submit agent runs.
      tasks = unix "${runtimeDir}/aistack/tasks.sock";
      # Monitoring and the optional web UI (loopback only; put a reverse proxy in front).
      prometheus = tcp "127.0.0.1" 9090;
      grafana = tcp "127.0.0.1" 3000;
      node-exporter = tcp "127.0.0.1" 9100;
      redis-exporter = tcp "127.0.0.1" 9121;
      open-webui = tcp "127.0.0.1" 8090;
      # The operator dashboard (health probes, AI internals); loopback only.
      dashboard = tcp "127.0.0.1" 8480;
    };

  # A URL for an endpoint, for Nix-side consumers (scrape targets, web UI).
  endpointUrl =
    ep:
    if ep.kind == "tcp" then
      "http://${ep.host}:${toString ep.port}"
    else if ep.kind == "unix" then
      "unix://${ep.path}"
    else
      throw "aistack: unknown endpoint kind ${builtins.toJSON ep.kind}";

  # All TCP ports, for the tests that check no two services share one.
  tcpPorts = endpoints: map (ep: ep.port) (lib.filter (ep: ep.kind == "tcp") (lib.attrValues endpoints));
in
{
  inherit
    mkEndpoints
    endpointUrl
    tcpPorts
    ;
}
