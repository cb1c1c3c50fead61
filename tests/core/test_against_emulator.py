"""The SDK core against the emulator over real loopback HTTP (acceptance 4 and 5 of the core).

The scripted loopback server in tests/support covers what a WATS-compatible server never does
(garbage bodies, exact status sequences); everything the emulator can show is shown here.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest

from pywats import AsyncWATS, RetryPolicy, SyncWATS, WATSAuthenticationError, WATSError
from pywats.emulator.runner import EmulatorServer
from pywats.transport import AiohttpTransport

VERSION_PATH = "/api/App/Version"


def test_sync_client_threads_share_a_bounded_pool(emulator_server: EmulatorServer) -> None:
    limits = httpx2.Limits(max_connections=4, max_keepalive_connections=4)
    with SyncWATS(**emulator_server.sdk_kwargs(), limits=limits) as wats:
        expected = wats.get_version()
        assert expected
        emulator_server.traffic.clear()

        def fifty_calls(_: int) -> list[str | None]:
            return [wats.get_version() for _ in range(50)]

        with ThreadPoolExecutor(8) as pool:
            results = [v for batch in pool.map(fifty_calls, range(8)) for v in batch]
    assert results == [expected] * 400
    assert emulator_server.traffic.count_for("GET", VERSION_PATH) == 400
    assert 1 <= emulator_server.traffic.connections <= 4


def test_sequential_sync_calls_use_one_connection(emulator_server: EmulatorServer) -> None:
    with SyncWATS(**emulator_server.sdk_kwargs()) as wats:
        for _ in range(30):
            assert wats.test_connection()
    assert emulator_server.traffic.connections == 1


async def test_get_retried_on_503_until_it_succeeds(emulator_server: EmulatorServer) -> None:
    emulator_server.faults.update(error_rate=1.0, error_status=503, budget=2)
    fast = RetryPolicy(max_retries=3, backoff_initial=0.01)
    async with AsyncWATS(**emulator_server.sdk_kwargs(), retry=fast) as wats:
        assert await wats.get_version()
    assert emulator_server.traffic.count_for("GET", VERSION_PATH) == 3


async def test_wrong_token_is_an_authentication_error(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(emulator_server.url, "d3Jvbmc6dG9rZW4=") as wats:
        with pytest.raises(WATSAuthenticationError, match="check WATS_TOKEN"):
            await wats.get_version()
        assert await wats.test_connection() is False


async def test_faults_and_give_ups_leave_the_pool_whole(emulator_server: EmulatorServer) -> None:
    """A bad hour on the factory LAN: 503s, dropped connections, slow answers, and callers
    giving up half-way (Escape in the TUI, a script's timeout). Every call ends in a result,
    a WATS error or the caller's own timeout; afterwards no connection slot is lost and the
    client works normally."""
    emulator_server.faults.update(error_rate=0.15, drop_rate=0.15, latency=0.002, seed=6)
    quick = RetryPolicy(max_retries=1, backoff_initial=0.001)
    limits = httpx2.Limits(max_connections=8, max_keepalive_connections=8)
    rng = random.Random(6)
    async with AsyncWATS(**emulator_server.sdk_kwargs(), retry=quick, limits=limits) as wats:
        expected = await wats.get_version()

        async def one_call() -> str:
            patience = rng.uniform(0.0005, 0.02) if rng.random() < 0.3 else None
            try:
                async with asyncio.timeout(patience):
                    return "ok" if await wats.get_version() == expected else "wrong answer"
            except WATSError as exc:
                return type(exc).__name__
            except TimeoutError:
                return "gave up"

        outcomes = Counter(await asyncio.gather(*(one_call() for _ in range(300))))
        assert set(outcomes) <= {"ok", "gave up", "WATSServerError", "WATSConnectionError"}
        assert outcomes["ok"] > 100 and outcomes["gave up"] > 10
        assert outcomes["WATSServerError"] + outcomes["WATSConnectionError"] > 0

        emulator_server.faults.update(error_rate=0.0, drop_rate=0.0, latency=0.0)
        calm = await asyncio.gather(*(wats.get_version() for _ in range(20)))
        assert calm == [expected] * 20
        transport = wats.http.transport
        assert isinstance(transport, AiohttpTransport)
        assert transport.in_flight == 0  # every slot given back, whatever the callers did
