"""SyncRunner: one background event loop thread that runs the async SDK for sync callers.

One runner per ``SyncWATS``: the ``AsyncWATS`` and its ``httpx.AsyncClient`` are created on the
runner's loop and only used there, so the connection pool survives across calls and threads.
Never ``asyncio.run()`` per call and never one loop per thread: both break pooling.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import threading
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from anyio.from_thread import BlockingPortal, start_blocking_portal

from pywats.errors import ClientClosedError, UsageError

__all__ = ["SyncRunner", "SyncUseInsideEventLoopWarning"]

T = TypeVar("T")
logger = logging.getLogger("pywats.runner")

# Waiting in slices keeps Ctrl-C responsive on platforms where a plain wait is not interruptible.
_WAIT_SLICE = 0.2
_ABANDONED_AFTER_FORK: list[object] = []


class SyncUseInsideEventLoopWarning(UserWarning):
    """The sync API was called from a thread that runs an event loop; it blocks that loop."""


def _stop_portal(context: AbstractContextManager[BlockingPortal], portal: BlockingPortal) -> None:
    """Stop the loop thread; used by close() and by the garbage-collection safety net."""
    with contextlib.suppress(RuntimeError):  # already stopped
        portal.call(portal.stop, True)
    context.__exit__(None, None, None)


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
        self._portal: BlockingPortal | None = None
        self._context: AbstractContextManager[BlockingPortal] | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._thread_id: int | None = None
        self._pid: int | None = None
        self._closed = False
        self._warned_inside_loop = False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def started(self) -> bool:
        return self._portal is not None and self._pid == os.getpid()

    def _ensure_started(self) -> BlockingPortal:
        portal = self._portal
        if portal is not None and self._pid == os.getpid():
            return portal
        with self._lock:
            if self._closed:
                raise ClientClosedError("sync WATS client")
            if self._portal is not None and self._pid == os.getpid():
                return self._portal
            if self._portal is not None:
                # A forked child inherited a runner whose thread does not exist here:
                # drop it untouched and start afresh.
                if self._finalizer is not None:
                    self._finalizer.detach()
                # Keep them referenced forever: if the context were garbage-collected, its
                # cleanup would wait on the parent's loop thread, which does not exist here.
                _ABANDONED_AFTER_FORK.append((self._context, self._portal))
                self._portal = self._context = None
            context = start_blocking_portal("asyncio", name=self._name)
            portal = context.__enter__()
            self._thread_id = portal.call(threading.get_ident)
            self._context, self._portal, self._pid = context, portal, os.getpid()
            self._finalizer = weakref.finalize(self, _stop_portal, context, portal)
            if self._on_start is not None:
                portal.call(self._on_start)
            return portal

    def _check_caller(self) -> None:
        if threading.get_ident() == self._thread_id and self._pid == os.getpid():
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
        portal = self._ensure_started()
        try:
            future = portal.start_task_soon(func, *args)
        except RuntimeError:
            if self._closed:
                raise ClientClosedError("sync WATS client") from None
            raise
        try:
            while True:
                try:
                    return future.result(timeout=_WAIT_SLICE)
                except concurrent.futures.TimeoutError:
                    continue
        except concurrent.futures.CancelledError:
            if self._closed:
                raise ClientClosedError("sync WATS client") from None
            raise
        except BaseException:
            future.cancel()
            raise

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
            iterator = holder[0]
            async for item in iterator:
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
            portal, context, finalizer = self._portal, self._context, self._finalizer
            self._portal = self._context = self._finalizer = None
            if portal is None or context is None or self._pid != os.getpid():
                return
        if threading.get_ident() == self._thread_id:
            raise UsageError("close() cannot be called from the client's own event loop thread")
        try:
            if self._on_close is not None:
                portal.call(self._on_close)
        except Exception:  # closing must not fail because the pool did
            logger.debug("error while closing the async client", exc_info=True)
        finally:
            if finalizer is not None:
                finalizer.detach()
            _stop_portal(context, portal)
