# AppArmor: one profile per confined unit (the aistack services and
# llama-cpp), rendered at build time by the package's own renderer
# (`aistack render-policy`, the code behind `aistack render`), so a host loads
# byte for byte the profiles the tests parse. The same build output carries
# the nftables ruleset that ./firewall.nix loads.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.aistack;
  plan = cfg.plan;

  # The profile name each policy carries (lib/hardening.nix namesFor).
  profileName = unit: plan.policies.${unit}.profile;

  # Exact store paths the services may read, instead of all of /nix/store:
  # the package, the llama.cpp build and the files the units are handed
  # (/etc/aistack/*.json resolve into the store, and AppArmor mediates the
  # resolved path).
  closureRoots =
    [ cfg.package ]
    ++ lib.optional (plan.llamaCpp != null) cfg.llamaCpp.package
    ++ lib.mapAttrsToList (name: _: config.environment.etc."aistack/${name}.json".source) plan.services;

  rendered =
    pkgs.runCommand "aistack-policy"
      {
        # The build machine's aistack renders (the same one unless cross-building).
        nativeBuildInputs = [ (pkgs.buildPackages.callPackage ../pkgs/aistack.nix { }) ];
        policies = pkgs.writeText "aistack-policies.json" (builtins.toJSON plan.policies);
        closure = pkgs.closureInfo { rootPaths = closureRoots; };
      }
      ''
        aistack render-policy --policies "$policies" --closure "$closure/store-paths" --out "$out"
      '';
in
{
  options.services.aistack.renderedPolicy = lib.mkOption {
    type = lib.types.package;
    internal = true;
    readOnly = true;
    description = "Build output of `aistack render-policy` for this host: apparmor/<profile> and nftables.nft.";
  };

  config = lib.mkIf cfg.enable (
    lib.mkMerge [
      { services.aistack.renderedPolicy = rendered; }
      {
        security.apparmor.enable = lib.mkDefault true;

        # `path` links the rendered file into /etc/apparmor.d as it is: no
        # builtins.readFile of a build output (import from derivation).
        security.apparmor.policies = lib.mapAttrs' (
          unit: policy:
          lib.nameValuePair (profileName unit) {
            state = lib.mkDefault policy.apparmorMode;
            path = lib.mkDefault "${rendered}/apparmor/${profileName unit}";
          }
        ) plan.policies;
      }
      # The profiles carry no attachment path (the Python services share one
      # executable): each unit enters its profile by name, with the plan's
      # AppArmorProfile=aistack-<unit>. Without AppArmor on this host no
      # profile is loaded; "-" then lets the unit start unconfined rather than
      # fail where the kernel has AppArmor active anyway.
      (lib.mkIf (!config.security.apparmor.enable) {
        systemd.services = lib.mapAttrs (unit: _: {
          serviceConfig.AppArmorProfile = lib.mkForce "-${profileName unit}";
        }) plan.policies;
      })
    ]
  );
}
