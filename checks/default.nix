# checks.<system> of the flake: the lib tests and every host's plan (options
# module + lib) as derivations, so `nix flake check` runs what CI runs here.
{ pkgs, aistack }:
let
  inherit (pkgs) lib;
  failures = lib.runTests (import ./lib-tests.nix { inherit lib; });
  hostNames = lib.attrNames (lib.filterAttrs (_: type: type == "directory") (builtins.readDir ../hosts));
  planOf =
    host:
    import ../lib/eval-host.nix {
      nixpkgsLib = toString pkgs.path;
      hostDir = toString ../hosts + "/${host}";
      aistackBin = "${aistack}/bin/aistack";
    };
in
{
  # NixOS VM tests: KVM machines only (see .github/workflows/nix.yml).
  vm-laptop = import ./vm-laptop.nix { inherit pkgs; };
  vm-sbc-minimal = import ./vm-sbc-minimal.nix { inherit pkgs; };
  vm-tasks = import ./vm-tasks.nix { inherit pkgs; };

  # docs/options.md is what docs/options.nix renders from the options module
  # (regenerate with `python3 docs/generate_options.py`).
  options-md =
    if builtins.readFile ../docs/options.md == import ../docs/options.nix { inherit lib; } then
      pkgs.runCommand "aistack-options-md" { } "touch $out"
    else
      throw "docs/options.md is stale: run python3 docs/generate_options.py";

  lib-tests =
    if failures == [ ] then
      pkgs.runCommand "aistack-lib-tests" { } "touch $out"
    else
      throw "aistack lib tests failed:\n${builtins.toJSON failures}";

  # Every host's plan evaluated through the options module; each rendered
  # config is then validated by the service's own pydantic model.
  options-eval =
    pkgs.runCommand "aistack-options-eval"
      {
        nativeBuildInputs = [ aistack ];
        plans = builtins.toJSON (lib.genAttrs hostNames planOf);
        passAsFile = [ "plans" ];
      }
      ''
        mkdir -p $out
        cp "$plansPath" $out/plans.json
        ${lib.concatMapStrings (host: ''
          mkdir -p $out/${host}
          ${lib.concatMapStrings (svc: ''
            cat > $out/${host}/${svc}.json <<'JSON'
            ${builtins.toJSON (planOf host).services.${svc}.config}
            JSON
            aistack config check $out/${host}/${svc}.json
          '') (lib.attrNames (planOf host).services)}
        '') hostNames}
      '';
}
