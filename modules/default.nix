# nixosModules.default: the options and their NixOS implementation.
{ imports = [ ./nixos.nix ]; }
