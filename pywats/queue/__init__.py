"""The durable offline report queue: ``wats.report.submit(report, queue=True)`` and ``wats.queue``.

A test station keeps testing while the network or the server is down: a queued report is on
disk (SQLite, WAL, fsync'd) before ``submit`` returns, and a sender delivers it in order, with
backoff, once the server answers. The report's id makes a resend safe (the server replaces by
id). Several processes on one station may share one queue file. ``pywats-queue`` is the CLI.
"""

from .errors import QueueError, QueuePausedError, QueueStorageError
from .queue import (
    QUEUE_ENV,
    AsyncReportQueue,
    DrainResult,
    QueueStatus,
    default_queue_path,
    resolve_queue_path,
)
from .store import DeadLetter, PauseState, QueueCounts, QueueItem, QueueStore
from .sync_queue import SyncReportQueue

__all__ = [
    "QUEUE_ENV",
    "AsyncReportQueue",
    "DeadLetter",
    "DrainResult",
    "PauseState",
    "QueueCounts",
    "QueueError",
    "QueueItem",
    "QueuePausedError",
    "QueueStatus",
    "QueueStorageError",
    "QueueStore",
    "SyncReportQueue",
    "default_queue_path",
    "resolve_queue_path",
]
