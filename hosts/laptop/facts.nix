# Hardware facts of this host (regenerate with `aistack facts`).
{
  hostName = "laptop";
  systemRamGb = 27;
  cpuArchitecture = "x86_64";
  cpuCores = 8;
  cpuVendor = "amd";
  hasDiscreteGpu = false;
  gpuVendor = "amd";
  gpuVramGb = 0;
}
