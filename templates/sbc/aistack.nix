# aistack settings of this board; everything else is derived from facts.nix.
{
  services.aistack = {
    enable = true;
    facts = import ./facts.nix;
  };
}
