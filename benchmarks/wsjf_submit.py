"""Submitting reports: one after another vs 16 in flight, against the emulator over loopback.

Builds N test reports with the UUTBuilder (not timed), then submits them with
``AsyncWATS.report.submit`` sequentially and with concurrency 16 (validation and
serialisation included), and prints both throughputs and their ratio. The emulator runs in its
own process (uvicorn on a TCP socket with Nagle off, empty database), so it does not share
the client's GIL.

    .venv/bin/python benchmarks/wsjf_submit.py [N] [LATENCY_MS]

N defaults to 1000. Against a local emulator both ends are CPU-bound on the same machine, so
concurrency has little to overlap; LATENCY_MS (the emulator's latency fault, default 0) adds a
server think time per request, as a busy WATS server across a factory network has, which is
what concurrent submission hides.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import sys
import time
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pywats import AsyncWATS
from pywats.domains.report import UUTReport
from pywats.emulator.app import create_app
from pywats.emulator.config import DEFAULT_TOKEN, EmulatorConfig
from pywats.emulator.faults import FaultConfig
from pywats.emulator.runner import serve_socket
from tests.domains.report.sample_reports import station_report
from tests.support.loopback_server import free_port

CONCURRENCY = 16
# As many kept-alive connections as requests in flight, so none is reopened per request.
LIMITS = httpx2.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)


def serve(port: int, latency: float) -> None:
    config = EmulatorConfig(seed_data=False, faults=FaultConfig(latency=latency))
    # proto=IPPROTO_TCP matters: asyncio turns Nagle off only on sockets that say they are
    # TCP, and with Nagle on, each response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    serve_socket(create_app(config), sock)


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx2.get(f"{url}/api/App/Version", timeout=1.0)
            return
        except httpx2.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def build(n: int, prefix: str) -> list[UUTReport]:
    return [station_report(f"{prefix}-{i:05d}", fail=i % 9 == 0) for i in range(n)]


async def sequential(wats: AsyncWATS, reports: list[UUTReport]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    for report in reports:
        await wats.report.submit(report)
    return time.perf_counter() - started, time.process_time() - cpu


async def concurrent(wats: AsyncWATS, reports: list[UUTReport]) -> tuple[float, float]:
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(report: UUTReport) -> None:
        async with semaphore:
            await wats.report.submit(report)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(report) for report in reports))
    return time.perf_counter() - started, time.process_time() - cpu


async def run(url: str, token: str, n: int) -> None:
    first, second = build(n, "SEQ"), build(n, "PAR")
    async with AsyncWATS(url, token, limits=LIMITS) as wats:
        await wats.report.submit(station_report("WARMUP-00000"))  # open the connection
        seq, seq_cpu = await sequential(wats, first)
        par, par_cpu = await concurrent(wats, second)
        stored = await wats.report.query_headers(top=1)
    assert stored, "the emulator should hold the submitted reports"
    print(f"reports        : {n} each way ({len(first[0].walk())} steps per report)")
    for label, wall, cpu in (
        ("sequential    ", seq, seq_cpu),
        (f"concurrency {CONCURRENCY:<2}", par, par_cpu),
    ):
        print(f"{label} : {wall:6.2f} s  {n / wall:7.1f} reports/s  (client CPU {cpu:.2f} s)")
    print(f"speed-up (sequential/concurrent time): {seq / par:.2f}x")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    latency_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    port = free_port()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(port, latency_ms / 1000), daemon=True
    )
    server.start()
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url)
        print(f"emulator       : {url}, {latency_ms:g} ms added per request")
        asyncio.run(run(url, DEFAULT_TOKEN, n))
    finally:
        server.terminate()
        server.join(10)


if __name__ == "__main__":
    main()
