"""Units: get, add/update in bulk, phase and process, the change feed, batches and phases."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import BadRequest, NotFound
from ...params import Fields, json_array, parse_int, query_str
from ...state import get_store
from ...storage import Storage
from . import catalog
from .products import product_info
from .units_db import (
    Json,
    find_unit,
    now_text,
    phase_names,
    record_change,
    require_unit,
    unit_by_id,
    unit_json,
    wire_time,
)

MAX_CHANGES = 10_000


def required_text(request: Request, name: str) -> str:
    """A required query parameter that must not be blank either."""
    value = query_str(request, name, required=True)
    assert value is not None
    if not value.strip():
        raise BadRequest(f"The query parameter '{name}' must not be empty.", field=name)
    return value.strip()


async def get_unit(request: Request) -> JSONResponse:
    store = get_store(request)
    row = require_unit(
        store, str(request.path_params["serialNumber"]), str(request.path_params["partNumber"])
    )
    return JSONResponse(unit_json(store, row))


def _known_phase(store: Storage, phase: int, field: str) -> int:
    if store.query_one("SELECT 1 FROM production_phase WHERE phase_id = ?", (phase,)) is None:
        known = ", ".join(str(p) for p in sorted(phase_names(store)))
        raise BadRequest(f"{phase} is not a unit phase; use one of {known}.", field=field)
    return phase


@dataclass
class _UnitWrite:
    serial_number: str
    part_number: str
    values: dict[str, Any]  # column -> value, only what the body set
    existing: sqlite3.Row | None


def _check_xml(value: str, field: str) -> str:
    try:
        ET.fromstring(value)  # noqa: S314 - only parsed for well-formedness
    except ET.ParseError as exc:
        raise BadRequest(
            f"The field '{field}' is not well-formed XML: {exc}.", field=field
        ) from None
    return value


def _parse_unit(store: Storage, item: Any, index: int) -> _UnitWrite:
    prefix = f"[{index}]"
    if not isinstance(item, dict):
        raise BadRequest(f"The item '{prefix}' must be a Unit object.", field=prefix)
    fields = Fields(item, prefix)
    serial = (fields.get_str("serialNumber", required=True) or "").strip()
    part_number = (fields.get_str("partNumber", required=True) or "").strip()
    if not serial:
        raise BadRequest(
            f"The field '{prefix}.serialNumber' must not be empty.", field=f"{prefix}.serialNumber"
        )
    info = product_info(store, part_number)
    if info is None:
        raise BadRequest(
            f"Product '{part_number}' does not exist; create it before adding units.",
            field=f"{prefix}.partNumber",
        )
    if info.non_serial:
        raise BadRequest(
            f"Product '{info.part_number}' is non-serial: it has no units.",
            field=f"{prefix}.partNumber",
        )
    existing = find_unit(store, serial, info.part_number)
    values: dict[str, Any] = {}
    revision = fields.get_str("revision")
    if revision is None and existing is None:
        raise BadRequest(
            f"The field '{prefix}.revision' is required for a new unit.",
            field=f"{prefix}.revision",
        )
    if revision is not None:
        match = next((r for r in info.revisions if r.lower() == revision.strip().lower()), None)
        if match is None:
            raise BadRequest(
                f"Product '{info.part_number}' has no revision '{revision}' "
                f"(it has {', '.join(info.revisions) or 'none'}).",
                field=f"{prefix}.revision",
            )
        values["revision"] = match
    batch = fields.get_str("batchNumber")
    if batch is not None:
        if (
            store.query_one("SELECT 1 FROM production_batch WHERE batch_number = ?", (batch,))
            is None
        ):
            raise BadRequest(
                f"Batch '{batch}' does not exist; add it with PUT /api/Production/Batches first.",
                field=f"{prefix}.batchNumber",
            )
        values["batch_number"] = batch
    serial_date = fields.get_datetime("serialDate")
    if serial_date is not None:
        values["serial_date"] = wire_time(serial_date)
    for key, column in (("currentLocation", "current_location"), ("processCode", "process_code")):
        text = fields.get_str(key)
        if text is not None:
            values[column] = text
    xml_data = fields.get_str("xmlData")
    if xml_data is not None:
        values["xml_data"] = _check_xml(xml_data, f"{prefix}.xmlData") if xml_data else None
    phase = fields.get_int("unitPhaseId")
    if phase is not None:
        values["unit_phase_id"] = _known_phase(store, phase, f"{prefix}.unitPhaseId")
    parent = fields.get_str("parentSerialNumber")
    current_parent = (
        str(unit_by_id(store, existing["parent_id"])["serial_number"])
        if existing is not None and existing["parent_id"] is not None
        else None
    )
    if parent and (current_parent is None or parent.lower() != current_parent.lower()):
        raise BadRequest(
            "A unit's parent cannot be set here; use POST /api/Production/AddChildUnit.",
            field=f"{prefix}.parentSerialNumber",
        )
    if fields.get_list("subUnits"):
        raise BadRequest(
            "Sub-units cannot be set here; use POST /api/Production/AddChildUnit.",
            field=f"{prefix}.subUnits",
        )
    return _UnitWrite(serial, info.part_number, values, existing)


async def put_units(request: Request) -> JSONResponse:
    """Add or update units by serial number: all are validated before any is written."""
    items = await json_array(request)
    store = get_store(request)
    writes = [_parse_unit(store, item, index) for index, item in enumerate(items)]
    seen: set[tuple[str, str]] = set()
    for index, write in enumerate(writes):
        key = (write.serial_number.lower(), write.part_number.lower())
        if key in seen:
            raise BadRequest(
                f"Unit '{write.serial_number}' ({write.part_number}) appears twice in the body.",
                field=f"[{index}].serialNumber",
            )
        seen.add(key)
    saved: list[int] = []
    with store.transaction():
        for write in writes:
            saved.append(_apply(store, write))
    phases = phase_names(store)
    return JSONResponse([unit_json(store, unit_by_id(store, uid), phases=phases) for uid in saved])


def _apply(store: Storage, write: _UnitWrite) -> int:
    values = write.values
    if write.existing is None:
        row = {
            "serial_number": write.serial_number,
            "part_number": write.part_number,
            "serial_date": now_text(),
            "unit_phase_id": catalog.UNDER_PRODUCTION,
            **values,
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = store.execute(
            f"INSERT INTO production_unit ({columns}) VALUES ({marks})",  # noqa: S608
            list(row.values()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid
    unit_id = int(write.existing["unit_id"])
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)
        store.execute(
            f"UPDATE production_unit SET {assignments} WHERE unit_id = ?",  # noqa: S608
            [*values.values(), unit_id],
        )
    new_revision = values.get("revision")
    new_phase = values.get("unit_phase_id")
    revision_changed = new_revision is not None and new_revision != write.existing["revision"]
    phase_changed = new_phase is not None and new_phase != write.existing["unit_phase_id"]
    if revision_changed or phase_changed:
        record_change(
            store,
            write.serial_number,
            revision=new_revision if revision_changed else None,
            phase=new_phase if phase_changed else None,
        )
    return unit_id


async def set_unit_phase(request: Request) -> JSONResponse:
    store = get_store(request)
    serial = required_text(request, "serialNumber")
    part_number = required_text(request, "partNumber")
    phase = _known_phase(store, parse_int(required_text(request, "phase"), "phase"), "phase")
    row = require_unit(store, serial, part_number)
    with store.transaction():
        store.execute(
            "UPDATE production_unit SET unit_phase_id = ? WHERE unit_id = ?",
            (phase, row["unit_id"]),
        )
        if phase != row["unit_phase_id"]:
            record_change(store, row["serial_number"], phase=phase)
    return JSONResponse(unit_json(store, unit_by_id(store, int(row["unit_id"]))))


def process_by_name(store: Storage, name: str) -> sqlite3.Row | None:
    return store.query_one("SELECT code, name FROM process WHERE name = ? COLLATE NOCASE", (name,))


async def set_unit_process(request: Request) -> JSONResponse:
    store = get_store(request)
    serial = required_text(request, "serialNumber")
    part_number = required_text(request, "partNumber")
    name = required_text(request, "processName")
    process = process_by_name(store, name)
    if process is None:
        raise BadRequest(f"There is no process named '{name}'.", field="processName")
    row = require_unit(store, serial, part_number)
    store.execute(
        "UPDATE production_unit SET process_code = ? WHERE unit_id = ?",
        (str(process["code"]), row["unit_id"]),
    )
    return JSONResponse(unit_json(store, unit_by_id(store, int(row["unit_id"]))))


def _change_json(row: sqlite3.Row) -> Json:
    body: Json = {"id": row["change_id"], "unitSerialNumber": row["unit_serial_number"]}
    for key, column in (
        ("newParentSerialNumber", "new_parent_serial_number"),
        ("newPartNumber", "new_part_number"),
        ("newRevision", "new_revision"),
        ("newUnitPhaseId", "new_unit_phase_id"),
    ):
        if row[column] is not None:
            body[key] = row[column]
    return body


async def get_unit_changes(request: Request) -> JSONResponse:
    max_count = parse_int(required_text(request, "maxCount"), "maxCount")
    if not 1 <= max_count <= MAX_CHANGES:
        raise BadRequest(f"maxCount must be between 1 and {MAX_CHANGES}.", field="maxCount")
    rows = get_store(request).query(
        "SELECT * FROM production_unit_change ORDER BY change_id LIMIT ?", (max_count,)
    )
    return JSONResponse([_change_json(row) for row in rows])


async def delete_unit_change(request: Request) -> JSONResponse:
    change_id = parse_int(str(request.path_params["id"]), "id")
    store = get_store(request)
    row = store.query_one("SELECT * FROM production_unit_change WHERE change_id = ?", (change_id,))
    if row is None:
        raise NotFound(f"Unit change {change_id} was not found.")
    store.execute("DELETE FROM production_unit_change WHERE change_id = ?", (change_id,))
    return JSONResponse(_change_json(row))


async def put_batches(request: Request) -> JSONResponse:
    items = await json_array(request)
    store = get_store(request)
    rows: list[tuple[str, int | None]] = []
    for index, item in enumerate(items):
        prefix = f"[{index}]"
        if not isinstance(item, dict):
            raise BadRequest(f"The item '{prefix}' must be a ProductionBatch object.", field=prefix)
        fields = Fields(item, prefix)
        number = (fields.get_str("batchNumber", required=True) or "").strip()
        if not number:
            raise BadRequest(
                f"The field '{prefix}.batchNumber' must not be empty.",
                field=f"{prefix}.batchNumber",
            )
        size = fields.get_int("batchSize")
        if size is not None and size < 0:
            raise BadRequest(
                f"The field '{prefix}.batchSize' must not be negative.", field=f"{prefix}.batchSize"
            )
        rows.append((number, size))
    with store.transaction():
        for number, size in rows:
            store.execute(
                "INSERT INTO production_batch (batch_number, batch_size) VALUES (?, ?) "
                "ON CONFLICT(batch_number) DO UPDATE SET "
                "batch_size = COALESCE(excluded.batch_size, batch_size)",
                (number, size),
            )
    saved = [
        store.query_one("SELECT * FROM production_batch WHERE batch_number = ?", (number,))
        for number, _ in rows
    ]
    return JSONResponse(
        [
            {"batchNumber": row["batch_number"], "batchSize": row["batch_size"] or 0}
            for row in saved
            if row is not None
        ]
    )


async def get_unit_phases(request: Request) -> JSONResponse:
    rows = get_store(request).query("SELECT * FROM production_phase ORDER BY phase_id")
    return JSONResponse(
        [
            {
                "UnitPhaseId": row["phase_id"],
                "Code": row["code"],
                "Name": row["name"],
                "Description": row["description"],
            }
            for row in rows
        ]
    )
