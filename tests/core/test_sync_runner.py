"""SyncRunner's hand-off between caller threads and the loop: closing under a waiting call,
and exceptions crossing back with their type intact."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pywats import ClientClosedError, SyncWATS
from pywats.errors import WATSNotFoundError
from tests.support.loopback_server import LoopbackServer, Reply


def runner_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("pywats")]


def test_close_from_another_thread_ends_a_waiting_call_promptly() -> None:
    before = len(runner_threads())
    with LoopbackServer() as server:
        wats = SyncWATS(server.url, "tok")
        assert wats.get_version() == "24.1.0"
        server.script(Reply(200, b'"slow"', delay=5.0))
        closer = threading.Timer(0.3, wats.close)
        closer.start()
        started = time.perf_counter()
        with pytest.raises(ClientClosedError, match="closed"):
            wats.get_version()
        assert time.perf_counter() - started < 2.5  # not the server's 5 s
        closer.join(5)
        assert not closer.is_alive()  # close() itself returned
        with pytest.raises(ClientClosedError):
            wats.get_version()
    assert len(runner_threads()) == before  # the loop thread was stopped and joined


def test_close_releases_every_thread_waiting_on_the_client() -> None:
    with LoopbackServer() as server:
        wats = SyncWATS(server.url, "tok")
        assert wats.get_version() == "24.1.0"
        server.script(Reply(200, b'"slow"', delay=5.0))

        def call() -> BaseException | str | None:
            try:
                return wats.get_version()
            except BaseException as exc:
                return exc

        with ThreadPoolExecutor(3) as pool:
            futures = [pool.submit(call) for _ in range(3)]
            time.sleep(0.3)  # all three are waiting on the server
            started = time.perf_counter()
            wats.close()
            outcomes = [f.result(timeout=5) for f in futures]
        assert time.perf_counter() - started < 2.5
        assert all(isinstance(o, ClientClosedError) for o in outcomes), outcomes


class StationFault(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"station fault {code}")
        self.code = code


def test_exception_inside_the_coroutine_reaches_the_caller_intact() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:

        async def failing() -> None:
            raise StationFault(42)

        with pytest.raises(StationFault, match="station fault 42") as caught:
            wats._runner.run(failing)
        assert caught.value.code == 42
        assert wats.get_version() == "24.1.0"  # the runner survives it


def test_server_error_reaches_the_sync_caller_as_its_sdk_type() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, "tok") as wats:
        server.script(Reply(404, b'{"message": "no such version"}'))
        with pytest.raises(WATSNotFoundError) as caught:
            wats.get_version()
        assert caught.value.status_code == 404
        assert "no such version" in str(caught.value)
