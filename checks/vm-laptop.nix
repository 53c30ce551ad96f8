# NixOS VM test: the laptop host's stack starts, answers /health, and the
# coordinator cannot reach a destination it did not declare.
# Needs KVM and a binary cache: runs under `nix flake check` on such a machine
# (.github/workflows/nix.yml), not in this project's offline CI.
{ pkgs }:
pkgs.testers.runNixOSTest {
  name = "aistack-laptop";

  nodes.machine =
    { lib, ... }:
    {
      imports = [
        ../modules
        ../hosts/laptop/aistack.nix
      ];
      # No model download inside the sandbox; the coordinator reports
      # llama.cpp as a failing optional check instead.
      services.aistack.llamaCpp.enable = false;
      services.aistack.monitoring.enable = false;
      services.aistack.webui.enable = false;
      virtualisation.memorySize = 4096;
      environment.systemPackages = [
        pkgs.curl
        pkgs.python3
      ];
    };

  testScript = ''
    import json

    machine.wait_for_unit("redis-aistack.service")
    machine.wait_for_unit("aistack-coordinator.service")
    machine.wait_until_succeeds("curl -sf http://127.0.0.1:8470/health -o /dev/null -w '%{http_code}' | grep -qE '200'", timeout=120)

    health = json.loads(machine.succeed("curl -s http://127.0.0.1:8470/health"))
    assert health["checks"]["redis"] == "ok", health
    assert health["tier"] == "medium", health

    # Socket-activated services start on their first request.
    for name in ["embeddings", "knowledge"]:
        machine.succeed(f"curl -sf --unix-socket /run/aistack/{name}.sock http://localhost/health")
        machine.succeed(f"systemctl is-active aistack-{name}.service")
        # No IP network at all inside them.
        assert machine.succeed(f"systemctl show -p PrivateNetwork --value aistack-{name}.service").strip() == "yes"

    # Egress: a listener the coordinator did not declare is unreachable from
    # its cgroup, while a declared one (llama.cpp's port) is reachable.
    machine.succeed("python3 -m http.server --bind 127.0.0.1 9999 >/dev/null 2>&1 &")
    machine.succeed("python3 -m http.server --bind 127.0.0.1 8080 >/dev/null 2>&1 &")
    machine.wait_for_open_port(9999)
    machine.wait_for_open_port(8080)
    in_coordinator = "sh -c 'echo $$ > /sys/fs/cgroup/system.slice/aistack-coordinator.service/cgroup.procs && exec curl -sf --max-time 5 http://127.0.0.1:{}/'"
    machine.succeed(in_coordinator.format(8080))
    machine.fail(in_coordinator.format(9999))

    # The journal carries JSON lines with stable event names.
    machine.succeed("journalctl -u aistack-coordinator -o cat | grep -q '\"event\": \"service_started\"'")
  '';
}
