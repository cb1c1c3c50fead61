"""Report storage: the WSJF body as posted, plus the header row that queries run against.

Other emulator domains (analytics, production) may read these tables; the header columns are
named after the OData ReportHeader fields they back.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ...storage import Storage
from ..asset.usage import count_report_usage
from .timefmt import utc_text
from .wsjf_dicts import Json, iter_steps

SCHEMA = """
CREATE TABLE IF NOT EXISTS report (
    uuid TEXT PRIMARY KEY,
    report_type TEXT NOT NULL,            -- 'T' test (UUT), 'R' repair (UUR)
    serial_number TEXT NOT NULL COLLATE NOCASE,
    part_number TEXT NOT NULL COLLATE NOCASE,
    revision TEXT,
    process_code INTEGER,
    result TEXT,                          -- the WSJF code: P, F, E, T, D
    station_name TEXT,
    location TEXT,
    purpose TEXT,
    start_utc TEXT NOT NULL,              -- fixed-width UTC text, so it sorts and compares
    user_name TEXT,
    batch_number TEXT,
    comment TEXT,
    execution_time REAL,
    fixture_id TEXT,
    test_socket_index INTEGER,
    error_code INTEGER,
    error_message TEXT,
    sw_filename TEXT,
    sw_version TEXT,
    run INTEGER NOT NULL DEFAULT 1,
    passed_in_run INTEGER,
    receive_count INTEGER NOT NULL DEFAULT 1,
    report_size INTEGER NOT NULL DEFAULT 0,
    caused_uut_failure TEXT,
    caused_uut_failure_path TEXT,
    referenced_uut TEXT,
    parent_uur TEXT,
    time_stamp INTEGER NOT NULL,
    origin TEXT NOT NULL,
    body TEXT NOT NULL                    -- the report as posted, attachments included
);
CREATE INDEX IF NOT EXISTS report_serial ON report(serial_number);
CREATE INDEX IF NOT EXISTS report_part ON report(part_number);
CREATE INDEX IF NOT EXISTS report_start ON report(start_utc);
CREATE INDEX IF NOT EXISTS report_referenced ON report(referenced_uut);
CREATE INDEX IF NOT EXISTS report_time_stamp ON report(time_stamp);
CREATE INDEX IF NOT EXISTS report_parent ON report(parent_uur);
CREATE TABLE IF NOT EXISTS report_misc_info (
    report_uuid TEXT NOT NULL REFERENCES report(uuid) ON DELETE CASCADE,
    description TEXT,
    value TEXT
);
CREATE INDEX IF NOT EXISTS report_misc_info_lookup ON report_misc_info(description, value);
CREATE TABLE IF NOT EXISTS report_attachment (
    report_uuid TEXT NOT NULL REFERENCES report(uuid) ON DELETE CASCADE,
    step_id INTEGER,                      -- test reports: the step carrying it
    attachment_id TEXT,                   -- repair reports: the BinaryData id
    name TEXT NOT NULL,
    content_type TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS report_attachment_report ON report_attachment(report_uuid);
"""

RESULT_WORDS = {"P": "Passed", "F": "Failed", "E": "Error", "T": "Terminated", "D": "Done"}

# Reports posted through the REST API carry the API client's GUID as origin on the server.
API_ORIGIN = "8f3d2c1a-5b7e-4c9d-a2f1-0e6b4d8c7a35"


@dataclass(frozen=True)
class Stored:
    report_id: str
    report_int_id: int


def _failure_step(report: Json) -> tuple[str | None, str | None]:
    root = report.get("root")
    if not isinstance(root, dict):
        return None, None
    wanted = (report.get("uut") or {}).get("stepIdCausedUUTFailure")
    for path, step in iter_steps(root):
        if step.get("causedUUTFailure") is True or (
            wanted is not None and step.get("id") == wanted
        ):
            return step.get("name"), path
    return None, None


def _attachments(report: Json) -> list[tuple[int | None, str | None, str, str | None, bytes]]:
    """(step id, attachment id, name, content type, bytes) of every attachment in the report."""
    found: list[tuple[int | None, str | None, str, str | None, bytes]] = []

    def decode(data: Any) -> bytes:
        try:
            return base64.b64decode(data or "", validate=False)
        except (binascii.Error, ValueError):
            return b""

    root = report.get("root")
    if isinstance(root, dict):
        for _, step in iter_steps(root):
            item = step.get("attachment")
            if isinstance(item, dict):
                found.append(
                    (
                        step.get("id"),
                        None,
                        item.get("name") or f"step-{step.get('id')}",
                        item.get("contentType"),
                        decode(item.get("data")),
                    )
                )
    binaries: list[Any] = list(report.get("binaryData") or [])
    for unit in report.get("subUnits") or []:
        for failure in (unit or {}).get("failures") or []:
            binaries.extend((failure or {}).get("attachments") or [])
    for item in binaries:
        if isinstance(item, dict):
            found.append(
                (
                    None,
                    item.get("id"),
                    item.get("name") or "attachment",
                    item.get("contentType"),
                    decode(item.get("data")),
                )
            )
    return found


def save_report(store: Storage, report: Json, *, origin: str = API_ORIGIN) -> Stored:
    """Insert or replace (same id) a validated report; keeps run numbers and counts right."""
    report_id = str(report["id"]).lower()
    # Assets named in a new test report's assets[] count its use; it gets their assetStats.
    report = count_report_usage(store, report)
    body = json.dumps(report, separators=(",", ":"), ensure_ascii=False)
    is_uut = report.get("type") == "T"
    info: Json = (report.get("uut") if is_uut else report.get("uur")) or {}
    root = report.get("root") if is_uut else None
    seq_call = (root or {}).get("seqCall") or {}
    failed_name, failed_path = _failure_step(report) if is_uut else (None, None)
    previous = store.query_one(
        "SELECT receive_count, time_stamp FROM report WHERE uuid = ?", (report_id,)
    )
    receive_count = 1 if previous is None else int(previous["receive_count"]) + 1
    time_stamp = int(store.scalar("SELECT COALESCE(MAX(time_stamp), 0) + 1 FROM report"))
    row = {
        "uuid": report_id,
        "report_type": "T" if is_uut else "R",
        "serial_number": report.get("sn") or "",
        "part_number": report.get("pn") or "",
        "revision": report.get("rev"),
        "process_code": report.get("processCode"),
        "result": report.get("result"),
        "station_name": report.get("machineName"),
        "location": report.get("location"),
        "purpose": report.get("purpose"),
        "start_utc": utc_text(report.get("start")),
        "user_name": info.get("user"),
        "batch_number": info.get("batchSN"),
        "comment": info.get("comment"),
        "execution_time": info.get("execTime"),
        "fixture_id": info.get("fixtureId"),
        "test_socket_index": info.get("testSocketIndex"),
        "error_code": info.get("errorCode"),
        "error_message": info.get("errorMessage"),
        "sw_filename": seq_call.get("path"),
        "sw_version": seq_call.get("version"),
        "receive_count": receive_count,
        "report_size": max(1, len(body.encode()) // 1024),
        "caused_uut_failure": failed_name,
        "caused_uut_failure_path": failed_path,
        "referenced_uut": None if is_uut else _lower(info.get("refUUT")),
        "parent_uur": None if is_uut else _lower(info.get("parent")),
        "time_stamp": time_stamp,
        "origin": origin,
        "body": body,
    }
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    with _atomic(store) as conn:
        conn.execute("DELETE FROM report WHERE uuid = ?", (report_id,))
        conn.execute(f"INSERT INTO report ({columns}) VALUES ({marks})", list(row.values()))  # noqa: S608 - fixed columns
        conn.executemany(
            "INSERT INTO report_misc_info (report_uuid, description, value) VALUES (?, ?, ?)",
            [
                (report_id, item.get("description"), _misc_value(item))
                for item in report.get("miscInfos") or []
                if isinstance(item, dict)
            ],
        )
        conn.executemany(
            "INSERT INTO report_attachment "
            "(report_uuid, step_id, attachment_id, name, content_type, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(report_id, *item) for item in _attachments(report)],
        )
        _renumber_runs(conn, row)
    return Stored(report_id, time_stamp)


@contextmanager
def _atomic(store: Storage) -> Iterator[sqlite3.Connection]:
    """A transaction, or the one this thread already holds (seeding runs inside one)."""
    with store._lock:  # the same re-entrant lock Storage.transaction takes
        if store.connection.in_transaction:
            yield store.connection
        else:
            with store.transaction() as conn:
                yield conn


def _lower(value: Any) -> str | None:
    return str(value).lower() if value else None


def _misc_value(item: Json) -> str | None:
    text = item.get("text")
    if text is not None:
        return str(text)
    numeric = item.get("numeric")
    return None if numeric is None else str(numeric)


def _renumber_runs(conn: sqlite3.Connection, row: Json) -> None:
    """Run n = the n-th test of this unit in this process; passedInRun = first passing run."""
    if row["report_type"] != "T":
        return
    key = (row["serial_number"], row["part_number"], row["process_code"])
    reports = conn.execute(
        "SELECT uuid, result FROM report WHERE report_type = 'T' AND serial_number = ? "
        "AND part_number = ? AND process_code IS ? ORDER BY start_utc, time_stamp",
        key,
    ).fetchall()
    first_pass: int | None = None
    for run, (_, result) in enumerate(reports, start=1):
        if result == "P" and first_pass is None:
            first_pass = run
    conn.executemany(
        "UPDATE report SET run = ?, passed_in_run = ? WHERE uuid = ?",
        [(run, first_pass, uuid) for run, (uuid, _) in enumerate(reports, start=1)],
    )


def load_body(store: Storage, report_id: str) -> Json | None:
    row = store.query_one("SELECT body FROM report WHERE uuid = ?", (report_id.lower(),))
    if row is None:
        return None
    body: Json = json.loads(row["body"])
    return body
