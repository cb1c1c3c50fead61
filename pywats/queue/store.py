"""The queue's storage: one SQLite file in WAL mode, shared safely by every process on a station.

Everything here is blocking (SQLite and fsync); the async layer calls it through a worker
thread, never on the event loop.

Durability: the database runs with ``journal_mode=WAL`` and ``synchronous=FULL``, so a commit
returns only after the WAL file has been fsync'd. :meth:`QueueStore.enqueue` commits before it
returns, which is what makes ``submit(report, queue=True)`` survive a ``kill -9`` the moment it
has returned.

Sharing: a sender *claims* the oldest pending item inside ``BEGIN IMMEDIATE`` (one writer at a
time across processes), marks it ``sending`` with its owner (host and pid) and a lease, and
deletes it once the server has acknowledged it. A claim whose owner process is gone (it was
killed) or whose lease ran out is pending again; resending it is safe because the server
replaces a report by its id.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import QueueStorageError

__all__ = [
    "LEASE_SECONDS",
    "DeadLetter",
    "PauseState",
    "QueueCounts",
    "QueueItem",
    "QueueStore",
]

# How long a claim stays valid when its owner cannot be checked (another host on a shared
# disk). A killed owner on this host is noticed at once by its pid.
LEASE_SECONDS = 600.0
# How long one process waits for another that holds the queue's lock.
BUSY_TIMEOUT_SECONDS = 30.0

# The queue objects alive in this process: a claim by this pid under another token is stale.
_LIVE_OWNERS: set[str] = set()

ItemState = Literal["pending", "sending", "dead"]
Format = Literal["WSJF", "WSXF"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS item (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- delivery order
    report_id TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,                    -- 'WSJF' or 'WSXF'
    body BLOB NOT NULL,
    part_number TEXT,
    serial_number TEXT,
    state TEXT NOT NULL DEFAULT 'pending',   -- pending, sending, dead
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    enqueued_at REAL NOT NULL,
    last_attempt_at REAL,
    owner_host TEXT,
    owner_pid INTEGER,
    owner_token TEXT,                        -- which queue object in that process
    lease_until REAL
);
CREATE INDEX IF NOT EXISTS item_state ON item(state, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass(frozen=True)
class QueueItem:
    """One queued report (without its body; see :meth:`QueueStore.body`)."""

    seq: int
    report_id: str
    format: Format
    part_number: str | None
    serial_number: str | None
    state: ItemState
    attempts: int
    last_error: str | None
    enqueued_at: float
    last_attempt_at: float | None
    size: int


@dataclass(frozen=True)
class DeadLetter(QueueItem):
    """A report the server refused; ``last_error`` holds the server's reason."""


@dataclass(frozen=True)
class PauseState:
    """Why the queue is paused (the server refused the token), and since when."""

    reason: str
    status_code: int
    since: float
    token_fingerprint: str


@dataclass(frozen=True)
class QueueCounts:
    pending: int
    sending: int
    dead: int
    delivered: int
    oldest_enqueued_at: float | None


_COLUMNS = (
    "seq, report_id, format, part_number, serial_number, state, attempts, last_error, "
    "enqueued_at, last_attempt_at, length(body) AS size"
)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    try:  # Linux: a killed process its parent has not reaped yet is a zombie, not alive
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL mode, waiting for other processes that are opening it too.

    SQLite answers ``PRAGMA journal_mode=WAL`` with SQLITE_BUSY at once, without calling the
    busy handler, while another connection is opening the same fresh file: two station
    processes starting together would otherwise fail their first submit.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    pause = 0.005
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            if not busy or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"cannot use WAL mode here (got {mode})")


