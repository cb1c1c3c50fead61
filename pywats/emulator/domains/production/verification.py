"""The unit verification grade, computed from the unit's test runs along its part's route.

Grades: A passed every process first time, in order, never repaired; B passed (some
retests, no repairs); C passed after repairs or out of order; D not every process run yet
and nothing failing; F the last run of some process failed.
"""

from __future__ import annotations

import sqlite3

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import BadRequest, NotFound
from ...params import query_str
from ...state import get_store
from ...storage import Storage
from . import catalog
from .units import required_text
from .units_db import Json, require_unit


def _unit_by_serial(store: Storage, serial: str) -> sqlite3.Row:
    rows = store.query("SELECT * FROM production_unit WHERE serial_number = ?", (serial,))
    if not rows:
        raise NotFound(f"Unit with serial number '{serial}' was not found.")
    if len(rows) > 1:
        parts = ", ".join(sorted(str(r["part_number"]) for r in rows))
        raise BadRequest(
            f"Serial number '{serial}' is used by several products ({parts}); give partNumber.",
            field="partNumber",
        )
    return rows[0]


def grade_json(store: Storage, unit: sqlite3.Row) -> Json:
    part = catalog.part(str(unit["part_number"]))
    route = part.route if part else ()
    names = {
        int(r["code"]): (str(r["name"]), int(r["process_index"]))
        for r in store.query("SELECT code, name, process_index FROM process")
    }
    results: list[Json] = []
    first_starts: list[str] = []
    in_order = first_ok = any_ok = last_ok = True
    failed = False
    repairs = 0
    for code in route:
        runs = store.query(
            "SELECT * FROM production_test_run WHERE unit_id = ? AND process_code = ? "
            "ORDER BY start_utc",
            (unit["unit_id"], code),
        )
        name, index = names.get(code, (f"Process {code}", code))
        entry: Json = {"processCode": code, "processName": name, "processIndex": index}
        if not runs:
            entry.update(status="Unknown", totalCount=0, nonPassedCount=0, repairCount=0)
            first_ok = any_ok = last_ok = in_order = False
            results.append(entry)
            continue
        last = runs[-1]
        non_passed = sum(1 for r in runs if not r["passed"])
        repaired = sum(int(r["repaired"]) for r in runs)
        repairs += repaired
        entry.update(
            status="Passed" if last["passed"] else "Failed",
            startUtc=last["start_utc"],
            stationName=last["station_name"],
            totalCount=len(runs),
            nonPassedCount=non_passed,
            repairCount=repaired,
        )
        first_ok &= bool(runs[0]["passed"])
        any_ok &= any(r["passed"] for r in runs)
        last_ok &= bool(last["passed"])
        failed |= not last["passed"]
        if first_starts and runs[0]["start_utc"] < first_starts[-1]:
            in_order = False
        first_starts.append(str(runs[0]["start_utc"]))
        results.append(entry)
    no_repairs = repairs == 0
    if failed:
        status, grade = "Failed", "F"
    elif not last_ok:
        status, grade = "Incomplete", "D"
    elif first_ok and in_order and no_repairs:
        status, grade = "Passed", "A"
    elif no_repairs and in_order:
        status, grade = "Passed", "B"
    else:
        status, grade = "Passed", "C"
    return {
        "status": status,
        "grade": grade,
        "allProcessesExecutedInCorrectOrder": in_order,
        "allProcessesPassedFirstRun": first_ok,
        "allProcessesPassedAnyRun": any_ok,
        "allProcessesPassedLastRun": last_ok,
        "noRepairs": no_repairs,
        "results": results,
    }


async def get_unit_verification(request: Request) -> JSONResponse:
    store = get_store(request)
    serial = required_text(request, "serialNumber")
    part_number = (query_str(request, "partNumber") or "").strip()
    unit = (
        require_unit(store, serial, part_number) if part_number else _unit_by_serial(store, serial)
    )
    return JSONResponse(grade_json(store, unit))
