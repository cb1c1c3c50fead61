"""`pywats-emulator`: serve a seeded WATS emulator over HTTP until Ctrl-C."""

from __future__ import annotations

import socket
import sqlite3
import sys
from collections.abc import Sequence

from .app import create_app
from .cli import parse_config
from .runner import bind_socket, serve_socket


def main(argv: Sequence[str] | None = None) -> int:
    config, host, port = parse_config(argv)
    try:
        # Bind first: a busy port fails before seeding, and --port 0 prints the real port.
        sock = bind_socket(host, port)
    except OSError as exc:
        print(f"pywats-emulator: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    if config.size == "factory" and config.seed_data:
        # Seeding a factory takes a while; say why nothing is printed yet (stderr keeps
        # stdout's first line the URL, for scripts that read it).
        print(f"Seeding a factory (seed {config.seed})...", file=sys.stderr, flush=True)
    try:
        app = create_app(config)
    except sqlite3.Error as exc:
        sock.close()
        print(f"pywats-emulator: cannot use the database {config.db_path}: {exc}", file=sys.stderr)
        return 2
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if sock.family == socket.AF_INET6 else host
    faults = config.faults.as_dict() if config.faults.active else "off"
    storage = config.db_path or "in memory"
    print(f"WATS emulator serving on http://{shown_host}:{bound_port}", flush=True)
    print(f"Token: {config.token}  (send: Authorization: Basic <token>)", flush=True)
    print(f"Data: seed {config.seed}, size {config.size}, {storage}; faults: {faults}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    serve_socket(app, sock)
    print("Emulator stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
