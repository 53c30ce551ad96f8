"""Runs inside the sandbox as the task's first process: the loopback relay, then the agent.

``python -m aistack.tasks.inner --port P --socket S [--key-file F] -- ARGV...``
listens on 127.0.0.1:P (the sandbox's own loopback), relays each connection
to the Unix socket S (bound in from outside, the coordinator's relay), starts
ARGV with ``OPENAI_API_KEY`` read from F, and exits with the agent's status.
The key travels by file so it never shows in a command line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys

from aistack.guard.api_keys import parse_api_keys
from aistack.tasks.relay import serve_tcp_relay


def read_agent_key(text: str, preferred: str = "tasks") -> str | None:
    """The key the agent presents to the coordinator, from the clients' key ring
    (format: :mod:`aistack.guard.api_keys`): the one named ``preferred``, else the first."""
    pairs = parse_api_keys(text, "agent key file")
    for name, key in pairs:
        if name == preferred:
            return key
    return pairs[0][1] if pairs else None


async def _main(args: argparse.Namespace) -> int:
    server = await serve_tcp_relay(
        "127.0.0.1", args.port, lambda: asyncio.open_unix_connection(args.socket)
    )
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the wrapper's, not the agent's
    if args.key_file:
        with open(args.key_file, encoding="utf-8") as f:
            key = read_agent_key(f.read())
        if key is not None:
            env["OPENAI_API_KEY"] = key
    try:
        proc = await asyncio.create_subprocess_exec(*args.argv, env=env)
    except OSError as exc:
        print(f"aistack task: cannot start {args.argv[0]}: {exc.strerror}", file=sys.stderr)
        return 127
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, proc.send_signal, sig)
    code = await proc.wait()
    server.close()
    return code if code >= 0 else 128 - code


def main(argv: list[str] | None = None) -> int:
    """Parse the wrapper's arguments and run the agent behind the relay."""
    parser = argparse.ArgumentParser(prog="aistack.tasks.inner")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--key-file")
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.argv[:1] == ["--"]:
        args.argv = args.argv[1:]
    if not args.argv:
        parser.error("no command given after --")
    return asyncio.run(_main(args))


if __name__ == "__main__":
    raise SystemExit(main())
