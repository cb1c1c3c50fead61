"""``pywats-tui --demo``: a WATS emulator with factory data in a child process.

Why a child process and not a thread: seeding a factory is seconds of pure Python, which in a
thread would hold the GIL and freeze the terminal; a process keeps the app responsive.

How it starts fast and never leaves a process behind:

- The parent binds a loopback socket on a free port and listens *before* starting the child,
  then hands the socket over (``pass_fds``). The URL is known at once, and the app's first
  request simply waits in the listen backlog until the child serves: no polling, no race.
- The seeded database is cached (``<user cache dir>/pywats/demo-*.sqlite``, keyed by seed,
  size, the day and a hash of the emulator's code). Later demos of the day copy the cache into
  memory (a fraction of a second). The first one serves the small data set at once (under a
  second to seed) while a thread seeds the factory, then swaps the factory in and caches it;
  the dashboard has data within a couple of seconds either way. The demo's own changes never
  reach the cache (and changes made before the swap are replaced by the factory).
- The child serves until its stdin (a pipe from the parent) closes, so it also ends when the
  parent is killed. :meth:`DemoServer.stop` closes that pipe, terminates and kills the child
  only if it does not end by itself, and always waits for it.

The child's output goes to a log file, so it can never draw over the app; when the child fails,
:meth:`DemoServer.failure` returns the end of that log for the app to show.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from pywats.client import AsyncWATS
    from pywats.emulator.config import EmulatorConfig
    from pywats.emulator.storage import Storage

__all__ = ["DemoServer", "demo_cache_path"]

DEMO_SIZE = "factory"
DEMO_SEED = 1
SEED_DELAY = 2.0  # seconds between serving the small data set and seeding the factory
TOKEN_ENV = "PYWATS_DEMO_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def _demo_anchor() -> datetime:
    # Fresh-looking data ("last 7 days" is not empty), stable for a day so the cache holds.
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _emulator_fingerprint() -> str:
    """A hash of the emulator's code: new seeding code means a new cache.

    Found by path, not imported: the parent process asks too, and importing the emulator
    there would cost the app a quarter of a second of start-up.
    """
    root = Path(__file__).resolve().parent.parent / "pywats" / "emulator"
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def demo_cache_path(seed: int = DEMO_SEED, size: str = DEMO_SIZE) -> Path:
    day = _demo_anchor().date().isoformat()
    name = f"demo-{size}-seed{seed}-{day}-{_emulator_fingerprint()}.sqlite"
    return platformdirs.user_cache_path("pywats") / name


class DemoServer:
    """The emulator child process; ``url`` and ``token`` are known right after :meth:`start`."""

    def __init__(self, *, seed: int = DEMO_SEED, size: str = DEMO_SIZE) -> None:
        self.seed = seed
        self.size = size
        # A fresh token per demo: other local users cannot use the server with a known one.
        self.token = base64.b64encode(f"demo:{secrets.token_urlsafe(18)}".encode()).decode()
        self.url = ""
        #: True when this start has to seed the factory first (no cache yet): seconds, not ms.
        self.seeding = False
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        self.seeding = not demo_cache_path(self.seed, self.size).is_file()
        # The emulator itself is imported only in the child: the app starts drawing meanwhile.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", 0))
            sock.listen(128)  # connections queue here until the child serves
            port = sock.getsockname()[1]
            self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
                prefix="pywats-demo-", suffix=".log", delete=False
            )
            self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
                [
                    sys.executable,
                    "-m",
                    "tui.demo",
                    "--fd",
                    str(sock.fileno()),
                    "--seed",
                    str(self.seed),
                    "--size",
                    self.size,
                ],
                stdin=subprocess.PIPE,
                env={**os.environ, TOKEN_ENV: self.token},  # not argv: ps shows argv to all
                stdout=self._log,
                stderr=self._log,
                pass_fds=[sock.fileno()],
            )
        finally:
            sock.close()  # the child has its own copy; ours would keep a dead port "alive"
        self.url = f"http://127.0.0.1:{port}"

    def client_factory(self, url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        """Clients for the app: plain http to this server needs no TLS set-up (loading the
        CA bundle costs tens of ms of start-up); any other server gets the usual checks."""
        from pywats.client import AsyncWATS
        from tui.timeouts import INTERACTIVE_DEADLINE, INTERACTIVE_TIMEOUT

        verify = False if url == self.url else None
        return AsyncWATS(
            url,
            token,
            max_retries=max_retries,
            verify=verify,
            timeout=INTERACTIVE_TIMEOUT,  # a person waits on these calls (tui.timeouts)
            deadline=INTERACTIVE_DEADLINE,
        )

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def failure(self) -> str | None:
        """Why the child died (the end of its log), or None while it runs."""
        if self.process is None or self.process.poll() is None:
            return None
        tail = ""
        if self._log is not None:
            with contextlib.suppress(OSError):
                tail = Path(self._log.name).read_text(errors="replace")[-600:].strip()
        return f"the demo server exited with status {self.process.returncode}: {tail}"

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the child and wait for it: no process is left behind. Safe to call twice."""
        process = self.process
        if process is not None and process.poll() is None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()  # the child's cue to shut down and exit 0
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self._log is not None:
            self._log.close()
            if process is None or process.returncode == 0:
                with contextlib.suppress(OSError):
                    os.unlink(self._log.name)
            self._log = None


