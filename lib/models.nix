# Model registry and model choice: which GGUF the host's llama.cpp serves, and
# whether this host can carry it.
{ lib, tiers }:
let
  inherit (lib)
    filter
    concatStringsSep
    optional
    sort
    ;

  registryFile = lib.importJSON ./models/registry.json;
  registry = registryFile.models;
  byId = builtins.listToAttrs (map (m: lib.nameValuePair m.id m) registry);

  isChat = m: m.kind != "embedding";

  # toString of a float prints six decimals; messages want "5.9", not "5.900000".
  showNumber =
    x:
    let
      text = toString x;
      trimmed = builtins.match "(-?[0-9]+)([.][0-9]*[1-9])?[.]?0*" text;
    in
    if builtins.isFloat x && trimmed != null then
      builtins.head trimmed + (if builtins.elemAt trimmed 1 == null then "" else builtins.elemAt trimmed 1)
    else
      text;
  chatModels = filter isChat registry;
  embeddingModels = filter (m: m.kind == "embedding") registry;

  # The tier's default chat model; every id here is checked by the lib tests.
  tierDefaults = {
    nano = "qwen2.5-0.5b-instruct-q8_0";
    micro = "qwen2.5-1.5b-instruct-q8_0";
    small = "phi-4-mini-instruct-q4_k_m";
    medium = "qwen2.5-7b-instruct-q4_k_m";
    large = "qwen2.5-14b-instruct-q4_k_m";
  };

  defaultEmbeddingModel = "all-minilm-l6-v2";

  # A warning fires above this share of the host's RAM for the model alone.
  ramWarnShare = 0.7;

  # 14B-class models are refused below this much RAM (GB).
  largeModelMinRamGb = 12;
  isLargeClass = m: m.parameters_b >= 13;

  findModel =
    id:
    byId.${id} or (throw "aistack: unknown model ${builtins.toJSON id}; known models: ${concatStringsSep ", " (map (m: m.id) registry)}");

  findChatModel =
    id:
    let
      m = findModel id;
    in
    if isChat m then
      m
    else
      throw "aistack: model ${builtins.toJSON id} is an embedding model and cannot be the chat model; chat models: ${concatStringsSep ", " (map (m: m.id) chatModels)}";

  findEmbeddingModel =
    id:
    let
      m = findModel id;
    in
    if m.kind == "embedding" then
      m
    else
      throw "aistack: model ${builtins.toJSON id} is not an embedding model; embedding models: ${concatStringsSep ", " (map (m: m.id) embeddingModels)}";

  # The chat models this host can carry comfortably, largest first: what an
  # error message suggests instead of a model that does not fit.
  modelsThatFit =
    systemRamGb:
    sort (a: b: a.ram_required_gb > b.ram_required_gb) (
      filter (
        m:
        m.ram_required_gb <= ramWarnShare * systemRamGb
        && !(isLargeClass m && systemRamGb < largeModelMinRamGb)
      ) chatModels
    );

  suggestion =
    systemRamGb: tier:
    let
      fits = modelsThatFit systemRamGb;
      best = if fits == [ ] then "None of the registry's chat models fits; use a remote API only" else "Pick ${(builtins.head fits).id}";
    in
    "${best}, or leave services.aistack.model unset for the ${tier} tier default (${tierDefaults.${tier}})";

  /*
    selectModel :: { tier, systemRamGb, model ? null } -> { model, source, warnings, assertions }

    An explicit `model` id wins over the tier default. Warnings and assertions
    are returned as data (NixOS shape) so the caller decides how to fail.
  */
  selectModel =
    {
      tier,
      systemRamGb,
      model ? null,
    }:
    let
      validTier = tiers.validateTier tier;
      chosen = if model != null then findChatModel model else findChatModel tierDefaults.${validTier};
      tooLarge = isLargeClass chosen && systemRamGb < largeModelMinRamGb;
    in
    {
      model = chosen;
      source = if model != null then "explicit" else "tier-default";
      warnings =
        optional (chosen.ram_required_gb > ramWarnShare * systemRamGb && !tooLarge)
          "aistack: model ${chosen.id} needs ${showNumber chosen.ram_required_gb} GB of RAM, more than ${toString (builtins.floor (ramWarnShare * 100))}% of this host's ${showNumber systemRamGb} GB; expect swapping. ${suggestion systemRamGb validTier}."
        ++ optional (chosen.sha256 == null)
          "aistack: model ${chosen.id} has no known sha256 in the registry; it will be fetched and verified at run time instead of as a fixed-output derivation.";
      assertions = [
        {
          assertion = !tooLarge;
          message = "aistack: model ${chosen.id} is a ${showNumber chosen.parameters_b}B-parameter (14B-class) model and needs a host with at least ${toString largeModelMinRamGb} GB of RAM; this host has ${showNumber systemRamGb} GB. ${suggestion systemRamGb validTier}.";
        }
      ];
    };
in
{
  inherit
    registry
    tierDefaults
    defaultEmbeddingModel
    findModel
    findChatModel
    findEmbeddingModel
    modelsThatFit
    selectModel
    chatModels
    embeddingModels
    showNumber
    ;
}
