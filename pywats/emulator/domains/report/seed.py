"""The seeded test history: every unit's reports, with retests after failures and repairs.

When the production domain is installed, its units and their test runs (process, station,
start, pass or fail, repaired) are the plan, so a unit's verification grade and its reports
tell the same story. Without it, a small stand-alone factory is made up here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import multiprocessing
import os
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from multiprocessing.connection import Connection
from typing import Any, cast

from ...plugin import SeedContext
from ...storage import Storage
from ..production import story
from . import sequences
from . import store as store_module
from .store import ReportBatch, Scanned, scan_report
from .wsjf_dicts import Json, wats_time

_ENCODE: Callable[[Json], str]
_DECODE: Callable[[str], Any]
try:  # a few times faster than the json module at both (pywats[emulator] installs it)
    import orjson
except ImportError:  # pragma: no cover - the stdlib writes the same text
    _ENCODE = store_module._ENCODER.encode
    _DECODE = json.loads
else:

    def _ENCODE(report: Json) -> str:
        try:
            return orjson.dumps(report).decode()
        except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits: the stdlib's text
            return store_module._ENCODER.encode(report)

    _DECODE = orjson.loads

LOCATION = "Drammen, Norway"
# Stations write local time with its offset; the plant is in Norway (CET in winter).
PLANT_TIME = timezone(timedelta(hours=1))
OPERATORS = ("anna.berg", "jonas.lie", "maria.holm", "per.dahl", "sofie.nygaard", "ola.vik")
TECHNICIANS = ("erik.strand", "ingrid.moe")
REPAIR_CODE = 500
DEFAULT_FIRMWARE = "2.5.0"
_FIRMWARE_XML = re.compile(r'<Firmware Value="([^"]+)"')
STATIONS = {
    110: ("ICT-01", "ICT-02"),
    120: ("FCT-01", "FCT-02", "FCT-03"),
    130: ("BURNIN-01",),
    150: ("CAL-01",),
    100: ("EOL-01", "EOL-02"),
    140: ("FINAL-01",),
}
PART_TYPES = {"PCB": "PCBA", "MOD": "Module", "PSU": "Power supply", "SYS": "System"}
# What a repair technician finds for each kind of failing test.
FINDINGS = {
    "numeric": (("Component", "Damaged component", "U"), ("Solder", "Cold joint", "R"),
                ("Component", "Wrong component", "C")),
    "string": (("Software", "Wrong firmware version", "U"), ("Software", "Corrupt image", "U")),
    "boolean": (("Mechanical", "Loose connector", "J"), ("Solder", "Solder bridge", "U")),
}  # fmt: skip
# Stand-alone units, used only when the production domain is absent.
_FALLBACK_PARTS = (
    ("PCB-1001", "A", "MB", (110, 120)),
    ("PCB-2001", "B", "PB", (110, 120, 150)),
    ("MOD-4100", "1.1", "CM", (120, 130)),
    ("SYS-9000", "B", "SY", (100, 140)),
)


@dataclass
class PlannedRun:
    process_code: int
    start: datetime
    station: str
    passed: bool
    repaired: bool


@dataclass
class PlannedUnit:
    serial_number: str
    part_number: str
    revision: str
    batch: str | None
    runs: list[PlannedRun]
    children: list[tuple[str, str, str]] = field(default_factory=list)  # (pn, rev, sn)
    firmware: str = DEFAULT_FIRMWARE


def _table_exists(store: Storage, name: str) -> bool:
    return bool(
        store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    )


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _planned_from_production(store: Storage) -> list[PlannedUnit]:
    units: dict[int, PlannedUnit] = {}
    rows = store.query(
        "SELECT u.unit_id, u.serial_number, u.part_number, u.revision, u.batch_number, u.xml_data, "
        "r.process_code, r.start_utc, r.station_name, r.passed, r.repaired "
        "FROM production_test_run r JOIN production_unit u ON u.unit_id = r.unit_id "
        "ORDER BY u.unit_id, r.start_utc, r.run_id"
    )
    for row in rows:
        if row["process_code"] not in sequences.SEQUENCE_FILES:
            continue
        unit = units.get(row["unit_id"])
        if unit is None:
            firmware = _FIRMWARE_XML.search(row["xml_data"] or "")
            unit = units[row["unit_id"]] = PlannedUnit(
                row["serial_number"],
                row["part_number"],
                row["revision"],
                row["batch_number"],
                [],
                firmware=firmware.group(1) if firmware else DEFAULT_FIRMWARE,
            )
        unit.runs.append(
            PlannedRun(
                row["process_code"],
                _parse_time(row["start_utc"]),
                row["station_name"],
                bool(row["passed"]),
                bool(row["repaired"]),
            )
        )
    # Every unit's children in one query (one per unit cost more than the rest of the plan).
    for child in store.query(
        "SELECT parent_id, part_number, revision, serial_number FROM production_unit "
        "WHERE parent_id IS NOT NULL ORDER BY parent_id, serial_number"
    ):
        parent = units.get(child["parent_id"])
        if parent is not None:
            parent.children.append(
                (child["part_number"], child["revision"], child["serial_number"])
            )
    return list(units.values())


def _planned_fallback(ctx: SeedContext) -> list[PlannedUnit]:
    rng = ctx.rng
    planned: list[PlannedUnit] = []
    per_part = ctx.count(small=8, factory=120)
    for part_number, revision, prefix, route in _FALLBACK_PARTS:
        for number in range(1, per_part + 1):
            clock = ctx.moment(days_back=60)
            runs: list[PlannedRun] = []
            for code in route:
                attempts = 1
                if rng.random() < 0.14:
                    attempts = 2 if rng.random() < 0.7 else 3
                for attempt in range(attempts):
                    passed = attempt == attempts - 1
                    runs.append(
                        PlannedRun(
                            code,
                            clock,
                            rng.choice(STATIONS[code]),
                            passed,
                            repaired=not passed and attempt == attempts - 2,
                        )
                    )
                    clock += timedelta(minutes=rng.uniform(20, 240))
                clock += timedelta(hours=rng.uniform(2, 30))
            planned.append(PlannedUnit(f"{prefix}-{number:05d}", part_number, revision, None, runs))
    return planned


def station_origin(station: str) -> str:
    """Reports uploaded by the WATS Client carry the station's MAC address as origin."""
    return hashlib.sha256(station.encode()).hexdigest()[:12].upper()


