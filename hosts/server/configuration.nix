# NixOS configuration of the example host "server".
{ lib, ... }:
{
  imports = [
    ../common.nix
    ./aistack.nix
  ];
  networking.hostName = (import ./facts.nix).hostName;
  boot.loader.systemd-boot.enable = lib.mkDefault true;
}
