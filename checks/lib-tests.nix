# Unit tests of the pure library: an attrset of { expr; expected; } cases for
# lib.runTests. pytest (python/tests/nix/test_lib.py) reports each case, and
# the flake check `lib-tests` fails when lib.runTests returns any failure.
{ lib }:
let
  aistack = import ../lib { inherit lib; };
  inherit (aistack) hardwareTier selectModel mkPlan;

  throws = expr: !(builtins.tryEval (builtins.deepSeq expr expr)).success;
  failedAssertions = plan: lib.filter (a: !a.assertion) plan.assertions;

  laptopFacts = import ../hosts/laptop/facts.nix;
  sbcFacts = import ../hosts/sbc-minimal/facts.nix;
  serverFacts = import ../hosts/server/facts.nix;

  planFor = facts: extra: mkPlan { settings = aistack.evalSettings ({ inherit facts; } // extra); };

  requiredRegistryKeys = [
    "id"
    "hf_repo"
    "hf_file"
    "quantization"
    "context_length"
    "vram_required_gb"
    "ram_required_gb"
    "speed_tokens_per_sec"
    "recommended_for"
    "sha256"
  ];

  requiredModels = [
    "qwen2.5-0.5b-instruct-q8_0"
    "qwen2.5-1.5b-instruct-q8_0"
    "phi-4-mini-instruct-q4_k_m"
    "qwen2.5-7b-instruct-q4_k_m"
    "qwen2.5-coder-7b-instruct-q4_k_m"
    "deepseek-r1-distill-qwen-7b-q4_k_m"
    "phi-4-q4_k_m"
    "qwen2.5-14b-instruct-q4_k_m"
    "qwen2.5-coder-14b-instruct-q4_k_m"
    "llama-3.3-70b-instruct-iq2_m"
    "nomic-embed-text-v1.5-q8_0"
    "all-minilm-l6-v2"
  ];

  # Tiers over a RAM sweep, for the monotonicity property.
  ramSweep = lib.range 1 128;
  tiersOver =
    arch: gpu:
    map (
      ram:
      aistack.tierIndexOf (hardwareTier {
        systemRamGb = ram;
        cpuArchitecture = arch;
        hasDiscreteGpu = gpu;
      })
    ) ramSweep;
  nonDecreasing = xs: lib.all (i: builtins.elemAt xs i <= builtins.elemAt xs (i + 1)) (lib.range 0 (builtins.length xs - 2));
in
{
  # --- hardware tiers: the design's fixed points -----------------------------
  testTierSbc8GbIsMicro = {
    expr = hardwareTier {
      systemRamGb = 8;
      hasDiscreteGpu = false;
      cpuArchitecture = "aarch64";
    };
    expected = "micro";
  };
  testTier4GbIsMicro = {
    expr = hardwareTier { systemRamGb = 4; };
    expected = "micro";
  };
  testTierLaptop27GbIsMedium = {
    expr = hardwareTier laptopFacts;
    expected = "medium";
  };
  testTier2GbIsNano = {
    expr = hardwareTier {
      systemRamGb = 2;
      cpuArchitecture = "aarch64";
    };
    expected = "nano";
  };
  testTierX86_8GbIsSmall = {
    expr = hardwareTier { systemRamGb = 8; };
    expected = "small";
  };
  testTierServerIsLarge = {
    expr = hardwareTier serverFacts;
    expected = "large";
  };
  testTierExplicitWins = {
    expr = hardwareTier (sbcFacts // { tier = "small"; });
    expected = "small";
  };
  testTierMoreRamNeverLower = {
    expr = map ({ arch, gpu }: nonDecreasing (tiersOver arch gpu)) [
      { arch = "x86_64"; gpu = false; }
      { arch = "x86_64"; gpu = true; }
      { arch = "aarch64"; gpu = false; }
      { arch = "aarch64"; gpu = true; }
    ];
    expected = [ true true true true ];
  };
  testTierUnknownThrows = {
    expr = throws (hardwareTier { systemRamGb = 8; tier = "huge"; });
    expected = true;
  };
  # Facts are validated where the plan reads them: unknown keys, host name, bounds.
  testFactsUnknownKeyThrows = {
    expr = throws (planFor (laptopFacts // { tier = "gigantic"; }) { });
    expected = true;
  };
  testFactsHostNameMustBeRfc1123 = {
    expr = map aistack.isHostName [
      "laptop"
      "pi-4.lan"
      "lap\ntop; rm -rf /"
      "-lead"
      "under_score"
      ""
    ];
    expected = [ true true false false false false ];
  };
  testFactsImplausibleValuesThrow = {
    expr = map (extra: throws (planFor (laptopFacts // extra) { })) [
      { systemRamGb = 10000; }
      { cpuCores = 100000; }
      { gpuVramGb = 5000; }
      { hostName = "lap\ntop"; }
      { cpuCores = 64; }
    ];
    expected = [ true true true true false ];
  };
  testTierNegativeRamThrows = {
    expr = throws (hardwareTier { systemRamGb = -1; });
    expected = true;
  };
  testTierUnknownArchThrows = {
    expr = throws (hardwareTier { systemRamGb = 8; cpuArchitecture = "sparc"; });
    expected = true;
  };

  # --- model registry -------------------------------------------------------
  testRegistryEntriesCarryEveryKey = {
    expr = lib.filter (m: !(lib.all (k: m ? ${k}) requiredRegistryKeys)) aistack.registry;
    expected = [ ];
  };
  testRegistryHasRequiredModels = {
    expr = lib.subtractLists (map (m: m.id) aistack.registry) requiredModels;
    expected = [ ];
  };
  testRegistryIdsUnique = {
    expr = builtins.length (lib.unique (map (m: m.id) aistack.registry)) == builtins.length aistack.registry;
    expected = true;
  };
  testRegistryShaIsHexOrNull = {
    expr = lib.filter (m: m.sha256 != null && builtins.match "[0-9a-f]{64}" m.sha256 == null) aistack.registry;
    expected = [ ];
  };
  testRegistryRecommendedTiersValid = {
    expr = lib.filter (m: lib.subtractLists aistack.tierNames m.recommended_for != [ ]) aistack.registry;
    expected = [ ];
  };

  # --- model choice ---------------------------------------------------------
  testSelectModelTierDefaults = {
    expr = map (
      tier:
      (selectModel {
        inherit tier;
        systemRamGb = 64;
      }).model.id
    ) aistack.tierNames;
    expected = [
      "qwen2.5-0.5b-instruct-q8_0"
      "qwen2.5-1.5b-instruct-q8_0"
      "phi-4-mini-instruct-q4_k_m"
      "qwen2.5-7b-instruct-q4_k_m"
      "qwen2.5-14b-instruct-q4_k_m"
    ];
  };
  testSelectModelExplicitWins = {
    expr =
      let
        s = selectModel {
          tier = "medium";
          systemRamGb = 27;
          model = "qwen2.5-coder-7b-instruct-q4_k_m";
        };
      in
      [
        s.model.id
        s.source
      ];
    expected = [
      "qwen2.5-coder-7b-instruct-q4_k_m"
      "explicit"
    ];
  };
  testSelectModelWarnsAbove70Percent = {
    expr =
      builtins.length
        (selectModel {
          tier = "small";
          systemRamGb = 8;
          model = "qwen2.5-7b-instruct-q4_k_m";
        }).warnings;
    expected = 1;
  };
  testSelectModelNoWarningWhenItFits = {
    expr =
      (selectModel {
        tier = "medium";
        systemRamGb = 27;
      }).warnings;
    expected = [ ];
  };
  testSelectModel14BOn8GbFails = {
    expr =
      let
        failed = lib.filter (a: !a.assertion) (selectModel {
          tier = "micro";
          systemRamGb = 8;
          model = "qwen2.5-14b-instruct-q4_k_m";
        }).assertions;
      in
      [
        (builtins.length failed)
        # The message says what to pick instead.
        (lib.hasInfix "Pick " (builtins.head failed).message)
        (lib.hasInfix "services.aistack.model" (builtins.head failed).message)
      ];
    expected = [
      1
      true
      true
    ];
  };
  testSelectModel14BOn16GbPasses = {
    expr = lib.all (a: a.assertion) (selectModel {
      tier = "medium";
      systemRamGb = 16;
      model = "phi-4-q4_k_m";
    }).assertions;
    expected = true;
  };
  testSelectModelUnknownThrows = {
    expr = throws (selectModel {
      tier = "medium";
      systemRamGb = 27;
      model = "gpt-5";
    }).model.id;
    expected = true;
  };
  testSelectModelEmbeddingAsChatThrows = {
    expr = throws (selectModel {
      tier = "medium";
      systemRamGb = 27;
      model = "all-minilm-l6-v2";
    }).model.id;
    expected = true;
  };

  testShowNumberTrimsZeros = {
    expr = map aistack.showNumber [
      5.9
      14.7
      12.0
      8
    ];
    expected = [
      "5.9"
      "14.7"
      "12"
      "8"
    ];
  };

  # --- endpoint registry ----------------------------------------------------
  testEndpointPortsUnique = {
    expr =
      let
        ports = aistack.tcpPorts (aistack.mkEndpoints { });
      in
      builtins.length (lib.unique ports) == builtins.length ports;
    expected = true;
  };
  testEndpointSocketsMoveWithRuntimeDir = {
    expr = (aistack.mkEndpoints { runtimeDir = "/tmp/r"; }).redis.path;
    expected = "/tmp/r/redis-aistack/redis.sock";
  };
  testEndpointUrl = {
    expr = aistack.endpointUrl (aistack.mkEndpoints { }).coordinator;
    expected = "http://127.0.0.1:8470";
  };

  # --- hardening ------------------------------------------------------------
  testMemoryMaxPerTier = {
    expr = map (tier: (aistack.mkHardenedService { inherit tier; }).MemoryMax) aistack.tierNames;
    expected = [
      "256M"
      "512M"
      "1G"
      "2G"
      "4G"
    ];
  };
  testHardenedDefaults = {
    expr =
      let
        s = aistack.mkHardenedService { tier = "small"; };
      in
      {
        inherit (s)
          DynamicUser
          PrivateTmp
          ProtectSystem
          NoNewPrivileges
          MemoryDenyWriteExecute
          ProcSubset
          PrivateDevices
          CapabilityBoundingSet
          ;
      };
    expected = {
      DynamicUser = true;
      PrivateTmp = true;
      ProtectSystem = "strict";
      NoNewPrivileges = true;
      MemoryDenyWriteExecute = true;
      ProcSubset = "pid";
      PrivateDevices = true;
      CapabilityBoundingSet = "";
    };
  };
  testHardenedRelaxationsAreNamed = {
    expr =
      let
        s = aistack.mkHardenedService {
          tier = "small";
          allowWriteExecute = true;
          readsSystemInfo = true;
          gpuDevices = [ "/dev/dri/renderD128" ];
        };
      in
      [
        s.MemoryDenyWriteExecute
        s.ProcSubset
        s.PrivateDevices
        s.DeviceAllow
        s.DevicePolicy
      ];
    expected = [
      false
      "all"
      false
      [ "/dev/dri/renderD128 rw" ]
      "closed"
    ];
  };
  testHardenedNoNetwork = {
    expr =
      let
        s = aistack.mkHardenedService {
          tier = "nano";
          network = "none";
        };
      in
      [
        s.PrivateNetwork
        s.RestrictAddressFamilies
      ];
    expected = [
      true
      [ "AF_UNIX" ]
    ];
  };
  testHardenedEgressNeverLan = {
    expr =
      let
        allow = (aistack.mkHardenedService {
          tier = "large";
          network = "egress";
        }).IPAddressAllow;
      in
      lib.any (p: lib.hasPrefix "10." p || lib.hasPrefix "192.168." p || lib.hasPrefix "169.254." p) allow;
    expected = false;
  };
  testHardenedUnknownNetworkThrows = {
    expr = throws (aistack.mkHardenedService {
      tier = "large";
      network = "internet";
    });
    expected = true;
  };

  # --- llama.cpp per hardware ----------------------------------------------
  testLlamaVariantPerHardware = {
    expr = map aistack.variantFor [
      laptopFacts
      serverFacts
      sbcFacts
      {
        gpuVendor = "amd";
        hasDiscreteGpu = true;
        gpuGfx = "gfx1100";
      }
      {
        gpuVendor = "amd";
        hasDiscreteGpu = true;
        gpuGfx = "gfx803";
      }
      {
        gpuVendor = "intel";
        hasDiscreteGpu = false;
      }
    ];
    expected = [
      "vulkan"
      "cuda"
      "cpu"
      "rocm"
      "vulkan"
      "vulkan"
    ];
  };
  testLlamaCpuBuildHasNoGpuSupport = {
    expr = aistack.packageOverridesFor "cpu";
    expected = {
      cudaSupport = false;
      rocmSupport = false;
      vulkanSupport = false;
      blasSupport = true;
    };
  };
  testLlamaOnlyItsGpuNodes = {
    expr = map (f: (planFor f { }).llamaCpp.serviceConfig.DeviceAllow or [ ]) [
      sbcFacts
      laptopFacts
    ];
    expected = [
      [ ]
      [ "char-drm rw" ]
    ];
  };
  testLlamaFlags = {
    expr =
      let
        l = (planFor sbcFacts { }).llamaCpp;
      in
      [
        (lib.elem "--metrics" l.extraFlags)
        l.threads
        l.gpuLayers
        l.contextLength
      ];
    expected = [
      true
      4
      0
      4096
    ];
  };
  testModelRepoOffAllowlistFails = {
    expr = map (a: lib.hasInfix "services.aistack.modelRepoAllowlist" a.message) (
      failedAssertions (planFor laptopFacts { modelRepoAllowlist = [ "someone/else" ]; })
    );
    expected = [ true ];
  };
  testRuntimeFetchAddsAFetchUnit = {
    expr =
      let
        p = planFor laptopFacts { modelFetch = "runtime"; };
      in
      [
        (lib.attrNames p.units)
        p.units.llama-cpp.requires
        p.policies.aistack-model-fetch.network
      ];
    expected = [
      [
        "aistack-audit"
        "aistack-coordinator"
        "aistack-dashboard"
        "aistack-embeddings"
        "aistack-eval"
        "aistack-knowledge"
        "aistack-learn"
        "aistack-model-fetch"
        "aistack-secrets"
        "llama-cpp"
      ]
      [ "aistack-model-fetch.service" ]
      "egress"
    ];
  };

  testHostAddedDestinationReachesEveryLayer = {
    expr =
      let
        c = (planFor laptopFacts {
          services.coordinator.allowedDestinations = [
            {
              host = "192.168.1.20";
              port = 8000;
              name = "lan-llm";
            }
          ];
        }).services.coordinator;
      in
      [
        c.network.mode
        c.serviceConfig.IPAddressAllow
        (lib.last c.policy.egress.tcp)
        c.config.guard.outbound.allow
      ];
    expected = [
      "egress"
      [
        "localhost"
        "192.168.1.20"
      ]
      {
        name = "lan-llm";
        host = "192.168.1.20";
        port = 8000;
      }
      [
        "127.0.0.1:8080"
        "192.168.1.20:8000"
      ]
    ];
  };

  testIdentityKeyIsACredentialNeverAValue = {
    expr =
      let
        p = planFor laptopFacts { };
        c = p.services.coordinator;
      in
      [
        c.config.guard.identity_key_file
        c.serviceConfig.LoadCredential
        c.requires
        p.units.aistack-secrets.serviceConfig.Type
        (p.services.embeddings.serviceConfig ? LoadCredential)
      ];
    expected = [
      "/run/credentials/aistack-coordinator.service/identity-key"
      [
        "api-keys:/var/lib/aistack-secrets/api-keys"
        "identity-key:/var/lib/aistack-secrets/identity-key"
      ]
      [ "aistack-secrets.service" ]
      "oneshot"
      false
    ];
  };

  # --- host tuning ----------------------------------------------------------
  testRamBudgetFailsWhenItDoesNotAddUp = {
    expr = map (a: lib.hasInfix "RAM does not add up" a.message) (
      failedAssertions (planFor { systemRamGb = 16; } {
        tier = "large";
        model = "qwen2.5-14b-instruct-q4_k_m";
      })
    );
    expected = [ true ];
  };
  testRamBudgetAddsUpOnEveryExampleHost = {
    expr = map (f: (planFor f { }).hostTuning.ramBudget.ok) [
      sbcFacts
      laptopFacts
      serverFacts
      {
        systemRamGb = 2;
        cpuArchitecture = "aarch64";
      }
    ];
    expected = [
      true
      true
      true
      true
    ];
  };
  # The smallest typical host of each tier runs its defaults within its RAM.
  testDefaultsFitTheSmallestHostOfEachTier = {
    expr = map (
      f:
      let
        p = planFor f { };
      in
      [
        p.tier
        (map (a: a.message) (failedAssertions p))
      ]
    ) [
      {
        systemRamGb = 2;
        cpuArchitecture = "aarch64";
      }
      { systemRamGb = 4; }
      { systemRamGb = 8; }
      { systemRamGb = 16; }
      { systemRamGb = 33; }
    ];
    expected = [
      [ "nano" [ ] ]
      [ "micro" [ ] ]
      [ "small" [ ] ]
      [ "medium" [ ] ]
      [ "large" [ ] ]
    ];
  };
  testWebuiOnlyWhereItFits = {
    expr = map (f: (planFor f { }).monitoring.webui.enable) [
      { systemRamGb = 16; }
      laptopFacts
    ];
    expected = [
      false
      true
    ];
  };
  testZramOnSmallTiersOnly = {
    expr = map (f: (planFor f { }).hostTuning.zram.enable) [
      sbcFacts
      laptopFacts
    ];
    expected = [
      true
      false
    ];
  };
  testNanoRunsNoTorch = {
    expr = lib.attrNames (planFor { systemRamGb = 2; cpuArchitecture = "aarch64"; } { }).services;
    # The dashboard fits: it is the only operator view where monitoring does not.
    expected = [
      "audit"
      "coordinator"
      "dashboard"
    ];
  };
  testMonitoringOffOnMicro = {
    expr = map (f: (planFor f { }).monitoring.enable) [
      sbcFacts
      laptopFacts
    ];
    expected = [
      false
      true
    ];
  };

  # --- plan -----------------------------------------------------------------
  testPlanSbcIsMicroWithEveryService = {
    expr =
      let
        p = planFor sbcFacts { };
      in
      [
        p.tier
        (lib.attrNames p.services)
        p.services.coordinator.serviceConfig.MemoryMax
      ];
    expected = [
      "micro"
      [
        "audit"
        "coordinator"
        "dashboard"
        "embeddings"
        "knowledge"
      ]
      "512M"
    ];
  };
  testPlanConfigsCarrySchemaVersion = {
    expr = lib.mapAttrsToList (_: s: s.config.schema_version) (planFor laptopFacts { }).services;
    expected = [
      1
      1
      1
      1
      1
    ];
  };
  testPlanUpstreamsComeFromRegistry = {
    expr =
      let
        p = planFor laptopFacts { };
      in
      p.services.coordinator.config.upstreams.llama_cpp == p.endpoints.llama-cpp
      && p.services.knowledge.config.upstreams.embeddings == p.endpoints.embeddings
      && p.services.embeddings.config.listen == p.endpoints.embeddings;
    expected = true;
  };
  testPlanDisabledServiceAbsent = {
    expr = lib.attrNames (planFor laptopFacts { services.knowledge.enable = false; }).services;
    expected = [
      "audit"
      "coordinator"
      "dashboard"
      "embeddings"
    ];
  };
  testDashboardProbesThePostgresqlStateStore = {
    expr =
      let
        p = planFor laptopFacts {
          services.knowledge.settings.state_store = {
            kind = "postgresql";
            host = "/run/postgresql";
            dbname = "aistack";
            user = "aistack";
          };
        };
      in
      lib.findFirst (t: t.name == "postgresql") null p.services.dashboard.config.targets;
    expected = {
      name = "postgresql";
      unit = "postgresql";
      check = "postgresql";
      endpoint = {
        kind = "unix";
        path = "/run/postgresql/.s.PGSQL.5432";
      };
      path = null;
      database = "aistack";
      # Peer authentication on the local socket: the dashboard's own role.
      user = "aistack-dashboard";
      password_file = null;
    };
  };
  testDashboardTargetsFollowThePlan = {
    expr = map (t: "${t.name}:${t.check}") (planFor sbcFacts { }).services.dashboard.config.targets;
    expected = [
      "audit:socket"
      "coordinator:http"
      "embeddings:http"
      "knowledge:http"
      "redis:redis"
      "llama-cpp:http"
      "llama-embeddings:http"
      "secrets:none"
    ];
  };
  testPlanSettingsMergeOverConfig = {
    expr = (planFor laptopFacts { services.coordinator.settings.log_level = "debug"; }).services.coordinator.config.log_level;
    expected = "debug";
  };
  testPlanRemoteKeyIsAPathNotAValue = {
    expr =
      let
        p = planFor serverFacts {
          remoteApi = {
            enable = true;
            baseUrl = "https://api.example.com/v1";
            model = "m";
            apiKeyFile = "/run/secrets/key";
          };
        };
        c = p.services.coordinator;
      in
      [
        c.config.remote_api.api_key_file
        c.serviceConfig.LoadCredential
        (failedAssertions p)
      ];
    expected = [
      "/run/credentials/aistack-coordinator.service/remote-api-key"
      [
        "api-keys:/var/lib/aistack-secrets/api-keys"
        "identity-key:/var/lib/aistack-secrets/identity-key"
        "remote-api-key:/run/secrets/key"
      ]
      [ ]
    ];
  };
  testPlanRemoteKeyInStoreFails = {
    expr = map (a: lib.hasInfix "apiKeyFile is in the Nix store" a.message) (
      failedAssertions (planFor serverFacts {
        remoteApi = {
          enable = true;
          baseUrl = "https://api.example.com/v1";
          model = "m";
          apiKeyFile = "/nix/store/aaaa-key";
        };
      })
    );
    expected = [ true ];
  };
  testPlanRemotePlainHttpFails = {
    expr = builtins.length (
      failedAssertions (planFor serverFacts {
        remoteApi = {
          enable = true;
          baseUrl = "http://api.example.com/v1";
          model = "m";
          apiKeyFile = "/run/secrets/key";
        };
      })
    );
    expected = 1;
  };
  testPlanContextCappedByTierAndModel = {
    expr = map (f: (planFor f { }).model.contextLength) [
      sbcFacts
      laptopFacts
      serverFacts
    ];
    expected = [
      4096
      16384
      32768
    ];
  };
  testPlanCompletesPartialSettings = {
    expr =
      let
        partial = mkPlan { settings.facts = laptopFacts; };
        final = planFor laptopFacts { };
      in
      [
        partial.tier
        (partial.llamaCpp.serviceConfig == final.llamaCpp.serviceConfig)
        (partial.services.coordinator.config == final.services.coordinator.config)
      ];
    expected = [
      "medium"
      true
      true
    ];
  };
  testCheckPlanThrowsOnFailedAssertion = {
    expr = throws (aistack.checkPlan (planFor sbcFacts { model = "qwen2.5-14b-instruct-q4_k_m"; }));
    expected = true;
  };
  testPlanLocalRootMovesPaths = {
    expr =
      let
        p = planFor laptopFacts { localRoot = "/tmp/r"; };
      in
      [
        p.services.knowledge.config.vector_store.path
        p.services.coordinator.config.upstreams.redis.path
        (lib.hasSuffix ''"--config" "/tmp/r/etc/aistack/coordinator.json"'' p.services.coordinator.serviceConfig.ExecStart)
      ];
    expected = [
      "/tmp/r/var/lib/aistack-knowledge/qdrant-edge"
      "/tmp/r/run/redis-aistack/redis.sock"
      true
    ];
  };
}
