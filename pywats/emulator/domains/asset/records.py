"""Asset rows: finding them, rendering them as the server's JSON, and the changes every route
shares (log records, counting usage, resetting the running count).

Which count a calibration or maintenance resets: the **running count**, never the total count.
The spec defines ``runningCountLimit`` as the "max count until next calibration must be
performed" and the report's ``assetStats.runningCount`` as usage "since last calibration", so
the running count measures one service interval and the total count the asset's whole life
(a probe set's wear, a fixture's cycles). Calibration, maintenance and ResetRunningCount all
set it to 0 and move ``running_since`` to their date; nothing but usage changes the total.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from ...auth import token_from_header
from ...errors import BadRequest, NotFound
from ...odata import Field
from ...params import query_str
from ...state import get_state
from ...storage import Storage
from .alarm import RowLike, Status, compute_status, wire_time

# AssetLogType
LOG_MESSAGE, LOG_REGISTER, LOG_UPDATE, LOG_RESET, LOG_CALIBRATION, LOG_MAINTENANCE, LOG_STATE = (
    range(7)
)
STATE_WORDS = {
    0: "Unknown", 1: "In operation", 2: "In transit", 3: "In maintenance",
    4: "In calibration", 5: "In storage", 6: "Scrapped",
}  # fmt: skip

# Every asset with its type's limits and the next due dates, as one SELECT.
VIEW_SQL = """
SELECT a.*, t.type_name, t.running_count_limit, t.total_count_limit, t.maintenance_interval,
    t.calibration_interval, t.warning_threshold, t.alarm_threshold,
    p.serial_number AS parent_serial_number,
    CASE WHEN t.calibration_interval > 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ',
        julianday(COALESCE(a.last_calibration, a.first_seen)) + t.calibration_interval)
    END AS next_calibration,
    CASE WHEN t.maintenance_interval > 0 THEN strftime('%Y-%m-%dT%H:%M:%fZ',
        julianday(COALESCE(a.last_maintenance, a.first_seen)) + t.maintenance_interval)
    END AS next_maintenance
