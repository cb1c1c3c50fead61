"""SyncRunner: one background event loop thread that runs the async SDK for sync callers.

One runner per ``SyncWATS``: the ``AsyncWATS`` and its ``httpx2.AsyncClient`` are created on the
runner's loop and only used there, so the connection pool survives across calls and threads.
Never ``asyncio.run()`` per call and never one loop per thread: both break pooling.

The loop is a plain asyncio loop driven by ``run_forever`` in a daemon thread; a call is one
``call_soon_threadsafe`` there and one lock release back. (An anyio blocking portal does the
same job with two hand-offs per call, which measured at three times the overhead.)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import threading
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from pywats.errors import ClientClosedError, UsageError

__all__ = ["SyncRunner", "SyncUseInsideEventLoopWarning"]

T = TypeVar("T")
logger = logging.getLogger("pywats.runner")

# Waiting in slices keeps Ctrl-C responsive on platforms where a plain wait is not interruptible.
_WAIT_SLICE = 0.2
_STOP_TIMEOUT = 5.0
# Loops inherited by a forked child: their threads do not exist there, so they are never
# touched again, only kept referenced so that garbage collection cannot try to close them.
_ABANDONED_AFTER_FORK: list[object] = []


def abandon_after_fork(inherited: object) -> None:
    """Keep an object a forked child inherited alive for good, so it is never closed there.

    Closing an inherited socket's asyncio transport unregisters it from the epoll instance the
    child shares with its parent, so the parent's pooled connection never reads again: its next
    call hung for the full read timeout (60 s) before the retry.
    """
    _ABANDONED_AFTER_FORK.append(inherited)


class SyncUseInsideEventLoopWarning(UserWarning):
    """The sync API was called from a thread that runs an event loop; it blocks that loop."""


def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Cancel what is left on the loop, stop it and join its thread.

    Used by close() and by the garbage-collection safety net; must not reference the runner.
    """
    if loop.is_closed() or not thread.is_alive():
        return

    async def cancel_rest() -> None:
        current = asyncio.current_task()
        rest = [t for t in asyncio.all_tasks() if t is not current]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)

    try:
        asyncio.run_coroutine_threadsafe(cancel_rest(), loop).result(_STOP_TIMEOUT)
    except (concurrent.futures.TimeoutError, RuntimeError):
        logger.debug("tasks did not finish cancelling before the runner stopped")
    loop.call_soon_threadsafe(loop.stop)
    thread.join(_STOP_TIMEOUT)
    if not thread.is_alive():
        loop.close()


