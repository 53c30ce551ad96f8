# Hardware tiers: the one place that turns RAM and CPU facts into a tier name.
{ lib }:
let
  inherit (lib) elem concatStringsSep isInt isFloat;

  # Public API: these names appear in host configs, JSON configs and dashboards.
  tierNames = [
    "nano"
    "micro"
    "small"
    "medium"
    "large"
  ];

  knownArchitectures = [
    "x86_64"
    "aarch64"
    "armv7l"
    "riscv64"
  ];

  validTiersText = concatStringsSep ", " tierNames;

  # Throws unless `tier` is one of the five; returns it otherwise.
  validateTier =
    tier:
    if builtins.isString tier && elem tier tierNames then
      tier
    else
      throw "aistack: unknown hardware tier ${builtins.toJSON tier}; valid tiers are: ${validTiersText}";

  # Position of each tier in tierNames, for comparisons ("at least small").
  tierIndices = builtins.listToAttrs (lib.imap0 (i: name: lib.nameValuePair name i) tierNames);
  tierIndex = tier: tierIndices.${validateTier tier};

  tierAtLeast = floor: tier: tierIndex tier >= tierIndex floor;

  isNumber = x: isInt x || isFloat x;

  # Validates the facts a tier depends on, with a message naming the field.
  checkFacts =
    facts:
    let
      ram = facts.systemRamGb or (throw "aistack: facts.systemRamGb is missing; set it to the host's RAM in GB (e.g. 8)");
      arch = facts.cpuArchitecture or "x86_64";
    in
    if !(isNumber ram) || ram <= 0 then
      throw "aistack: facts.systemRamGb must be a positive number of GB, got ${builtins.toJSON ram}"
    else if !(elem arch knownArchitectures) then
      throw "aistack: facts.cpuArchitecture ${builtins.toJSON arch} is not supported; use one of: ${concatStringsSep ", " knownArchitectures}"
    else if !(builtins.isBool (facts.hasDiscreteGpu or false)) then
      throw "aistack: facts.hasDiscreteGpu must be true or false, got ${builtins.toJSON facts.hasDiscreteGpu}"
    else
      facts;

  /*
    hardwareTier :: { systemRamGb, hasDiscreteGpu ? false, cpuArchitecture ? "x86_64", tier ? null, ... } -> string

    An explicit `tier` wins (and must be one of tierNames). Otherwise RAM decides,
    with one twist: an ARM board without a discrete GPU (a Pi-class SBC) stays
    `micro` up to and including 8 GB, where an 8 GB x86 laptop is `small`.
    For fixed architecture and GPU, more RAM never gives a lower tier.
  */
  hardwareTier =
    facts:
    if (facts.tier or null) != null then
      validateTier facts.tier
    else
      let
        checked = checkFacts facts;
        ram = checked.systemRamGb;
        arch = checked.cpuArchitecture or "x86_64";
        sbcClass = elem arch [ "aarch64" "armv7l" "riscv64" ] && !(checked.hasDiscreteGpu or false);
      in
      if ram < 3 then
        "nano"
      else if ram < 8 || (sbcClass && ram <= 8) then
        "micro"
      else if ram < 16 then
        "small"
      else if ram <= 32 then
        "medium"
      else
        "large";
in
{
  inherit
    tierNames
    knownArchitectures
    validateTier
    tierIndex
    tierAtLeast
    checkFacts
    hardwareTier
    ;
}
