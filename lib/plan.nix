# mkPlan: facts + settings -> one attrset holding every decision. The NixOS
# module and `aistack render` both consume it and decide nothing themselves.
{
  lib,
  tiers,
  models,
  endpoints,
  hardening,
  serviceConfigs,
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

  serviceDescriptions = {
    coordinator = "aistack coordinator (retrieval, routing, feedback)";
    embeddings = "aistack embeddings service";
    knowledge = "aistack knowledge base (Qdrant + Redis cache)";
  };

  defaultPaths = {
    configDir = "/etc/aistack";
    stateDir = "/var/lib";
    runtimeDir = "/run";
    credentialsDir = "/run/credentials";
  };

  # Every path re-rooted under `root` (only `aistack render --local` sets it).
  pathsUnder = root: mapAttrs (_: p: "${root}${p}") defaultPaths;

  defaultServiceSettings = {
    enable = true;
    settings = { };
  };

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
      embeddingModel = models.findEmbeddingModel (settings.embeddingModel or models.defaultEmbeddingModel);

      remoteApi = {
        enable = false;
        baseUrl = null;
        model = null;
        apiKeyFile = null;
        timeoutSeconds = 60;
      } // (settings.remoteApi or { });

      paths = pathsUnder root;
      eps = endpoints.mkEndpoints { inherit (paths) runtimeDir; };

      ctx = {
        inherit
          hostName
          tier
          chatModel
          embeddingModel
          remoteApi
          paths
          ;
        endpoints = eps;
        logLevel = settings.logLevel or "info";
        contextLength = lib.min contextLengthByTier.${tier} chatModel.context_length;
      };

      serviceSettings = name: defaultServiceSettings // ((settings.services or { }).${name} or { });

      # What each service needs beyond the strict default, with the reason.
      profiles = {
        coordinator = {
          # Calls the remote API only when one is configured.
          network = if remoteApi.enable then "egress" else "loopback";
        };
        embeddings = {
          # torch's JIT and oneDNN map pages writable and executable, and torch
          # reads /proc/cpuinfo to pick kernels.
          allowWriteExecute = true;
          readsSystemInfo = true;
        };
        knowledge = { };
      };

      mkService =
        name: builder:
        let
          unit = "aistack-${name}";
          configFile = "${paths.configDir}/${name}.json";
          profile = {
            inherit tier;
            network = "loopback";
            stateDirectory = unit;
            supplementaryGroups = [ redisGroup ];
          } // profiles.${name};
          credentials = optionalAttrs (name == "coordinator" && remoteApi.enable && remoteApi.apiKeyFile != null) {
            remote-api-key = remoteApi.apiKeyFile;
          };
        in
        {
          inherit unit configFile profile;
          enable = (serviceSettings name).enable;
          description = serviceDescriptions.${name};
          config = recursiveUpdate (builder ctx) (serviceSettings name).settings;
          after = [
            "network.target"
            "redis-aistack.service"
          ];
          wants = [ "redis-aistack.service" ];
          environment = optionalAttrs (name == "embeddings") {
            # Models come from the Nix store or the state directory, never a hub at run time.
            HF_HUB_OFFLINE = "1";
            HF_HOME = "${paths.stateDir}/${unit}/huggingface";
          };
          serviceConfig =
            hardening.mkHardenedService profile
            // {
              Type = "exec";
              ExecStart = "${aistackBin} serve ${name} --config ${configFile}";
            }
            // optionalAttrs (credentials != { }) {
              LoadCredential = lib.mapAttrsToList (id: path: "${id}:${path}") credentials;
            };
        };

      allServices = mapAttrs mkService serviceConfigs.builders;
      services = filterAttrs (_: s: s.enable) allServices;

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
      endpoints = eps;
      redis = {
        enable = services != { };
        socket = eps.redis.path;
        group = redisGroup;
      };
      inherit services;
      warnings = selection.warnings;
      assertions = selection.assertions ++ lib.flatten remoteAssertions;
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
