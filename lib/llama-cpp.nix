# The llama.cpp server for this host: which build, how many threads and GPU
# layers, which model file and how it arrives, and its sandbox.
{
  lib,
  hardening,
  models,
}:
let
  inherit (lib) optional optionals;
  inherit (import ./exec-args.nix { inherit lib; }) escapeSystemdExecArgs;

  # ROCm builds target these gfx architectures (nixpkgs' rocmPackages default
  # set); any other discrete AMD GPU falls back to Vulkan.
  rocmGfxTargets = [
    "gfx900"
    "gfx906"
    "gfx908"
    "gfx90a"
    "gfx942"
    "gfx1030"
    "gfx1100"
    "gfx1101"
    "gfx1102"
  ];

  # What each build may open. systemd grants device classes (DeviceAllow=
  # char-<name>, the names in /proc/devices), as nixpkgs' ollama module does,
  # so every GPU of the vendor is reached (a second card, a discrete card at
  # renderD129), never a fixed node. AppArmor matches paths: the same nodes as
  # patterns, numbered nodes with [0-9]*.
  devicesByVariant = {
    cuda = {
      classes = [
        "char-nvidiactl"
        "char-nvidia-frontend"
        "char-nvidia-uvm"
      ];
      nodes = [
        "/dev/nvidiactl"
        "/dev/nvidia[0-9]*"
        "/dev/nvidia-uvm"
        "/dev/nvidia-uvm-tools"
      ];
    };
    rocm = {
      classes = [
        "char-drm"
        "char-kfd"
      ];
      nodes = [
        "/dev/kfd"
        "/dev/dri/renderD[0-9]*"
      ];
    };
    vulkan = {
      classes = [ "char-drm" ];
      nodes = [ "/dev/dri/renderD[0-9]*" ];
    };
    cpu = {
      classes = [ ];
      nodes = [ ];
    };
  };

  # The build for the hardware: NVIDIA -> CUDA, discrete AMD with a supported
  # gfx -> ROCm, any other AMD/Intel GPU -> Vulkan, no GPU -> CPU with BLAS.
  variantFor =
    facts:
    let
      vendor = facts.gpuVendor or "none";
      discrete = facts.hasDiscreteGpu or false;
    in
    if vendor == "nvidia" && discrete then
      "cuda"
    else if vendor == "amd" && discrete && lib.elem (facts.gpuGfx or "") rocmGfxTargets then
      "rocm"
    else if lib.elem vendor [
      "amd"
      "intel"
    ] then
      "vulkan"
    else
      "cpu";

  # Arguments for pkgs.llama-cpp.override; nothing GPU-specific on a CPU host.
  packageOverridesFor = variant: {
    cudaSupport = variant == "cuda";
    rocmSupport = variant == "rocm";
    vulkanSupport = variant == "vulkan";
    blasSupport = variant == "cpu";
  };

  # Threads: every core on boards, all but one where services need CPU too.
  threadsFor =
    facts: tier:
    let
      cores = facts.cpuCores or 4;
    in
    if
      lib.elem tier [
        "nano"
        "micro"
      ]
      || cores <= 2
    then
      cores
    else
      cores - 1;

  # GPU layers: everything when the model fits in VRAM or the GPU shares RAM
  # (integrated), otherwise the share of layers that fits.
  gpuLayersFor =
    variant: facts: model:
    let
      vram = facts.gpuVramGb or 0;
    in
    if variant == "cpu" then
      0
    else if !(facts.hasDiscreteGpu or false) || vram >= model.vram_required_gb then
      model.layers
    else
      builtins.floor (model.layers * vram / model.vram_required_gb);

  hfUrl = model: "https://huggingface.co/${model.hf_repo}/resolve/main/${model.hf_file}";

  # KV cache grows with context; the registry's ram_required_gb assumes 8k.
  registryContext = 8192;
  kvCacheGb =
    model: contextLength:
    let
      fileGb = if model.size_bytes == null then model.ram_required_gb * 0.8 else model.size_bytes / 1.0e9;
      kvAt8k = lib.max 0.0 (model.ram_required_gb - fileGb - 0.5);
    in
    kvAt8k * contextLength / registryContext;

  /*
    mkLlamaCpp :: { facts, tier, model, contextLength, threads, gpuLayers, extraFlags, endpoint, paths, track, modelFetch, allowlist, llamaServerBin } -> attrset

    threads, contextLength and gpuLayers are the final values (the options
    default to threadsFor / the tier's context / gpuLayersFor).
  */
  mkLlamaCpp =
    {
      facts,
      tier,
      model,
      contextLength,
      threads ? threadsFor facts tier,
      gpuLayers ? gpuLayersFor (variantFor facts) facts model,
      # More llama-server arguments from the host (services.aistack.llamaCpp.extraFlags).
      userFlags ? [ ],
      endpoint,
      paths,
      track ? "stable",
      modelFetch ? "store",
      allowlist,
      llamaServerBin ? "/run/current-system/sw/bin/llama-server",
      aistackBin ? "/run/current-system/sw/bin/aistack",
      # The fixed-output derivation's path, known only to the NixOS module.
      modelStorePath ? null,
    }:
    let
      variant = variantFor facts;
      devices = devicesByVariant.${variant};
      fetch = if model.sha256 == null then "runtime" else modelFetch;
      modelDir = "${paths.stateDir}/aistack-models";
      modelPath = if fetch == "runtime" then "${modelDir}/${model.hf_file}" else modelStorePath;
      # What ExecStart names: the store path on NixOS, else where it would be.
      modelArg = if modelPath != null then modelPath else "${modelDir}/${model.hf_file}";
      modelGb = if model.size_bytes == null then model.ram_required_gb else model.size_bytes / 1.0e9;
      kvGb = kvCacheGb model contextLength;
      # Lock the weights in RAM only where they take at most half of it.
      mlock = (modelGb + kvGb) * 2 <= facts.systemRamGb && lib.elem tier [ "medium" "large" ];
      # Weights, KV cache and 15% for the runtime: a cap, not a reservation.
      memoryMaxGb = builtins.ceil ((modelGb + kvGb) * 1.15 + 0.5);
      extraFlags = [
        "--metrics"
        "--threads"
        (toString threads)
        "--ctx-size"
        (toString contextLength)
        "--n-gpu-layers"
        (toString gpuLayers)
      ]
      ++ optional mlock "--mlock"
      ++ userFlags;
      execArgs = [
        llamaServerBin
        "--host"
        endpoint.host
        "--port"
        (toString endpoint.port)
        "-m"
        modelArg
      ]
      ++ extraFlags;
      fetchArgs = [
        aistackBin
        "fetch-model"
        "--url"
        (hfUrl model)
        "--dest"
        modelArg
        "--repo"
        model.hf_repo
        "--provenance"
        "${modelDir}/provenance.json"
      ]
      ++ lib.concatMap (r: [
        "--allow-repo"
        r
      ]) allowlist
      ++ optionals (model.sha256 != null) [
        "--sha256"
        model.sha256
      ];
    in
    {
      inherit
        variant
        devices
        track
        threads
        gpuLayers
        contextLength
        mlock
        ;
      inherit (endpoint) host port;
      packageOverrides = packageOverridesFor variant;
      model = {
        inherit (model) id hf_repo hf_file sha256;
        url = hfUrl model;
        inherit fetch;
        path = modelPath;
        dir = modelDir;
        sizeGb = modelGb;
      };
      ram = {
        modelGb = modelGb;
        kvCacheGb = kvGb;
      };
      inherit extraFlags execArgs;
      unit = "llama-cpp";
      description = "LLaMA C++ server";
      after = [ "network.target" ] ++ optional (fetch == "runtime") "aistack-model-fetch.service";
      wants = [ ];
      requires = optional (fetch == "runtime") "aistack-model-fetch.service";
      environment = { };
      socket = null;
      serviceConfig =
        hardening.mkHardenedService {
          inherit tier;
          network = "loopback";
          gpuDevices = devices.classes;
          # The CUDA driver JIT-compiles PTX into W+X pages.
          allowWriteExecute = variant == "cuda";
          # ggml reads /proc/cpuinfo for CPU features and /proc/meminfo for mmap sizing.
          readsSystemInfo = true;
          memoryMax = "${toString memoryMaxGb}G";
          stateDirectory = if fetch == "runtime" then "aistack-models" else null;
        }
        // hardening.confinement "llama-cpp"
        // {
          # As nixpkgs' services.llama-cpp sets them, so render shows what a host runs.
          Type = "idle";
          KillSignal = "SIGINT";
          RestartSec = 300;
          ExecStart = escapeSystemdExecArgs execArgs;
        }
        // lib.optionalAttrs mlock { LimitMEMLOCK = "infinity"; };
      fetchUnit =
        if fetch == "runtime" then
          {
            unit = "aistack-model-fetch";
            description = "aistack: download and verify ${model.id}";
            after = [ "network-online.target" ];
            wants = [ "network-online.target" ];
            requires = [ ];
            environment = { };
            socket = null;
            execArgs = fetchArgs;
            serviceConfig =
              hardening.mkHardenedService {
                inherit tier;
                network = "egress";
                stateDirectory = "aistack-models";
              }
              // hardening.confinement "aistack-model-fetch"
              // {
                Type = "oneshot";
                # 1: verification failed, 2: usage, 4: refused by the SSRF guard or
                # the server. Retrying those cannot help; a broken download (3) can.
                RestartPreventExitStatus = "1 2 4";
                RemainAfterExit = true;
                # A download resumes where it stopped; retry rather than give up.
                Restart = "on-failure";
                RestartSec = "30s";
                ExecStart = escapeSystemdExecArgs fetchArgs;
              };
            policy = hardening.mkPolicy {
              unit = "aistack-model-fetch";
              exec = aistackBin;
              network = "egress";
              writePaths = [
                modelDir
                "${paths.stateDir}/private/aistack-models"
              ];
              remote = [
                {
                  host = "huggingface.co";
                  port = 443;
                }
              ];
            };
          }
        else
          null;
      policy = hardening.mkPolicy {
        unit = "llama-cpp";
        exec = llamaServerBin;
        # llama.cpp answers; it never opens a connection.
        network = "loopback";
        # The model file wherever it comes from (store path, or the state dir).
        readPaths = if fetch == "runtime" then [ modelDir ] else [ modelArg ];
        listenTcp = [ { inherit (endpoint) host port; } ];
        devices = devices.nodes;
      };
      assertions = [
        {
          assertion = lib.elem model.hf_repo allowlist;
          message = "aistack: model ${model.id} comes from ${model.hf_repo}, which is not in services.aistack.modelRepoAllowlist; add the repository there if you trust it, or pick a model from an allowed one.";
        }
      ];
      warnings = optional (variant == "cpu" && (facts.hasDiscreteGpu or false))
        "aistack: this host has a discrete ${facts.gpuVendor or "unknown"} GPU that llama.cpp cannot use (no supported build); it runs on the CPU.";
    };
in
{
  inherit
    mkLlamaCpp
    threadsFor
    gpuLayersFor
    variantFor
    packageOverridesFor
    devicesByVariant
    rocmGfxTargets
    kvCacheGb
    ;
}
