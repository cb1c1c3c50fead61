"""The step index: one row per step (and per numeric measurement) of every stored test report.

Step statistics need the steps inside each report's WSJF body. ``analytics_step`` holds them
as columns, so top-failed steps, step analysis and measurement statistics are SQL aggregates.
Reports saved through the report domain's ``ReportBatch`` (the seed and the API alike) are
indexed as they are saved, from the report dict in hand (``StepIndexer``), so no body is
parsed again. The table also follows the report table by its ``time_stamp`` (which grows with
every save): each query first indexes any report saved since the last one that has no rows
yet, so a report stored some other way counts at once too. A replaced report (same id) drops
its old rows; rows are always joined back to ``report`` on id and time stamp, so a deleted or
replaced report never counts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ...storage import Storage, masked_insert_sql
from ..report import store as report_store

__all__ = ["SCHEMA", "SEP", "StepIndexer", "sync_index"]

SEP = "\u00b6"  # ¶, the API's step path separator

STEP_INDEXES = """
CREATE INDEX IF NOT EXISTS analytics_step_report ON analytics_step(report_uuid);
CREATE INDEX IF NOT EXISTS analytics_step_meas ON analytics_step(meas_path);
CREATE INDEX IF NOT EXISTS analytics_step_failed ON analytics_step(report_uuid)
    WHERE caused_failure = 1;
"""
_STEP_INDEX_NAMES = ("analytics_step_report", "analytics_step_meas", "analytics_step_failed")

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS analytics_step (
    report_uuid TEXT NOT NULL,
    time_stamp INTEGER NOT NULL,
    step_id INTEGER,
    step_path TEXT NOT NULL,              -- names joined with the pilcrow, root included
    step_name TEXT,
    step_type TEXT,
    step_group TEXT,
    status TEXT,                          -- the step's WSJF status code
    caused_failure INTEGER NOT NULL DEFAULT 0,
    tot_time REAL,
    meas_index INTEGER,                   -- NULL: the step row; 0..n: a numeric measurement
    meas_name TEXT,
    meas_path TEXT,                       -- step_path, or step_path + two pilcrows + name
    value REAL,
    low REAL,
    high REAL,
    comp_op TEXT,
    unit TEXT,
    meas_status TEXT
);
"""
    + STEP_INDEXES
    + """-- The test reports' header columns without their bodies, each with its unit's last result:
-- yield reads this narrow table instead of the report rows (bodies inline) and a lookup per
-- unit. A unit (serial, part, process) is rewritten whole whenever one of its reports arrives,
-- since a new run renumbers the others.
CREATE TABLE IF NOT EXISTS analytics_run (
    uuid TEXT PRIMARY KEY,
    time_stamp INTEGER NOT NULL,
    report_type TEXT NOT NULL,
    serial_number TEXT NOT NULL COLLATE NOCASE,
    part_number TEXT NOT NULL COLLATE NOCASE,
    revision TEXT,
    process_code INTEGER,
    result TEXT,
    station_name TEXT,
    location TEXT,
    purpose TEXT,
    start_utc TEXT NOT NULL,
    user_name TEXT,
    batch_number TEXT,
    sw_filename TEXT,
    sw_version TEXT,
    fixture_id TEXT,
    test_socket_index INTEGER,
    error_code INTEGER,
    caused_uut_failure TEXT,
    caused_uut_failure_path TEXT,
    run INTEGER NOT NULL,
    passed_in_run INTEGER,
    last_result TEXT
);
CREATE INDEX IF NOT EXISTS analytics_run_unit
    ON analytics_run(serial_number, part_number, process_code);
-- Yield by part number and day (the dashboard's and the Yield screen's default) reads this
-- in group order, every column it sums included: no table lookups and no sort for GROUP BY.
-- The expression is period_sql's for days, character for character, so SQLite matches it.
CREATE INDEX IF NOT EXISTS analytics_run_part_day
    ON analytics_run(part_number, substr(start_utc, 1, 10), report_type, start_utc, run,
                     passed_in_run, last_result, result);
CREATE TABLE IF NOT EXISTS analytics_index_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    high_water INTEGER NOT NULL
);
"""
)

_RUN_COLUMNS = (
    "uuid, time_stamp, report_type, serial_number, part_number, revision, process_code, "
    "result, station_name, location, purpose, start_utc, user_name, batch_number, "
    "sw_filename, sw_version, fixture_id, test_socket_index, error_code, caused_uut_failure, "
    "caused_uut_failure_path, run, passed_in_run"
)
_RUN_SELECT = (
    f"INSERT INTO analytics_run ({_RUN_COLUMNS}, last_result) "  # noqa: S608 - constants
    f"SELECT {_RUN_COLUMNS}, LAST_VALUE(result) OVER (PARTITION BY serial_number, "
    "part_number, process_code ORDER BY run ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
    "FOLLOWING) FROM report WHERE report_type = 'T'"
)
_BULK = 500  # more new reports than this: rebuild analytics_run in one statement

