"""Reading and writing units: lookups with clear 404s, the wire form, the change feed."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from ...errors import NotFound
from ...storage import Storage
from .products import unit_product_json

Json = dict[str, Any]


def wire_time(moment: datetime) -> str:
    """The server's date-time form: UTC with a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_text() -> str:
    return wire_time(datetime.now(UTC))


def find_unit(store: Storage, serial_number: str, part_number: str) -> sqlite3.Row | None:
    return store.query_one(
        "SELECT * FROM production_unit WHERE serial_number = ? AND part_number = ?",
        (serial_number, part_number),
    )


def require_unit(
    store: Storage, serial_number: str, part_number: str, role: str = "Unit"
) -> sqlite3.Row:
    row = find_unit(store, serial_number, part_number)
    if row is None:
        raise NotFound(
            f"{role} with serial number '{serial_number}' and part number '{part_number}' "
            "was not found."
        )
    return row


def unit_by_id(store: Storage, unit_id: int) -> sqlite3.Row:
    row = store.query_one("SELECT * FROM production_unit WHERE unit_id = ?", (unit_id,))
    assert row is not None
    return row


def children_of(store: Storage, unit_id: int) -> list[sqlite3.Row]:
    return store.query(
        "SELECT * FROM production_unit WHERE parent_id = ? ORDER BY part_number, serial_number",
        (unit_id,),
    )


def ancestor_ids(store: Storage, unit_id: int) -> list[int]:
    """The unit's parent, grandparent, ... up to the top assembly."""
    rows = store.query(
        "WITH RECURSIVE up(id) AS ("
        " SELECT parent_id FROM production_unit WHERE unit_id = ?"
        " UNION SELECT u.parent_id FROM production_unit u JOIN up ON u.unit_id = up.id"
        ") SELECT id FROM up WHERE id IS NOT NULL",
        (unit_id,),
    )
    return [int(r[0]) for r in rows]


def phase_names(store: Storage) -> dict[int, str]:
    return {
        int(r[0]): str(r[1]) for r in store.query("SELECT phase_id, name FROM production_phase")
    }


def tags_from_xml(xml_data: str | None) -> list[Json]:
    """Unit tags are the server's JSON view of xmlData: <Root><Key Value="..."/></Root>."""
    if not xml_data:
        return []
    try:
        root = ET.fromstring(xml_data)  # noqa: S314 - data the emulator itself stored
    except ET.ParseError:
        return []
    return [{"key": child.tag, "value": child.get("Value", child.text or "")} for child in root]


def unit_json(
    store: Storage,
    row: sqlite3.Row,
    *,
    phases: dict[int, str] | None = None,
    parent_serial: str | None = None,
    depth: int = 32,
) -> Json:
    """A unit as GET Unit returns it, with its sub-units (and theirs) nested."""
    phases = phases if phases is not None else phase_names(store)
    if parent_serial is None and row["parent_id"] is not None:
        parent_serial = str(unit_by_id(store, int(row["parent_id"]))["serial_number"])
    product, revision = unit_product_json(store, row["part_number"], row["revision"])
    body: Json = {
        "serialNumber": row["serial_number"],
        "partNumber": row["part_number"],
        "revision": row["revision"],
    }
    if parent_serial is not None:
        body["parentSerialNumber"] = parent_serial
    if row["batch_number"] is not None:
        body["batchNumber"] = row["batch_number"]
    body["serialDate"] = row["serial_date"]
    if row["current_location"] is not None:
        body["currentLocation"] = row["current_location"]
    if row["xml_data"] is not None:
        body["xmlData"] = row["xml_data"]
    body["unitPhaseId"] = row["unit_phase_id"]
    body["unitPhase"] = phases.get(int(row["unit_phase_id"]), "Unknown")
    if row["process_code"] is not None:
        body["processCode"] = row["process_code"]
    body["tags"] = tags_from_xml(row["xml_data"])
    body["productRevision"] = revision
    body["product"] = product
    subs = children_of(store, int(row["unit_id"])) if depth > 0 else []
    body["subUnits"] = [
        unit_json(store, sub, phases=phases, parent_serial=row["serial_number"], depth=depth - 1)
        for sub in subs
    ]
    return body


def record_change(
    store: Storage,
    serial_number: str,
    *,
    parent: str | None = None,
    part_number: str | None = None,
    revision: str | None = None,
    phase: int | None = None,
) -> None:
    store.execute(
        "INSERT INTO production_unit_change (unit_serial_number, new_parent_serial_number, "
        "new_part_number, new_revision, new_unit_phase_id) VALUES (?, ?, ?, ?, ?)",
        (serial_number, parent, part_number, revision, phase),
    )
