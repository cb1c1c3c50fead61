"""Acceptance 4 of the SDK core: SyncWATS over one background loop, observed at the server."""

from __future__ import annotations

import _thread
import asyncio
import multiprocessing
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest

from pywats import ClientClosedError, SyncWATS, UsageError, WATSTimeoutError
from pywats.runner import SyncUseInsideEventLoopWarning
from tests.support.loopback_server import LoopbackServer, Reply


def sdk_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("pywats")]


def test_sequential_calls_reuse_one_connection() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:
        for _ in range(20):
            assert wats.get_version() == "24.1.0"
        assert server.connections == 1


def test_eight_threads_share_a_bounded_pool() -> None:
    limits = httpx2.Limits(max_connections=4, max_keepalive_connections=4)
    with LoopbackServer() as server, SyncWATS(server.url, "tok", limits=limits) as wats:

        def fifty_calls(_: int) -> list[str | None]:
            return [wats.get_version() for _ in range(50)]

        with ThreadPoolExecutor(8) as pool:
            results = [v for batch in pool.map(fifty_calls, range(8)) for v in batch]
        assert results == ["24.1.0"] * 400
        assert len(server.requests) == 400
        assert 1 <= server.connections <= 4


def test_works_inside_a_running_event_loop_with_one_warning() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:

        async def inside() -> list[str | None]:
            return [wats.get_version() for _ in range(3)]

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert asyncio.run(inside()) == ["24.1.0"] * 3
    relevant = [w for w in caught if issubclass(w.category, SyncUseInsideEventLoopWarning)]
    assert len(relevant) == 1
    assert "AsyncWATS" in str(relevant[0].message)


def test_call_from_runner_thread_is_a_clear_error_not_a_deadlock() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:
        wats.get_version()

        async def reenter() -> str | None:
            return wats.get_version()

        with pytest.raises(UsageError, match="own event loop thread"):
            wats._runner.run(reenter)
        assert wats.get_version() == "24.1.0"  # still usable afterwards


def test_close_twice_then_call_raises_client_closed() -> None:
    before = len(sdk_threads())
    with LoopbackServer() as server:
        wats = SyncWATS(server.url, "tok")
        assert wats.get_version() == "24.1.0"
        assert len(sdk_threads()) == before + 1
        wats.close()
        wats.close()
        with pytest.raises(ClientClosedError, match="closed"):
            wats.get_version()
    assert len(sdk_threads()) == before  # the loop thread was joined


def test_never_used_client_closes_without_starting_a_thread() -> None:
    before = len(sdk_threads())
    wats = SyncWATS("http://127.0.0.1:9", "tok")
    wats.close()
    assert len(sdk_threads()) == before


def _child_uses_clients(
    url: str, inherited: SyncWATS, queue: multiprocessing.Queue[object]
) -> None:
    try:
        with SyncWATS(url, "tok") as fresh:
            queue.put(("fresh", fresh.get_version()))
        queue.put(("inherited", inherited.get_version()))
    except BaseException as exc:
        queue.put(("error", repr(exc)))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_forked_child_can_use_a_new_client_and_the_inherited_one() -> None:
    # No retries and a short timeout: the parent's pooled connection must still work after the
    # child, not hang until a read timeout and a silent retry (it once took 60 s so).
    with (
        LoopbackServer() as server,
        SyncWATS(server.url, "tok", max_retries=0, timeout=5.0) as parent,
    ):
        assert parent.get_version() == "24.1.0"  # the parent's runner thread is running
        ctx = multiprocessing.get_context("fork")
        queue: multiprocessing.Queue[object] = ctx.Queue()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads: intended
            child = ctx.Process(target=_child_uses_clients, args=(server.url, parent, queue))
            child.start()
        child.join(20)
        assert child.exitcode == 0
        results = dict(queue.get(timeout=1) for _ in range(2))
        assert results == {"fresh": "24.1.0", "inherited": "24.1.0"}
        assert parent.get_version() == "24.1.0"  # the parent is unaffected
        assert server.connections == 3  # its pooled connection served it again


def test_sync_iteration_closes_async_generator_on_early_break() -> None:
    closed = threading.Event()
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:

        async def numbers():  # type: ignore[no-untyped-def]
            try:
                for n in range(1000):
                    yield n
            finally:
                closed.set()

        got = []
        for n in wats._runner.iterate(numbers, batch=10):
            got.append(n)
            if n == 14:
                break
        assert got == list(range(15))
        assert closed.is_set()
        assert list(wats._runner.iterate(numbers, batch=300)) == list(range(1000))


def test_ctrl_c_cancels_the_in_flight_request() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:
        wats.get_version()
        server.script(Reply(200, b'"slow"', delay=5.0))
        timer = threading.Timer(0.3, _thread.interrupt_main)
        timer.start()
        started = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            wats.get_version()
        assert time.perf_counter() - started < 2.0

        async def pending() -> int:
            current = asyncio.current_task()
            await asyncio.sleep(0.05)  # let the cancellation finish
            return len([t for t in asyncio.all_tasks() if t is not current])

        assert wats._runner.run(pending) == 0  # the request task was cancelled, not orphaned
        server.script(Reply(200, b'"again"'))
        assert wats.get_version() == "again"  # and the client is still usable


def test_sync_deadline_fires_on_time() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok", deadline=0.3) as wats:
        server.script(Reply(200, b'"slow"', delay=3.0))
        started = time.perf_counter()
        with pytest.raises(WATSTimeoutError, match="deadline"):
            wats.get_version()
        assert time.perf_counter() - started < 1.5
