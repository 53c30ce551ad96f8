# The task runner's programs come from the store: bubblewrap for the
# sandboxes and Aider for the built-in tool. Defaults only, so a host can
# point either at its own build.
{
  config,
  lib,
  pkgs,
  ...
}:
let
  cfg = config.services.aistack;
in
{
  config = lib.mkIf (cfg.enable && cfg.services.tasks.enable == true) {
    services.aistack.tasks = {
      bwrap = lib.mkDefault "${pkgs.bubblewrap}/bin/bwrap";
      aiderProgram = lib.mkDefault "${pkgs.aider-chat}/bin/aider";
    };
  };
}
