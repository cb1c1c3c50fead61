"""AsyncReportQueue: durable offline submission, with a sender that delivers in the background.

``wats.report.submit(report, queue=True)`` stores the report here and returns once it is on disk;
the sender posts queued reports in order whenever the server answers:

* delivered (2xx): removed from the queue;
* refused (400, 413, 422): kept as a dead letter with the server's reason, never dropped;
* token refused (401, 403): the whole queue pauses, with the reason, until ``resume()`` (or a
  client with another token starts sending);
* anything else (not reached, timed out, 5xx, 429...): back in the queue, retried with
  exponential backoff.

All SQLite work runs in a worker thread; the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import platformdirs

from pywats.errors import (
    ClientClosedError,
    ReportFormatError,
    WATSAuthenticationError,
    WATSPermissionError,
    WATSStatusError,
)

from .errors import QueueError, QueuePausedError
from .store import DeadLetter, PauseState, QueueItem, QueueStore

if TYPE_CHECKING:
    from pywats.domains.report.repository import ReportRepository

__all__ = [
    "QUEUE_ENV",
    "AsyncReportQueue",
    "DrainResult",
    "QueueStatus",
    "default_queue_path",
    "resolve_queue_path",
]

QUEUE_ENV = "WATS_QUEUE"
# Statuses meaning "this report will never be accepted as it is".
_REFUSED = frozenset({400, 413, 415, 422})
T = TypeVar("T")


def default_queue_path() -> Path:
    """The queue file in the user data directory (``~/.local/share/pywats`` on Linux)."""
    return platformdirs.user_data_path("pywats", appauthor=False) / "report-queue.sqlite3"


def resolve_queue_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``path`` if given, else ``WATS_QUEUE``, else :func:`default_queue_path`."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = os.environ.get(QUEUE_ENV, "").strip()
    return Path(env).expanduser() if env else default_queue_path()


@dataclass(frozen=True)
class QueueStatus:
    """A snapshot of the queue. ``state`` is ``"idle"`` (nothing to send), ``"pending"``
    (reports wait and no sender runs here), ``"sending"``, ``"waiting"`` (the server could not
    be reached; retrying with backoff) or ``"paused"`` (the server refused the token)."""

    path: Path
    state: Literal["idle", "pending", "sending", "waiting", "paused"]
    pending: int
    sending: int
    dead: int
    delivered: int
    oldest_enqueued_at: float | None
    paused: PauseState | None
    last_error: str | None
    sender_running: bool

    @property
    def waiting(self) -> int:
        """Reports not yet delivered (pending or being sent)."""
        return self.pending + self.sending


@dataclass(frozen=True)
class DrainResult:
    """What :meth:`AsyncReportQueue.drain` did: ``remaining`` is 0 when the queue is empty."""

    sent: int
    dead: int
    remaining: int
    paused: PauseState | None = None

    @property
    def empty(self) -> bool:
        return self.remaining == 0


Progress = Callable[[int, int], Any]  # (done, total)


class AsyncReportQueue:
    """The durable report queue of one client (``wats.queue``).

    The file opens on first use; a client that never queues a report never creates it.
    """

    def __init__(
        self,
        repository: ReportRepository,
        *,
        path: str | os.PathLike[str] | None = None,
        token_fingerprint: str = "",
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        poll_interval: float = 2.0,
        max_bytes: int | None = None,
    ) -> None:
        self._repo = repository
        self._path_arg = path
        if not token_fingerprint and isinstance(getattr(repository, "token", None), str):
            token_fingerprint = self.fingerprint(repository.token)
        self._fingerprint = token_fingerprint
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.poll_interval = poll_interval
        self.max_bytes = max_bytes
        self._store: QueueStore | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failures = 0
        self._last_error: str | None = None
        self._waiting_for_server = False
        self._closed = False
        self._sent = 0
        self._dead = 0

    @classmethod
    def fingerprint(cls, token: str) -> str:
        """A short hash of a token, stored with a pause (never the token itself)."""
        return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]

    # -- the file -----------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._store.path if self._store is not None else resolve_queue_path(self._path_arg)

    def use_path(self, path: str | os.PathLike[str] | None) -> None:
        """Point the queue at another file (only before it is first used)."""
        if self._store is not None:
            if path is not None and Path(path) != self._store.path:
                raise QueueError(f"the queue is already open at {self._store.path}")
            return
        self._path_arg = path

    @property
    def store(self) -> QueueStore:
        if self._store is None:
            self._store = QueueStore(resolve_queue_path(self._path_arg), max_bytes=self.max_bytes)
        return self._store

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(function, *args)

    # -- enqueueing ---------------------------------------------------------------------------

    async def enqueue(
        self,
        report_id: str,
        body: bytes,
        *,
        format: Literal["WSJF", "WSXF"] = "WSJF",
        part_number: str | None = None,
        serial_number: str | None = None,
        start_sender: bool = True,
    ) -> str:
        """Store an already checked report durably; returns its id once it is on disk.

        Raises :class:`~pywats.queue.QueueStorageError` (full disk, read-only file...) when it
        could not be stored; it never fails because the server is unreachable.
        """
        if self._closed:
            raise ClientClosedError("report queue")
        store = self.store
        await self._run(
            lambda: store.enqueue(
                report_id,
                body,
                format=format,
                part_number=part_number,
                serial_number=serial_number,
            )
        )
        if start_sender:
            self.start()
        self._notify()
        return report_id

    # -- reading ------------------------------------------------------------------------------

    async def status(self) -> QueueStatus:
        store = self.store
        counts = await self._run(store.counts)
        paused = await self._run(store.paused)
        state: Literal["idle", "pending", "sending", "waiting", "paused"]
        if paused is not None:
            state = "paused"
        elif counts.pending + counts.sending == 0:
            state = "idle"
        elif self._waiting_for_server and self.running:
            state = "waiting"
        elif counts.sending or self.running:
            state = "sending"
        else:
            state = "pending"  # nothing sends it in this process (another one may)
        return QueueStatus(
            path=store.path,
            state=state,
            pending=counts.pending,
            sending=counts.sending,
            dead=counts.dead,
            delivered=counts.delivered,
            oldest_enqueued_at=counts.oldest_enqueued_at,
            paused=paused,
            last_error=self._last_error,
            sender_running=self.running,
        )

    async def pending(self) -> list[QueueItem]:
        """Reports waiting to be delivered (and those being sent), in delivery order."""
        store = self.store
        return await self._run(store.items)

    async def dead_letters(self) -> list[DeadLetter]:
        """Reports the server refused, each with the server's reason in ``last_error``."""
        store = self.store
        items = await self._run(lambda: store.items(("dead",)))
        return [item for item in items if isinstance(item, DeadLetter)]

    async def get(self, report_id: str) -> tuple[QueueItem, bytes] | None:
        """A queued report and its body (WSJF or WSXF bytes, see ``item.format``)."""
        store = self.store
        return await self._run(store.body, report_id)

    # -- changing -----------------------------------------------------------------------------

    async def retry(self, report_ids: Sequence[str] | None = None) -> int:
        """Send dead letters again (all, or these ids); also lifts a pause. How many."""
        store = self.store
        count = await self._run(store.retry, list(report_ids) if report_ids is not None else None)
        await self._run(store.resume)
        self._failures = 0
        self._notify()
        return count

    async def resume(self) -> bool:
        """Lift a pause (after fixing the token); True if the queue was paused."""
        store = self.store
        was = await self._run(store.resume)
        self._failures = 0
        self._notify()
        return was

    async def delete(self, report_ids: Sequence[str]) -> int:
        """Remove reports from the queue for good; a report being sent is left alone."""
        store = self.store
        return await self._run(store.delete, list(report_ids))

    # -- the sender ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the background sender on the running event loop (idempotent)."""
        if self._closed or self.running:
            return
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._wake is None:
            self._wake = asyncio.Event()
            self._loop = loop
        self._task = loop.create_task(self._sender(), name="pywats-report-queue")

    def _notify(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def _wait(self, seconds: float) -> None:
        if self._wake is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    async def _pause_applies(self) -> PauseState | None:
        store = self.store
        paused = await self._run(store.paused)
        if paused is None:
            return None
        if self._fingerprint and paused.token_fingerprint != self._fingerprint:
            # Another token than the one refused: try it.
            await self._run(store.resume)
            return None
        return paused

    async def _sender(self) -> None:
        store = self.store
        try:
            while not self._closed and not getattr(self._repo, "closed", False):
                if await self._pause_applies() is not None:
                    await self._wait(self.poll_interval)
                    continue
                outcome = await self.send_one()
                if outcome == "empty":
                    self._waiting_for_server = False
                    await self._wait(self.poll_interval)
                elif outcome == "retry":
                    self._waiting_for_server = True
                    delay = min(self.backoff_max, self.backoff_initial * 2 ** (self._failures - 1))
                    await asyncio.sleep(delay * (0.75 + 0.25 * random.random()))
                elif outcome == "closed":
                    return
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._run(store.release_mine))

    async def send_one(self) -> Literal["sent", "dead", "retry", "paused", "empty", "closed"]:
        """Claim the oldest pending report and post it once; what happened."""
        store = self.store
        claimed = await self._run(store.claim)
        if claimed is None:
            return "empty"
        item, body = claimed
        try:
            if item.format == "WSXF":
                await self._repo.post_wsxf(body)
            else:
                await self._repo.post_wsjf(body.decode("utf-8"))
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._run(store.release, item.seq, None))
            raise
        except ClientClosedError:
            await self._run(store.release, item.seq, None)
            return "closed"
        except (WATSAuthenticationError, WATSPermissionError) as exc:
            reason = exc.server_message or str(exc)
            await self._run(store.release, item.seq, f"paused: {reason}")
            await self._run(store.pause, reason, exc.status_code, self._fingerprint)
            self._last_error = str(exc)
            return "paused"
        except WATSStatusError as exc:
            if exc.status_code in _REFUSED:
                await self._run(store.kill, item.seq, exc.server_message or str(exc))
                self._dead += 1
                self._failures = 0
                return "dead"
            return await self._retry_later(item, exc)
        except ReportFormatError as exc:
            await self._run(store.kill, item.seq, f"not a valid report: {exc}")
            self._dead += 1
            return "dead"
        except Exception as exc:  # not reached, timed out, unexpected answer: try again later
            return await self._retry_later(item, exc)
        await self._run(store.acknowledge, item.seq)
        self._failures = 0
        self._last_error = None
        self._waiting_for_server = False
        self._sent += 1
        return "sent"

    async def _retry_later(self, item: QueueItem, exc: Exception) -> Literal["retry"]:
        self._failures += 1
        self._last_error = str(exc) or type(exc).__name__
        await self._run(self.store.release, item.seq, self._last_error)
        return "retry"

    async def drain(
        self, timeout: float | None = None, *, progress: Progress | None = None
    ) -> DrainResult:
        """Send until nothing is pending (dead letters do not count) or ``timeout`` passes.

        Works whether or not the background sender runs (it is started). Raises
        :class:`QueuePausedError` if the server refuses the token. ``progress(done, total)``
        is called as reports leave the queue.
        """
        self.start()
        self._notify()
        store = self.store
        start_sent, start_dead = self._sent, self._dead
        first = await self._run(store.counts)
        total = first.pending + first.sending
        deadline = None if timeout is None else time.monotonic() + timeout
        last_done = -1
        while True:
            counts = await self._run(store.counts)
            remaining = counts.pending + counts.sending
            total = max(total, remaining)
            done = total - remaining
            if progress is not None and done != last_done:
                progress(done, total)
                last_done = done
            paused = await self._pause_applies()
            if paused is not None:
                raise QueuePausedError(paused.reason, paused.status_code)
            if remaining == 0 or (deadline is not None and time.monotonic() >= deadline):
                return DrainResult(
                    sent=self._sent - start_sent,
                    dead=self._dead - start_dead,
                    remaining=remaining,
                )
            if not self.running:
                self.start()
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """Stop the background sender (a report being sent goes back to the queue)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def aclose(self) -> None:
        """Stop the sender and close the file. Queued reports stay on disk."""
        await self.stop()
        self._closed = True
        if self._store is not None:
            await self._run(self._store.close)
