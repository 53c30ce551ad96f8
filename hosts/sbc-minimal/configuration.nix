# NixOS configuration of the example board "sbc-minimal".
{ lib, ... }:
{
  imports = [
    ../common.nix
    ./aistack.nix
  ];
  networking.hostName = (import ./facts.nix).hostName;
  fileSystems."/".device = "/dev/disk/by-label/NIXOS_SD";
  boot.loader.generic-extlinux-compatible.enable = lib.mkDefault true;
}