def _unit_facts(unit: PlannedUnit) -> sequences.UnitFacts:
    return sequences.UnitFacts(unit.serial_number, unit.part_number, unit.revision, unit.firmware)


def _kind(step: Json) -> str:
    if "stringMeas" in step:
        return "string"
    if "booleanMeas" in step:
        return "boolean"
    return "numeric"


class _Writer:
    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng

    def days_before_anchor(self, moment: datetime) -> float:
        return (self.ctx.anchor - moment).total_seconds() / 86400

    def uut(
        self, unit: PlannedUnit, run: PlannedRun, fail_at: str | None
    ) -> tuple[Json, Json | None]:
        rng = self.rng
        local_start = run.start.astimezone(PLANT_TIME)
        offsets = story.nominal_offsets(self.days_before_anchor(run.start))
        played = sequences.play(
            run.process_code, rng, _unit_facts(unit), local_start, fail_at, offsets
        )
        for step, file_name in played.attachments:
            step["attachment"] = {
                "name": file_name,
                "contentType": "text/csv" if file_name.endswith(".csv") else "text/plain",
                "data": base64.b64encode(self._log(unit, file_name)).decode("ascii"),
            }
        failed = played.failed_step
        report_id = self.ctx.uuid()
        report: Json = {
            "type": "T",
            "id": report_id,
            "pn": unit.part_number,
            "sn": unit.serial_number,
            "rev": unit.revision,
            "processCode": run.process_code,
            "result": "F" if failed is not None else "P",
            "machineName": run.station,
            "location": LOCATION,
            "purpose": "Production",
            "start": wats_time(local_start),
            "root": played.root,
            "uut": {
                "execTime": played.root["totTime"],
                "testSocketIndex": 0,
                "batchSN": unit.batch,
                "comment": None,
                "errorCode": None,
                "errorMessage": None,
                "fixtureId": f"FX-{run.process_code}-{rng.randint(1, 3)}",
                "user": rng.choice(OPERATORS),
                "batchFailCount": None,
                "batchLoopIndex": None,
                "stepIdCausedUUTFailure": failed["id"] if failed is not None else None,
            },
            "miscInfos": [
                {
                    "description": "Work Order",
                    "text": f"WO-{run.start:%y%m}-{rng.randint(100, 999)}",
                    "numeric": None,
                },
                {"description": "Firmware", "text": unit.firmware, "numeric": None},
                {
                    "description": "Ambient Temperature",
                    "text": None,
                    "numeric": rng.randint(21, 26),
                },
            ],
            "subUnits": [
                {
                    "partType": PART_TYPES.get(pn.split("-")[0], "Assembly"),
                    "pn": pn,
                    "rev": rev,
                    "sn": sn,
                }
                for pn, rev, sn in unit.children
            ],
            "assets": [],
            "additionalData": [],
        }
        return report, failed

    def _log(self, unit: PlannedUnit, file_name: str) -> bytes:
        if file_name.endswith(".csv"):
            rows = ["point,reading,reference"] + [
                f"{p},{p + self.rng.gauss(0, 0.2):.3f},{p}" for p in (0, 25, 50, 100)
            ]
            return ("\n".join(rows) + "\n").encode()
        return (
            f"Flashing {unit.part_number} {unit.serial_number}\n"
            "Erasing 512 KiB... done\n"
            f"Writing image {unit.firmware}... done\nVerifying... OK\n"
        ).encode()

    def uur(
        self, unit: PlannedUnit, failed_report: Json, failed_step: Json, start: datetime
    ) -> Json:
        rng = self.rng
        category, code, ref_prefix = rng.choice(FINDINGS[_kind(failed_step)])
        finished = start + timedelta(minutes=rng.uniform(15, 90))
        photo = f"Repair photo of {unit.serial_number}, {category}/{code}\n".encode()
        return {
            "type": "R",
            "id": self.ctx.uuid(),
            "pn": unit.part_number,
            "sn": unit.serial_number,
            "rev": unit.revision,
            "processCode": REPAIR_CODE,
            "result": "P",
            "machineName": "REPAIR-01",
            "location": LOCATION,
            "purpose": "Repair",
            "start": wats_time(start.astimezone(PLANT_TIME)),
            "uur": {
                "comment": f"{code} found at {failed_step['name']}; replaced and re-inspected.",
                "user": rng.choice(TECHNICIANS),
                "processCode": failed_report["processCode"],
                "refUUT": failed_report["id"],
                "confirmDate": wats_time(finished.astimezone(UTC)),
                "finalizeDate": wats_time(finished.astimezone(UTC)),
                "execTime": round((finished - start).total_seconds(), 1),
            },
            "miscInfos": [
                {
                    "description": "Repair bench",
                    "text": rng.choice(("Bench 1", "Bench 2")),
                    "numeric": None,
                }
            ],
            "subUnits": [
                {
                    "partType": "Main",
                    "pn": unit.part_number,
                    "rev": unit.revision,
                    "sn": unit.serial_number,
                    "idx": 0,
                    "failures": [
                        {
                            "category": category,
                            "code": code,
                            "comment": f"Measured during {failed_step['name']}",
                            "comRef": f"{ref_prefix}{rng.randint(1, 40)}",
                            "refStepId": failed_step["id"],
                        }
                    ],
                }
            ],
            "binaryData": [
                {
                    "contentType": "text/plain",
                    "data": base64.b64encode(photo).decode("ascii"),
                    "name": "repair-notes.txt",
                    "id": self.ctx.uuid(),
                }
            ],
            "assets": [],
            "additionalData": [],
        }


