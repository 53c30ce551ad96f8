# A 64 GB server with a discrete NVIDIA GPU.
{
  hostName = "server";
  systemRamGb = 64;
  cpuArchitecture = "x86_64";
  cpuCores = 16;
  cpuVendor = "intel";
  hasDiscreteGpu = true;
  gpuVendor = "nvidia";
  gpuVramGb = 24;
}
