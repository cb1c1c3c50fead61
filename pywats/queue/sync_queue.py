"""SyncReportQueue: the blocking twin of AsyncReportQueue (``SyncWATS.queue``)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .queue import AsyncReportQueue, DrainResult, Progress, QueueStatus, resolve_queue_path
from .store import DeadLetter, QueueItem

if TYPE_CHECKING:
    from pywats.sync_client import SyncWATS

__all__ = ["SyncReportQueue"]

T = TypeVar("T")


class SyncReportQueue:
    """See :class:`AsyncReportQueue`. The sender runs on the client's background loop, so
    queued reports are delivered while your script goes on; call :meth:`drain` before exiting
    if they must be delivered by then (otherwise the next run, or ``pywats-queue send``, does).
    """

    def __init__(self, client: SyncWATS, path: str | os.PathLike[str] | None = None) -> None:
        self._client = client
        self._path = path

    def __repr__(self) -> str:
        return f"SyncReportQueue({str(self.path)!r})"

    @property
    def path(self) -> Path:
        return resolve_queue_path(self._path)

    def _queue(self) -> AsyncReportQueue:
        queue: AsyncReportQueue = self._client._async_client().queue
        queue.use_path(self._path)
        return queue

    def _call(self, use: Callable[[AsyncReportQueue], Awaitable[T]]) -> T:
        async def invoke() -> T:
            return await use(self._queue())

        return self._client._runner.run(invoke)

    def bind(self) -> None:
        """Make the client's loop-side queue use this path (done before its first use)."""

        async def bound(queue: AsyncReportQueue) -> None:
            return None

        self._call(bound)

    def status(self) -> QueueStatus:
        return self._call(lambda q: q.status())

    def pending(self) -> list[QueueItem]:
        return self._call(lambda q: q.pending())

    def dead_letters(self) -> list[DeadLetter]:
        return self._call(lambda q: q.dead_letters())

    def get(self, report_id: str) -> tuple[QueueItem, bytes] | None:
        return self._call(lambda q: q.get(report_id))

    def retry(self, report_ids: Sequence[str] | None = None) -> int:
        return self._call(lambda q: q.retry(report_ids))

    def resume(self) -> bool:
        return self._call(lambda q: q.resume())

    def delete(self, report_ids: Sequence[str]) -> int:
        return self._call(lambda q: q.delete(report_ids))

    def start(self) -> None:
        async def start(queue: AsyncReportQueue) -> None:
            queue.start()

        self._call(start)

    def stop(self) -> None:
        self._call(lambda q: q.stop())

    def drain(
        self, timeout: float | None = None, *, progress: Progress | None = None
    ) -> DrainResult:
        return self._call(lambda q: q.drain(timeout, progress=progress))
