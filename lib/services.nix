# What each aistack service is and needs, as data: the plan derives units,
# sandboxing, sockets, AppArmor and firewall policy from this table alone.
{ lib }:
{
  /*
    specs :: ctx -> attrset of service specs

    A spec:
      description     unit description
      listen          endpoint name in the registry it serves on
      connects        endpoint names it opens connections to
      remote          [ { host; port; } ] hosts outside the machine it calls
      relax           named relaxations of mkHardenedService, each with its reason
      environment     extra environment variables
      needsRedis      whether it talks to the aistack Redis (socket group access)
      needsIdentityKey whether it gets the host's caller-identity key (LoadCredential=)
      configEndpoints (optional) config -> { <endpoint name> = endpoint; } for
                      endpoints its config names outside `upstreams`
      optIn           (optional) off unless the host enables it
      needsApiKeys    (optional) gets the clients' API keys (LoadCredential=api-keys)
      readsUnitStates (optional) runs `systemctl show` (its AppArmor profile may exec it
                      and reach the system bus)
  */
  specs = ctx: {
    coordinator = {
      description = "aistack coordinator (retrieval, routing, feedback)";
      listen = "coordinator";
      connects = [
        "llama-cpp"
        "embeddings"
        "knowledge"
        "redis"
        "audit"
      ]
      ++ lib.optional (ctx.stateStore == "postgresql") "postgresql";
      remote = lib.optional ctx.remoteApi.enable {
        host = ctx.remoteApi.host;
        port = ctx.remoteApi.port;
      };
      relax = { };
      environment = { };
      needsRedis = true;
      # It authenticates the OpenAI-compatible API's clients.
      needsApiKeys = true;
      needsIdentityKey = true;
    };

    embeddings =
      let
        inProcess = ctx.embedding.backend == "sentence-transformers";
      in
      {
        description = "aistack embeddings service";
        listen = "embeddings";
        # On the llama-cpp backend it calls the llama.cpp embedding server (loopback TCP).
        connects = [ "redis" ] ++ lib.optional (!inProcess) "llama-embeddings";
        remote = [ ];
        relax = lib.optionalAttrs inProcess {
          # torch's JIT and oneDNN map pages writable and executable.
          allowWriteExecute = true;
          # torch reads /proc/cpuinfo to pick its kernels.
          readsSystemInfo = true;
        };
        environment = lib.optionalAttrs inProcess {
          # Models come from the Nix store or the state directory, never a hub at run time.
          HF_HUB_OFFLINE = "1";
          HF_HOME = "${ctx.paths.stateDir}/aistack-embeddings/huggingface";
        };
        needsRedis = true;
        needsIdentityKey = false;
      };

    knowledge = {
      description = "aistack knowledge base (Qdrant + Redis cache)";
      listen = "knowledge";
      connects = [
        "redis"
        "embeddings"
        "audit"
      ]
      ++ lib.optional (ctx.vectorStore == "server") "qdrant"
      ++ lib.optional (ctx.stateStore == "postgresql") "postgresql";
      # The Qdrant server is where its config's vector_store points.
      configEndpoints = config: lib.optionalAttrs (config.vector_store.mode == "server") { qdrant = config.vector_store.endpoint; };
      remote = [ ];
      relax = { };
      environment = { };
      needsRedis = true;
      needsIdentityKey = true;
    };

    tasks = {
      description = "aistack task runner (coding agents in bubblewrap sandboxes)";
      listen = "tasks";
      connects = [
        "coordinator"
        "redis"
        "audit"
      ];
      remote = [ ];
      relax = {
        # Each task gets its own user, PID, IPC and network namespaces from
        # bubblewrap, and its own pids/memory cgroup under the unit's.
        runsSandboxes = true;
        # Per-task relay sockets to the coordinator.
        runtimeDirectory = "aistack-tasks";
      };
      environment = { };
      needsRedis = true;
      # Clients authenticate with the same keys, and the agents present one to the coordinator.
      needsApiKeys = true;
      needsIdentityKey = true;
      # Off unless the host turns it on: it runs agents that write code.
      optIn = true;
      # The agents' workspaces.
      writePaths = ctx.tasks.workspaceRoots;
    };

    audit = {
      description = "aistack audit log writer (hash-chained, fsync before ack)";
      listen = "audit";
      connects = [ ];
      remote = [ ];
      relax = {
        # It appends lines and holds at most one batch: the tier's budget
        # would only inflate the host's RAM arithmetic.
        memoryMax = "128M";
        # Room for max_connections (1024 in its config) plus the log and listener:
        # idle clients must never exhaust accept().
        limitNofile = 2048;
      };
      environment = { };
      needsRedis = false;
      needsIdentityKey = false;
    };
  
    dashboard = {
      description = "aistack dashboard (health probes, AI internals, loopback only)";
      listen = "dashboard";
      # Everything it probes; the probe list itself follows the plan's units.
      connects = [
        "coordinator"
        "embeddings"
        "knowledge"
        "audit"
        "tasks"
        "llama-cpp"
        "llama-embeddings"
        "redis"
        "prometheus"
        "grafana"
        "open-webui"
      ];
      remote = [ ];
      relax = {
        # One page and a probe cycle: the tier's budget would only inflate the RAM arithmetic.
        memoryMax = "128M";
      };
      environment = { };
      # It PINGs Redis, so it needs the socket's group.
      needsRedis = true;
      # Units' states come from `systemctl show` (systemd over the system bus).
      readsUnitStates = true;
      needsIdentityKey = false;
    };
  };

  /*
    jobs :: ctx -> attrset of scheduled jobs (a oneshot service plus its timer each)

    A job:
      description     unit description
      service         the service whose config, user, state directory and sandbox it shares
      args            arguments of `aistack` (the config path is appended)
      onCalendar      systemd OnCalendar= of its timer
      randomizedDelaySec  spread so hosts do not all run at once
      persistent      run at boot when the machine was off at the scheduled time
  */
  jobs = ctx: {
    learn = {
      description = "aistack learning pass (ratings -> routing threshold proposals)";
      service = "coordinator";
      args = [ "learn" ];
      onCalendar = "weekly";
      randomizedDelaySec = 3600;
      persistent = true;
    };
  };
}
