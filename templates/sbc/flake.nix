{
  description = "A single-board computer running nixos-ai-stack";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";
    aistack = {
      # Where you get nixos-ai-stack from (a fork, a mirror, a local checkout:
      # "path:/home/me/nixos-ai-stack").
      url = "github:nixos-ai-stack/nixos-ai-stack";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      aistack,
    }:
    let
      facts = import ./facts.nix;
    in
    {
      nixosConfigurations.${facts.hostName} = nixpkgs.lib.nixosSystem {
        system = "${facts.cpuArchitecture}-linux";
        modules = [
          aistack.nixosModules.default
          ./configuration.nix
        ];
      };
    };
}
