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

  # The facts a host may state; `aistack facts` prints all but gpuGfx (the
  # ROCm gfx target of an AMD GPU, set by hand).
  knownFacts = [
    "hostName"
    "systemRamGb"
    "cpuArchitecture"
    "cpuCores"
    "cpuVendor"
    "hasDiscreteGpu"
    "gpuVendor"
    "gpuVramGb"
    "gpuGfx"
  ];

  # Plausibility bounds: beyond these a fact is a typo (GB for MB, an extra
  # zero), and would size thread pools and memory limits absurdly.
  factBounds = {
    systemRamGb = 4096;
    cpuCores = 1024;
    gpuVramGb = 1024;
  };

  # RFC 1123: dot-separated labels of letters, digits and inner hyphens.
  hostNameLabel = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  isHostName =
    name:
    builtins.isString name
    && builtins.stringLength name <= 253
    && builtins.match "${hostNameLabel}([.]${hostNameLabel})*" name != null;

  # Throws on a key that is not a known fact (a typo, or a setting such as
  # `tier` put into facts.nix, would otherwise be silently ignored).
  checkFactKeys =
    facts:
    let
      unknown = lib.subtractLists knownFacts (builtins.attrNames facts);
    in
    if unknown != [ ] then
      throw "aistack: unknown fact${lib.optionalString (builtins.length unknown > 1) "s"} ${concatStringsSep ", " unknown} in facts; known facts are: ${concatStringsSep ", " knownFacts} (a tier is forced with services.aistack.tier, not in facts)"
    else
      facts;

  checkBound =
    facts: name:
    let
      value = facts.${name} or 0;
    in
    if !(isNumber value) || value < 0 then
      throw "aistack: facts.${name} must be a non-negative number, got ${builtins.toJSON value}"
    else if value > factBounds.${name} then
      throw "aistack: facts.${name} = ${builtins.toJSON value} is not plausible (at most ${toString factBounds.${name}}); check the unit (GB, cores)"
    else
      true;

  # Validates the facts a tier depends on, with a message naming the field.
  checkFactValues =
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
    else if facts ? hostName && !(isHostName facts.hostName) then
      throw "aistack: facts.hostName ${builtins.toJSON facts.hostName} is not an RFC 1123 host name (labels of letters, digits and inner hyphens, 1-63 characters, separated by dots)"
    else if lib.all (checkBound facts) (builtins.attrNames factBounds) then
      facts
    else
      facts;

  # Every check on a host's facts: known keys, then values.
  checkFacts = facts: checkFactValues (checkFactKeys facts);

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
        checked = checkFactValues facts;
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
    checkFactKeys
    knownFacts
    isHostName
    hardwareTier
    ;
}
