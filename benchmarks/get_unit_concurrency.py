"""1,000 ``get_unit`` calls through AsyncWATS: one after another vs 32 at a time (issue 6,
acceptance 5).

The emulator runs in its own process (a real uvicorn server on loopback) with 5 ms of
injected latency per request, which is what a factory LAN to a WATS server looks like. The
speed-up shows that concurrent calls share one connection pool without serialising.
Target: at least 10x. Exits 1 when the target is missed.

The same concurrent calls through raw httpx2 on the transport pywats ships (aiohttp) and on
httpx2's default one (httpcore2) are timed too, and all are compared with the physical limit:
every call waits the injected latency, and the default pool has 20 connections, so 1,000
calls cannot take less than 1000 / 20 x 5 ms.

    .venv/bin/python benchmarks/get_unit_concurrency.py [CALLS]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import sys
import time

import httpx2

from pywats import AsyncWATS
from pywats.emulator import EmulatorConfig, FaultConfig, create_app
from pywats.emulator.runner import bind_socket, serve_socket
from pywats.options import DEFAULT_LIMITS
from pywats.transport import AiohttpTransport

CALLS = 1000
CONCURRENCY = 32
LATENCY = 0.005
TARGET = 10.0

Unit = tuple[str, str]


def serve(out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    app = create_app(EmulatorConfig(faults=FaultConfig(latency=LATENCY)))
    sock = bind_socket("127.0.0.1", 0)  # Nagle off, so 5 ms is what a call waits
    rows = app.emulator.store.query(
        "SELECT serial_number, part_number FROM production_unit ORDER BY unit_id"
    )
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    out.put((url, app.emulator.config.token, [(r[0], r[1]) for r in rows]))
    serve_socket(app, sock)  # until the parent terminates this process


async def sequential(wats: AsyncWATS, units: list[Unit]) -> float:
    started = time.perf_counter()
    for serial, part in units:
        assert await wats.production.get_unit(serial, part) is not None
    return time.perf_counter() - started


async def concurrent(wats: AsyncWATS, units: list[Unit]) -> float:
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(serial: str, part: str) -> None:
        async with semaphore:
            assert await wats.production.get_unit(serial, part) is not None

    started = time.perf_counter()
    await asyncio.gather(*(one(serial, part) for serial, part in units))
    return time.perf_counter() - started


async def raw_httpx_concurrent(
    url: str, token: str, units: list[Unit], transport: httpx2.AsyncBaseTransport | None
) -> float:
    """The same concurrent calls with raw httpx2 and the same pool size."""
    headers = {"Authorization": f"Basic {token}"}
    async with httpx2.AsyncClient(
        base_url=url, headers=headers, limits=DEFAULT_LIMITS, transport=transport, trust_env=False
    ) as client:
        semaphore = asyncio.Semaphore(CONCURRENCY)

        async def one(serial: str, part: str) -> None:
            async with semaphore:
                response = await client.get(f"/api/Production/Unit/{serial}/{part}")
                assert response.json()["serialNumber"]

        await asyncio.gather(*(one(s, p) for s, p in units[:CONCURRENCY]))
        started = time.perf_counter()
        await asyncio.gather(*(one(s, p) for s, p in units))
        return time.perf_counter() - started


async def measure(url: str, token: str, units: list[Unit]) -> tuple[float, float, float, float]:
    # AsyncWATS as shipped: its default pool (20 connections) serves the 32 calls in flight.
    async with AsyncWATS(url, token, max_retries=0, trust_env=False) as wats:
        await concurrent(wats, units[:CONCURRENCY])  # warm the pool: connections and imports
        seq = await sequential(wats, units)
        conc = await concurrent(wats, units)
    shipped = AiohttpTransport(limits=DEFAULT_LIMITS)
    raw = await raw_httpx_concurrent(url, token, units, shipped)
    default = await raw_httpx_concurrent(url, token, units, None)
    return seq, conc, raw, default


def main() -> int:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else CALLS
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    server = context.Process(target=serve, args=(out,), daemon=True)
    server.start()
    try:
        url, token, every_unit = out.get(timeout=60)
        # The same random mix of boards, modules and whole systems for both runs.
        units = random.Random(6).choices(every_unit, k=calls)
        seq, conc, raw, default = asyncio.run(measure(url, token, units))
    finally:
        server.terminate()
        server.join(10)
    speedup = seq / conc
    print(f"{calls} get_unit calls, {LATENCY * 1000:g} ms injected latency per request")
    print(f"  sequential:        {seq:6.2f} s  ({seq / calls * 1000:5.2f} ms per call)")
    per_call = conc / calls * 1000
    print(f"  concurrency {CONCURRENCY}:    {conc:6.2f} s  ({per_call:5.2f} ms per call)")
    print(f"  speed-up:          {speedup:6.1f}x  (target at least {TARGET:g}x)")
    print(f"  raw httpx2 on AiohttpTransport: {raw:6.2f} s  (AsyncWATS / raw {conc / raw:.2f})")
    print(
        f"  raw httpx2 on httpcore2:        {default:6.2f} s  "
        f"(AsyncWATS / raw {conc / default:.2f})"
    )
    in_flight = min(CONCURRENCY, DEFAULT_LIMITS.max_connections or CONCURRENCY)
    limit = calls / in_flight * LATENCY
    print(
        f"  physical limit, {in_flight} connections: {limit:6.2f} s  "
        f"(AsyncWATS {conc / limit:.2f}x it, raw httpx2 {raw / limit:.2f}x, "
        f"httpcore2 {default / limit:.2f}x)"
    )
    return 0 if speedup >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
