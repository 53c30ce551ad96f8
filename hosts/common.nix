# What every example host shares: its name from facts.nix, the state version,
# and placeholder file systems so the configuration evaluates. Replace the
# placeholders with nixos-generate-config's output on the real machine.
{ lib, ... }:
{
  system.stateVersion = "26.05";
  fileSystems."/" = {
    device = lib.mkDefault "/dev/disk/by-label/nixos";
    fsType = lib.mkDefault "ext4";
  };
  boot.loader.grub.enable = lib.mkDefault false;
}
