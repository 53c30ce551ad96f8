# Hardware facts of this board. Fill in the two values; `aistack facts`
# run on the board prints the full set if you want more precision.
{
  hostName = "my-board"; # FILL IN
  systemRamGb = 4; # FILL IN: installed RAM in GB, rounded up

  cpuArchitecture = "aarch64";
  hasDiscreteGpu = false;
}