class SyncRunner:
    """Runs coroutines on one long-lived background event loop, started on first use.

    ``on_start`` is awaited on the loop right after it starts (to build loop-bound objects);
    ``on_close`` is awaited on the loop before it stops.
    """

    def __init__(
        self,
        name: str = "pywats-sync",
        on_start: Callable[[], Awaitable[None]] | None = None,
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._name = name
        self._on_start = on_start
        self._on_close = on_close
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._pid: int | None = None
        self._closed = False
        self._warned_inside_loop = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else "running" if self.started else "idle"
        return f"SyncRunner(name={self._name!r}, {state})"

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def started(self) -> bool:
        return self._loop is not None and self._pid == os.getpid()

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        loop = self._loop
        if loop is not None and self._pid == os.getpid():
            return loop
        with self._lock:
            if self._closed:
                raise ClientClosedError("sync WATS client")
            if self._loop is not None and self._pid == os.getpid():
                return self._loop
            if self._loop is not None:
                # A forked child inherited a loop whose thread does not exist here.
                if self._finalizer is not None:
                    self._finalizer.detach()
                _ABANDONED_AFTER_FORK.append((self._loop, self._thread))
                self._loop = self._thread = None
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name=self._name, daemon=True)
            thread.start()
            self._loop, self._thread, self._pid = loop, thread, os.getpid()
            self._finalizer = weakref.finalize(self, _stop_loop, loop, thread)
            if self._on_start is not None:
                on_start = self._on_start
                asyncio.run_coroutine_threadsafe(_awaited(on_start), loop).result()
            return loop

    def _check_caller(self) -> None:
        thread = self._thread
        if thread is not None and threading.current_thread() is thread:
            raise UsageError(
                "the sync WATS client was called from its own event loop thread, which would "
                "deadlock; inside async code (event hooks, callbacks) use AsyncWATS and await it"
            )
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        if not self._warned_inside_loop:
            self._warned_inside_loop = True
            warnings.warn(
                "SyncWATS was called from a thread with a running event loop; each call blocks "
                "that loop until it finishes. In async code use AsyncWATS and await its methods.",
                SyncUseInsideEventLoopWarning,
                stacklevel=4,
            )

    def run(self, func: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run ``await func(*args)`` on the loop and return its result; blocks the caller.

        Ctrl-C (or any BaseException while waiting) cancels the in-flight coroutine.
        """
        if self._closed:
            raise ClientClosedError("sync WATS client")
        self._check_caller()
        loop = self._ensure_started()
        call: _Call[T] = _Call()
        try:
            loop.call_soon_threadsafe(call.start, loop, func, args)
        except RuntimeError:  # the loop was closed under us by a concurrent close()
            raise ClientClosedError("sync WATS client") from None
        try:
            while not call.finished.acquire(timeout=_WAIT_SLICE):
                if self._closed and not loop.is_running():
                    raise ClientClosedError("sync WATS client")  # stopped before it ran
        except BaseException:
            if not loop.is_closed():
                loop.call_soon_threadsafe(call.cancel)
            raise
        return call.outcome(self._closed)

    def iterate(
        self, make_iterator: Callable[[], AsyncIterator[T]], batch: int = 100
    ) -> Iterator[T]:
        """Bridge an async iterator to a sync one, one loop hop per ``batch`` items.

        Breaking out early closes the async iterator on the loop.
        """
        holder: list[AsyncIterator[T]] = []

        async def start() -> None:
            holder.append(make_iterator())

        async def next_batch() -> list[T]:
            items: list[T] = []
            async for item in holder[0]:
                items.append(item)
                if len(items) >= batch:
                    break
            return items

        async def close_it() -> None:
            aclose = getattr(holder[0], "aclose", None)
            if aclose is not None:
                await aclose()

        self.run(start)
        try:
            while True:
                items = self.run(next_batch)
                yield from items
                if len(items) < batch:
                    return
        finally:
            if not self._closed:
                self.run(close_it)

    def close(self) -> None:
        """Run ``on_close`` on the loop, stop the loop thread and join it. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop, thread, finalizer = self._loop, self._thread, self._finalizer
            self._finalizer = None
            if loop is None or thread is None or self._pid != os.getpid():
                return
        if threading.current_thread() is thread:
            raise UsageError("close() cannot be called from the client's own event loop thread")
        try:
            if self._on_close is not None:
                on_close = self._on_close
                future = asyncio.run_coroutine_threadsafe(_awaited(on_close), loop)
                future.result(_STOP_TIMEOUT)
        except Exception:  # closing must not fail because the pool did
            logger.debug("error while closing the async client", exc_info=True)
        finally:
            if finalizer is not None:
                finalizer.detach()
            _stop_loop(loop, thread)


class _Call(Generic[T]):
    """One sync call's trip to the loop and back.

    The caller blocks on a plain lock that the coroutine releases as it finishes: no
    concurrent.futures.Future, condition or extra loop iteration per call, which is most of
    what a hand-off between threads costs.
    """

    __slots__ = ("error", "finished", "result", "task")

    def __init__(self) -> None:
        self.finished = threading.Lock()
        self.finished.acquire()
        self.task: asyncio.Task[None] | None = None
        self.result: T | None = None
        self.error: BaseException | None = None

    def start(
        self,
        loop: asyncio.AbstractEventLoop,
        func: Callable[..., Awaitable[T]],
        args: tuple[Any, ...],
    ) -> None:
        """On the loop: start the coroutine as a task."""
        self.task = loop.create_task(self._drive(func, args))

    async def _drive(self, func: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> None:
        try:
            self.result = await func(*args)
        except BaseException as exc:  # handed to the caller, which re-raises it
            self.error = exc
        finally:
            self.finished.release()

    def cancel(self) -> None:
        """On the loop: the caller gave up (Ctrl-C); stop the coroutine."""
        if self.task is not None:
            self.task.cancel()

    def outcome(self, client_closed: bool) -> T:
        """In the caller: the coroutine's result, or its exception raised here."""
        error, self.error = self.error, None  # no cycle through the traceback
        if error is None:
            return self.result  # type: ignore[return-value]
        if isinstance(error, asyncio.CancelledError):
            if client_closed:
                raise ClientClosedError("sync WATS client") from None
            raise concurrent.futures.CancelledError() from None
        raise error


async def _awaited(func: Callable[[], Awaitable[None]]) -> None:
    # run_coroutine_threadsafe needs a real coroutine; func may return any awaitable.
    await func()
