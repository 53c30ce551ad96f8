# Who answers for the module and the package (meta.maintainers), in the
# shape of nixpkgs' lib.maintainers entries.
{
  aistack = {
    name = "nixos-ai-stack maintainers";
    email = "maintainers@users.noreply.b-seed-cd3af923.example";
  };
}
