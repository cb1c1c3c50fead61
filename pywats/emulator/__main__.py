"""`pywats-emulator`: serve a seeded WATS emulator over HTTP until Ctrl-C."""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import Sequence

import uvicorn

from .app import create_app
from .cli import parse_config


def main(argv: Sequence[str] | None = None) -> int:
    config, host, port = parse_config(argv)
    if config.size == "factory" and config.seed_data:
        # Seeding a factory takes a while; say why nothing is printed yet (stderr keeps
        # stdout's first line the URL, for scripts that read it).
        print(f"Seeding a factory (seed {config.seed})...", file=sys.stderr, flush=True)
    app = create_app(config)
    # Bind first so the printed URL is right even for --port 0.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        print(f"pywats-emulator: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if family == socket.AF_INET6 else host
    faults = config.faults.as_dict() if config.faults.active else "off"
    print(f"WATS emulator serving on http://{shown_host}:{bound_port}", flush=True)
    print(f"Token: {config.token}  (send: Authorization: Basic <token>)", flush=True)
    storage = config.db_path or "in memory"
    print(f"Data: seed {config.seed}, size {config.size}, {storage}; faults: {faults}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    # uvicorn shuts down gracefully, then re-raises the Ctrl-C it caught.
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    print("Emulator stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