# What the seed generates, in order: (report, its body text, origin, None) for each report,
# and FLUSH where the batch is written (between units, every 500 or more reports). The
# worker process sends each without the dict (None; the text is as quick to parse again as
# the dict to pickle) and with what ReportBatch.add reads from its tree (scan_report), so
# the writing process, the slower of the two, walks no tree for it.
_Item = tuple[Json | None, str, str, Scanned | None]
_FLUSH: _Item = (None, "", "", None)
# Reports per message from the worker process: large enough that a message costs little
# beside the reports in it, small enough that the writer starts at once.
_CHUNK = 64


def _encode(report: Json) -> str:
    """The body text: the same as store._ENCODER writes (orjson's when it is installed;
    the text is the same for every value a seed draws, see the tests)."""
    return _ENCODE(report)


def _generate(ctx: SeedContext, planned: list[PlannedUnit]) -> Iterator[_Item]:
    """Every report of the plan, drawn from the report stream in the plan's order.

    Only the stream and the plan are read, never the database, so this can run in another
    process: the same items come out in the same order wherever it runs.
    """
    writer = _Writer(ctx)
    pending = 0
    for unit in planned:
        repeat_fault: dict[int, str] = {}  # a fault that was not repaired fails the retest too
        for run in unit.runs:
            fail_at = None
            if not run.passed:
                fail_at = (
                    repeat_fault.get(run.process_code)
                    or story.failing_step(
                        run.process_code, writer.days_before_anchor(run.start), ctx.rng
                    )
                    or ctx.rng.choice(sequences.failable_tests(run.process_code))
                )
            report, failed = writer.uut(unit, run, fail_at)
            yield (report, _encode(report), station_origin(run.station), None)
            pending += 1
            if failed is None or fail_at is None:
                repeat_fault.pop(run.process_code, None)
                continue
            repeat_fault[run.process_code] = fail_at
            if run.repaired:
                repair_start = run.start + timedelta(minutes=ctx.rng.uniform(10, 120))
                repair = writer.uur(unit, report, failed, repair_start)
                yield (repair, _encode(repair), station_origin("REPAIR-01"), None)
                pending += 1
        if pending >= 500:
            yield _FLUSH
            pending = 0


