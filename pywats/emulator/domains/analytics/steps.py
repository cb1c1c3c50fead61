"""The step index: one row per step (and per numeric measurement) of every stored test report.

Step statistics need the steps inside each report's WSJF body. ``analytics_step`` holds them
as columns, so top-failed steps, step analysis and measurement statistics are SQL aggregates.
It follows the report table by its ``time_stamp`` (which grows with every save): each query
first indexes the reports saved since the last one, so a report submitted through the API
counts at once. A replaced report (same id) drops its old rows; rows are always joined back
to ``report`` on id and time stamp, so a deleted or replaced report never counts.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ...storage import Storage

__all__ = ["SCHEMA", "SEP", "sync_index"]

SEP = "\u00b6"  # ¶, the API's step path separator

SCHEMA = """
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
CREATE INDEX IF NOT EXISTS analytics_step_report ON analytics_step(report_uuid);
CREATE INDEX IF NOT EXISTS analytics_step_meas ON analytics_step(meas_path);
CREATE INDEX IF NOT EXISTS analytics_step_failed ON analytics_step(report_uuid)
    WHERE caused_failure = 1;
-- The test reports' header columns without their bodies, each with its unit's last result:
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
CREATE TABLE IF NOT EXISTS analytics_index_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    high_water INTEGER NOT NULL
);
"""

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

_INSERT = (
    "INSERT INTO analytics_step (report_uuid, time_stamp, step_id, step_path, step_name, "
    "step_type, step_group, status, caused_failure, tot_time, meas_index, meas_name, "
    "meas_path, value, low, high, comp_op, unit, meas_status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _rows(uuid: str, time_stamp: int, body: dict[str, Any]) -> list[tuple[Any, ...]]:
    root = body.get("root")
    if not isinstance(root, dict):
        return []
    wanted = (body.get("uut") or {}).get("stepIdCausedUUTFailure")
    rows: list[tuple[Any, ...]] = []
    stack: list[tuple[dict[str, Any], str]] = [(root, "")]
    while stack:
        step, parent = stack.pop()
        name = str(step.get("name") or "")
        path = f"{parent}{SEP}{name}" if parent else name
        caused = step.get("causedUUTFailure") is True or (
            wanted is not None and step.get("id") == wanted
        )
        common = (
            uuid, time_stamp, step.get("id"), path, name, step.get("stepType"),
            step.get("group"), step.get("status"), int(caused), _number(step.get("totTime")),
        )  # fmt: skip
        rows.append((*common, None, None, path, None, None, None, None, None, None))
        measurements = step.get("numericMeas") or []
        many = len(measurements) > 1
        for index, meas in enumerate(measurements):
            if not isinstance(meas, dict):
                continue
            meas_name = meas.get("name")
            meas_path = f"{path}{SEP}{SEP}{meas_name}" if many and meas_name else path
            rows.append(
                (
                    *common,
                    index,
                    meas_name,
                    meas_path,
                    _number(meas.get("value")),
                    _number(meas.get("lowLimit")),
                    _number(meas.get("highLimit")),
                    meas.get("compOp"),
                    meas.get("unit"),
                    meas.get("status"),
                )
            )
        children = step.get("steps") or []
        stack.extend((child, path) for child in reversed(children) if isinstance(child, dict))
    return rows


def sync_index(store: Storage, *, batch: int = 2000) -> None:
    """Index every test report saved since the last call (all of them the first time)."""
    with store.transaction() as conn:
        high = conn.execute("SELECT high_water FROM analytics_index_state WHERE id = 1").fetchone()
        high_water = int(high[0]) if high else 0
        newest = conn.execute("SELECT COALESCE(MAX(time_stamp), 0) FROM report").fetchone()[0]
        if newest <= high_water:
            return
        while True:
            reports = conn.execute(
                "SELECT uuid, time_stamp, report_type, body FROM report WHERE time_stamp > ? "
                "ORDER BY time_stamp LIMIT ?",
                (high_water, batch),
            ).fetchall()
            if not reports:
                break
            uuids = [(row[0],) for row in reports]
            conn.executemany("DELETE FROM analytics_step WHERE report_uuid = ?", uuids)
            rows: list[tuple[Any, ...]] = []
            for uuid, time_stamp, report_type, body in reports:
                if report_type == "T":
                    rows.extend(_rows(uuid, time_stamp, json.loads(body)))
            conn.executemany(_INSERT, rows)
            _sync_runs(conn, [row[0] for row in reports], rebuild=len(reports) > _BULK)
            high_water = int(reports[-1][1])
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
