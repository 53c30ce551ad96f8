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
  dashboardLib,
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
    ;
  inherit (import ./exec-args.nix { inherit lib; }) escapeSystemdExecArgs;
  netRanges = import ./net-ranges.nix;
  sourceSyncLib = import ./source-sync.nix { inherit lib hardening; };

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
    "tasks"
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

  # Retrieval (embeddings + knowledge base) is the first optional part: on by
  # default where its MemoryMax fits the RAM budget, never by default on a
  # nano board (torch does not fit in 256M).
  retrievalServices = [
    "embeddings"
    "knowledge"
  ];

  isLoopback = host: lib.hasPrefix "127." host || host == "::1" || host == "localhost";

  /*
    evalSettings :: attrset -> settings

    The final value of services.aistack for partial settings
    (`{ facts = ...; model = ...; }`), every default filled in by the
    options module: what mkPlan works on, without NixOS.
  */
  evalSettings =
    partial:
    (lib.evalModules {
      modules = [
        ../modules/options.nix
        { services.aistack = { enable = lib.mkDefault true; } // partial; }
      ];
    }).config.services.aistack;

  # Config keys are snake_case; endpoint names may hold "-" (llama-cpp).
  configKey = name: builtins.replaceStrings [ "-" ] [ "_" ] name;

  /*
    mkContext :: settings -> ctx

    What the service config builders (lib/service-configs.nix) and the specs
    (lib/services.nix) read. `settings` is the final value of
    config.services.aistack (the options module's, see evalSettings).
    `endpoints` is the registry with every service's final `listen` laid over
    it, so a reader of a service follows it when its settings move it;
    `registry` is the registry alone (a service's own default `listen`).
  */
  mkContext =
    settings:
    let
      facts = tiers.checkFacts settings.facts;
      paths = pathsUnder (settings.localRoot or "");
      registry = endpoints.mkEndpoints { inherit (paths) runtimeDir; };
      remote = settings.remoteApi;
      # host and port of the remote API, for the egress policy.
      remoteUrlParts = builtins.match "https?://([^/:]+)(:([0-9]+))?(/.*)?" (toString remote.baseUrl);
      embedding = embeddingsLib.selectEmbedding {
        inherit (settings) tier;
        model = settings.embeddingModel;
      };
    in
    {
      hostName = facts.hostName or "nixos";
      inherit (settings) tier logLevel vectorStore stateStore;
      inherit paths registry;
      chatModel = models.findChatModel settings.model;
      # Which model computes embeddings, on which backend, and why.
      inherit embedding;
      embeddingModel = embedding.model;
      embeddingMaxInputBytes = embeddingsLib.maxInputBytes embedding.backend;
      cpuCores = facts.cpuCores or 4;
      tasks = settings.tasks // {
        workspaceRoots =
          if settings.tasks.workspaceRoots != null then
            settings.tasks.workspaceRoots
          else
            [ "${paths.stateDir}/aistack-tasks/workspaces" ];
      };
      contextLength = settings.llamaCpp.contextSize;
      endpoints = registry // mapAttrs (_: s: s.settings.listen) settings.services;
      remoteApi = remote // {
        host = if remoteUrlParts == null then null else builtins.head remoteUrlParts;
        port =
          if remoteUrlParts == null || builtins.elemAt remoteUrlParts 2 == null then
            (if lib.hasPrefix "http://" (toString remote.baseUrl) then 80 else 443)
          else
            lib.toInt (builtins.elemAt remoteUrlParts 2);
      };
    };

  /*
    serviceDefaults :: settings -> name -> config attrset

    The JSON config the module proposes for a service (each leaf set with
    mkDefault in services.aistack.services.<name>.settings): the builder's,
    plus the destinations the host added to the SSRF guard's allowlist.
  */
  serviceDefaults =
    settings: name:
    let
      base = serviceConfigs.builders.${name} (mkContext settings);
      added = map (d: "${d.host}:${toString d.port}") settings.services.${name}.allowedDestinations;
    in
    if base ? guard && added != [ ] then
      recursiveUpdate base { guard.outbound.allow = base.guard.outbound.allow ++ added; }
    else
      base;

  # Every part of a plan that does not depend on which optional parts are on:
  # each service as it would run, llama.cpp, and the RAM arithmetic for any
  # selection of them. mkPlan and derivedDefaults share it.
  mkParts =
    {
      settings,
      aistackBin ? "/run/current-system/sw/bin/aistack",
      llamaServerBin ? "/run/current-system/sw/bin/llama-server",
      # The systemctl a service that reads units' states runs (the dashboard).
      systemctlBin ? "/run/current-system/sw/bin/systemctl",
      modelStorePath ? null,
      # The embedding GGUF's store path (NixOS module), for the llama-cpp backend.
      embeddingModelStorePath ? null,
    }:
    let
      facts = tiers.checkFacts settings.facts;
      inherit (settings) tier;
      ctx = mkContext settings;
      inherit (ctx) paths remoteApi chatModel;
      eps = ctx.endpoints;
      specs = serviceSpecs.specs ctx;

      mkService =
        name: spec:
        let
          unit = "aistack-${name}";
          svcSettings = settings.services.${name};
          # The final JSON config: the module's defaults and the host's keys.
          config = svcSettings.settings;
          configFile = "${paths.configDir}/${name}.json";
          # An endpoint is one leaf (lib/mk-default-deep.nix): a host sets it whole.
          listenEp =
            if config.listen ? kind then
              config.listen
            else
              throw "aistack: services.aistack.services.${name}.settings.listen replaces the whole endpoint; set { kind = \"tcp\"; host = \"127.0.0.1\"; port = ...; } or { kind = \"unix\"; path = ...; }";
          # Where the service connects to each endpoint it needs: as its
          # config says (so a changed upstream moves the policy with it).
          fromConfig = (spec.configEndpoints or (_: { })) config;
          endpointOf = n: config.upstreams.${configKey n} or (fromConfig.${n} or eps.${n});
          upstreams = map (n: {
            name = n;
            endpoint = endpointOf n;
          }) spec.connects;
          # Destinations the host adds (a LAN inference server, a mirror): each
          # layer allows exactly these, like the registry's own upstreams.
          extraDestinations = map (d: {
            name = if d.name != null then d.name else "${d.host}:${toString d.port}";
            endpoint = {
              kind = "tcp";
              inherit (d) host port;
            };
          }) svcSettings.allowedDestinations;
          tcpUpstreams = filter (u: u.endpoint.kind == "tcp") upstreams ++ extraDestinations;
          unixUpstreams = filter (u: u.endpoint.kind == "unix") upstreams;
          socketActivated = listenEp.kind == "unix";

          offLoopback = filter (d: !(isLoopback d.endpoint.host)) extraDestinations;
          runsSandboxes = spec.relax.runsSandboxes or false;
          # Its records live on this host's PostgreSQL (stateStore = "postgresql").
          usesPostgres = lib.elem "postgresql" spec.connects;
          # `systemctl show` asks systemd over the system bus.
          readsUnitStates = spec.readsUnitStates or false;
          extraWritePaths = spec.writePaths or [ ];

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
            # Upstreams off loopback (a moved one) and host-added destinations.
            extraAddressAllow = lib.unique (
              map (d: d.endpoint.host) extraDestinations
              ++ map (u: u.endpoint.host) (filter (u: !(isLoopback u.endpoint.host)) tcpUpstreams)
            );
            # Only a remote API needs the whole public internet; host-added
            # destinations alone allow just their addresses.
            publicInternet = spec.remote != [ ];
            stateDirectory = unit;
            supplementaryGroups = groups;
          }
          // spec.relax;

          credentials =
            optionalAttrs (name == "coordinator" && remoteApi.enable && remoteApi.apiKeyFile != null) {
              remote-api-key = remoteApi.apiKeyFile;
            }
            // optionalAttrs (spec.needsApiKeys or false) { api-keys = apiKeysFile; }
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

          execArgs = [
            aistackBin
            "serve"
            name
            "--config"
            configFile
          ];

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
            ]
            ++ extraWritePaths
            # Its delegated cgroup subtree: one child per task with its caps.
            ++ optional runsSandboxes "/sys/fs/cgroup";
            # bubblewrap needs these inside the namespaces it makes (it has no
            # capability in the host's); the agents it runs come from the store.
            capabilities = lib.optionals runsSandboxes [
              "sys_admin"
              "net_admin"
              "setpcap"
              "setuid"
              "setgid"
            ];
            sandboxes = runsSandboxes;
            execPaths =
              lib.optionals runsSandboxes [ "/nix/store" ] ++ optional readsUnitStates (dirOf systemctlBin);
            unixSockets =
              map (u: u.endpoint.path) unixUpstreams
              ++ optional (listenEp.kind == "unix") listenEp.path
              ++ optional readsUnitStates "/run/dbus/system_bus_socket";
            tcp = map (u: {
              inherit (u) name;
              inherit (u.endpoint) host port;
            }) tcpUpstreams;
            inherit (spec) remote;
            listenTcp = lib.optional (listenEp.kind == "tcp") { inherit (listenEp) host port; };
            inherit (svcSettings) apparmorMode;
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
            config
            execArgs
            ;
          inherit (spec) description environment;
          after =
            [ "network.target" ]
            ++ optional spec.needsRedis "redis-aistack.service"
            ++ optional usesPostgres "postgresql.service"
            ++ optional socketActivated "${unit}.socket"
            ++ optional spec.needsIdentityKey "${secretsUnit.unit}.service";
          wants = optional spec.needsRedis "redis-aistack.service" ++ optional usesPostgres "postgresql.service";
          requires =
            optional socketActivated "${unit}.socket"
            ++ optional spec.needsIdentityKey "${secretsUnit.unit}.service";
          serviceConfig =
            hardening.mkHardenedService profile
            // hardening.confinement unit
            // {
              Type = "exec";
              ExecStart = escapeSystemdExecArgs execArgs;
            }
            // optionalAttrs (credentials != { }) {
              LoadCredential = lib.mapAttrsToList (id: path: "${id}:${path}") credentials;
            }
            # ProtectSystem=strict leaves the rest of the file system read-only.
            // optionalAttrs (extraWritePaths != [ ]) { ReadWritePaths = extraWritePaths; };
        };

      # Creates the host's keys once; services get them as systemd credentials.
      secretsDir = "${paths.stateDir}/aistack-secrets";
      identityKeyFile = "${secretsDir}/identity-key";
      # Clients' API keys for the coordinator's OpenAI-compatible API (created once, never replaced).
      apiKeysFile = "${secretsDir}/api-keys";
      secretsExecArgs = [
        aistackBin
        "secrets"
        "init"
        "--dir"
        secretsDir
      ];
      secretsUnit = {
        unit = "aistack-secrets";
        description = "aistack: create the host's keys (once)";
        after = [ ];
        wants = [ ];
        requires = [ ];
        environment = { };
        socket = null;
        execArgs = secretsExecArgs;
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
            ExecStart = escapeSystemdExecArgs secretsExecArgs;
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

      llamaCpp =
        if settings.llamaCpp.enable then
          llamaCppLib.mkLlamaCpp {
            inherit
              facts
              tier
              paths
              llamaServerBin
              ;
            model = chatModel;
            inherit (ctx) contextLength;
            inherit (settings.llamaCpp) threads gpuLayers track;
            userFlags = settings.llamaCpp.extraFlags;
            endpoint = eps.llama-cpp;
            inherit (settings) modelFetch;
            allowlist = settings.modelRepoAllowlist;
            inherit aistackBin modelStorePath;
          }
        else
          null;

      # The llama.cpp server computing embeddings, where that is the backend
      # and the embeddings service runs.
      embeddingServerFor =
        someServices:
        if someServices ? embeddings && ctx.embedding.backend == "llama-cpp" then
          embeddingsLib.mkEmbeddingServer {
            inherit
              tier
              facts
              paths
              llamaServerBin
              ;
            model = ctx.embeddingModel;
            endpoint = eps.llama-embeddings;
            modelStorePath = embeddingModelStorePath;
          }
        else
          null;

      # The Qdrant server the knowledge service's config points to, when it
      # points to one (vectorStore = "server") and the service runs.
      vectorStore = settings.services.knowledge.settings.vector_store or { };
      qdrantFor = someServices: {
        enable = someServices ? knowledge && (vectorStore.mode or null) == "server";
        endpoint = vectorStore.endpoint or eps.qdrant;
        # A server holding the vectors the knowledge service would keep itself.
        memoryMax = hardening.memoryMaxFor tier;
      };

      # The RAM arithmetic for a set of services plus extra units' MemoryMax
      # (and the Qdrant server and embedding server those services need).
      tuningWith =
        someServices: extraMemoryMax:
        let
          qdrant = qdrantFor someServices;
          embeddingServer = embeddingServerFor someServices;
        in
        hostTuningLib.mkHostTuning {
          inherit tier llamaCpp;
          extraMemoryMax =
            extraMemoryMax
            // optionalAttrs qdrant.enable { qdrant = qdrant.memoryMax; }
            // optionalAttrs (embeddingServer != null) { ${embeddingServer.unit} = embeddingServer.memoryMax; };
          services = someServices;
          inherit (facts) systemRamGb;
        };
      monitoringWith =
        services: monitoring: webui:
        monitoringLib.mkMonitoring {
          inherit
            tier
            services
            llamaCpp
            monitoring
            webui
            ;
          endpoints = eps;
        };
    in
    {
      inherit
        facts
        ctx
        specs
        secretsUnit
        secretsDir
        identityKeyFile
        apiKeysFile
        llamaCpp
        embeddingServerFor
        tuningWith
        monitoringWith
        qdrantFor
        ;
      allServices = mapAttrs mkService specs;
    };

  # A service's final `enable` is on (the options default it with derivedDefaults).
  enabledServices = settings: parts: filterAttrs (name: _: settings.services.${name}.enable) parts.allServices;

  /*
    derivedDefaults :: settings -> attrset

    The defaults the options module gives every decision derived from the
    facts. Each reads only the final values of what comes before it (tier,
    then model, then llama.cpp's numbers, then the optional parts in order:
    retrieval, monitoring, web UI), so a host that sets one of them moves
    the ones after it and none before.
  */
  derivedDefaults =
    settings:
    let
      facts = tiers.checkFacts settings.facts;
      inherit (settings) tier;
      chatModel = models.findChatModel settings.model;
      parts = mkParts { inherit settings; };
      inherit (parts) specs;
      roomy = tiers.tierAtLeast "small" tier;
      isRetrieval = name: lib.elem name retrievalServices;
      # The services that run whatever the budget, and both retrieval services.
      core = filterAttrs (
        name: _: !(isRetrieval name) && name != "dashboard" && settings.services.${name}.enable
      ) parts.allServices;
      retrieval = filterAttrs (name: _: settings.services.${name}.enable) (
        lib.getAttrs retrievalServices parts.allServices
      );
      retrievalFits =
        tier != "nano"
        && (parts.tuningWith (core // lib.getAttrs retrievalServices parts.allServices) { }).ramBudget.ok;
      # Then the dashboard: small, and the only operator view where monitoring does not fit.
      dashboardFits =
        (parts.tuningWith (core // retrieval // { inherit (parts.allServices) dashboard; }) { }).ramBudget.ok;
      services = enabledServices settings parts;
      fits = monitoring: webui: (parts.tuningWith services (parts.monitoringWith services monitoring webui).memoryMax).ramBudget.ok;
      monitoringFits = fits true false;
    in
    {
      tier = tiers.hardwareTier (facts // { tier = null; });
      model = (models.selectModel {
        inherit tier;
        inherit (facts) systemRamGb;
      }).model.id;
      threads = llamaCppLib.threadsFor facts tier;
      contextSize = lib.min contextLengthByTier.${tier} chatModel.context_length;
      gpuLayers = llamaCppLib.gpuLayersFor (llamaCppLib.variantFor facts) facts chatModel;
      serviceEnable =
        name:
        if specs.${name}.optIn or false then
          false
        else if isRetrieval name then
          retrievalFits
        else if name == "dashboard" then
          dashboardFits
        else
          true;
      inherit retrievalFits dashboardFits;
      inherit monitoringFits;
      monitoring = roomy && monitoringFits;
      # Only where something answers on the coordinator's OpenAI API.
      webui =
        roomy
        && settings.coordinator.openaiApi
        && settings.services.coordinator.enable
        && fits settings.monitoring.enable true;
    };

  /*
    mkPlan :: {
      settings;                 # the final config.services.aistack (see evalSettings)
      aistackBin ? "/run/current-system/sw/bin/aistack";
      llamaServerBin ? "/run/current-system/sw/bin/llama-server";
      systemctlBin ? "/run/current-system/sw/bin/systemctl";
      modelStorePath ? null;    # the model's fixed-output derivation (NixOS only)
    } -> plan

    A read-only view of the final settings: every value a host can change is
    an option (its default from derivedDefaults); the plan only lays them out
    for the modules and `aistack render`, and checks them.
  */
  mkPlan =
    {
      settings,
      aistackBin ? "/run/current-system/sw/bin/aistack",
      llamaServerBin ? "/run/current-system/sw/bin/llama-server",
      systemctlBin ? "/run/current-system/sw/bin/systemctl",
      modelStorePath ? null,
      embeddingModelStorePath ? null,
    }@args:
    # Partial settings ({ facts = ...; }) are completed by the options module first.
    if !(settings.optionsEvaluated or false) then
      mkPlan (args // { settings = evalSettings settings; })
    else
    let
      parts = mkParts {
        inherit
          settings
          aistackBin
          llamaServerBin
          systemctlBin
          modelStorePath
          embeddingModelStorePath
          ;
      };
      inherit (parts)
        facts
        ctx
        specs
        secretsUnit
        llamaCpp
        ;
      inherit (settings) tier;
      inherit (ctx) hostName paths remoteApi chatModel;
      eps = ctx.endpoints;
      selection = models.selectModel {
        inherit tier;
        inherit (facts) systemRamGb;
        inherit (settings) model;
      };
      defaults = derivedDefaults settings;

      enabled = enabledServices settings parts;
      monitoring = parts.monitoringWith enabled settings.monitoring.enable settings.webui.enable;
      hostTuning = parts.tuningWith enabled monitoring.memoryMax;
      embeddingServer = parts.embeddingServerFor enabled;
      identityUnit = if lib.any (name: specs.${name}.needsIdentityKey) (lib.attrNames enabled) then secretsUnit else null;

      # What the dashboard probes follows from the final plan (which units run,
      # where each listens), so it joins the dashboard's config here rather
      # than among its settings, whose defaults the plan itself depends on.
      dashboardExtras = {
        targets = dashboardLib.mkProbeTargets {
          services = enabled;
          inherit llamaCpp monitoring embeddingServer;
          endpoints = eps;
          secretsUnit = identityUnit;
        };
        prometheus = if monitoring.enable then eps.prometheus else null;
        # The task runner's /tasks/summary, where the plan runs it.
        tasks = if enabled ? tasks then enabled.tasks.config.listen else null;
      };
      services = mapAttrs (
        name: svc: if name == "dashboard" then svc // { config = svc.config // dashboardExtras; } else svc
      ) enabled;

      # Scheduled jobs (lib/services.nix `jobs`): a oneshot as its service's
      # user, in its service's AppArmor profile and state directory, with no
      # IP network, started by a timer; only where that service runs.
      jobUnits = lib.mapAttrsToList (
        name: job:
        let
          svc = services.${job.service};
          unit = "aistack-${name}";
          execArgs = [ aistackBin ] ++ job.args ++ [
            "--config"
            svc.configFile
          ];
        in
        {
          inherit unit execArgs;
          inherit (job) description;
          after = lib.filter (u: !(lib.hasSuffix ".socket" u)) svc.after;
          wants = svc.wants;
          requires = [ ];
          inherit (svc) environment;
          socket = null;
          timer = {
            inherit (job) onCalendar randomizedDelaySec persistent;
          };
          serviceConfig =
            removeAttrs (hardening.mkHardenedService {
              inherit tier;
              network = "none";
              stateDirectory = svc.profile.stateDirectory;
              supplementaryGroups = svc.profile.supplementaryGroups;
            }) [
              # The timer runs it again; a failed pass waits for the next one.
              "Restart"
              "RestartSec"
            ]
            # Its service's profile: the same executable, config and state.
            // hardening.confinement svc.unit
            // {
              Type = "oneshot";
              # DynamicUser= units with one user name share its UID, so the
              # job owns the service's state as the service does.
              User = svc.unit;
              ExecStart = escapeSystemdExecArgs execArgs;
            };
        }
      ) (filterAttrs (_: job: services ? ${job.service}) (serviceSpecs.jobs ctx));

      # The evaluation suite after each model change, where the dashboard (which shows its history) runs.
      evalUnit =
        if services ? dashboard && services ? coordinator && eps.coordinator.kind == "tcp" then
          dashboardLib.mkEvalUnit {
            inherit
              tier
              aistackBin
              paths
              socketGroup
              ;
            coordinator = eps.coordinator;
            knowledge = if services ? knowledge && eps.knowledge.kind == "unix" then eps.knowledge else null;
            modelId = chatModel.id;
          }
        else
          null;

      # Knowledge sources fetched by their own oneshots (the knowledge service stays offline).
      sourceSync = sourceSyncLib.mkSourceSync {
        inherit
          tier
          aistackBin
          paths
          socketGroup
          ;
        knowledge = if services ? knowledge then eps.knowledge else null;
        configFile = "${paths.configDir}/knowledge.json";
        sourcesFile = if services ? knowledge then services.knowledge.config.sources_file else null;
        sources = settings.knowledgeSources;
      };

      budgetWarnings =
        lib.optional
          (
            !defaults.retrievalFits
            && tier != "nano"
            && lib.any (n: !settings.services.${n}.enable) retrievalServices
          )
          "aistack: retrieval (the embeddings and knowledge services) is off on this ${showGb facts.systemRamGb} host: its MemoryMax does not fit the RAM budget next to ${chatModel.id}. Pick a smaller services.aistack.model, or force it with services.aistack.services.embeddings.enable = true and services.aistack.services.knowledge.enable = true."
        ++ lib.optional (!defaults.dashboardFits && !settings.services.dashboard.enable)
          "aistack: the dashboard is off on this ${showGb facts.systemRamGb} host: its MemoryMax does not fit the RAM budget. Force it with services.aistack.services.dashboard.enable = true."
        ++ lib.optional (!defaults.monitoringFits && tiers.tierAtLeast "small" tier && !settings.monitoring.enable)
          "aistack: monitoring (Prometheus, Grafana) is off on this ${showGb facts.systemRamGb} host: it does not fit the RAM budget. Force it with services.aistack.monitoring.enable = true.";

      # Every unit the plan defines, and every confined unit's policy (for the
      # AppArmor and nftables renderers), keyed by unit name.
      unitList =
        lib.attrValues services
        ++ lib.optional (identityUnit != null) identityUnit
        ++ lib.optional (llamaCpp != null) llamaCpp
        ++ lib.optional (embeddingServer != null) embeddingServer
        ++ lib.optional (llamaCpp != null && llamaCpp.fetchUnit != null) llamaCpp.fetchUnit
        ++ lib.optional (evalUnit != null) evalUnit
        ++ lib.optionals (sourceSync != null) sourceSync.units;
      units = lib.listToAttrs (
        map (
          u:
          lib.nameValuePair u.unit {
            inherit (u)
              description
              after
              wants
              requires
              environment
              socket
              serviceConfig
              execArgs
              ;
            # Started by its timer (scheduled jobs), else null.
            timer = u.timer or null;
          }
        ) (unitList ++ jobUnits)
      );
      policies = lib.listToAttrs (map (u: lib.nameValuePair u.unit u.policy) unitList);

      remoteAssertions = optional remoteApi.enable [
        {
          assertion =
            remoteApi.baseUrl != null
            && (
              hasPrefix "https://" remoteApi.baseUrl
              || builtins.match "http://(127[.]0[.]0[.]1|localhost|[[]::1[]])([:/].*)?" remoteApi.baseUrl != null
            );
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
      # A service moved off loopback in its settings still admits only
      # loopback peers (IPAddressAllow=): say so rather than open it silently.
      listenWarnings = lib.concatLists (
        lib.mapAttrsToList (
          name: svc:
          let
            ep = svc.config.listen;
          in
          lib.optional (ep.kind == "tcp" && !(isLoopback ep.host))
            "aistack: services.aistack.services.${name}.settings.listen is ${ep.host}:${toString ep.port}, off loopback, but ${svc.unit}.service still accepts only loopback peers (IPAddressAllow=). Add the networks that may connect: systemd.services.${svc.unit}.serviceConfig.IPAddressAllow = [ \"192.168.1.0/24\" ]; (and a reverse proxy with authentication is the safer route)."
        ) services
      );

      # Values a host set that the facts cannot carry.
      settingAssertions = [
        {
          assertion = settings.llamaCpp.contextSize <= chatModel.context_length;
          message = "aistack: services.aistack.llamaCpp.contextSize = ${toString settings.llamaCpp.contextSize} is more than ${chatModel.id} supports (${toString chatModel.context_length}).";
        }
        {
          assertion = settings.llamaCpp.gpuLayers <= chatModel.layers;
          message = "aistack: services.aistack.llamaCpp.gpuLayers = ${toString settings.llamaCpp.gpuLayers} is more than ${chatModel.id} has (${toString chatModel.layers}).";
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
        embedding = ctx.embeddingModel;
        source = if settings.model == defaults.model then "tier-default" else "explicit";
        contextLength = ctx.contextLength;
      };
      # Which engine computes embeddings on this tier, and why.
      embeddings = {
        inherit (ctx.embedding) backend;
        backendReason = ctx.embedding.reason;
        # The llama.cpp server unit (llama-cpp backend only), else null.
        server = embeddingServer;
      };
      endpoints = eps;
      redis = {
        enable = services != { };
        socket = eps.redis.path;
        group = redisGroup;
      };
      inherit socketGroup secretsUnit evalUnit;
      # Scheduled jobs (each unit with its `timer`); they run in their service's policy.
      jobs = jobUnits;
      # Units and timers of `aistack sync-sources` (null: no enabled source).
      inherit sourceSync;
      # Where the host's keys live (what aistack-secrets.service creates).
      secrets = {
        dir = parts.secretsDir;
        identityKey = parts.identityKeyFile;
        apiKeys = parts.apiKeysFile;
      };
      # Every name a policy layer uses, decided once (lib/hardening.nix).
      nftTable = hardening.nftTable;
      netRanges = {
        inherit (netRanges) nonPublicIpv4 nonPublicIpv6;
      };
      inherit
        services
        llamaCpp
        hostTuning
        monitoring
        units
        policies
        ;
      inherit (settings) modelRepoAllowlist;
      # Qdrant server for vectorStore = "server": where the knowledge service's config points.
      qdrant = parts.qdrantFor services;
      warnings =
        selection.warnings
        ++ lib.optionals (services ? embeddings) ctx.embedding.warnings
        ++ lib.optionals (llamaCpp != null) llamaCpp.warnings
        ++ budgetWarnings
        ++ listenWarnings;
      assertions =
        selection.assertions
        ++ lib.flatten remoteAssertions
        ++ settingAssertions
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
    evalSettings
    mkContext
    serviceDefaults
    derivedDefaults
    checkPlan
    contextLengthByTier
    defaultPaths
    ;
}