def _produce(ctx: SeedContext, planned: list[PlannedUnit], out: Connection) -> None:
    """The worker process: generate and send the items in chunks, then None (or the error)."""
    try:
        chunk: list[_Item] = []
        for report, body, origin, _ in _generate(ctx, planned):
            chunk.append((None, body, origin, scan_report(report) if report else None))
            if len(chunk) >= _CHUNK:
                out.send(chunk)
                chunk = []
        out.send(chunk)
        out.send(None)
    except BaseException as error:  # pragma: no cover - reported to the parent, which raises
        out.send(f"{type(error).__name__}: {error}")
        raise
    finally:
        out.close()


_ENDED = object()  # the pipe closed before the worker said it was done
# Chunks read ahead of the writer (about 1 MB each): the worker keeps generating while this
# process writes a batch, instead of waiting on a pipe that holds 64 KiB.
_AHEAD = 32


def _in_worker(ctx: SeedContext, planned: list[PlannedUnit]) -> Iterator[_Item]:
    """The items of _generate, generated in a forked process while this one writes them.

    The worker gets the plan and the report stream's state as they are at the fork; what
    this process receives is in the order it was generated (one pipe, one reader thread,
    one queue), so the data does not depend on how the two are scheduled.
    """
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    worker = fork.Process(target=_produce, args=(ctx, planned, send), daemon=True)
    worker.start()
    send.close()
    messages: queue.Queue[object] = queue.Queue(maxsize=_AHEAD)
    stop = threading.Event()

    def read() -> None:
        while True:
            try:
                message = receive.recv()
            except (EOFError, OSError):
                message = _ENDED
            while not stop.is_set():
                try:
                    messages.put(message, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set() or message is None or message is _ENDED or isinstance(message, str):
                return

    reader = threading.Thread(target=read, name="report-seed-reader", daemon=True)
    reader.start()
    finished = False
    try:
        while True:
            message = messages.get()
            if message is None:
                finished = True
                break
            if message is _ENDED:
                worker.join(timeout=5)
                raise RuntimeError(
                    f"the report seed's worker process ended early (exit code {worker.exitcode})"
                )
            if isinstance(message, str):
                raise RuntimeError(f"the report seed's worker process failed: {message}")
            yield from cast(list[_Item], message)
    finally:
        stop.set()
        if not finished:  # the writer failed first: no more reports wanted
            worker.kill()
        worker.join()
        reader.join()  # it sees the end of the pipe at the latest once the worker is gone
        receive.close()


def use_worker(planned: list[PlannedUnit]) -> bool:
    """Generate in a second process? Only where it pays and is safe: a large plan, a core
    to spare, and fork on Linux with no other thread running (a fork copies only the
    calling thread, so a lock another thread holds would stay held in the worker).

    A core to spare: the 1-minute load average (this process counts about 1) at least half
    a CPU below the CPU count. Measured on a shared 2-core machine, factory best of 3: at
    load 1.0, 3.9-4.1 s with the worker against 5.1-5.3 s without; at load 2.2-3.1, before
    the reader thread, 7.9-10.7 s with it against 6.7-8.3 s without.
    """
    if WORKER is not None:
        return WORKER
    cpus = os.cpu_count() or 1
    return (
        sys.platform == "linux"
        and cpus > 1
        and threading.active_count() == 1
        and sum(len(unit.runs) for unit in planned) >= _WORKER_RUNS
        and os.getloadavg()[0] <= cpus - 0.5
    )


# Test runs from which a worker process pays for itself (the factory has about 13,000).
_WORKER_RUNS = 2000
#: None: decide by use_worker's rules; True/False forces the worker on or off (tests).
WORKER: bool | None = None


def seed_reports(ctx: SeedContext) -> None:
    store = ctx.store
    planned = _planned_from_production(store) if _table_exists(store, "production_test_run") else []
    if not planned:
        planned = _planned_fallback(ctx)
    # Written in batches: a few statements per 500 reports instead of several per report.
    # Into an empty table, unit by unit in run order: the batch numbers the runs itself.
    numbered = store.query_one("SELECT 1 FROM report LIMIT 1") is None
    batch = ReportBatch(store, numbered=numbered)
    items = (
        _in_worker(ctx, planned) if numbered and use_worker(planned) else _generate(ctx, planned)
    )
    for report, body, origin, scanned in items:
        if body:
            batch.add(
                _DECODE(body) if report is None else report,
                origin=origin,
                body=body,
                scanned=scanned,
            )
        else:
            with store.transaction() as conn:
                batch.flush(conn, renumber=False)
    with store.transaction() as conn:
        batch.flush(conn)