FROM asset a JOIN asset_type t ON t.type_id = a.type_id
LEFT JOIN asset p ON p.asset_id = a.parent_asset_id
"""

ASSET_FIELDS = {
    "assetId": Field("asset_id", "string"),
    "parentAssetId": Field("parent_asset_id", "string"),
    "assetName": Field("asset_name", "string"),
    "serialNumber": Field("serial_number", "string"),
    "parentSerialNumber": Field("parent_serial_number", "string"),
    "partNumber": Field("part_number", "string"),
    "revision": Field("revision", "string"),
    "typeId": Field("type_id", "guid"),
    "typeName": Field("type_name", "string"),
    "state": Field("state", "int"),
    "description": Field("description", "string"),
    "location": Field("location", "string"),
    "firstSeenDate": Field("first_seen", "datetime"),
    "lastSeenDate": Field("last_seen", "datetime"),
    "lastMaintenanceDate": Field("last_maintenance", "datetime"),
    "nextMaintenanceDate": Field("next_maintenance", "datetime"),
    "lastCalibrationDate": Field("last_calibration", "datetime"),
    "nextCalibrationDate": Field("next_calibration", "datetime"),
    "totalCount": Field("total_count", "int"),
    "runningCount": Field("running_count", "int"),
}

TYPE_FIELDS = {
    "typeId": Field("type_id", "guid"),
    "typeName": Field("type_name", "string"),
    "runningCountLimit": Field("running_count_limit", "int"),
    "totalCountLimit": Field("total_count_limit", "int"),
    "maintenanceInterval": Field("maintenance_interval", "float"),
    "calibrationInterval": Field("calibration_interval", "float"),
    "warningThreshold": Field("warning_threshold", "float"),
    "alarmThreshold": Field("alarm_threshold", "float"),
    "isReadonly": Field("is_readonly", "bool"),
    "icon": Field("icon", "string"),
}

LOG_FIELDS = {
    "logId": Field("log_id", "int"),
    "assetId": Field("asset_id", "string"),
    "serialNumber": Field("serial_number", "string"),
    "date": Field("date", "datetime"),
    "user": Field("user", "string"),
    "type": Field("type", "int"),
    "property": Field("property", "string"),
    "value": Field("value", "string"),
    "comment": Field("comment", "string"),
}

_ASSET_COLUMNS = (
    ("assetId", "asset_id"), ("parentAssetId", "parent_asset_id"),
    ("serialNumber", "serial_number"), ("parentSerialNumber", "parent_serial_number"),
    ("assetName", "asset_name"), ("partNumber", "part_number"), ("revision", "revision"),
    ("typeId", "type_id"), ("ClientId", "client_id"), ("state", "state"),
    ("description", "description"), ("location", "location"), ("firstSeenDate", "first_seen"),
    ("lastSeenDate", "last_seen"), ("lastMaintenanceDate", "last_maintenance"),
    ("nextMaintenanceDate", "next_maintenance"), ("lastCalibrationDate", "last_calibration"),
    ("nextCalibrationDate", "next_calibration"), ("totalCount", "total_count"),
    ("runningCount", "running_count"),
)  # fmt: skip
_TYPE_COLUMNS = tuple((name, field.sql) for name, field in TYPE_FIELDS.items())
_LOG_COLUMNS = tuple((name, field.sql) for name, field in LOG_FIELDS.items())


# --- the clock ---------------------------------------------------------------------------

#: The real clock (UTC).
clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now_for(anchor: datetime) -> datetime:
    """The emulator's "now" for assets: the current time of day on the seed anchor's day once
    that day is past, and never before the anchor.

    Seeded dates count back from the anchor, so a fleet seeded for 2026-01-01 shows the same
    alarm states and due dates on every run instead of ageing with the calendar; with an
    anchor of today (``--anchor today``, the demo) this is simply the current time. Tests pin
    it with ``monkeypatch.setattr(records, "now_for", lambda anchor: moment)``.
    """
    real = clock().astimezone(UTC)
    anchor = anchor.astimezone(UTC)
    if real.date() > anchor.date():
        real = datetime.combine(anchor.date(), real.timetz())
    return max(real, anchor)


def request_now(request: Request) -> datetime:
    return now_for(get_state(request).config.anchor)


def request_user(request: Request) -> str:
    """The user name of the caller's token (``base64(user:secret)``), as the server logs it."""
    token = token_from_header(request.headers.get("authorization")) or ""
    try:
        user = base64.b64decode(token, validate=True).decode("utf-8").partition(":")[0]
    except (binascii.Error, UnicodeDecodeError, ValueError):
        user = ""
    return user or "api"


# --- rendering ---------------------------------------------------------------------------


