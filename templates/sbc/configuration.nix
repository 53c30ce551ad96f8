# NixOS configuration of the board. Replace the file system and boot loader
# placeholders with the output of nixos-generate-config on the board.
{ lib, ... }:
let
  facts = import ./facts.nix;
in
{
  imports = [ ./aistack.nix ];

  networking.hostName = facts.hostName;
  system.stateVersion = "26.05";

  fileSystems."/" = lib.mkDefault {
    device = "/dev/disk/by-label/NIXOS_SD";
    fsType = "ext4";
  };
  boot.loader.grub.enable = lib.mkDefault false;
  boot.loader.generic-extlinux-compatible.enable = lib.mkDefault true;
}
