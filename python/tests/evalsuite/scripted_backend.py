"""A scripted stand-in for the coordinator and knowledge base: a loopback HTTP
server whose answers are known, so the eval harness's scoring can be checked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GOOD_ANSWERS = {
    "lib.mkForce": "mkForce sets priority 50; mkDefault sets priority 1000; a plain value is 100.",
    "grub.device": 'Set boot.loader.grub.device = "/dev/sda"; (or "nodev" with EFI).',
    "unfree": "Add nixpkgs.config.allowUnfree = true; to your configuration.",
    "OpenSSH": "```nix\n{ services.openssh.enable = true;\n"
    "  services.openssh.settings.PasswordAuthentication = false; }\n```",
    "systemPackages": "```nix\n{ pkgs, ... }: {\n"
    "  environment.systemPackages = with pkgs; [ git htop ripgrep ];\n}\n```",
    "JSON object": '{"tier": "medium", "ram_gb": 16}',
    "Say OK": "OK",
}
# A model that gets most things wrong: unparseable Nix, no numbers, prose for JSON.
BAD_ANSWERS = {
    "lib.mkForce": "They set different priorities.",
    "grub.device": "Reinstall NixOS.",
    "unfree": "Use another package.",
    "OpenSSH": "```nix\n{ services.openssh.enable = true \n```",
    "systemPackages": "```nix\n{ pkgs }: environment.systemPackages = [ git\n```",
    "JSON object": "The tier is medium.",
    "Say OK": "OK",
}


@contextmanager
def scripted_backend(answers: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Serve on 127.0.0.1:<ephemeral>; yields {url, documents, requests}."""
    state: dict[str, Any] = {"documents": [], "requests": []}

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["requests"].append(
                {"path": self.path, "body": body, "headers": dict(self.headers)}
            )
            if self.path == "/v1/chat/completions":
                question = body["messages"][-1]["content"]
                answer = next((a for k, a in answers.items() if k in question), "I do not know.")
                backend = self.headers.get("X-Aistack-Backend") or "local"
                self._send(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "model": "scripted-model",
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": answer}}
                        ],
                    },
                    {"X-Aistack-Backend": backend, "X-Aistack-Reason": "scripted"},
                )
            elif self.path == "/documents":
                state["documents"].extend(body["documents"])
                self._send(200, {"results": [{"doc_id": "d1", "status": "stored"}]})
            elif self.path in ("/query", "/search"):
                words = {w.strip("?.,").lower() for w in body["query"].split() if len(w) > 4}
                hits = [d for d in state["documents"] if words & set(d["text"].lower().split())]
                if self.path == "/search":
                    self._send(200, {"results": [{"source": d["source"]} for d in hits]})
                    return
                answer = hits[0]["text"] if hits else "No context."
                self._send(
                    200,
                    {
                        "answer": answer,
                        "sources": [{"source": d["source"]} for d in hits],
                        "backend": body.get("backend") or ("local" if hits else "remote"),
                        "reason": "scripted",
                    },
                )
            else:
                self._send(404, {"error": {"message": "no such path", "type": "not_found"}})

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_address[1]}", **state}
    finally:
        server.shutdown()
        server.server_close()
