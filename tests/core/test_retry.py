"""Acceptance 1 of the SDK core: the one retry policy, observed on the wire."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx2
import pytest

from pywats.errors import WATSConnectionError, WATSRateLimitError, WATSServerError
from pywats.http import AsyncHttpClient
from pywats.retry import RetryEvent, RetryPolicy, observe_retries, parse_retry_after
from tests.support.loopback_server import LoopbackServer, Reply, free_port


class SleepRecorder:
    """Stands in for anyio.sleep so backoff is observed without waiting for it."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def client(url: str, sleeper: SleepRecorder, **kwargs: object) -> AsyncHttpClient:
    return AsyncHttpClient.create(url, "secret-token", sleep=sleeper, **kwargs)  # type: ignore[arg-type]


async def test_get_retried_on_503_then_succeeds() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(503, b'{"message":"busy"}'), Reply(200, b'"24.1"'))
        async with client(server.url, sleeper) as http:
            assert await http.get_json("/api/App/Version") == "24.1"
    assert [r.method for r in server.requests] == ["GET", "GET"]
    assert len(sleeper.delays) == 1
    assert 0.375 <= sleeper.delays[0] <= 0.5  # first backoff: 0.5 s jittered to 75-100 %


async def test_429_retry_after_is_waited_exactly() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(429, b"{}", {"Retry-After": "7"}), Reply(200, b"[]"))
        async with client(server.url, sleeper) as http:
            assert await http.send_json("POST", "/api/Report/WSJF", {"id": 1}) == []
    assert sleeper.delays == [7.0]
    assert len(server.requests) == 2  # 429 means "not processed": even a POST is resent


async def test_retry_after_above_cap_raises_instead_of_sleeping() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(429, b'{"message":"slow down"}', {"Retry-After": "600"}))
        async with client(server.url, sleeper) as http:
            with pytest.raises(WATSRateLimitError) as caught:
                await http.get_json("/api/App/Version")
    assert sleeper.delays == []
    assert caught.value.retry_after == 600
    assert "slow down" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_post_not_retried_after_server_answered_5xx(status: int) -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(status, b'{"message":"boom"}'), Reply(200, b"1"))
        async with client(server.url, sleeper) as http:
            with pytest.raises(WATSServerError):
                await http.send_json("POST", "/api/Report/WSJF", {"id": 1})
    assert len(server.requests) == 1
    assert sleeper.delays == []


async def test_idempotent_post_opt_in_is_retried() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(503, b"{}"), Reply(200, b'{"id": "x"}'))
        async with client(server.url, sleeper) as http:
            response = await http.request("POST", "/api/Report/WSJF", json_body={}, idempotent=True)
    assert response.json() == {"id": "x"}
    assert len(server.requests) == 2
    assert server.requests[0].body == server.requests[1].body


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
async def test_any_method_retried_when_connection_refused(method: str) -> None:
    sleeper = SleepRecorder()
    url = f"http://127.0.0.1:{free_port()}"
    async with client(url, sleeper, max_retries=3) as http:
        with pytest.raises(WATSConnectionError) as caught:
            await http.request(method, "/api/App/Version", json_body={"a": 1})
    assert len(sleeper.delays) == 3  # every retry was attempted, whatever the method
    assert "after 4 attempts" in str(caught.value)
    assert "cannot connect" in str(caught.value)


async def test_gives_up_after_configured_count_with_last_error() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(
            Reply(503, b'{"message":"first"}'),
            Reply(502, b'{"message":"second"}'),
            Reply(504, b'{"message":"last one"}'),
        )
        async with client(server.url, sleeper, max_retries=2) as http:
            with pytest.raises(WATSServerError) as caught:
                await http.get_json("/api/App/Version")
    assert len(server.requests) == 3
    assert caught.value.status_code == 504
    assert "last one" in str(caught.value)
    assert len(sleeper.delays) == 2
    assert sleeper.delays[1] > sleeper.delays[0] * 1.4  # exponential: the second wait is longer


async def test_dropped_connection_retried_for_get_not_for_post() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(drop=True), Reply(200, b'"ok"'))
        async with client(server.url, sleeper) as http:
            assert await http.get_json("/x") == "ok"
        server.script(Reply(drop=True), Reply(200, b'"ok"'))
        async with client(server.url, sleeper) as http:
            with pytest.raises(WATSConnectionError, match="connection broke"):
                await http.send_json("POST", "/x", {})


async def test_deadline_covers_all_attempts() -> None:
    with LoopbackServer() as server:
        server.script(Reply(200, b'"late"', delay=1.0))
        async with AsyncHttpClient.create(server.url, "t", deadline=0.2) as http:
            started = time.perf_counter()
            with pytest.raises(WATSConnectionError, match="deadline") as caught:
                await http.get_json("/x")
    assert time.perf_counter() - started < 0.9
    assert caught.value.__class__.__name__ == "WATSTimeoutError"


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(jitter_source=lambda: 1.0)
    assert [policy.backoff(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    low = RetryPolicy(jitter_source=lambda: 0.0)
    assert low.backoff(1) == 0.375


def test_retry_after_forms() -> None:
    assert parse_retry_after(httpx2.Headers({"retry-after": "2.5"})) == 2.5
    assert parse_retry_after(httpx2.Headers({"retry-after-ms": "1500", "retry-after": "9"})) == 1.5
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(httpx2.Headers({"retry-after": when}), now=lambda: 1_000_000) == 30
    assert parse_retry_after(httpx2.Headers({"retry-after": "soon"})) is None
    assert parse_retry_after(httpx2.Headers({"retry-after": "-1"})) is None
    assert parse_retry_after(httpx2.Headers({})) is None


async def test_retry_after_beyond_the_deadline_raises_instead_of_sleeping() -> None:
    sleeper = SleepRecorder()
    with LoopbackServer() as server:
        server.script(Reply(503, b'{"message":"maintenance"}', {"Retry-After": "45"}))
        async with client(server.url, sleeper, deadline=20.0) as http:
            with pytest.raises(WATSServerError) as caught:
                await http.get_json("/api/App/Version")
    assert caught.value.retry_after == 45  # the caller can reschedule; nothing slept
    assert sleeper.delays == []


async def test_retry_observer_sees_each_retry_of_its_own_context_only() -> None:
    sleeper = SleepRecorder()
    seen: list[RetryEvent] = []
    with LoopbackServer() as server:
        server.script(
            Reply(503, b"{}"), Reply(503, b"{}"), Reply(200, b'"24.1"'), Reply(200, b'"24.1"')
        )
        async with client(server.url, sleeper) as http:
            with observe_retries(seen.append):
                assert await http.get_json("/api/App/Version") == "24.1"
            # Outside the block, and in a task started before it, nothing is observed.
            assert await asyncio.create_task(http.get_json("/api/App/Version")) == "24.1"
    assert [(e.method, e.path, e.attempt, e.attempts, e.reason) for e in seen] == [
        ("GET", "/api/App/Version", 2, 3, "status 503"),
        ("GET", "/api/App/Version", 3, 3, "status 503"),
    ]
    assert [e.delay for e in seen] == sleeper.delays


async def test_a_failing_retry_observer_does_not_fail_the_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(_event: RetryEvent) -> None:
        raise RuntimeError("observer bug")

    with LoopbackServer() as server:
        server.script(Reply(503, b"{}"), Reply(200, b'"24.1"'))
        async with client(server.url, SleepRecorder()) as http:
            with observe_retries(broken):
                assert await http.get_json("/api/App/Version") == "24.1"
    assert "the retry observer" in caplog.text
