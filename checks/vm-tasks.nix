# NixOS VM test: the task runner queues a task, runs it under bubblewrap in
# its own cgroup, and the task sees its workspace but not the host.
# Needs KVM and a binary cache: runs under `nix flake check` on such a machine
# (.github/workflows/nix.yml), not in this project's offline CI.
{ pkgs }:
pkgs.testers.runNixOSTest {
  name = "aistack-tasks";

  nodes.machine =
    { lib, ... }:
    {
      imports = [
        ../modules
        ../hosts/laptop/aistack.nix
      ];
      services.aistack = {
        llamaCpp.enable = false;
        monitoring.enable = false;
        webui.enable = false;
        services.tasks.enable = true;
        tasks = {
          workspaceRoots = [ "/srv/code" ];
          defaultTool = "sh";
          tools.sh.command = [
            "${pkgs.bash}/bin/sh"
            "-c"
            "{instruction}"
          ];
        };
      };
      systemd.tmpfiles.rules = [ "d /srv/code/demo 0777 root root -" ];
      virtualisation.memorySize = 4096;
      environment.systemPackages = [ pkgs.curl ];
    };

  testScript = ''
    import json, time

    machine.wait_for_unit("sockets.target")
    sock = "/run/aistack/tasks.sock"
    key = "vm-test-" + str(time.time_ns())
    def call(method, path, body=None):
        data = f"-d '{json.dumps(body)}' -H 'Content-Type: application/json'" if body else ""
        out = machine.succeed(f"curl -s --unix-socket {sock} -X {method} http://localhost{path} -H 'X-API-Key: {key}' {data}")
        return json.loads(out)

    def run(instruction):
        task = call("POST", "/tasks", {"workspace": "/srv/code/demo", "instruction": instruction,
                                       "risk_ack": "I_ACCEPT_HIGH_RISK_TOOL_EXECUTION"})
        for _ in range(120):
            status = call("GET", f"/tasks/{task['task_id']}/status")
            if status["status"] not in ("queued", "running"):
                return status
            time.sleep(0.5)
        raise AssertionError(status)

    hidden = run("cat /etc/passwd")
    assert hidden["status"] == "failed", hidden
    assert any("No such file" in line for line in hidden["output_tail"]), hidden

    wrote = run("echo hello > /workspace/out.txt && touch /usr/x || echo ro")
    assert wrote["status"] == "succeeded", wrote
    assert "ro" in wrote["output_tail"], wrote
    machine.succeed("grep -q hello /srv/code/demo/out.txt")

    # Per-task caps in the unit's delegated cgroup v2 subtree.
    assert call("GET", "/tasks/summary")["limits"] == "cgroup2"
  '';
}
