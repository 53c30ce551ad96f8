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
      optIn           (optional) off unless the host enables it
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
      ];
      remote = lib.optional ctx.remoteApi.enable {
        host = ctx.remoteApi.host;
        port = ctx.remoteApi.port;
      };
      relax = { };
      environment = { };
      needsRedis = true;
      needsIdentityKey = true;
    };

    embeddings = {
      description = "aistack embeddings service";
      listen = "embeddings";
      connects = [ "redis" ];
      remote = [ ];
      relax = {
        # torch's JIT and oneDNN map pages writable and executable.
        allowWriteExecute = true;
        # torch reads /proc/cpuinfo to pick its kernels.
        readsSystemInfo = true;
      };
      environment = {
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
      ] ++ lib.optional (ctx.vectorStore == "server") "qdrant";
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
      };
      environment = { };
      needsRedis = false;
      needsIdentityKey = false;
    };
  };
}