# --------------------------------------------------------------------- the child process


def _load_or_seed(seed: int, size: str, token: str) -> object:
    """An emulator app whose in-memory database is the cached seed (built if missing).

    The cache is SQLite's serialized image of the database: loading it is one file read and
    one ``deserialize``, several times faster than copying page by page.
    """
    from pywats.emulator.app import create_app
    from pywats.emulator.config import EmulatorConfig

    cache = demo_cache_path(seed, size)
    anchor = _demo_anchor()
    # Checks the size (and the rest) before anything is served: a bad one ends the child.
    EmulatorConfig(token=token, seed=seed, size=size, anchor=anchor, seed_data=False)  # type: ignore[arg-type]
    try:
        image = cache.read_bytes()
    except OSError:
        image = None  # not cached yet (or just replaced by a concurrent demo): seed
    if image is not None:
        app = create_app(
            EmulatorConfig(token=token, seed=seed, size=size, anchor=anchor, seed_data=False)  # type: ignore[arg-type]
        )
        app.emulator.store.connection.deserialize(image)
        return app
    if size == "small":
        app = create_app(EmulatorConfig(token=token, seed=seed, size=size, anchor=anchor))  # type: ignore[arg-type]
        _cache_image(cache, app.emulator.store.connection.serialize(), size, seed)
        return app
    # Small data now (under a second), the factory as soon as a thread has seeded it.
    print(f"Seeding demo data ({size}, seed {seed}); serving a small set until then", flush=True)
    app = create_app(EmulatorConfig(token=token, seed=seed, size="small", anchor=anchor))
    full = EmulatorConfig(token=token, seed=seed, size=size, anchor=anchor)  # type: ignore[arg-type]
    # Started a moment later, so the app's first screenful of requests need not share the
    # interpreter with the seeding.
    seeder = threading.Timer(SEED_DELAY, _seed_then_swap, args=(app.emulator.store, full))
    seeder.name = "pywats-demo-seed"
    seeder.daemon = True  # a demo that quits while seeding does not wait for it
    seeder.start()
    return app


def _seed_then_swap(serving: Storage, config: EmulatorConfig) -> None:
    """Seed `config` into a database of its own, cache it, then swap it in for `serving`.

    Seeding is mostly Python holding the GIL; the server's thread still gets its turn every
    few milliseconds (sys.getswitchinterval), so requests are slower meanwhile, not stuck.
    """
    from pywats.emulator.registry import discover_domains
    from pywats.emulator.seeding import create_schema, seed_domains
    from pywats.emulator.storage import Storage

    cache = demo_cache_path(config.seed, config.size)
    try:
        domains = discover_domains()
        store = Storage()
        create_schema(store, domains)
        seed_domains(store, domains, config)
        image = store.connection.serialize()
        store.close()
    except Exception as exc:  # the small data set keeps serving
        print(f"Seeding the {config.size} demo data failed: {exc!r}", flush=True)
        return
    serving.load_image(image)
    print(f"Demo data ready ({config.size}); caching it in {cache}", flush=True)
    _cache_image(cache, image, config.size, config.seed)


def _cache_image(cache: Path, image: bytes, size: str, seed: int) -> None:
    try:
        _write_cache(cache, image, stale=f"demo-{size}-seed{seed}-*.sqlite")
    except OSError as exc:  # a read-only home still gets a demo, just not a fast next one
        print(f"Could not cache the demo data in {cache}: {exc}", flush=True)


def _write_cache(cache: Path, image: bytes, *, stale: str) -> None:
    """Write the cache atomically, then drop older ones (``stale`` glob: earlier days, code)."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    partial.write_bytes(image)
    os.replace(partial, cache)  # atomic: a concurrent demo never reads half a cache
    for old in cache.parent.glob(stale):
        if old != cache:
            with contextlib.suppress(OSError):
                old.unlink()


def _serve(fd: int, seed: int, size: str) -> int:
    import uvicorn

    server: uvicorn.Server | None = None

    def stop_when_parent_goes() -> None:
        sys.stdin.buffer.read()  # returns at EOF: the parent closed the pipe or died
        if server is None:
            os._exit(0)  # still seeding: nothing to shut down gracefully
        server.should_exit = True

    threading.Thread(target=stop_when_parent_goes, daemon=True).start()
    sock = socket.socket(fileno=fd)
    app = _load_or_seed(seed, size, os.environ[TOKEN_ENV])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))  # type: ignore[arg-type]
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    return 0


def _child_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tui.demo")
    parser.add_argument("--fd", type=int, required=True, help="listening socket to serve on")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--size", default=DEMO_SIZE)
    args = parser.parse_args(argv)
    return _serve(args.fd, args.seed, args.size)


if __name__ == "__main__":
    sys.exit(_child_main())
