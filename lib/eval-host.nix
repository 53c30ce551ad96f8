# The checked plan of one host folder, evaluated with nixpkgs lib alone:
# the options module plus the host's aistack.nix, then mkPlan and the
# assertions. `aistack render` and the tests call this file.
{
  nixpkgsLib,
  hostDir,
  aistackBin ? "/run/current-system/sw/bin/aistack",
  root ? "",
}:
let
  lib = import (/. + nixpkgsLib + "/lib");
  aistack = import ./. { inherit lib; };
  evaluated = lib.evalModules {
    modules = [
      ../modules/options.nix
      (/. + hostDir + "/aistack.nix")
      { services.aistack.localRoot = root; }
    ];
  };
  cfg = evaluated.config.services.aistack;
in
if !cfg.enable then
  throw "aistack: ${hostDir}/aistack.nix does not set services.aistack.enable = true"
else
  aistack.checkPlan (
    aistack.mkPlan {
      settings = cfg;
      inherit aistackBin;
    }
  )
