# The aistack settings of this host. `aistack render hosts/laptop` evaluates
# this file with the options module alone, so keep aistack settings here.
{
  services.aistack = {
    enable = true;
    facts = import ./facts.nix;
  };
}
