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
        inherit (ctx.endpoints) embeddings knowledge redis;
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
        inherit (ctx.endpoints) redis embeddings;
      };
    };
in
{
  inherit schemaVersion;
  builders = {
    inherit coordinator embeddings knowledge;
  };
}
