# User-facing settings of nixos-ai-stack. Evaluable on its own with
# lib.evalModules (no pkgs, no NixOS): `aistack render` and the checks do so.
#
# Every decision derived from the facts (tier, model, llama.cpp's threads,
# context and GPU layers, which optional parts run) is an option whose
# default is the library's value, so a host overrides one with a plain
# assignment; each service's JSON config is a freeform `settings` whose
# module values sit at mkDefault priority.
{ lib, config, ... }:
let
  inherit (lib) mkOption mkEnableOption types;
  aistack = import ../lib { inherit lib; };
  cfg = config.services.aistack;
  derived = aistack.derivedDefaults cfg;
  derivedText = how: lib.literalMD "derived from `services.aistack.facts`: ${how}";

  # pkgs.formats.json { }'s type (nixpkgs' pkgs/pkgs-lib/formats.nix), built
  # from lib alone so that this module evaluates without pkgs.
  jsonType =
    let
      valueType =
        types.nullOr (
          types.oneOf [
            types.bool
            types.int
            types.float
            types.str
            types.path
            (types.attrsOf valueType)
            (types.listOf valueType)
          ]
        )
        // {
          description = "JSON value";
        };
    in
    valueType;

  # The module's config values at mkDefault, leaf by leaf (an endpoint is one leaf).
  inherit (aistack) mkDefaultDeep;

  logLevels = [
    "debug"
    "info"
    "warning"
    "error"
  ];
  chatModelIds = map (m: m.id) (lib.filter (m: m.kind != "embedding") aistack.registry);
  embeddingModelIds = map (m: m.id) (lib.filter (m: m.kind == "embedding") aistack.registry);

  # No freeform: a misspelt fact (systemRamGB) fails evaluation instead of
  # silently leaving the real one at its default.
  factsType = types.submodule {
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
        type = types.enum aistack.knownArchitectures;
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
      gpuGfx = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "gfx1100";
        description = "AMD GPU architecture (`rocminfo` names it); a discrete AMD GPU gets a ROCm build only for the gfx targets nixpkgs' ROCm supports, else Vulkan.";
      };
    };
  };

  serviceOptions =
    name:
    {
      enable = mkOption {
        type = types.bool;
        default = derived.serviceEnable name;
        defaultText = derivedText "on; the embeddings and knowledge services only where their MemoryMax fits the RAM budget next to the model, never on a nano board (torch does not fit in its 256M); the dashboard where it still fits after them";
        description = "Whether to run the ${name} service.";
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
        type = types.submodule {
          freeformType = jsonType;
          options = {
            log_level = mkOption {
              type = types.enum logLevels;
              description = "Log level of the ${name} service (default: services.aistack.logLevel).";
            };
            listen = mkOption {
              type = jsonType;
              example = lib.literalExpression ''{ kind = "unix"; path = "/run/aistack/${name}.sock"; }'';
              description = ''
                Where the ${name} service listens: `{ kind = "unix"; path; }` or
                `{ kind = "tcp"; host; port; }` (default: the endpoint registry,
                lib/endpoints.nix). Its socket unit, AppArmor profile, the
                nftables rules and IPAddressAllow= of every service that
                connects to it, and their configs' upstreams follow this value.
              '';
            };
          };
        };
        default = { };
        defaultText = lib.literalMD "the ${name} service's config computed from the other options (lib/service-configs.nix), every key at `mkDefault` priority";
        example = lib.literalExpression ''{ log_level = "debug"; }'';
        description = ''
          The ${name} service's JSON config, /etc/aistack/${name}.json (RFC 42
          freeform settings). The module's own values sit at `mkDefault`
          priority, so a host's key replaces exactly that key (a list as a
          whole). The result is validated against the service's schema at
          build time (`checkConfig`), so an unknown key or a wrong type fails
          the build, naming the field.
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

    optionsEvaluated = mkOption {
      type = types.bool;
      default = true;
      readOnly = true;
      internal = true;
      description = "Marks a value of services.aistack as this module's (final); mkPlan completes anything else with the module first.";
    };

    localRoot = mkOption {
      type = types.str;
      default = "";
      internal = true;
      description = "Prefix of every filesystem path; only `aistack render --local` sets it, to run the services unprivileged from a scratch directory.";
    };

    tier = mkOption {
      type = types.enum aistack.tierNames;
      default = derived.tier;
      defaultText = derivedText "RAM, CPU architecture and discrete GPU (`lib.hardwareTier`)";
      description = "Hardware tier of this host. Memory limits, the default model, context size and which optional parts run follow from it.";
    };

    model = mkOption {
      type = types.enum chatModelIds;
      default = derived.model;
      defaultText = derivedText "the tier's default (nano: qwen2.5-0.5b, micro: qwen2.5-1.5b, small: phi-4-mini, medium: qwen2.5-7b, large: qwen2.5-14b)";
      description = "Chat model llama.cpp serves, by registry id (lib/models/registry.json).";
    };

    embeddingModel = mkOption {
      type = types.nullOr (types.enum embeddingModelIds);
      default = null;
      description = ''
        Embedding model of the embeddings service, by registry id. `null`
        picks the tier's: all-minilm-l6-v2 in-process (sentence-transformers)
        where torch fits the service's MemoryMax (small and up), otherwise
        nomic-embed-text-v1.5 served by a second llama.cpp server. A GGUF
        model always runs on llama.cpp.
      '';
    };

    logLevel = mkOption {
      type = types.enum logLevels;
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
      alias = mkOption {
        type = types.strMatching "[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}";
        default = "remote";
        description = "Model id clients use (in /v1/models and `model`) to ask for the remote API.";
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
        description = "Whether to run the local llama.cpp server (the `llama-cpp` unit), built for this host's GPU.";
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
      threads = mkOption {
        type = types.ints.positive;
        default = derived.threads;
        defaultText = derivedText "every core on nano and micro boards and on 2-core hosts, else all but one (`cpuCores - 1`)";
        description = "CPU threads llama.cpp uses (`--threads`).";
      };
      contextSize = mkOption {
        type = types.ints.positive;
        default = derived.contextSize;
        defaultText = derivedText "the tier's context (nano 2048, micro 4096, small 8192, medium 16384, large 32768), capped by the model's own";
        description = "Context length in tokens (`--ctx-size`); the KV cache, and so llama.cpp's MemoryMax, grows with it.";
      };
      gpuLayers = mkOption {
        type = types.ints.unsigned;
        default = derived.gpuLayers;
        defaultText = derivedText "0 without a usable GPU; every layer on an integrated GPU or where the model fits the VRAM; else the share of layers that fits";
        description = "Model layers offloaded to the GPU (`--n-gpu-layers`).";
      };
      extraFlags = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [
          "--alias"
          "local model"
        ];
        description = "More llama-server arguments, after the module's. Each is one argument (quoted for systemd, spaces and quotes kept).";
      };
    };

    vectorStore = mkOption {
      type = types.enum [
        "edge"
        "local"
        "server"
      ];
      default = "edge";
      description = ''
        Where the knowledge base keeps vectors. `edge`: Qdrant's engine
        in-process (qdrant-edge), no server and no network. `local`:
        qdrant-client's embedded mode on disk, also network-free.
        `server`: a Qdrant server (services.qdrant) on loopback, and the
        knowledge service gets loopback network for it.
      '';
    };

    stateStore = mkOption {
      type = types.enum [
        "sqlite"
        "postgresql"
      ];
      default = "sqlite";
      description = ''
        Where the coordinator (interactions, feedback) and the knowledge base
        (gaps, feedback links, the ingest ledger) keep their records.
        `sqlite`: a WAL database in each service's state directory.
        `postgresql`: nixpkgs' services.postgresql on this host, one database
        per service named after its unit, reached over the Unix socket with
        peer authentication (no password anywhere). To share one knowledge
        base between hosts, point
        `services.aistack.services.knowledge.settings.state_store` at the
        shared server instead (`dsn_file` or host/dbname/user, `password_file`).
      '';
    };

    knowledgeSources = mkOption {
      type = types.listOf (
        types.submodule {
          # The type-specific keys (path, patterns, urls, repo, ref, paths,
          # allow_hosts, max_bytes, timeout_seconds) as the sources file spells them.
          freeformType = jsonType;
          options = {
            id = mkOption {
              type = types.strMatching "[a-z0-9][a-z0-9_-]{0,63}";
              description = "Names the source in logs, the state file and each document's source (`<id>:<path or url>`).";
            };
            type = mkOption {
              type = types.enum [
                "local_dir"
                "url"
                "git_repo"
              ];
              description = "`local_dir` (`path`, `patterns`), `url` (`urls`), or `git_repo` (`repo`, `ref`, `paths`).";
            };
            collection = mkOption {
              type = types.nullOr types.str;
              default = null;
              description = "Collection to store into; the knowledge service's own when null.";
            };
            schedule = mkOption {
              type = types.nullOr types.str;
              default = null;
              example = "daily";
              description = "systemd `OnCalendar=` expression: one timer per distinct schedule. Null: synced only by `systemctl start aistack-sync-sources`.";
            };
            enabled = mkOption {
              type = types.bool;
              default = true;
              description = "Whether `aistack sync-sources` syncs this source.";
            };
          };
        }
      );
      default = [ ];
      example = lib.literalExpression ''
        [
          { id = "handbook"; type = "local_dir"; path = "/srv/handbook"; patterns = [ "**/*.md" ]; schedule = "daily"; }
          { id = "nix-manual"; type = "url"; urls = [ "https://nix.dev/manual/nix/stable/" ]; schedule = "weekly"; }
        ]
      '';
      description = ''
        Knowledge sources written to the knowledge config's `sources_file`
        (knowledge-sources.yaml) and fetched by `aistack sync-sources` in
        oneshot units of their own, not by the network-free knowledge
        service. Documents are stored with trust `imported`. Empty: no unit.
      '';
    };

    monitoring.enable = mkOption {
      type = types.bool;
      default = derived.monitoring;
      defaultText = derivedText "on from the small tier up where it fits the RAM budget after the services; off on nano and micro";
      description = "Prometheus (scraping every service), exporters and Grafana.";
    };

    # The coordinator serves /v1 (chat completions, models, embeddings).
    # On by default: the web UI and other OpenAI clients may point at it.
    coordinator.openaiApi = mkOption {
      type = types.bool;
      default = true;
      description = "Whether the coordinator answers OpenAI-compatible requests under /v1. The web UI is on by default only where it does.";
    };

    webui.enable = mkOption {
      type = types.bool;
      default = derived.webui;
      defaultText = derivedText "on from the small tier up where it fits the RAM budget after monitoring, and only while the coordinator serves its OpenAI API (`coordinator.openaiApi`)";
      description = "Open WebUI pointed at the coordinator's OpenAI-compatible API.";
    };

    checkConfig = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Check every service's JSON config against its schema with
        `aistack config check` at build time, so a wrong key in `settings`
        fails the build naming the field rather than the service at boot.
        The check runs the build machine's aistack (`pkgs.buildPackages`);
        turn it off where that cannot run, e.g. cross-building for an
        aarch64 board without binfmt emulation. The configs are then
        installed unchecked.
      '';
    };

    tasks = {
      workspaceRoots = mkOption {
        type = types.nullOr (types.listOf types.str);
        default = null;
        example = [ "/srv/code" ];
        description = ''
          Directories under which a task's workspace must lie; a task naming
          any other directory is refused before a process starts. The runner
          may write there (AppArmor and systemd allow it). `null`:
          `/var/lib/aistack-tasks/workspaces`.
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

    services = lib.genAttrs aistack.serviceNames serviceOptions;
  };

  config = lib.mkIf cfg.enable {
    services.aistack.services = lib.genAttrs aistack.serviceNames (name: {
      settings = mkDefaultDeep (aistack.serviceDefaults cfg name);
    });
  };
}
