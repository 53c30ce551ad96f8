# The public library of nixos-ai-stack: pure functions of facts and settings.
# Nothing here reads NixOS options, so all of it evaluates with nixpkgs `lib` alone.
{ lib }:
let
  tiers = import ./tiers.nix { inherit lib; };
  models = import ./models.nix { inherit lib tiers; };
  endpoints = import ./endpoints.nix { inherit lib; };
  hardening = import ./hardening.nix { inherit lib tiers; };
  serviceConfigs = import ./service-configs.nix { inherit lib; };
  serviceSpecs = import ./services.nix { inherit lib; };
  llamaCppLib = import ./llama-cpp.nix { inherit lib hardening models; };
  hostTuningLib = import ./host-tuning.nix {
    inherit lib tiers;
    inherit (models) showNumber;
  };
  monitoringLib = import ./monitoring.nix { inherit lib tiers; };
  dashboardLib = import ./dashboard.nix { inherit lib hardening; };
  embeddingsLib = import ./embeddings.nix {
    inherit lib hardening models;
    inherit (hostTuningLib) memoryGb;
  };
  plan = import ./plan.nix {
    inherit
      lib
      tiers
      models
      endpoints
      hardening
      serviceConfigs
      serviceSpecs
      llamaCppLib
      hostTuningLib
      monitoringLib
      dashboardLib
      embeddingsLib
      ;
  };
in
{
  inherit (tiers)
    tierNames
    validateTier
    tierAtLeast
    hardwareTier
    knownArchitectures
    knownFacts
    isHostName
    ;
  tierIndexOf = tiers.tierIndex;
  inherit (models)
    registry
    tierDefaults
    selectModel
    findModel
    modelsThatFit
    showNumber
    ;
  inherit (endpoints) mkEndpoints endpointUrl tcpPorts;
  inherit (hardening)
    mkHardenedService
    memoryMaxFor
    memoryMaxByTier
    namesFor
    ;
  inherit (plan)
    mkPlan
    evalSettings
    mkContext
    serviceDefaults
    derivedDefaults
    checkPlan
    contextLengthByTier
    ;
  inherit (import ./exec-args.nix { inherit lib; }) escapeSystemdExecArgs;
  mkDefaultDeep = import ./mk-default-deep.nix { inherit lib; };

  inherit (serviceConfigs) schemaVersion;
  # Every aistack service, by the name of its config builder.
  serviceNames = lib.attrNames serviceConfigs.builders;
  inherit (llamaCppLib)
    variantFor
    packageOverridesFor
    threadsFor
    gpuLayersFor
    ;
  inherit (hostTuningLib) memoryGb;
  inherit (embeddingsLib) selectEmbedding;
}