def _render(row: RowLike, columns: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    # Null fields are left out: the spec types them as plain strings and numbers.
    return {name: row[column] for name, column in columns if row[column] is not None}


def type_json(row: RowLike) -> dict[str, Any]:
    body = _render(row, _TYPE_COLUMNS)
    body["isReadonly"] = bool(row["is_readonly"])
    return body


def log_json(row: RowLike) -> dict[str, Any]:
    return _render(row, _LOG_COLUMNS)


def asset_json(row: RowLike, store: Storage | None = None) -> dict[str, Any]:
    """The OData Asset of lists; with `store`, also its type, tags and direct children."""
    body = _render(row, _ASSET_COLUMNS)
    if store is None:
        return body
    type_row = store.query_one("SELECT * FROM asset_type WHERE type_id = ?", (row["type_id"],))
    if type_row is not None:
        body["assetType"] = type_json(type_row)
    body["tags"] = json.loads(row["tags"]) if row["tags"] else []
    body["assetChildren"] = [
        asset_json(child)
        for child in store.query(
            f"{VIEW_SQL} WHERE a.parent_asset_id = ? ORDER BY a.serial_number",
            (row["asset_id"],),
        )
    ]
    return body


# --- finding -----------------------------------------------------------------------------


def view_row(store: Storage, asset_id: str) -> sqlite3.Row:
    row = store.query_one(f"{VIEW_SQL} WHERE a.asset_id = ?", (asset_id,))
    if row is None:
        raise NotFound(f"No asset with assetId '{asset_id}'.")
    return row


def find_asset(store: Storage, key: str) -> sqlite3.Row | None:
    """An asset by its id or, failing that, by its serial number (any case)."""
    key = key.strip()
    if not key:
        return None
    try:
        as_id: str | None = str(uuid.UUID(key))
    except ValueError:
        as_id = None
    if as_id is not None:
        row = store.query_one(f"{VIEW_SQL} WHERE a.asset_id = ?", (as_id,))
        if row is not None:
            return row
    return store.query_one(f"{VIEW_SQL} WHERE a.serial_number = ?", (key,))


def resolve(request: Request, *, id_name: str = "id") -> sqlite3.Row:
    """The asset named by the ``id`` and/or ``serialNumber`` query parameters (404 if none)."""
    store = get_store_of(request)
    asset_id = query_str(request, id_name)
    serial = query_str(request, "serialNumber")
    if not (asset_id or "").strip() and not (serial or "").strip():
        raise BadRequest(
            f"Name the asset: give the query parameter '{id_name}' or 'serialNumber'.",
            field=id_name,
        )
    if asset_id and asset_id.strip():
        row = find_asset(store, asset_id)
        if row is None:
            raise NotFound(f"No asset with {id_name} '{asset_id}'.")
        if serial and serial.strip() and row["serial_number"].lower() != serial.strip().lower():
            raise BadRequest(
                f"The asset with {id_name} '{asset_id}' has serial number "
                f"'{row['serial_number']}', not '{serial}'.",
                field="serialNumber",
            )
        return row
    assert serial is not None
    row = store.query_one(
        f"{VIEW_SQL} WHERE a.serial_number = ?", (serial.strip(),)
    )
    if row is None:
        raise NotFound(f"No asset with serialNumber '{serial}'.")
    return row


def get_store_of(request: Request) -> Storage:
    return get_state(request).store


def status_of(row: RowLike, now: datetime) -> Status:
    return compute_status(row, now)


def descendants(store: Storage, asset_id: str, max_level: int = 0) -> list[tuple[int, str]]:
    """(level, asset id) of every sub-asset, breadth first; `max_level` 0 means all levels."""
    found: list[tuple[int, str]] = []
    seen = {asset_id}
    frontier = [asset_id]
    depth = 0
    while frontier and (max_level == 0 or depth < max_level):
        depth += 1
        marks = ", ".join("?" for _ in frontier)
        children = [
            str(row["asset_id"])
            for row in store.query(
                f"SELECT asset_id FROM asset WHERE parent_asset_id IN ({marks}) "  # noqa: S608
                "ORDER BY serial_number",
                frontier,
            )
            if row["asset_id"] not in seen
        ]
        seen.update(children)
        found += [(depth, child) for child in children]
        frontier = children
    return found


# --- changes -----------------------------------------------------------------------------


def write_log(
    store: Storage,
    asset: RowLike,
    kind: int,
    comment: str | None,
    *,
    user: str,
    when: datetime,
    prop: str | None = None,
    value: str | None = None,
) -> None:
    store.execute(
        "INSERT INTO asset_log (asset_id, serial_number, date, user, type, property, value, "
        "comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (asset["asset_id"], asset["serial_number"], wire_time(when), user, kind, prop, value,
         comment),
    )


def add_usage(store: Storage, asset_id: str, amount: int, when: datetime) -> None:
    """Usage at `when`: the total always grows; the running count only for use after its reset."""
    stamp = wire_time(when)
    store.execute(
        "UPDATE asset SET total_count = total_count + ?, "
        "running_count = running_count + CASE WHEN running_since <= ? THEN ? ELSE 0 END, "
        "last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END "
        "WHERE asset_id = ?",
        (amount, stamp, amount, stamp, stamp, asset_id),
    )


def reset_running(store: Storage, asset_id: str, when: datetime) -> None:
    store.execute(
        "UPDATE asset SET running_count = 0, running_since = ? WHERE asset_id = ?",
        (wire_time(when), asset_id),
    )
