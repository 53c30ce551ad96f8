# mkPlan: facts + settings -> one attrset holding every decision. The NixOS
# module and `aistack render` both consume it and decide nothing themselves.
{
  lib,
  tiers,
  models,
  endpoints,
  hardening,
  serviceConfigs,
  serviceSpecs,
  llamaCppLib,
  hostTuningLib,
  monitoringLib,
  embeddingsLib,
}:
let
  inherit (lib)
    filter
    filterAttrs
    mapAttrs
    optional
    optionalAttrs
    recursiveUpdate
    hasPrefix
    concatMap
    attrValues
    ;

  # llama.cpp context per tier (capped by the model's own limit): the KV cache
  # is the part of RAM that grows with it.
  contextLengthByTier = {
    nano = 2048;
    micro = 4096;
    small = 8192;
    medium = 16384;
    large = 32768;
  };

  # Redis serves every service over its Unix socket; this group may open it.
  redisGroup = "redis-aistack";

  # Members may connect to the services' Unix sockets under /run/aistack.
  socketGroup = "aistack";
  socketServices = [
    "embeddings"
    "knowledge"
    "audit"
  ];

  showGb = gb: "${models.showNumber gb} GB";

  defaultPaths = {
    configDir = "/etc/aistack";
    stateDir = "/var/lib";
    runtimeDir = "/run";
    credentialsDir = "/run/credentials";
  };

  # Every path re-rooted under `root` (only `aistack render --local` sets it).
  pathsUnder = root: mapAttrs (_: p: "${root}${p}") defaultPaths;

  defaultServiceSettings = {
    enable = null;
    settings = { };
    apparmorMode = "enforce";
  };

  # Retrieval (embeddings + knowledge base) is the first optional part: on by
  # default where its MemoryMax fits the RAM budget, never by default on a
  # nano board (torch does not fit in 256M).
  retrievalServices = [
    "embeddings"
    "knowledge"
  ];

  /*
    mkPlan :: {
      settings;                 # the value of config.services.aistack (or a subset)
      aistackBin ? "/run/current-system/sw/bin/aistack";
      root ? "";                # prefix for every filesystem path (local runs only)
    } -> plan
  */
  mkPlan =
    {
      settings,
      aistackBin ? "/run/current-system/sw/bin/aistack",
      llamaServerBin ? "/run/current-system/sw/bin/llama-server",
      modelStorePath ? null,
      # The embedding GGUF's store path (NixOS module), for the llama-cpp backend.
      embeddingModelStorePath ? null,
      root ? "",
    }:
    let
      facts = tiers.checkFacts (settings.facts or (throw "aistack: settings.facts is missing; set services.aistack.facts (see hosts/*/facts.nix)"));
      hostName = facts.hostName or "nixos";
      tier = tiers.hardwareTier (facts // { tier = settings.tier or null; });

      selection = models.selectModel {
        inherit tier;
        inherit (facts) systemRamGb;
        model = settings.model or null;
      };
      chatModel = selection.model;
      embedding = embeddingsLib.selectEmbedding {
        inherit tier;
        model = settings.embeddingModel or null;
      };
      embeddingModel = embedding.model;

      remoteApiSettings = {
        enable = false;
        baseUrl = null;
        model = null;
        apiKeyFile = null;
        timeoutSeconds = 60;
      } // (settings.remoteApi or { });
      # host and port of the remote API, for the egress policy.
      remoteUrlParts = builtins.match "https?://([^/:]+)(:([0-9]+))?(/.*)?" (toString remoteApiSettings.baseUrl);
      remoteApi = remoteApiSettings // {
        host = if remoteUrlParts == null then null else builtins.head remoteUrlParts;
        port =
          if remoteUrlParts == null || builtins.elemAt remoteUrlParts 2 == null then
            (if lib.hasPrefix "http://" (toString remoteApiSettings.baseUrl) then 80 else 443)
          else
            lib.toInt (builtins.elemAt remoteUrlParts 2);
      };

      paths = pathsUnder root;
      eps = endpoints.mkEndpoints { inherit (paths) runtimeDir; };

      ctx = {
        inherit
          hostName
          tier
          chatModel
          embeddingModel
          embedding
          remoteApi
          paths
          ;
        endpoints = eps;
        logLevel = settings.logLevel or "info";
        vectorStore = settings.vectorStore or "local";
        embeddingMaxInputBytes = embeddingsLib.maxInputBytes embedding.backend;
        cpuCores = facts.cpuCores or 4;
        contextLength = lib.min contextLengthByTier.${tier} chatModel.context_length;
      };

      serviceSettings = name: defaultServiceSettings // ((settings.services or { }).${name} or { });
      specs = serviceSpecs.specs ctx;

      mkService =
        name: spec:
        let
          unit = "aistack-${name}";
          configFile = "${paths.configDir}/${name}.json";
          listenEp = eps.${spec.listen};
          upstreams = map (n: {
            name = n;
            endpoint = eps.${n};
          }) spec.connects;
          # Destinations the host adds (a LAN inference server, a mirror): each
          # layer allows exactly these, like the registry's own upstreams.
          extraDestinations = map (d: {
            name = d.name or "${d.host}:${toString d.port}";
            endpoint = {
              kind = "tcp";
              inherit (d) host port;
            };
          }) ((serviceSettings name).allowedDestinations or [ ]);
          tcpUpstreams = filter (u: u.endpoint.kind == "tcp") upstreams ++ extraDestinations;
          unixUpstreams = filter (u: u.endpoint.kind == "unix") upstreams;
          socketActivated = listenEp.kind == "unix";

          offLoopback = filter (d: !(lib.hasPrefix "127." d.endpoint.host || d.endpoint.host == "::1")) extraDestinations;

          # The least network that serves the spec, and the reason for it.
          network =
            if spec.remote != [ ] || offLoopback != [ ] then
              {
                mode = "egress";
                reason = "calls ${
                  lib.concatStringsSep ", " (
                    map (r: "${r.host}:${toString r.port} on the internet") spec.remote
                    ++ map (d: "${d.name} (${d.endpoint.host}:${toString d.endpoint.port}), added by the host") offLoopback
                  )
                }";
              }
            else if listenEp.kind == "tcp" || tcpUpstreams != [ ] then
              {
                mode = "loopback";
                reason = "TCP on loopback: ${
                  lib.concatStringsSep ", " (
                    optional (listenEp.kind == "tcp") "listens on ${toString listenEp.port}"
                    ++ map (u: "connects to ${u.name} (${toString u.endpoint.port})") tcpUpstreams
                  )
                }";
              }
            else
              {
                mode = "none";
                reason = "Unix sockets only: no IP network (PrivateNetwork)";
              };

          groups =
            optional spec.needsRedis redisGroup
            ++ optional (lib.any (u: lib.elem u.name socketServices) unixUpstreams) socketGroup;

          profile = {
            inherit tier;
            network = network.mode;
            extraAddressAllow = lib.unique (map (d: d.endpoint.host) extraDestinations);
            # Only a remote API needs the whole public internet; host-added
            # destinations alone allow just their addresses.
            publicInternet = spec.remote != [ ];
            stateDirectory = unit;
            supplementaryGroups = groups;
          } // spec.relax;

          credentials =
            optionalAttrs (name == "coordinator" && remoteApi.enable && remoteApi.apiKeyFile != null) {
              remote-api-key = remoteApi.apiKeyFile;
            }
            // optionalAttrs spec.needsIdentityKey { identity-key = identityKeyFile; };

          socket =
            if socketActivated then
              {
                unit = unit;
                listenStream = listenEp.path;
                socketConfig = {
                  SocketMode = "0660";
                  SocketGroup = socketGroup;
                  DirectoryMode = "0755";
                };
              }
            else
              null;

          # Policy as data: the AppArmor and nftables renderers turn it into text.
          policy = hardening.mkPolicy {
            inherit unit;
            exec = aistackBin;
            network = network.mode;
            # Its config, and the credentials systemd hands it (LoadCredential=).
            readPaths = [ configFile ] ++ optional (credentials != { }) "${paths.credentialsDir}/${unit}.service/";
            writePaths = [
              "${paths.stateDir}/${unit}"
              "${paths.stateDir}/private/${unit}"
              "${paths.runtimeDir}/${unit}"
            ];
            unixSockets = map (u: u.endpoint.path) unixUpstreams ++ optional (listenEp.kind == "unix") listenEp.path;
            tcp = map (u: {
              inherit (u) name;
              inherit (u.endpoint) host port;
            }) tcpUpstreams;
            inherit (spec) remote;
            listenTcp = lib.optional (listenEp.kind == "tcp") { inherit (listenEp) host port; };
            apparmorMode = (serviceSettings name).apparmorMode or "enforce";
          };
        in
        {
          inherit
            unit
            configFile
            profile
            network
            socket
            policy
            ;
          inherit (spec) description environment;
          config =
            let
              base = recursiveUpdate (serviceConfigs.builders.${name} ctx) (serviceSettings name).settings;
            in
            # The SSRF guard lets callers' requests reach the added destinations too.
            if base ? guard && extraDestinations != [ ] then
              recursiveUpdate base {
                guard.outbound.allow =
                  base.guard.outbound.allow ++ map (d: "${d.endpoint.host}:${toString d.endpoint.port}") extraDestinations;
              }
            else
              base;
          after =
            [ "network.target" ]
            ++ optional spec.needsRedis "redis-aistack.service"
            ++ optional socketActivated "${unit}.socket"
            ++ optional spec.needsIdentityKey "${secretsUnit.unit}.service";
          wants = optional spec.needsRedis "redis-aistack.service";
          requires =
            optional socketActivated "${unit}.socket"
            ++ optional spec.needsIdentityKey "${secretsUnit.unit}.service";
          serviceConfig =
            hardening.mkHardenedService profile
            // hardening.confinement unit
            // {
              Type = "exec";
              ExecStart = "${aistackBin} serve ${name} --config ${configFile}";
            }
            // optionalAttrs (credentials != { }) {
              LoadCredential = lib.mapAttrsToList (id: path: "${id}:${path}") credentials;
            };
        };

      # Creates the host's keys once; services get them as systemd credentials.
      secretsDir = "${paths.stateDir}/aistack-secrets";
      identityKeyFile = "${secretsDir}/identity-key";
      secretsUnit = {
        unit = "aistack-secrets";
        description = "aistack: create the host's keys (once)";
        after = [ ];
        wants = [ ];
        requires = [ ];
        environment = { };
        socket = null;
        serviceConfig =
          hardening.mkHardenedService {
            inherit tier;
            network = "none";
            stateDirectory = "aistack-secrets";
            memoryMax = "64M";
          }
          // hardening.confinement "aistack-secrets"
          // {
            Type = "oneshot";
            RemainAfterExit = true;
            ExecStart = "${aistackBin} secrets init --dir ${secretsDir}";
          };
        policy = hardening.mkPolicy {
          unit = "aistack-secrets";
          exec = aistackBin;
          network = "none";
          writePaths = [
            secretsDir
            "${paths.stateDir}/private/aistack-secrets"
          ];
        };
      };

      # The llama.cpp server computing embeddings, where that is the backend.
      embeddingServerFor =
        enabledServices:
        if enabledServices ? embeddings && embedding.backend == "llama-cpp" then
          embeddingsLib.mkEmbeddingServer {
            inherit tier facts paths llamaServerBin;
            model = embeddingModel;
            endpoint = eps.llama-embeddings;
            modelStorePath = embeddingModelStorePath;
          }
        else
          null;
      # Its MemoryMax counts in the RAM budget like a service's.
      embeddingServerMemory =
        enabledServices:
        let
          server = embeddingServerFor enabledServices;
        in
        lib.optionalAttrs (server != null) { ${server.unit} = server.memoryMax; };

      allServices = mapAttrs mkService specs;
      choiceOf = name: (serviceSettings name).enable;
      isRetrieval = name: lib.elem name retrievalServices;
      # Services that run whatever the budget: the core, and anything asked for.
      fixedServices = filterAttrs (
        name: _: choiceOf name == true || (choiceOf name == null && !(isRetrieval name))
      ) allServices;
      retrievalCandidates = filterAttrs (name: _: isRetrieval name && choiceOf name == null) allServices;
      retrievalFits =
        tier != "nano"
        && (tuningWith (fixedServices // retrievalCandidates) (
          embeddingServerMemory (fixedServices // retrievalCandidates)
        )).ramBudget.ok;
      services = fixedServices // lib.optionalAttrs retrievalFits retrievalCandidates;
      embeddingServer = embeddingServerFor services;

      llamaCppSettings = {
        enable = true;
        track = "stable";
      } // (settings.llamaCpp or { });
      modelRepoAllowlist = settings.modelRepoAllowlist or (lib.unique (map (m: m.hf_repo) models.registry));
      llamaCpp =
        if llamaCppSettings.enable then
          llamaCppLib.mkLlamaCpp {
            inherit
              facts
              tier
              paths
              llamaServerBin
              ;
            model = chatModel;
            inherit (ctx) contextLength;
            endpoint = eps.llama-cpp;
            inherit (llamaCppSettings) track;
            modelFetch = settings.modelFetch or "store";
            allowlist = modelRepoAllowlist;
            inherit aistackBin modelStorePath;
          }
        else
          null;

      # The RAM arithmetic for a set of services plus extra units' MemoryMax.
      tuningWith =
        someServices: extraMemoryMax:
        hostTuningLib.mkHostTuning {
          inherit tier llamaCpp extraMemoryMax;
          services = someServices;
          inherit (facts) systemRamGb;
        };
      monitoringWith =
        monitoringFits: webuiFits:
        monitoringLib.mkMonitoring {
          inherit
            tier
            services
            llamaCpp
            monitoringFits
            webuiFits
            ;
          endpoints = eps;
          monitoring = (settings.monitoring or { }).enable or null;
          webui = (settings.webui or { }).enable or null;
        };
      # Then monitoring, then the web UI: each on by default only where it still fits.
      extraWith = m: m.memoryMax // embeddingServerMemory services;
      monitoringFits = (tuningWith services (extraWith (monitoringWith true false))).ramBudget.ok;
      webuiFits = (tuningWith services (extraWith (monitoringWith monitoringFits true))).ramBudget.ok;
      monitoring = monitoringWith monitoringFits webuiFits;
      hostTuning = tuningWith services (extraWith monitoring);

      budgetWarnings =
        lib.optional (!retrievalFits && tier != "nano" && retrievalCandidates != { })
          "aistack: retrieval (the embeddings and knowledge services) is off on this ${showGb facts.systemRamGb} host: its MemoryMax does not fit the RAM budget next to ${chatModel.id}. Pick a smaller services.aistack.model, or force it with services.aistack.services.embeddings.enable = true and services.aistack.services.knowledge.enable = true."
        ++ lib.optional (!monitoringFits && tiers.tierAtLeast "small" tier && (settings.monitoring or { }).enable or null == null)
          "aistack: monitoring (Prometheus, Grafana) is off on this ${showGb facts.systemRamGb} host: it does not fit the RAM budget. Force it with services.aistack.monitoring.enable = true.";

      # Every confined unit's policy, for the AppArmor and nftables renderers.
      # Every unit the plan defines, and every confined unit's policy (for the
      # AppArmor and nftables renderers), keyed by unit name.
      unitList =
        lib.attrValues services
        ++ lib.optional (lib.any (name: specs.${name}.needsIdentityKey) (lib.attrNames services)) secretsUnit
        ++ lib.optional (llamaCpp != null) llamaCpp
        ++ lib.optional (embeddingServer != null) embeddingServer
        ++ lib.optional (llamaCpp != null && llamaCpp.fetchUnit != null) llamaCpp.fetchUnit;
      units = lib.listToAttrs (
        map (u: lib.nameValuePair u.unit {
          inherit (u) description after wants requires environment socket serviceConfig;
        }) unitList
      );
      policies = lib.listToAttrs (map (u: lib.nameValuePair u.unit u.policy) unitList);

      remoteAssertions = optional remoteApi.enable [
        {
          assertion = remoteApi.baseUrl != null && (hasPrefix "https://" remoteApi.baseUrl || builtins.match "http://(127[.]0[.]0[.]1|localhost|[[]::1[]])([:/].*)?" remoteApi.baseUrl != null);
          message = "aistack: services.aistack.remoteApi.baseUrl must be an https:// URL (plain http only to localhost), got ${builtins.toJSON remoteApi.baseUrl}.";
        }
        {
          assertion = remoteApi.model != null;
          message = "aistack: services.aistack.remoteApi.enable is set but services.aistack.remoteApi.model is not; name the remote model to use.";
        }
        {
          assertion = remoteApi.apiKeyFile != null;
          message = "aistack: services.aistack.remoteApi.enable is set but services.aistack.remoteApi.apiKeyFile is not; point it at a file outside the Nix store holding the key (e.g. from agenix or sops-nix).";
        }
        {
          assertion = remoteApi.apiKeyFile == null || !(hasPrefix "/nix/store" (toString remoteApi.apiKeyFile));
          message = "aistack: services.aistack.remoteApi.apiKeyFile is in the Nix store, where every user can read it; use a path outside the store (e.g. /run/secrets/aistack-remote-api-key from agenix or sops-nix), given as a string, not a Nix path.";
        }
      ];
    in
    {
      schemaVersion = serviceConfigs.schemaVersion;
      inherit hostName tier paths;
      facts = facts // {
        inherit hostName;
      };
      model = {
        chat = chatModel;
        embedding = embeddingModel;
        source = selection.source;
        contextLength = ctx.contextLength;
      };
      # Which engine computes embeddings on this tier, and why.
      embeddings = {
        inherit (embedding) backend;
        backendReason = embedding.reason;
        # The llama.cpp server unit (llama-cpp backend only), else null.
        server = embeddingServer;
      };
      endpoints = eps;
      redis = {
        enable = services != { };
        socket = eps.redis.path;
        group = redisGroup;
      };
      inherit socketGroup secretsUnit;
      # Where the host's keys live (what aistack-secrets.service creates).
      secrets = {
        dir = secretsDir;
        identityKey = identityKeyFile;
      };
      inherit
        services
        llamaCpp
        hostTuning
        monitoring
        units
        policies
        modelRepoAllowlist
        ;
      warnings =
        selection.warnings
        ++ lib.optionals (services ? embeddings) embedding.warnings
        ++ lib.optionals (llamaCpp != null) llamaCpp.warnings ++ budgetWarnings;
      assertions =
        selection.assertions
        ++ lib.flatten remoteAssertions
        ++ lib.optionals (llamaCpp != null) llamaCpp.assertions
        ++ hostTuning.assertions;
    };

  # The plan, or a throw carrying every failed assertion's message: what
  # `aistack render` evaluates, mirroring how NixOS fails on assertions.
  checkPlan =
    plan:
    let
      failed = filter (a: !a.assertion) plan.assertions;
    in
    if failed == [ ] then plan else throw (lib.concatMapStringsSep "\n" (a: a.message) failed);
in
{
  inherit
    mkPlan
    checkPlan
    contextLengthByTier
    defaultPaths
    ;
}