class QueueStore:
    """The blocking SQLite store behind a report queue. Thread-safe; one per process and path.

    ``max_bytes`` caps the database size (``PRAGMA max_page_count``): beyond it an enqueue fails
    with :class:`QueueStorageError`, exactly as a full disk does.
    """

    def __init__(self, path: str | os.PathLike[str], *, max_bytes: int | None = None) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self.host = socket.gethostname()
        self.owner = uuid.uuid4().hex
        _LIVE_OWNERS.add(self.owner)

    # -- connection ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # A connection inherited through fork() must not be used: open our own.
        self._conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                # Reports are factory data: the file (and the -wal/-shm files SQLite makes with
                # the same mode) is readable by this user only, like the config file.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise QueueStorageError(self.path, "open", exc) from exc
        try:
            conn.row_factory = sqlite3.Row
            _enable_wal(conn)
            conn.execute("PRAGMA synchronous=FULL")  # fsync the WAL on every commit
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
            if self.max_bytes is not None:
                page = conn.execute("PRAGMA page_size").fetchone()[0]
                conn.execute(f"PRAGMA max_page_count={max(2, self.max_bytes // page)}")
            conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            conn.close()
            raise QueueStorageError(self.path, "open", exc) from exc
        self._conn = conn
        self._pid = os.getpid()
        return conn

    @contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One write transaction, ``BEGIN IMMEDIATE`` so processes take turns."""
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise QueueStorageError(self.path, action, exc) from exc

    @contextmanager
    def _read(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._connect()
            except sqlite3.Error as exc:
                raise QueueStorageError(self.path, action, exc) from exc

    def close(self) -> None:
        _LIVE_OWNERS.discard(self.owner)
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    # -- writing ------------------------------------------------------------------------------

    def enqueue(
        self,
        report_id: str,
        body: bytes,
        *,
        format: Format = "WSJF",
        part_number: str | None = None,
        serial_number: str | None = None,
    ) -> int:
        """Store a report durably (committed and fsync'd when this returns); its ``seq``.

        A report id already queued is replaced by the new body and goes to the end of the
        queue as pending (the server would replace it by id anyway).
        """
        now = time.time()
        with self._write("store the report") as conn:
            conn.execute("DELETE FROM item WHERE report_id = ?", (report_id,))
            cursor = conn.execute(
                "INSERT INTO item (report_id, format, body, part_number, serial_number, "
                "enqueued_at) VALUES (?, ?, ?, ?, ?, ?)",
                (report_id, format, body, part_number, serial_number, now),
            )
            seq = cursor.lastrowid
        assert seq is not None
        return seq

    def claim(self, *, lease: float = LEASE_SECONDS) -> tuple[QueueItem, bytes] | None:
        """Take the oldest pending report for sending (or a stale claim); None if there is none."""
        now = time.time()
        pid = os.getpid()
        with self._write("claim a report") as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS}, owner_host, owner_pid, owner_token, lease_until FROM item "  # noqa: S608 - only placeholders are joined in
                "WHERE state IN ('pending', 'sending') ORDER BY seq LIMIT 64"
            ).fetchall()
            for row in rows:
                if row["state"] == "sending" and not self._claim_is_stale(row, now, pid):
                    continue
                conn.execute(
                    "UPDATE item SET state = 'sending', owner_host = ?, owner_pid = ?, "
                    "owner_token = ?, lease_until = ?, last_attempt_at = ?, "
                    "attempts = attempts + 1 WHERE seq = ?",
                    (self.host, pid, self.owner, now + lease, now, row["seq"]),
                )
                body = conn.execute(
                    "SELECT body FROM item WHERE seq = ?", (row["seq"],)
                ).fetchone()[0]
                item = _item(row, state="sending", attempts=row["attempts"] + 1)
                return item, bytes(body)
        return None

    def _claim_is_stale(self, row: sqlite3.Row, now: float, pid: int) -> bool:
        if row["lease_until"] is None or row["lease_until"] < now:
            return True
        if row["owner_host"] != self.host:
            return False  # another machine on a shared disk: only its lease tells
        if row["owner_pid"] != pid:
            return not _is_alive(int(row["owner_pid"]))
        return row["owner_token"] not in _LIVE_OWNERS

    def acknowledge(self, seq: int) -> None:
        """The server stored it: remove it from the queue."""
        with self._write("remove a delivered report") as conn:
            deleted = conn.execute("DELETE FROM item WHERE seq = ?", (seq,)).rowcount
            if deleted:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('delivered', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )

    def release(self, seq: int, error: str | None) -> None:
        """Sending failed for a reason that may pass (network, server busy): pending again."""
        with self._write("return a report to the queue") as conn:
            conn.execute(
                "UPDATE item SET state = 'pending', last_error = ?, owner_host = NULL, "
                "owner_pid = NULL, lease_until = NULL WHERE seq = ? AND state = 'sending' "
                "AND owner_token = ?",
                (error, seq, self.owner),
            )

    def release_mine(self) -> None:
        """Give back every claim this queue object holds (a sender stopping)."""
        with self._write("return claimed reports") as conn:
            conn.execute(
                "UPDATE item SET state = 'pending', owner_host = NULL, owner_pid = NULL, "
                "lease_until = NULL WHERE state = 'sending' AND owner_token = ?",
                (self.owner,),
            )

    def kill(self, seq: int, reason: str) -> None:
        """The server refused the report itself: keep it as a dead letter with the reason."""
        with self._write("move a report to the dead letters") as conn:
            conn.execute(
                "UPDATE item SET state = 'dead', last_error = ?, owner_host = NULL, "
                "owner_pid = NULL, lease_until = NULL WHERE seq = ?",
                (reason, seq),
            )

    def retry(self, report_ids: Sequence[str] | None = None) -> int:
        """Dead letters back to pending (all, or those ids); how many."""
        with self._write("retry dead letters") as conn:
            if report_ids is None:
                cursor = conn.execute(
                    "UPDATE item SET state = 'pending', attempts = 0 WHERE state = 'dead'"
                )
            else:
                marks = ",".join("?" * len(report_ids))
                cursor = conn.execute(
                    f"UPDATE item SET state = 'pending', attempts = 0 "  # noqa: S608 - only placeholders are joined in
                    f"WHERE state = 'dead' AND lower(report_id) IN ({marks})",
                    [r.lower() for r in report_ids],
                )
            return cursor.rowcount

    def delete(self, report_ids: Sequence[str]) -> int:
        """Remove reports from the queue for good (not while one is being sent); how many."""
        marks = ",".join("?" * len(report_ids))
        with self._write("delete reports") as conn:
            cursor = conn.execute(
                f"DELETE FROM item WHERE lower(report_id) IN ({marks}) AND state != 'sending'",  # noqa: S608 - only placeholders are joined in
                [r.lower() for r in report_ids],
            )
            return cursor.rowcount

    def pause(self, reason: str, status_code: int, token_fingerprint: str) -> None:
        value = f"{status_code}\t{time.time()}\t{token_fingerprint}\t{reason}"
        with self._write("pause the queue") as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('paused', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (value,),
            )

    def resume(self) -> bool:
        with self._write("resume the queue") as conn:
            return conn.execute("DELETE FROM meta WHERE key = 'paused'").rowcount > 0

    # -- reading ------------------------------------------------------------------------------

    def paused(self) -> PauseState | None:
        with self._read("read the queue state") as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'paused'").fetchone()
        if row is None:
            return None
        code, since, fingerprint, reason = str(row[0]).split("\t", 3)
        return PauseState(reason, int(code), float(since), fingerprint)

    def counts(self) -> QueueCounts:
        now = time.time()
        with self._read("count the queue") as conn:
            rows = conn.execute(
                "SELECT state, owner_host, owner_pid, owner_token, lease_until, enqueued_at "
                "FROM item"
            ).fetchall()
            delivered = conn.execute("SELECT value FROM meta WHERE key = 'delivered'").fetchone()
        pending = sending = dead = 0
        oldest: float | None = None
        pid = os.getpid()
        for row in rows:
            if row["state"] == "dead":
                dead += 1
                continue
            if row["state"] == "sending" and not self._claim_is_stale(row, now, pid):
                sending += 1
            else:
                pending += 1
            if oldest is None or row["enqueued_at"] < oldest:
                oldest = row["enqueued_at"]
        return QueueCounts(pending, sending, dead, int(delivered[0]) if delivered else 0, oldest)

    def items(self, states: Sequence[ItemState] = ("pending", "sending")) -> list[QueueItem]:
        """Queued reports in delivery order. A stale claim (its sender died) reads as pending."""
        marks = ",".join("?" * len(states))
        now = time.time()
        pid = os.getpid()
        with self._read("list the queue") as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS}, owner_host, owner_pid, owner_token, lease_until FROM item "  # noqa: S608 - only placeholders are joined in
                f"WHERE state IN ({marks}) ORDER BY seq",
                list(states),
            ).fetchall()
        found: list[QueueItem] = []
        for row in rows:
            state = row["state"]
            if state == "sending" and self._claim_is_stale(row, now, pid):
                state = "pending"
            if state == "dead":
                found.append(_dead(row))
            else:
                found.append(_item(row, state=state))
        return found

    def body(self, report_id: str) -> tuple[QueueItem, bytes] | None:
        with self._read("read a queued report") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS}, body FROM item WHERE lower(report_id) = ?",  # noqa: S608 - only placeholders are joined in
                (report_id.lower(),),
            ).fetchone()
        if row is None:
            return None
        return (_dead(row) if row["state"] == "dead" else _item(row)), bytes(row["body"])


def _item(row: sqlite3.Row, **changes: object) -> QueueItem:
    values = {
        "seq": row["seq"],
        "report_id": row["report_id"],
        "format": row["format"],
        "part_number": row["part_number"],
        "serial_number": row["serial_number"],
        "state": row["state"],
        "attempts": row["attempts"],
        "last_error": row["last_error"],
        "enqueued_at": row["enqueued_at"],
        "last_attempt_at": row["last_attempt_at"],
        "size": row["size"],
    }
    values.update(changes)
    return QueueItem(**values)


def _dead(row: sqlite3.Row) -> DeadLetter:
    item = _item(row)
    return DeadLetter(**item.__dict__)
