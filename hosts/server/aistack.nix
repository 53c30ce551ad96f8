# The aistack settings of this host. `aistack render hosts/server` evaluates
# this file with the options module alone, so keep aistack settings here.
{
  services.aistack = {
    enable = true;
    facts = import ./facts.nix;
    # Hard questions go to a remote API; the key stays outside the store.
    remoteApi = {
      enable = true;
      baseUrl = "https://api.openai.com/v1";
      model = "gpt-4o-mini";
      apiKeyFile = "/run/secrets/aistack-remote-api-key";
    };
    # Coding agents (Aider) run as queued tasks, each in a bubblewrap sandbox.
    services.tasks.enable = true;
    tasks.workspaceRoots = [ "/srv/code" ];
  };
}
