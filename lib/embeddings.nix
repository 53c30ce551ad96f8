# The embeddings service's engine per tier: sentence-transformers (torch, in
# the service's own process) where it fits the tier's MemoryMax, otherwise a
# llama.cpp server with a GGUF embedding model in its own unit, which leaves
# the service itself a thin HTTP client.
{
  lib,
  hardening,
  models,
  memoryGb,
}:
let
  inherit (import ./exec-args.nix { inherit lib; }) escapeSystemdExecArgs;
  # Memory of the embeddings service at full load (peak PSS over its
  # processes, MiB), measured by bench/embeddings_rss.py on x86_64 with 64
  # clients sending passage-length texts: sentence-transformers with
  # all-MiniLM-L6-v2 in its engine process (torch 2.13 CPU; 477 idle), and
  # the service as a client of llama.cpp (no torch; 66 idle).
  loadedRssMb = {
    sentence-transformers = 690;
    llama-cpp = 70;
  };

  # Room above the measured peak for allocator growth and longer texts.
  headroom = 1.25;

  # The GGUF model a tier gets when torch does not fit.
  defaultGgufModel = "nomic-embed-text-v1.5-q8_0";

  backendOfFormat = format: if format == "gguf" then "llama-cpp" else "sentence-transformers";

  # llama.cpp embedding server: context per slot, and slots (sequences in
  # one batch). A text must fit one slot; the service refuses longer ones
  # with a 400 (max_input_bytes) instead of letting llama.cpp fail them.
  llamaSlotContext = 4096;
  llamaSlots = 2;
  # Special tokens a model adds around a text (BOS/EOS or CLS/SEP), with room to spare.
  specialTokenMargin = 16;

  fitsIn = backend: memoryMaxMb: loadedRssMb.${backend} * headroom <= memoryMaxMb;

  /*
    selectEmbedding :: { tier, model ? null } -> { model, backend, reason, memoryMax, warnings }

    An explicit model id decides the backend by its format; otherwise the tier
    gets MiniLM in-process when torch fits its MemoryMax, else the GGUF model
    through llama.cpp. `reason` says which and why, for the plan.
  */
  selectEmbedding =
    {
      tier,
      model ? null,
    }:
    let
      memoryMax = hardening.memoryMaxFor tier;
      memoryMaxMb = memoryGb memoryMax * 1024;
      stFits = fitsIn "sentence-transformers" memoryMaxMb;
      chosen =
        if model != null then
          models.findEmbeddingModel model
        else
          models.findEmbeddingModel (if stFits then models.defaultEmbeddingModel else defaultGgufModel);
      backend = backendOfFormat chosen.format;
      need = "${toString loadedRssMb.${backend}} MiB at peak load x ${models.showNumber headroom} headroom";
      reason =
        if model != null then
          "${backend}: ${chosen.id} is set explicitly (format ${chosen.format}); needs ${need} against MemoryMax=${memoryMax}"
        else if stFits then
          "sentence-transformers: torch with ${chosen.id} in-process needs ${need}, within this ${tier} tier's MemoryMax=${memoryMax}"
        else
          "llama-cpp: torch with ${models.defaultEmbeddingModel} needs ${toString loadedRssMb.sentence-transformers} MiB at peak load x ${models.showNumber headroom} headroom, more than this ${tier} tier's MemoryMax=${memoryMax}; a llama.cpp server runs ${chosen.id} in its own unit and the service (${toString loadedRssMb.llama-cpp} MiB) only calls it";
    in
    {
      model = chosen;
      inherit backend reason memoryMax;
      warnings = lib.optional (!fitsIn backend memoryMaxMb)
        "aistack: the embeddings backend ${backend} (${chosen.id}) needs about ${need}, more than this ${tier} tier's MemoryMax=${memoryMax}; systemd will kill it under load. Leave services.aistack.embeddingModel unset to get a model that fits.";
    };
  /*
    maxInputBytes :: backend -> int

    Longest text (UTF-8 bytes) one request item may carry. Every token covers
    at least one byte, so on llama.cpp a text within this always fits a slot.
  */
  maxInputBytes = backend: if backend == "llama-cpp" then llamaSlotContext - specialTokenMargin else 100000;

  /*
    mkEmbeddingServer :: { tier, facts, model, endpoint, paths, llamaServerBin, modelStorePath ? null } -> unit

    The llama.cpp server that computes embeddings (--embeddings --pooling mean)
    where the plan's backend is llama-cpp: its own unit, MemoryMax and sandbox,
    on loopback only. The GGUF comes from the Nix store on NixOS (fetchurl
    with the registry's sha256) or from the models directory elsewhere.
  */
  mkEmbeddingServer =
    {
      tier,
      facts,
      model,
      endpoint,
      paths,
      llamaServerBin,
      modelStorePath ? null,
    }:
    let
      unit = "aistack-llama-embeddings";
      modelPath =
        if modelStorePath != null then modelStorePath else "${paths.stateDir}/aistack-models/${model.hf_file}";
      cores = facts.cpuCores or 4;
      # Half the cores: embeddings run beside the chat model, never instead of it.
      threads = lib.max 1 (cores / 2);
      contextSize = llamaSlotContext * llamaSlots;
      # Weights, compute buffers for one full batch, and the runtime.
      memoryMaxMb = builtins.ceil ((model.size_bytes / 1048576.0 + 256) * 1.25);
      memoryMax = "${toString memoryMaxMb}M";
      execArgs = [
        llamaServerBin
        "--embeddings"
        "--pooling"
        "mean"
        "--host"
        endpoint.host
        "--port"
        (toString endpoint.port)
        "-m"
        modelPath
        "--threads"
        (toString threads)
        "--ctx-size"
        (toString contextSize)
        "--parallel"
        (toString llamaSlots)
        # A whole text is one physical batch (embeddings are not split).
        "--batch-size"
        (toString contextSize)
        "--ubatch-size"
        (toString contextSize)
      ];
    in
    {
      inherit
        unit
        modelPath
        threads
        memoryMax
        execArgs
        ;
      description = "aistack embeddings: llama.cpp serving ${model.id}";
      after = [ "network.target" ];
      wants = [ ];
      requires = [ ];
      environment = { };
      socket = null;
      serviceConfig =
        hardening.mkHardenedService {
          inherit tier memoryMax;
          network = "loopback";
          # ggml reads /proc/cpuinfo for CPU features.
          readsSystemInfo = true;
        }
        // hardening.confinement unit
        // {
          Type = "exec";
          ExecStart = escapeSystemdExecArgs execArgs;
        };
      policy = hardening.mkPolicy {
        inherit unit;
        exec = llamaServerBin;
        network = "loopback";
        readPaths = [ modelPath ];
        listenTcp = [ { inherit (endpoint) host port; } ];
      };
    };
in
{
  inherit
    selectEmbedding
    mkEmbeddingServer
    maxInputBytes
    loadedRssMb
    defaultGgufModel
    backendOfFormat
    ;
}
