"""Errors of the offline report queue."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pywats.errors import WATSError

__all__ = ["QueueError", "QueuePausedError", "QueueStorageError"]


class QueueError(WATSError):
    """Base class of the queue's errors."""


def _explain(exc: BaseException) -> str:
    text = str(exc)
    lowered = text.lower()
    if "full" in lowered:
        return "the disk (or the queue's size limit) is full; free space, then try again"
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return "the queue file or its folder is read-only; fix its permissions or set queue_path"
    if "unable to open" in lowered or isinstance(exc, OSError):
        return "the queue file cannot be opened or created there; check the path (queue_path)"
    if "locked" in lowered or "busy" in lowered:
        return "another process held the queue's lock for longer than the 30 s this one waits"
    if isinstance(exc, sqlite3.DatabaseError) and "malformed" in lowered:
        return "the queue file is damaged"
    return text


class QueueStorageError(QueueError):
    """The queue's file could not be written or read. Raised by ``submit(..., queue=True)``
    before it returns: the report was NOT stored, so the caller still holds the only copy."""

    def __init__(self, path: Path, action: str, cause: BaseException) -> None:
        self.path = path
        self.action = action
        self.cause = cause
        super().__init__(f"cannot {action} in the report queue {path}: {_explain(cause)} ({cause})")


class QueuePausedError(QueueError):
    """The server refused the token (401/403): the queue waits until it is resumed."""

    def __init__(self, reason: str, status_code: int) -> None:
        self.reason = reason
        self.status_code = status_code
        super().__init__(
            f"the report queue is paused: the server answered {status_code} ({reason}); "
            "fix the token, then resume the queue (pywats-queue send, or queue.resume())"
        )
