"""Report storage: the WSJF body as posted, plus the header row that queries run against.

Other emulator domains (analytics, production) may read these tables; the header columns are
named after the OData ReportHeader fields they back.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from ...storage import Storage, mask_nulls, masked_insert_sql
from ..asset.usage import count_report_usage
from .timefmt import utc_text
from .wsjf_dicts import Json

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
-- Replacing a report deletes its misc infos (ON DELETE CASCADE): without this, a table scan.
CREATE INDEX IF NOT EXISTS report_misc_info_report ON report_misc_info(report_uuid);
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


class ReportIndexer(Protocol):
    """What another domain derives from each report as it is saved (e.g. analytics' steps).

    It sees the report as a dict while the batch has it, so nothing parses the stored body
    again, and writes in the batch's transaction.
    """

    def add(self, report_id: str, time_stamp: int, report: Json) -> None:
        """A report of the batch (its id lower-cased, the time stamp it is stored with)."""

    def drop(self, report_id: str) -> None:
        """Forget what `add` was given for this id (sent again later in the same batch)."""

    def flush(self, conn: sqlite3.Connection, *, replaced: Sequence[str], final: bool) -> None:
        """Write what was added. `replaced`: ids that were stored before this flush (their
        old rows are to go); `final`: the batch's last flush (run numbers are right)."""


#: Factories called once per batch; each returns an indexer, or None where its tables are
#: missing (an emulator built without that domain).
INDEXERS: list[Callable[[Storage], ReportIndexer | None]] = []

# Serialising bodies is a large part of seeding: one encoder, no circular-reference checks
# (a report parsed from JSON, or built by the seed, has no cycles). Same text as json.dumps.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


_Link = tuple[Json, "_Link | None"]
_Attachment = tuple[int | None, str | None, str, str | None, bytes]


def _scan_steps(report: Json) -> tuple[str | None, str | None, list[Json]]:
    """One walk of the step tree: the step that caused the failure (its name, and its name
    path as iter_steps writes it, built only for that step) and the steps with attachments.

    Depth-first in id order; the first step flagged ``causedUUTFailure`` or named by
    ``uut.stepIdCausedUUTFailure`` is the one.
    """
    root = report.get("root")
    if not isinstance(root, dict):
        return None, None, []
    wanted = (report.get("uut") or {}).get("stepIdCausedUUTFailure")
    failed: tuple[Json, _Link | None] | None = None
    with_files: list[Json] = []
    stack: list[tuple[Json, _Link | None]] = [(root, None)]
    while stack:
        step, parent = stack.pop()
        if failed is None and (
            step.get("causedUUTFailure") is True
            or (wanted is not None and step.get("id") == wanted)
        ):
            failed = (step, parent)
        if "attachment" in step:
            with_files.append(step)
        children = step.get("steps")
        if children:
            link = (step, parent)
            stack.extend((child, link) for child in reversed(children))
    if failed is None:
        return None, None, with_files
    step, parent = failed
    names = [str(step.get("name") or "")]
    while parent is not None:
        names.append(str(parent[0].get("name") or ""))
        parent = parent[1]
    path = ""
    for name in reversed(names):
        path = f"{path}/{name}" if path else name
    return step.get("name"), path, with_files


def _decode(data: Any) -> bytes:
    try:
        return base64.b64decode(data or "", validate=False)
    except (binascii.Error, ValueError):
        return b""


def _attachments(report: Json, steps: list[Json] | None = None) -> list[_Attachment]:
    """(step id, attachment id, name, content type, bytes) of every attachment in the report;
    `steps`: the steps that have one (from _scan_steps), else the tree is walked for them."""
    found: list[_Attachment] = []
    for step in _scan_steps(report)[2] if steps is None else steps:
        item = step.get("attachment")
        if isinstance(item, dict):
            found.append(
                (
                    step.get("id"),
                    None,
                    item.get("name") or f"step-{step.get('id')}",
                    item.get("contentType"),
                    _decode(item.get("data")),
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
                    _decode(item.get("data")),
                )
            )
    return found


#: What ReportBatch.add reads from a report's tree: the failing step's name and name path,
#: and the attachments (as _attachments gives them).
Scanned = tuple[str | None, str | None, list[_Attachment]]


def scan_report(report: Json) -> Scanned:
    """The failing step and the attachments of a report, in one walk of its tree."""
    failed_name, failed_path, with_files = _scan_steps(report)
    return failed_name, failed_path, _attachments(report, with_files)


def save_report(store: Storage, report: Json, *, origin: str = API_ORIGIN) -> Stored:
    """Insert or replace (same id) a validated report; keeps run numbers and counts right."""
    with _atomic(store) as conn:
        batch = ReportBatch(store)
        stored = batch.add(report, origin=origin)
        batch.flush(conn)
    return stored


class ReportBatch:
    """Reports written together: one INSERT per table and one renumbering for the lot.

    Seeding thousands of reports this way costs a few statements instead of a handful per
    report (and a renumbering query per report, which grows with the unit's history). The
    result is exactly what saving them one by one in the same order gives.
    """

    def __init__(self, store: Storage, *, numbered: bool = False) -> None:
        """`numbered`: the caller adds each unit's test reports in run order (start time),
        flushes only between units, and the table holds no earlier reports of them (a seed
        into an empty table). Runs are then numbered as they come instead of by an UPDATE
        afterwards, which rewrites every row, bodies included."""
        self.store = store
        self.numbered = numbered
        self._runs_so_far: dict[tuple[Any, Any, Any], int] = {}
        self.rows: list[dict[str, Any]] = []
        self.misc: list[tuple[str, Any, str | None]] = []
        self.attachments: list[tuple[Any, ...]] = []
        self._next_time_stamp: int | None = None
        self._seen: dict[str, int] = {}  # ids in this batch -> receive count so far
        # Units whose run numbers are due: kept across flush(renumber=False) calls.
        self._units: set[tuple[Any, Any, Any]] = set()
        self._indexers = [
            indexer for factory in INDEXERS if (indexer := factory(store)) is not None
        ]

    def add(
        self,
        report: Json,
        *,
        origin: str = API_ORIGIN,
        body: str | None = None,
        scanned: Scanned | None = None,
    ) -> Stored:
        """`body` and `scanned`: the report's JSON text (what _ENCODER writes for it) and
        scan_report's answer, when the caller has them already (the seed, which makes them in
        another process); used only for a report without assets (with them, it gains their
        assetStats)."""
        report_id = str(report["id"]).lower()
        # Assets named in a new test report's assets[] count its use; it gets their assetStats.
        if body is None or report.get("assets"):
            report = count_report_usage(self.store, report)
            body = _ENCODER.encode(report)
            scanned = None
        if scanned is None:
            scanned = scan_report(report)
        is_uut = report.get("type") == "T"
        info: Json = (report.get("uut") if is_uut else report.get("uur")) or {}
        root = report.get("root") if is_uut else None
        seq_call = (root or {}).get("seqCall") or {}
        failed_name, failed_path, attachments = scanned
        if not is_uut:
            failed_name = failed_path = None
        # Sends of this id in the batch; what the database holds is added at flush time.
        sends = self._seen.get(report_id, 0) + 1
        if sends > 1:
            self._drop(report_id)
        self._seen[report_id] = sends
        if self._next_time_stamp is None:
            self._next_time_stamp = int(
                self.store.scalar("SELECT COALESCE(MAX(time_stamp), 0) + 1 FROM report")
            )
        time_stamp = self._next_time_stamp
        self._next_time_stamp += 1
        for indexer in self._indexers:
            indexer.add(report_id, time_stamp, report)
        self.rows.append(
            {
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
                "receive_count": sends,
                "run": 1,  # the column defaults; renumbered at flush (or numbered here)
                "passed_in_run": None,
                # isascii() is a flag check: most bodies need no UTF-8 copy to be measured.
                "report_size": max(
                    1, (len(body) if body.isascii() else len(body.encode())) // 1024
                ),
                "caused_uut_failure": failed_name,
                "caused_uut_failure_path": failed_path,
                "referenced_uut": None if is_uut else _lower(info.get("refUUT")),
                "parent_uur": None if is_uut else _lower(info.get("parent")),
                "time_stamp": time_stamp,
                "origin": origin,
                "body": body,
            }
        )
        if self.numbered and is_uut:
            if sends > 1:
                raise ValueError("a numbered batch takes each report once")
            row = self.rows[-1]
            unit = (row["serial_number"].lower(), row["part_number"].lower(), row["process_code"])
            row["run"] = self._runs_so_far[unit] = self._runs_so_far.get(unit, 0) + 1
        self.misc.extend(
            (report_id, item.get("description"), _misc_value(item))
            for item in report.get("miscInfos") or []
            if isinstance(item, dict)
        )
        self.attachments.extend((report_id, *item) for item in attachments)
        return Stored(report_id, time_stamp)

    def _drop(self, report_id: str) -> None:
        """A report sent twice in one batch: the later one replaces the earlier."""
        self.rows = [row for row in self.rows if row["uuid"] != report_id]
        self.misc = [item for item in self.misc if item[0] != report_id]
        self.attachments = [item for item in self.attachments if item[0] != report_id]
        for indexer in self._indexers:
            indexer.drop(report_id)

    def flush(self, conn: sqlite3.Connection, *, renumber: bool = True) -> None:
        """Write what was added. `renumber=False` leaves run numbers for a later flush (a
        seed writing thousands of reports renumbers once, at the end)."""
        if not self.rows:
            if renumber:
                _renumber_runs(conn, self._units)
                self._units = set()
                for indexer in self._indexers:
                    indexer.flush(conn, replaced=(), final=True)
            return
        # The receive counts of ids stored before, in one query rather than one per report.
        stored = dict(
            conn.execute(
                "SELECT uuid, receive_count FROM report "
                "WHERE uuid IN (SELECT value FROM json_each(?))",
                (json.dumps(list(self._seen)),),
            ).fetchall()
        )
        for row in self.rows:
            row["receive_count"] += int(stored.get(row["uuid"], 0))
        if self.numbered:
            _first_passes(self.rows)
        replaced = list(stored)
        columns = list(self.rows[0])
        conn.executemany("DELETE FROM report WHERE uuid = ?", [(uuid,) for uuid in replaced])
        conn.executemany(
            masked_insert_sql("report", columns),
            [mask_nulls(list(row.values())) for row in self.rows],
        )
        conn.executemany(
            "INSERT INTO report_misc_info (report_uuid, description, value) VALUES (?, ?, ?)",
            self.misc,
        )
        conn.executemany(
            "INSERT INTO report_attachment "
            "(report_uuid, step_id, attachment_id, name, content_type, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            self.attachments,
        )
        if not self.numbered:
            self._units.update(
                (row["serial_number"], row["part_number"], row["process_code"])
                for row in self.rows
                if row["report_type"] == "T"
            )
        if renumber:
            _renumber_runs(conn, self._units)
            self._units = set()
        for indexer in self._indexers:
            indexer.flush(conn, replaced=replaced, final=renumber)
        self.rows, self.misc, self.attachments, self._seen = [], [], [], {}
        self._next_time_stamp = None


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


def _first_passes(rows: list[dict[str, Any]]) -> None:
    """passed_in_run of numbered test rows: the unit's first passing run (all its runs are here)."""
    first: dict[tuple[Any, Any, Any], int] = {}
    units: list[tuple[Any, Any, Any] | None] = []
    for row in rows:
        if row["report_type"] != "T":
            units.append(None)
            continue
        unit = (row["serial_number"].lower(), row["part_number"].lower(), row["process_code"])
        units.append(unit)
        if row["result"] == "P" and row["run"] < first.get(unit, row["run"] + 1):
            first[unit] = row["run"]
    for row, key in zip(rows, units, strict=True):
        if key is not None:
            row["passed_in_run"] = first.get(key)


def _renumber_runs(conn: sqlite3.Connection, keys: set[tuple[Any, Any, Any]]) -> None:
    """Run n = the n-th test of this unit in this process; passedInRun = first passing run.

    Renumbers every unit (serial, part, process code) in `keys`, in one statement.
    """
    if not keys:
        return
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS report_renumber (sn, pn, code)")
    conn.execute("DELETE FROM temp.report_renumber")
    conn.executemany("INSERT INTO temp.report_renumber VALUES (?, ?, ?)", sorted(keys, key=str))
    conn.execute(
        """
        WITH runs AS (
            SELECT r.uuid, r.result,
                   ROW_NUMBER() OVER unit_history AS run,
                   r.serial_number, r.part_number, r.process_code
            FROM temp.report_renumber k
            JOIN report r ON r.serial_number = k.sn AND r.part_number = k.pn
                AND r.process_code IS k.code AND r.report_type = 'T'
            WINDOW unit_history AS (
                PARTITION BY r.serial_number, r.part_number, r.process_code
                ORDER BY r.start_utc, r.time_stamp
            )
        ),
        numbered AS (
            SELECT uuid, run,
                   MIN(CASE WHEN result = 'P' THEN run END) OVER (
                       PARTITION BY serial_number, part_number, process_code
                   ) AS first_pass
            FROM runs
        )
        UPDATE report SET run = numbered.run, passed_in_run = numbered.first_pass
        FROM numbered WHERE report.uuid = numbered.uuid
        """
    )


def load_body(store: Storage, report_id: str) -> Json | None:
    row = store.query_one("SELECT body FROM report WHERE uuid = ?", (report_id.lower(),))
    if row is None:
        return None
    body: Json = json.loads(row["body"])
    return body
