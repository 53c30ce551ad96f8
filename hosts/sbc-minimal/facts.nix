# A Pi-class board: 8 GB, aarch64, no GPU llama.cpp can use.
{
  hostName = "sbc-minimal";
  systemRamGb = 8;
  cpuArchitecture = "aarch64";
  cpuCores = 4;
  cpuVendor = "arm";
  hasDiscreteGpu = false;
  gpuVendor = "none";
  gpuVramGb = 0;
}
