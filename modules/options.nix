# User-facing settings of nixos-ai-stack. Evaluable on its own with
# lib.evalModules (no pkgs, no NixOS): `aistack render` and the checks do so.
{ lib, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  aistack = import ../lib { inherit lib; };
  chatModelIds = map (m: m.id) (lib.filter (m: m.kind != "embedding") aistack.registry);
  embeddingModelIds = map (m: m.id) (lib.filter (m: m.kind == "embedding") aistack.registry);

  factsType = types.submodule {
    freeformType = types.attrsOf types.anything;
    options = {
      hostName = mkOption {
        type = types.str;
        default = "nixos";
        description = "Host name; also set as `networking.hostName` by the example hosts.";
      };
      systemRamGb = mkOption {
        type = types.numbers.positive;
        example = 8;
        description = "Installed RAM in GB (round up: a board reporting 7.6 GB has 8). Decides the hardware tier.";
      };
      cpuArchitecture = mkOption {
        type = types.enum [
          "x86_64"
          "aarch64"
          "armv7l"
          "riscv64"
        ];
        default = "x86_64";
        description = "CPU architecture, as `uname -m` prints it.";
      };
      cpuCores = mkOption {
        type = types.ints.positive;
        default = 4;
        description = "Physical CPU cores; llama.cpp's thread count derives from it.";
      };
      cpuVendor = mkOption {
        type = types.str;
        default = "unknown";
        example = "amd";
        description = "CPU vendor (amd, intel, arm, ...), as `aistack facts` detects it.";
      };
      hasDiscreteGpu = mkOption {
        type = types.bool;
        default = false;
        description = "Whether the host has a discrete GPU (an integrated GPU does not count).";
      };
      gpuVendor = mkOption {
        type = types.enum [
          "none"
          "amd"
          "nvidia"
          "intel"
          "other"
        ];
        default = "none";
        description = "Vendor of the GPU llama.cpp may use (integrated or discrete).";
      };
      gpuVramGb = mkOption {
        type = types.numbers.nonnegative;
        default = 0;
        description = "Dedicated VRAM in GB (0 for an integrated GPU).";
      };
    };
  };

  serviceOptions =
    name:
    {
      enable = mkOption {
        type = types.nullOr types.bool;
        default = null;
        description = ''
          Whether to run the ${name} service. `null`: on, except that a nano
          board runs no embeddings or knowledge service (torch does not fit
          in its 256M).
        '';
      };
      allowedDestinations = mkOption {
        type = types.listOf (
          types.submodule {
            options = {
              host = mkOption {
                type = types.str;
                example = "192.168.1.20";
                description = "IP address of the destination (nftables and IPAddressAllow= match addresses, not names).";
              };
              port = mkOption {
                type = types.port;
                description = "TCP port of the destination.";
              };
              name = mkOption {
                type = types.nullOr types.str;
                default = null;
                description = "A label for logs and rule comments.";
              };
            };
          }
        );
        default = [ ];
        example = lib.literalExpression ''[ { host = "192.168.1.20"; port = 8000; name = "lan-llm"; } ]'';
        description = ''
          More TCP destinations the ${name} service may connect to, for
          example an inference server on your LAN. Each one is allowed by
          every layer at once: systemd's IPAddressAllow=, the nftables egress
          chain and the SSRF guard's outbound allowlist.
        '';
      };
      apparmorMode = mkOption {
        type = types.enum [
          "enforce"
          "complain"
        ];
        default = "enforce";
        description = ''
          AppArmor mode of the ${name} service's profile. `complain` logs
          what the profile would deny without denying it: use it to find
          what a new setup needs, then go back to `enforce`.
        '';
      };
      settings = mkOption {
        type = types.attrsOf types.anything;
        default = { };
        example = lib.literalExpression ''{ log_level = "debug"; }'';
        description = ''
          Keys merged over the generated /etc/aistack/${name}.json (RFC 42 style).
          The result is validated against the service's schema at build time,
          so an unknown key or a wrong type fails the build, naming the field.
        '';
      };
    };
in
{
  options.services.aistack = {
    enable = mkEnableOption "the nixos-ai-stack local-first AI services";

    facts = mkOption {
      type = factsType;
      description = ''
        Hardware facts of this host, usually `import ./facts.nix`
        (print one with `aistack facts`). Every decision (tier, model,
        memory limits) derives from them.
      '';
    };

    tier = mkOption {
      type = types.nullOr (types.enum aistack.tierNames);
      default = null;
      description = "Force a hardware tier instead of deriving it from `facts`.";
    };

    model = mkOption {
      type = types.nullOr (types.enum chatModelIds);
      default = null;
      description = ''
        Chat model llama.cpp serves, by registry id. `null` picks the tier's
        default (nano: qwen2.5-0.5b, micro: qwen2.5-1.5b, small: phi-4-mini,
        medium: qwen2.5-7b, large: qwen2.5-14b).
      '';
    };

    embeddingModel = mkOption {
      type = types.enum embeddingModelIds;
      default = "all-minilm-l6-v2";
      description = "Embedding model of the embeddings service, by registry id.";
    };

    logLevel = mkOption {
      type = types.enum [
        "debug"
        "info"
        "warning"
        "error"
      ];
      default = "info";
      description = "Log level of every aistack service (logs are JSON lines in the journal).";
    };

    remoteApi = {
      enable = mkEnableOption "routing some queries to a remote OpenAI-compatible API";
      baseUrl = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "https://api.openai.com/v1";
        description = "Base URL of the remote OpenAI-compatible API (https only).";
      };
      model = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "gpt-4o-mini";
        description = "Model name sent to the remote API.";
      };
      apiKeyFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/run/secrets/aistack-remote-api-key";
        description = ''
          File holding the remote API key, outside the Nix store (agenix,
          sops-nix). Handed to the coordinator with systemd's LoadCredential=,
          so the key never enters the store, a JSON config or a log line.
        '';
      };
      timeoutSeconds = mkOption {
        type = types.ints.positive;
        default = 60;
        description = "Timeout of one remote API call.";
      };
    };

    modelRepoAllowlist = mkOption {
      type = types.listOf types.str;
      default = lib.unique (map (m: m.hf_repo) aistack.registry);
      defaultText = lib.literalMD "every Hugging Face repository in `lib/models/registry.json`";
      example = [ "bartowski/Qwen2.5-7B-Instruct-GGUF" ];
      description = ''
        Hugging Face repositories models may come from. A model from any
        other repository fails evaluation.
      '';
    };

    modelFetch = mkOption {
      type = types.enum [
        "store"
        "runtime"
      ];
      default = "store";
      description = ''
        How the model file arrives. `store`: a fixed-output derivation checked
        against the registry's sha256 (reproducible; the file lives in the Nix
        store). `runtime`: the oneshot `aistack-model-fetch.service` downloads
        it into /var/lib/aistack-models (resumable, verified, with a
        provenance record), which keeps a multi-GB file out of the store on
        small disks. Models without a known sha256 always use `runtime`.
      '';
    };

    llamaCpp = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Whether to run the local llama.cpp server (nixpkgs' services.llama-cpp), built for this host's GPU.";
      };
      track = mkOption {
        type = types.enum [
          "stable"
          "unstable"
        ];
        default = "stable";
        description = ''
          Take llama.cpp from the system's nixpkgs (`stable`) or from the
          flake's `nixpkgs-unstable` input (`unstable`), for a newer
          llama.cpp without moving the rest of the system.
        '';
      };
    };

    vectorStore = mkOption {
      type = types.enum [
        "local"
        "server"
      ];
      default = "local";
      description = ''
        Where the knowledge base keeps vectors. `local`: qdrant-client's
        embedded mode on disk, and the knowledge service needs no network.
        `server`: a Qdrant server (services.qdrant) on loopback, and the
        knowledge service gets loopback network for it.
      '';
    };

    monitoring.enable = mkOption {
      type = types.nullOr types.bool;
      default = null;
      description = "Prometheus (scraping every service), exporters and Grafana. `null`: on from the small tier up, off on nano and micro.";
    };

    webui.enable = mkOption {
      type = types.nullOr types.bool;
      default = null;
      description = "Open WebUI pointed at the coordinator's OpenAI-compatible API. `null`: on from the small tier up, off on nano and micro.";
    };

    services = {
      coordinator = serviceOptions "coordinator";
      embeddings = serviceOptions "embeddings";
      knowledge = serviceOptions "knowledge";
      audit = serviceOptions "audit";
      tasks = serviceOptions "tasks" // {
        enable = mkOption {
          type = types.nullOr types.bool;
          default = null;
          description = ''
            Whether to run the task runner, which queues coding-agent runs
            (Aider by default) and runs each in a bubblewrap sandbox that sees
            only its workspace and reaches only the coordinator. `null`: off.
          '';
        };
      };
    };

    tasks = {
      workspaceRoots = mkOption {
        type = types.nullOr (types.listOf types.str);
        default = null;
        example = [ "/srv/code" ];
        description = ''
          `null`: `/var/lib/aistack-tasks/workspaces`. Directories under which a task's workspace must lie; a task naming
          any other directory is refused before a process starts. The runner
          may write there (AppArmor and systemd allow it).
        '';
      };
      tools = mkOption {
        type = types.attrsOf (
          types.submodule {
            options = {
              command = mkOption {
                type = types.listOf types.str;
                example = [
                  "aider"
                  "--message"
                  "{instruction}"
                ];
                description = ''
                  The agent's argv. `{instruction}`, `{workspace}`, `{model}` and
                  `{api_base}` are replaced inside single arguments (no shell).
                '';
              };
              model = mkOption {
                type = types.str;
                default = "auto";
                description = "Model name the agent asks the coordinator for (`auto` lets it route).";
              };
              environment = mkOption {
                type = types.attrsOf types.str;
                default = { };
                description = "Extra environment of the agent inside its sandbox (no secrets: use files).";
              };
            };
          }
        );
        default = { };
        description = "Agents besides the built-in `aider` (which is used where aider-chat is installed).";
      };
      defaultTool = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The tool a task without `tool` runs. `null`: aider.";
      };
      bwrap = mkOption {
        type = types.str;
        default = "bwrap";
        description = "bubblewrap's program (the NixOS module sets the store path of pkgs.bubblewrap).";
      };
      aiderProgram = mkOption {
        type = types.str;
        default = "aider";
        description = "Aider's program for the built-in `aider` tool (the NixOS module sets pkgs.aider-chat's).";
      };
    };
  };
}
