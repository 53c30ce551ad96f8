# Exec*= arguments quoted the way nixpkgs' `utils.escapeSystemdExecArgs`
# (nixos/lib/utils.nix) quotes them: each one a JSON string, `%` and `$`
# doubled so systemd expands neither specifiers nor variables. The library
# evaluates with nixpkgs' lib alone, which has no `utils`; the NixOS module
# builds llama.cpp's ExecStart= with the real one, and a test checks the two agree.
{ lib }:
let
  escapeSystemdExecArg = arg: lib.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (builtins.toJSON (toString arg));
in
{
  inherit escapeSystemdExecArg;
  escapeSystemdExecArgs = lib.concatMapStringsSep " " escapeSystemdExecArg;
}
