"""Requests beyond the pool size queue in the SDK, still bounded by the pool timeout."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from pywats.errors import WATSTimeoutError
from pywats.http import AsyncHttpClient
from tests.support.loopback_server import LoopbackServer, Reply


async def test_waiting_for_a_busy_pool_times_out_as_a_pool_timeout() -> None:
    with LoopbackServer() as server:
        server.script(Reply(200, b'"slow"', delay=1.0))
        timeout = httpx.Timeout(5.0, pool=0.2)
        limits = httpx.Limits(max_connections=1)
        async with AsyncHttpClient(
            server.url, "t", timeout=timeout, limits=limits, max_retries=0
        ) as http:
            slow = asyncio.create_task(http.get_json("/slow"))
            await asyncio.sleep(0.05)
            with pytest.raises(WATSTimeoutError) as caught:
                await http.get_json("/waits")
            assert caught.value.phase == "pool"
            assert "lower concurrency" in str(caught.value)
            assert await slow == "slow"


async def test_many_concurrent_calls_share_a_small_pool() -> None:
    with LoopbackServer() as server:
        server.script(Reply(200, b'"ok"', delay=0.01))
        limits = httpx.Limits(max_connections=3, max_keepalive_connections=3)
        async with AsyncHttpClient(server.url, "t", limits=limits) as http:
            results = await asyncio.gather(*(http.get_json("/x") for _ in range(60)))
    assert results == ["ok"] * 60
    assert server.connections == 3
