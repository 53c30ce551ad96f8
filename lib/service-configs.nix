# Each service's JSON config, as the Python `aistack.config` models define it.
# Changing a key here means changing the model there (and the exported schema);
# the artifact tests load every rendered config with its model.
{ lib }:
let
  schemaVersion = 1;

  common =
    ctx: service:
    {
      schema_version = schemaVersion;
      inherit service;
      host_name = ctx.hostName;
      inherit (ctx) tier;
      log_level = ctx.logLevel;
      listen = ctx.endpoints.${service};
      state_dir = "${ctx.paths.stateDir}/aistack-${service}";
    };

  # Batches scale with the tier so a nano board never builds a large tensor.
  embeddingBatchByTier = {
    nano = 8;
    micro = 16;
    small = 32;
    medium = 64;
    large = 128;
  };

  # Guard defaults (issue 4): the services check rate limits in Redis, classify
  # tools by risk, and send caller-influenced requests through the SSRF guard.
  guard = ctx: service: allow: {
    # A systemd credential (LoadCredential=identity-key:...), never the key.
    identity_key_file = "${ctx.paths.credentialsDir}/aistack-${service}.service/identity-key";
    rate_limits = {
      high = {
        limit = 10;
        window_seconds = 60;
      };
      medium = {
        limit = 60;
        window_seconds = 60;
      };
      low = {
        limit = 600;
        window_seconds = 60;
      };
      global_per_key = {
        limit = 1000;
        window_seconds = 3600;
      };
      ingestion = {
        limit = 100;
        window_seconds = 60;
      };
      key_prefix = "aistack:rl";
    };
    risk = {
      overrides = { };
      unknown_tier = "medium";
    };
    outbound = {
      schemes = [ "https" ];
      inherit allow;
    };
    injection_threshold = 0.5;
  };

  tcpRule = ep: "${ep.host}:${toString ep.port}";

  coordinator =
    ctx:
    common ctx "coordinator"
    // {
      local_model = {
        id = ctx.chatModel.id;
        context_length = ctx.contextLength;
      };
      remote_api =
        if ctx.remoteApi.enable then
          {
            base_url = ctx.remoteApi.baseUrl;
            model = ctx.remoteApi.model;
            # A path, never the key: systemd's LoadCredential= puts it here.
            api_key_file = "${ctx.paths.credentialsDir}/aistack-coordinator.service/remote-api-key";
            timeout_s = ctx.remoteApi.timeoutSeconds;
          }
        else
          null;
      upstreams = {
        llama_cpp = ctx.endpoints.llama-cpp;
        inherit (ctx.endpoints)
          embeddings
          knowledge
          redis
          audit
          ;
      };
      # The local llama.cpp is on loopback: it passes the SSRF guard only by name here.
      guard = guard ctx "coordinator" [ (tcpRule ctx.endpoints.llama-cpp) ];
    };

  embeddings =
    ctx:
    common ctx "embeddings"
    // {
      model = {
        id = ctx.embeddingModel.id;
        hf_repo = ctx.embeddingModel.hf_repo;
        format = ctx.embeddingModel.format;
        embedding_dim = ctx.embeddingModel.embedding_dim;
      };
      max_batch = embeddingBatchByTier.${ctx.tier};
      cache_ttl_s = 86400;
      upstreams = {
        inherit (ctx.endpoints) redis;
      };
    };

  knowledge =
    ctx:
    common ctx "knowledge"
    // {
      collection = "aistack";
      embedding_dim = ctx.embeddingModel.embedding_dim;
      vector_store =
        if ctx.vectorStore == "server" then
          {
            mode = "server";
            endpoint = ctx.endpoints.qdrant;
          }
        else
          {
            mode = "local";
            path = "${ctx.paths.stateDir}/aistack-knowledge/qdrant";
          };
      upstreams = {
        inherit (ctx.endpoints) redis embeddings audit;
      };
      # Source sync fetches public URLs only; nothing on loopback or the LAN.
      guard = guard ctx "knowledge" [ ];
    };

  # Aider is the default agent; it is used only where it is installed (the
  # service reports a tool whose program is missing, and refuses its tasks).
  defaultTools = ctx: {
    aider = {
      command = [
        ctx.tasks.aiderProgram
        "--yes-always"
        "--no-git"
        "--no-auto-commits"
        "--no-check-update"
        "--no-analytics"
        "--no-show-model-warnings"
        "--no-pretty"
        "--model"
        "openai/{model}"
        "--openai-api-base"
        "{api_base}"
        "--message"
        "{instruction}"
      ];
      model = "auto";
      environment = { };
    };
  };

  tasks =
    ctx:
    let
      tools = defaultTools ctx // ctx.tasks.tools;
    in
    common ctx "tasks"
    // {
      workspace_roots = ctx.tasks.workspaceRoots;
      # Agents are memory-hungry: one at a time unless the host says otherwise.
      concurrency = 1;
      default_timeout_s = 1800;
      max_timeout_s = 7200;
      max_queued = 50;
      log_max_bytes = 8388608;
      tail_lines = 40;
      inherit tools;
      default_tool = if ctx.tasks.defaultTool != null then ctx.tasks.defaultTool else "aider";
      coordinator_api_key_file = null;
      sandbox = {
        inherit (ctx.tasks) bwrap;
        extra_ro_binds = [ ];
        # Half the unit's budget per task, so the runner itself keeps room.
        memory_max_bytes = taskMemoryByTier.${ctx.tier};
        pids_max = 128;
        # The agent finds the coordinator at the same port inside its sandbox.
        coordinator_port = ctx.endpoints.coordinator.port;
      };
      upstreams = {
        inherit (ctx.endpoints) coordinator redis audit;
      };
      guard = guard ctx "tasks" [ (tcpRule ctx.endpoints.coordinator) ];
    };

  taskMemoryByTier = {
    nano = 134217728;
    micro = 268435456;
    small = 536870912;
    medium = 1073741824;
    large = 2147483648;
  };

  audit =
    ctx:
    common ctx "audit"
    // {
      log_path = "${ctx.paths.stateDir}/aistack-audit/audit.jsonl";
      syslog = false;
      max_record_bytes = 65536;
    };
in
{
  inherit schemaVersion;
  builders = {
    inherit
      coordinator
      embeddings
      knowledge
      tasks
      audit
      ;
  };
}
