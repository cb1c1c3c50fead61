"""What pywats adds on top of raw httpx2, per call, against the same loopback server.

Prints, for N sequential and N concurrent (16) GETs of /api/App/Version:
  AsyncWATS vs raw httpx2.AsyncClient on the transport pywats ships (aiohttp)  (target <= 1.10x)
  SyncWATS  vs raw httpx2.Client                                            (target <= 1.30x)
  the shipped transport vs httpx2's default one (httpcore2), both raw httpx2.AsyncClient
and, for the sequential calls, how far each client is from the physical limit: the same
request bytes written to a plain socket and the answer read back, with no HTTP library.
The server runs in its own process so it does not share the client's GIL. Each variant runs
several rounds, interleaved; a ratio is the median of the rounds' paired ratios, and the
times shown are each variant's best round.

    .venv/bin/python benchmarks/http_overhead.py [N]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pywats import AsyncWATS, SyncWATS
from pywats.transport import AiohttpTransport
from tests.support.loopback_server import LoopbackServer

TOKEN = "YmVuY2g6YmVuY2g="


class EventLike(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...
Runs = dict[str, list[float]]  # variant -> seconds of each round
CONCURRENCY = 16
ROUNDS = 9
PATH = "/api/App/Version"


def serve(port_out: multiprocessing.Queue[int], stop: EventLike) -> None:
    with LoopbackServer() as server:
        port_out.put(server.port)
        stop.wait()


async def async_sequential(call: Callable[[], object], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        await call()  # type: ignore[misc]
    return time.perf_counter() - started


async def async_concurrent(call: Callable[[], object], n: int) -> float:
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one() -> None:
        async with semaphore:
            await call()  # type: ignore[misc]

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    return time.perf_counter() - started


def sync_sequential(call: Callable[[], object], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        call()
    return time.perf_counter() - started


def sync_concurrent(call: Callable[[], object], n: int) -> float:
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        started = time.perf_counter()
        list(pool.map(lambda _: call(), range(n)))
        return time.perf_counter() - started


async def measure_async(url: str, n: int) -> Runs:
    variants = ("wats", "raw", "default")
    runs: Runs = {f"{v}_{mode}": [] for v in variants for mode in ("seq", "conc")}
    headers = {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"}
    async with (
        AsyncWATS(url, TOKEN, trust_env=False) as wats,
        httpx2.AsyncClient(
            base_url=url, headers=headers, transport=AiohttpTransport(), trust_env=False
        ) as raw,
        httpx2.AsyncClient(base_url=url, headers=headers, trust_env=False) as default,
    ):

        def raw_call_on(client: httpx2.AsyncClient) -> Callable[[], object]:
            async def call() -> object:
                response = await client.get(PATH)
                response.raise_for_status()
                return response.json()

            return call

        calls = {"wats": wats.get_version, "raw": raw_call_on(raw), "default": raw_call_on(default)}
        for call in calls.values():  # warm every pool
            await async_sequential(call, 50)
        for _ in range(ROUNDS):
            for name, call in calls.items():
                runs[f"{name}_seq"].append(await async_sequential(call, n))
                runs[f"{name}_conc"].append(await async_concurrent(call, n))
    return runs


def measure_wire(port: int, n: int) -> float:
    """The physical limit: one prebuilt request over a plain blocking socket, answer read back."""
    request = (
        f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
        f"Authorization: Basic {TOKEN}\r\n\r\n"
    ).encode()
    best = 1e9
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def call() -> object:
            sock.sendall(request)
            answer = sock.recv(65536)
            while b"\r\n\r\n" not in answer:  # the whole small answer is one segment
                answer += sock.recv(65536)
            return answer

        sync_sequential(call, 50)
        for _ in range(ROUNDS):
            best = min(best, sync_sequential(call, n))
    return best


def measure_sync(url: str, n: int) -> Runs:
    runs: Runs = {key: [] for key in ("wats_seq", "raw_seq", "wats_conc", "raw_conc")}
    headers = {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"}
    limits = httpx2.Limits(max_connections=20, max_keepalive_connections=20)
    with (
        SyncWATS(url, TOKEN, trust_env=False) as wats,
        httpx2.Client(base_url=url, headers=headers, limits=limits, trust_env=False) as raw,
    ):

        def raw_call() -> object:
            response = raw.get(PATH)
            response.raise_for_status()
            return response.json()

        sync_sequential(wats.get_version, 50)
        sync_sequential(raw_call, 50)
        for _ in range(ROUNDS):
            runs["wats_seq"].append(sync_sequential(wats.get_version, n))
            runs["raw_seq"].append(sync_sequential(raw_call, n))
            runs["wats_conc"].append(sync_concurrent(wats.get_version, n))
            runs["raw_conc"].append(sync_concurrent(raw_call, n))
    return runs


def paired_ratio(runs: Runs, mine: str, theirs: str) -> float:
    """The median of the rounds' ratios: each round times both back to back, so a slow spell
    of the machine (a shared VM) slows both sides of a ratio alike."""
    return statistics.median(a / b for a, b in zip(runs[mine], runs[theirs], strict=True))


def report(label: str, runs: Runs, n: int, target: float) -> bool:
    ok = True
    for mode, name in (("seq", "sequential"), ("conc", f"concurrent ({CONCURRENCY})")):
        wats, raw = min(runs[f"wats_{mode}"]), min(runs[f"raw_{mode}"])
        ratio = paired_ratio(runs, f"wats_{mode}", f"raw_{mode}")
        verdict = "ok" if ratio <= target else "OVER TARGET"
        ok = ok and ratio <= target
        print(
            f"{label:<9} {name:<16} pywats {wats * 1e6 / n:7.1f} us/call   "
            f"raw {raw * 1e6 / n:7.1f} us/call   "
            f"ratio {ratio:5.2f}x  (target <= {target:.2f}x) {verdict}"
        )
    return ok


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    ctx = multiprocessing.get_context("spawn")
    port_queue: multiprocessing.Queue[int] = ctx.Queue()
    stop = ctx.Event()
    server = ctx.Process(target=serve, args=(port_queue, stop), daemon=True)
    server.start()
    try:
        port = port_queue.get(timeout=10)
        url = f"http://127.0.0.1:{port}"
        print(f"{n} GETs of {PATH} per round, best of {ROUNDS} rounds, server in its own process")
        async_best = asyncio.run(measure_async(url, n))
        print("SDK overhead, AsyncWATS vs raw httpx2.AsyncClient, both on AiohttpTransport:")
        ok = report("async", async_best, n, 1.10)
        print("SDK overhead, SyncWATS vs raw httpx2.Client (httpx2's sync default):")
        sync_best = measure_sync(url, n)
        ok = report("sync", sync_best, n, 1.30) and ok
        print("the shipped transport's gain (raw httpx2.AsyncClient): aiohttp vs httpcore2:")
        for mode, name in (("seq", "sequential"), ("conc", f"concurrent ({CONCURRENCY})")):
            shipped, default = min(async_best[f"raw_{mode}"]), min(async_best[f"default_{mode}"])
            gain = paired_ratio(async_best, f"default_{mode}", f"raw_{mode}")
            print(
                f"async     {name:<16} aiohttp {shipped * 1e6 / n:7.1f} us/call   "
                f"httpcore2 {default * 1e6 / n:7.1f} us/call   "
                f"{gain:5.2f}x faster"
            )
        wire = measure_wire(port, n)
        print(
            f"physical limit: {wire * 1e6 / n:.1f} us/call (the same request bytes over a "
            "plain socket, no HTTP library)"
        )
        for label, best in (("async", async_best), ("sync", sync_best)):
            print(
                f"{label:<9} sequential       pywats {min(best['wats_seq']) / wire:5.2f}x the "
                f"physical limit, raw httpx2 {min(best['raw_seq']) / wire:5.2f}x"
            )
    finally:
        stop.set()
        server.join(5)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
