# NixOS configuration of the example host "server". Hardware-specific parts
# (file systems, boot loader) are placeholders to replace on a real machine.
{ lib, ... }:
let
  facts = import ./facts.nix;
in
{
  imports = [ ./aistack.nix ];

  networking.hostName = facts.hostName;
  system.stateVersion = "26.05";

  # Placeholders so the configuration evaluates; replace with the output of
  # nixos-generate-config on the real machine.
  fileSystems."/" = lib.mkDefault {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };
  boot.loader.grub.enable = lib.mkDefault false;
  boot.loader.systemd-boot.enable = lib.mkDefault true;
}
