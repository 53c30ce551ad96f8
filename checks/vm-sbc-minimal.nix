# NixOS VM test: the sbc-minimal host boots and each service stays under the
# micro tier's MemoryMax. Needs KVM; see vm-laptop.nix.
{ pkgs }:
pkgs.testers.runNixOSTest {
  name = "aistack-sbc-minimal";

  nodes.board =
    { ... }:
    {
      imports = [
        ../modules
        ../hosts/sbc-minimal/aistack.nix
      ];
      services.aistack.llamaCpp.enable = false;
      virtualisation.memorySize = 2048;
      environment.systemPackages = [ pkgs.curl ];
    };

  testScript = ''
    board.wait_for_unit("multi-user.target")
    board.wait_for_unit("aistack-coordinator.service")
    board.wait_until_succeeds("curl -sf http://127.0.0.1:8470/health", timeout=120)
    for name in ["embeddings", "knowledge"]:
        board.succeed(f"curl -sf --unix-socket /run/aistack/{name}.sock http://localhost/health")

    for unit in ["aistack-coordinator", "aistack-embeddings", "aistack-knowledge", "aistack-audit"]:
        limit = int(board.succeed(f"systemctl show -p MemoryMax --value {unit}.service").strip())
        used = int(board.succeed(f"systemctl show -p MemoryCurrent --value {unit}.service").strip() or 0)
        assert limit == (128 if unit == "aistack-audit" else 512) * 1024 * 1024, (unit, limit)
        assert used < limit, (unit, used, limit)

    # Nothing heavy on a board: no Grafana, no Prometheus, no web UI.
    for unit in ["grafana.service", "prometheus.service", "open-webui.service"]:
        board.fail(f"systemctl cat {unit}")
  '';
}
