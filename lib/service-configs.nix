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
          outbound = base.outbound // {
            schemes = base.outbound.schemes ++ remoteSchemes ctx.remoteApi;
          };
        };
      # --- Learning from feedback, telemetry, model switching -------------
      # Interactions and feedback. SQLite in the coordinator's own state
      # directory (its sandbox writes nowhere else); a PostgreSQL store is the
      # knowledge base's database, shared.
      state_store = {
        kind = "sqlite";
        path = "${ctx.paths.stateDir}/aistack-coordinator/state.sqlite3";
      };
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
      audit
      ;
  };
}