_STEP_COLUMNS = (
    "report_uuid", "time_stamp", "step_id", "step_path", "step_name", "step_type", "step_group",
    "status", "caused_failure", "tot_time", "meas_index", "meas_name", "meas_path", "value",
    "low", "high", "comp_op", "unit", "meas_status",
)  # fmt: skip
# Rows from _rows: NULLs by bit mask (storage.masked_insert_sql), the last value of each row.
_INSERT = masked_insert_sql("analytics_step", _STEP_COLUMNS)
# A step row: no measurement, so these columns are NULL (meas_path is the step's path).
_STEP_ROW_NULLS = sum(1 << _STEP_COLUMNS.index(name) for name in (
    "meas_index", "meas_name", "value", "low", "high", "comp_op", "unit", "meas_status",
))  # fmt: skip
_BIT = {name: 1 << index for index, name in enumerate(_STEP_COLUMNS)}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _rows(uuid: str, time_stamp: int, body: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The analytics_step rows of one test report, for ``_INSERT`` (None as mask bits)."""
    root = body.get("root")
    if not isinstance(root, dict):
        return []
    wanted = (body.get("uut") or {}).get("stepIdCausedUUTFailure")
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    stack: list[tuple[dict[str, Any], str]] = [(root, "")]
    b_id, b_type, b_group, b_status, b_time = (
        _BIT["step_id"], _BIT["step_type"], _BIT["step_group"], _BIT["status"], _BIT["tot_time"],
    )  # fmt: skip
    b_name, b_value, b_low, b_high = _BIT["meas_name"], _BIT["value"], _BIT["low"], _BIT["high"]
    b_op, b_unit, b_meas_status = _BIT["comp_op"], _BIT["unit"], _BIT["meas_status"]
    while stack:
        step, parent = stack.pop()
        get = step.get
        name = str(get("name") or "")
        path = f"{parent}{SEP}{name}" if parent else name
        step_id = get("id")
        caused = get("causedUUTFailure") is True or (wanted is not None and step_id == wanted)
        step_type, group, status = get("stepType"), get("group"), get("status")
        tot_time: Any = get("totTime")
        if type(tot_time) is not float:  # _number only when needed: 1/3 million steps a seed
            tot_time = _number(tot_time)
        mask = 0
        if step_id is None:
            mask, step_id = b_id, 0
        if step_type is None:
            mask, step_type = mask | b_type, 0
        if group is None:
            mask, group = mask | b_group, 0
        if status is None:
            mask, status = mask | b_status, 0
        if tot_time is None:
            mask, tot_time = mask | b_time, 0
        common = (
            uuid, time_stamp, step_id, path, name, step_type, group, status, int(caused), tot_time,
        )  # fmt: skip
        append((*common, 0, 0, path, 0, 0, 0, 0, 0, 0, mask | _STEP_ROW_NULLS))
        measurements = get("numericMeas")
        if measurements:
            many = len(measurements) > 1
            for index, meas in enumerate(measurements):
                if not isinstance(meas, dict):
                    continue
                meas_name = meas.get("name")
                meas_path = f"{path}{SEP}{SEP}{meas_name}" if many and meas_name else path
                value, low, high = meas.get("value"), meas.get("lowLimit"), meas.get("highLimit")
                if type(value) is not float:
                    value = _number(value)
                if type(low) is not float:
                    low = _number(low)
                if type(high) is not float:
                    high = _number(high)
                comp_op, unit, meas_status = (
                    meas.get("compOp"),
                    meas.get("unit"),
                    meas.get("status"),
                )
                bits = mask
                if meas_name is None:
                    bits, meas_name = bits | b_name, 0
                if value is None:
                    bits, value = bits | b_value, 0
                if low is None:
                    bits, low = bits | b_low, 0
                if high is None:
                    bits, high = bits | b_high, 0
                if comp_op is None:
                    bits, comp_op = bits | b_op, 0
                if unit is None:
                    bits, unit = bits | b_unit, 0
                if meas_status is None:
                    bits, meas_status = bits | b_meas_status, 0
                append(
                    (*common, index, meas_name, meas_path, value, low, high, comp_op, unit,
                     meas_status, bits)
                )  # fmt: skip
        children = get("steps")
        if children:
            stack.extend((child, path) for child in reversed(children) if isinstance(child, dict))
    return rows


class StepIndexer:
    """Indexes each test report as the report domain saves it (``report.store.INDEXERS``).

    A seed writing thousands of reports into an empty table drops the table's indexes and
    builds them once at the end (sorting once is several times cheaper than keeping three
    B-trees ordered through a third of a million inserts); it all happens in the seed's
    transaction, so a failure leaves the indexes as they were.
    """

    BULK_ROWS = 5000

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self._dropped = False
        self._checked = False

    @classmethod
    def for_store(cls, store: Storage) -> StepIndexer | None:
        exists = store.scalar(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'analytics_step'"
        )
        return cls() if exists else None

    def add(self, report_id: str, time_stamp: int, report: dict[str, Any]) -> None:
        if report.get("type") == "T":
            self.rows.extend(_rows(report_id, time_stamp, report))

    def drop(self, report_id: str) -> None:
        self.rows = [row for row in self.rows if row[0] != report_id]

    def flush(self, conn: sqlite3.Connection, *, replaced: Sequence[str], final: bool) -> None:
        if not self._checked:
            self._checked = True
            if (
                len(self.rows) >= self.BULK_ROWS
                and not conn.execute("SELECT 1 FROM analytics_step LIMIT 1").fetchone()
            ):
                for name in _STEP_INDEX_NAMES:
                    conn.execute(f"DROP INDEX IF EXISTS {name}")
                self._dropped = True
        conn.executemany(
            "DELETE FROM analytics_step WHERE report_uuid = ?", [(uuid,) for uuid in replaced]
        )
        conn.executemany(_INSERT, self.rows)
        self.rows = []
        if final and self._dropped:
            _create_indexes(conn)
            self._dropped = False


def _create_indexes(conn: sqlite3.Connection) -> None:
    for statement in STEP_INDEXES.split(";"):
        if statement.strip():
            conn.execute(statement)


report_store.INDEXERS.append(StepIndexer.for_store)


# How sync_index reads a stored body (a name of its own, so tests can count the parses).
_load_body = json.loads


def sync_index(store: Storage, *, batch: int = 2000) -> None:
    """Index every test report saved since the last call that is not indexed yet."""
    with store.transaction() as conn:
        high = conn.execute("SELECT high_water FROM analytics_index_state WHERE id = 1").fetchone()
        high_water = int(high[0]) if high else 0
        newest = conn.execute("SELECT COALESCE(MAX(time_stamp), 0) FROM report").fetchone()[0]
        if newest <= high_water:
            return
        _create_indexes(conn)  # a no-op unless a seed was cut short before it rebuilt them
        pending = conn.execute(
            "SELECT COUNT(*) FROM report WHERE time_stamp > ?", (high_water,)
        ).fetchone()[0]
        rebuild = pending > _BULK
        while True:
            # Reports saved through ReportBatch have their rows already: no body to parse.
            reports = conn.execute(
                "SELECT uuid, time_stamp, report_type, CASE WHEN report_type = 'T' AND NOT EXISTS "
                "(SELECT 1 FROM analytics_step s WHERE s.report_uuid = report.uuid "
                "AND s.time_stamp = report.time_stamp) THEN body END "
                "FROM report WHERE time_stamp > ? ORDER BY time_stamp LIMIT ?",
                (high_water, batch),
            ).fetchall()
            if not reports:
                break
            unindexed = [row for row in reports if row[3] is not None]
            conn.executemany(
                "DELETE FROM analytics_step WHERE report_uuid = ?", [(row[0],) for row in unindexed]
            )
            rows: list[tuple[Any, ...]] = []
            for uuid, time_stamp, _, body in unindexed:
                rows.extend(_rows(uuid, time_stamp, _load_body(body)))
            conn.executemany(_INSERT, rows)
            if not rebuild:
                _sync_runs(conn, [row[0] for row in reports], rebuild=False)
            high_water = int(reports[-1][1])
        if rebuild:
            _sync_runs(conn, [], rebuild=True)
        conn.execute(
            "INSERT INTO analytics_index_state (id, high_water) VALUES (1, ?) "
            "ON CONFLICT(id) DO UPDATE SET high_water = excluded.high_water",
            (high_water,),
        )


def _sync_runs(conn: sqlite3.Connection, uuids: list[str], *, rebuild: bool) -> None:
    """Rewrite the units these reports belong to (before and after) in analytics_run."""
    if rebuild:
        conn.execute("DELETE FROM analytics_run")
        conn.execute(_RUN_SELECT)
        return
    keys: set[tuple[Any, Any, Any]] = set()
    for uuid in uuids:
        for table in ("analytics_run", "report"):
            row = conn.execute(
                f"SELECT serial_number, part_number, process_code FROM {table} "  # noqa: S608
                "WHERE uuid = ? AND report_type = 'T'",
                (uuid,),
            ).fetchone()
            if row is not None:
                keys.add((str(row[0]).lower(), str(row[1]).lower(), row[2]))
    unit = "serial_number = ? AND part_number = ? AND process_code IS ?"
    for key in keys:
        conn.execute(f"DELETE FROM analytics_run WHERE {unit}", key)  # noqa: S608
        conn.execute(f"{_RUN_SELECT} AND {unit}", key)
    conn.executemany(
        "DELETE FROM analytics_run WHERE uuid = ? AND uuid NOT IN (SELECT uuid FROM report)",
        [(uuid,) for uuid in uuids],
    )
