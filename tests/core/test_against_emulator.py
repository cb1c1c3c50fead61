"""The SDK core against the emulator over real loopback HTTP (acceptance 4 and 5 of the core).

The scripted loopback server in tests/support covers what a WATS-compatible server never does
(garbage bodies, exact status sequences); everything the emulator can show is shown here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from pywats import AsyncWATS, RetryPolicy, SyncWATS, WATSAuthenticationError
from pywats.emulator.runner import EmulatorServer

VERSION_PATH = "/api/App/Version"


def test_sync_client_threads_share_a_bounded_pool(emulator_server: EmulatorServer) -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
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
