"""Fault injection, observed through the SDK core: retries seen from the server side.

Every fault mode runs against AsyncWATS over both the in-process transport and real
loopback HTTP (dropped connections and timeouts behave differently on a socket).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from pywats import AsyncWATS
from pywats.emulator import EmulatorConfig, FaultConfig, InProcessEmulator
from pywats.emulator.runner import EmulatorServer
from pywats.errors import (
    WATSConnectionError,
    WATSRateLimitError,
    WATSServerError,
    WATSTimeoutError,
)
from pywats.retry import RetryPolicy

VERSION = "/api/App/Version"
FAST = RetryPolicy(max_retries=3, backoff_initial=0.001, backoff_max=0.005)
Target = InProcessEmulator | EmulatorServer


@pytest.fixture(params=["in-process", "loopback"])
def target(request: pytest.FixtureRequest, emulator_config: EmulatorConfig) -> Target:
    """The same emulator reached two ways; faults are set on its FaultConfig."""
    if request.param == "in-process":
        fixture: Target = request.getfixturevalue("emulator")
    else:
        fixture = request.getfixturevalue("emulator_server")
    return fixture


@pytest.fixture
async def wats(target: Target) -> AsyncIterator[AsyncWATS]:
    async with AsyncWATS(**target.sdk_kwargs(), retry=FAST) as client:
        yield client


def _seen(target: Target, path: str = VERSION, method: str = "GET") -> int:
    return target.traffic.count_for(method, path)


def test_faults_are_off_by_default() -> None:
    assert not EmulatorConfig().faults.active
    assert FaultConfig().choose() is None


async def test_no_faults_one_request(target: Target, wats: AsyncWATS) -> None:
    assert await wats.get_version() == "24.1.0"
    assert _seen(target) == 1
    assert not target.traffic.injected


@pytest.mark.parametrize("status", [503, 502, 504])
async def test_retryable_errors_are_retried_until_success(
    target: Target, wats: AsyncWATS, status: int
) -> None:
    target.faults.update(error_rate=1.0, error_status=status, budget=2)
    assert await wats.get_version() == "24.1.0"
    assert _seen(target) == 3
    assert target.traffic.injected["error"] == 2


async def test_persistent_errors_exhaust_retries(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(error_rate=1.0, error_status=503)
    with pytest.raises(WATSServerError) as info:
        await wats.get_version()
    assert info.value.status_code == 503
    assert _seen(target) == FAST.max_retries + 1


async def test_non_retryable_status_is_not_retried(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(error_rate=1.0, error_status=500)
    with pytest.raises(WATSServerError) as info:
        await wats.get_version()
    assert info.value.status_code == 500
    assert "Injected fault" in str(info.value)
    assert _seen(target) == 1


async def test_throttle_sends_retry_after_and_is_honoured(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(throttle_rate=1.0, retry_after=0, budget=2)
    assert await wats.get_version() == "24.1.0"
    assert _seen(target) == 3
    assert target.traffic.injected["throttle"] == 2


async def test_throttle_beyond_retry_after_cap_raises_with_retry_after(target: Target) -> None:
    target.faults.update(throttle_rate=1.0, retry_after=30)
    policy = RetryPolicy(max_retries=3, retry_after_cap=1.0)
    async with AsyncWATS(**target.sdk_kwargs(), retry=policy) as wats:
        with pytest.raises(WATSRateLimitError) as info:
            await wats.get_version()
    assert info.value.retry_after == 30
    assert _seen(target) == 1


async def test_throttled_post_is_retried_too(target: Target, wats: AsyncWATS) -> None:
    # A 429 means "not processed", so even a POST may be resent.
    target.faults.update(throttle_rate=1.0, retry_after=0, budget=1)
    path = "/api/internal/Process/PostProcess"
    response = await wats.http.request("POST", path, json_body={"Code": 901, "Name": "Hold 2"})
    assert response.json()["Code"] == 901
    assert _seen(target, path, "POST") == 2


async def test_dropped_connections_are_retried_for_get(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(drop_rate=1.0, budget=2)
    assert await wats.get_version() == "24.1.0"
    assert _seen(target) == 3
    assert target.traffic.injected["drop"] == 2


async def test_dropped_post_is_not_resent(target: Target, wats: AsyncWATS) -> None:
    # The server may have acted on it: resending a POST could create it twice.
    target.faults.update(drop_rate=1.0, budget=1)
    path = "/api/internal/Process/PostProcess"
    with pytest.raises(WATSConnectionError) as info:
        await wats.http.request("POST", path, json_body={"Code": 902, "Name": "Hold 3"})
    assert "connection broke" in str(info.value)
    assert _seen(target, path, "POST") == 1


async def test_persistent_drops_raise_connection_error(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(drop_rate=1.0)
    with pytest.raises(WATSConnectionError):
        await wats.get_version()
    assert _seen(target) == FAST.max_retries + 1


async def test_latency_is_added(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(latency=0.15)
    started = time.perf_counter()
    assert await wats.get_version() == "24.1.0"
    assert time.perf_counter() - started >= 0.15
    assert target.traffic.injected["latency"] == 1


async def test_latency_beyond_read_timeout_is_retried_then_times_out(
    emulator_server: EmulatorServer,
) -> None:
    emulator_server.faults.update(latency=0.3)
    policy = RetryPolicy(max_retries=1, backoff_initial=0.001)
    async with AsyncWATS(**emulator_server.sdk_kwargs(), retry=policy, timeout=0.1) as wats:
        with pytest.raises(WATSTimeoutError) as info:
            await wats.get_version()
    assert info.value.phase == "read"
    assert _seen(emulator_server) == 2


async def test_faults_change_at_runtime(target: Target, wats: AsyncWATS) -> None:
    target.faults.update(error_rate=1.0, error_status=500)
    with pytest.raises(WATSServerError):
        await wats.get_version()
    target.faults.reset()
    assert await wats.get_version() == "24.1.0"


async def test_fault_control_endpoint(target: Target, wats: AsyncWATS) -> None:
    # /_emulator is outside /api/, so faults never block turning them off again.
    put = await wats.http.request("PUT", "/_emulator/faults", json_body={"error_rate": 1.0})
    assert put.json()["error_rate"] == 1.0
    assert target.faults.error_rate == 1.0
    bad = await _raw(target, "PUT", "/_emulator/faults", json={"error_rate": 3})
    assert bad.status_code == 400
    assert "error_rate" in bad.json()["Message"]
    unknown = await _raw(target, "PUT", "/_emulator/faults", json={"explode": True})
    assert unknown.status_code == 400
    traffic = (await wats.http.request("GET", "/_emulator/traffic")).json()
    assert traffic["requests"] >= 3
    await wats.http.request("DELETE", "/_emulator/faults")
    assert not target.faults.active


async def _raw(target: Target, method: str, path: str, **kwargs: Any) -> httpx2.Response:
    headers = {"Authorization": f"Basic {target.token}"}
    if isinstance(target, InProcessEmulator):
        async with target.client() as client:
            return await client.request(method, path, **kwargs)
    async with httpx2.AsyncClient(base_url=target.url, headers=headers) as client:
        return await client.request(method, path, **kwargs)


async def test_throttle_headers_on_the_wire(target: Target) -> None:
    target.faults.update(throttle_rate=1.0, retry_after=7)
    response = await _raw(target, "GET", VERSION)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["Message"]


def test_fault_config_validation_is_all_or_nothing() -> None:
    faults = FaultConfig()
    with pytest.raises(ValueError, match="drop_rate"):
        faults.update(error_rate=0.5, latency=0.1, drop_rate=1.5)
    assert faults.as_dict() == FaultConfig().as_dict()
    with pytest.raises(ValueError, match="unknown"):
        faults.update(nonsense=1)
    with pytest.raises(ValueError, match="error_status"):
        FaultConfig(error_status=200)


def test_fault_choice_is_reproducible() -> None:
    def pattern() -> list[str | None]:
        faults = FaultConfig(error_rate=0.3, drop_rate=0.2, throttle_rate=0.1, seed=9)
        return [faults.choose() for _ in range(200)]

    first = pattern()
    assert first == pattern()
    counts = {kind: first.count(kind) for kind in ("error", "drop", "throttle", None)}
    assert all(counts.values())  # every kind occurs
    assert 40 <= counts[None] <= 120  # ~40% pass


def test_faults_from_python_config() -> None:
    config = EmulatorConfig(faults=FaultConfig(error_rate=1.0, budget=1))
    emu = InProcessEmulator(config=config)
    try:
        assert emu.faults.active
        assert emu.faults.budget == 1
    finally:
        emu.close()
