"""SQLite storage shared by every emulator domain.

One connection per emulator. Handlers run on one event loop, but the sync SDK
runner and test threads may share an in-process app, so access is serialised
with a lock instead of relying on sqlite3's same-thread check.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .errors import BadRequest

Params = Sequence[Any] | dict[str, Any]

_META_DDL = "CREATE TABLE IF NOT EXISTS emulator_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

# The WATS server compares text under SQL Server's case-insensitive collation. SQLite's own
# NOCASE folds ASCII only, so OData filters use these, which fold all of Unicode ("Ø" = "ø").
CASELESS = "wats_caseless"  # a collation: COLLATE wats_caseless
FOLD = "wats_fold"  # a function: wats_fold(text)


SqlValue = str | bytes | int | float | None


def masked_insert_sql(table: str, columns: Sequence[str]) -> str:
    """An INSERT for rows made by `mask_nulls`: NULLs come from a bit mask, not from None.

    Python's sqlite3 binds None through its adapter lookup, about five times what an int or
    a str costs; a seed binds millions of them. Bit i of the last parameter makes column i
    NULL (the value bound for it is ignored), so a row binds only ints, floats and text.
    """
    if len(columns) > 62:
        raise ValueError("a masked INSERT takes at most 62 columns")
    last = len(columns) + 1
    values = ", ".join(
        f"CASE WHEN ?{last} & {1 << i} THEN NULL ELSE ?{i + 1} END" for i in range(len(columns))
    )
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608


def mask_nulls(row: Sequence[Any]) -> tuple[Any, ...]:
    """`row` for `masked_insert_sql`: each None becomes 0 and sets its bit in a final mask."""
    mask = 0
    values = list(row)
    for index, value in enumerate(values):
        if value is None:
            mask |= 1 << index
            values[index] = 0
    values.append(mask)
    return tuple(values)


def _fold(value: SqlValue) -> SqlValue:
    return value.casefold() if isinstance(value, str) else value


def _caseless(left: str, right: str) -> int:
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)


def _upper(value: SqlValue) -> SqlValue:
    return value.upper() if isinstance(value, str) else value


def _lower(value: SqlValue) -> SqlValue:
    return value.lower() if isinstance(value, str) else value


@contextmanager
def _in_range() -> Iterator[None]:
    """A backstop behind `params`: an integer parameter outside SQLite's 64 bits is the
    client's number, so a 400, never a 500 (handlers should have refused it by name)."""
    try:
        yield
    except OverflowError:
        raise BadRequest(
            "A number in the request is outside the server's 64-bit integer range."
        ) from None


class Storage:
    """A thin, typed wrapper over one sqlite3 connection."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or ":memory:"
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.create_collation(CASELESS, _caseless)
        self._conn.create_function(FOLD, 1, _fold, deterministic=True)
        self._conn.create_function("wats_upper", 1, _upper, deterministic=True)
        self._conn.create_function("wats_lower", 1, _lower, deterministic=True)
        self._conn.execute("PRAGMA foreign_keys = ON")
        if path:
            # A file database is for keeping data between runs, not for speed.
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute(_META_DDL)

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for callers that need sqlite3 features directly."""
        return self._conn

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with self._lock, _in_range():
            return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> sqlite3.Cursor:
        with self._lock, _in_range():
            return self._conn.executemany(sql, rows)

    def executescript(self, script: str) -> None:
        with self._lock:
            self._conn.executescript(script)

    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        with self._lock, _in_range():
            return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        with self._lock, _in_range():
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; seeding thousands of rows is also much faster this way.

        Nested use joins the outer transaction, so helpers shared by seeds (which already
        run in one) and handlers can use it freely.
        """
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        value = self.scalar("SELECT value FROM emulator_meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO emulator_meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def load_image(self, image: bytes) -> None:
        """Replace the whole database with a serialized one (``sqlite3`` ``serialize()``).

        Atomic for everyone using this Storage: a request sees the old data or the new.
        """
        with self._lock:
            self._conn.deserialize(image)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
