# NixOS configuration of the example host "server".
{ lib, ... }:
{
  imports = [
    ../common.nix
    ./aistack.nix
  ];
  networking.hostName = (import ./facts.nix).hostName;
  boot.loader.systemd-boot.enable = lib.mkDefault true;
  # llama.cpp's CUDA build links NVIDIA's CUDA libraries, which are unfree;
  # admit those and nothing else.
  nixpkgs.config.allowUnfreePredicate =
    pkg:
    let
      name = lib.getName pkg;
    in
    lib.any (prefix: lib.hasPrefix prefix name) [
      "cuda"
      "libcu"
      "libnv"
      "cudnn"
    ];
}
