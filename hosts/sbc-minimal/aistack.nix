# The aistack settings of this host. `aistack render hosts/sbc-minimal`
# evaluates this file with the options module alone, so keep aistack settings here.
{
  services.aistack = {
    enable = true;
    facts = import ./facts.nix;
    logLevel = "warning";
  };
}
