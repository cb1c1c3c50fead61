"""The public /api/Asset operations."""

from __future__ import annotations

import json
import math
import re
import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import BadRequest, Conflict, NotFound
from ...odata import ODataQuery
from ...params import (
    Fields,
    json_object,
    parse_datetime,
    query_bool,
    query_int,
    query_str,
)
from ...state import get_store
from ...storage import Storage
from .alarm import RowLike, wire_time
from .records import (
    ASSET_FIELDS,
    LOG_CALIBRATION,
    LOG_FIELDS,
    LOG_MAINTENANCE,
    LOG_MESSAGE,
    LOG_REGISTER,
    LOG_RESET,
    LOG_STATE,
    LOG_UPDATE,
    STATE_WORDS,
    TYPE_FIELDS,
    VIEW_SQL,
    add_usage,
    asset_json,
    descendants,
    find_asset,
    log_json,
    request_now,
    request_user,
    reset_running,
    resolve,
    status_of,
    type_json,
    view_row,
    write_log,
)

DEFAULT_TOP = 1000
MAX_TOP = 10000
SERIAL_MAX = 100
TEXT_MAX = 500
COMMENT_MAX = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _AnyCase(dict[str, Any]):
    """A JSON object read as ASP.NET binds it: property names in any case."""

    def get(self, key: str, default: Any = None) -> Any:
        lowered = key.lower()
        for name, value in self.items():
            if name.lower() == lowered:
                return value
        return default


def _text(fields: Fields, key: str, limit: int = TEXT_MAX, *, required: bool = False) -> str | None:
    value = fields.get_str(key, required=required)
    if value is None:
        return None
    if required and not value.strip():
        raise BadRequest(f"The field '{key}' must not be empty.", field=key)
    if len(value) > limit:
        raise BadRequest(f"The field '{key}' is longer than {limit} characters.", field=key)
    return value


def _comment(request: Request, name: str = "comment") -> str | None:
    value = query_str(request, name)
    if value is not None and len(value) > COMMENT_MAX:
        raise BadRequest(f"The query parameter '{name}' is longer than {COMMENT_MAX} characters.",
                         field=name)
    return value or None


def _in_range(value: datetime | None, name: str) -> datetime | None:
    """A date the server can store: UTC, between the years 1900 and 9000."""
    if value is None:
        return None
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not 1900 <= utc.year <= 9000:
        raise BadRequest(f"The value of '{name}' is out of range (years 1900 to 9000).",
                         field=name)
    return utc


def _odata(request: Request) -> ODataQuery:
    return ODataQuery.from_request(request, default_top=DEFAULT_TOP, max_top=MAX_TOP)


def _asset_response(store: Storage, asset_id: str) -> JSONResponse:
    return JSONResponse(asset_json(view_row(store, asset_id), store))


# --- assets ------------------------------------------------------------------------------


async def get_assets(request: Request) -> JSONResponse:
    rows = _odata(request).run(
        get_store(request), VIEW_SQL, ASSET_FIELDS, default_order="asset_id"
    )
    return JSONResponse([asset_json(row) for row in rows])


async def get_asset(request: Request) -> JSONResponse:
    store = get_store(request)
    key = str(request.path_params["assetId"])
    row = find_asset(store, key)
    if row is None:
        raise NotFound(f"No asset with assetId or serialNumber '{key}'.")
    return JSONResponse(asset_json(row, store))


def _parent(store: Storage, fields: Fields) -> tuple[bool, str | None]:
    """(given, parent asset id) from parentAssetId or parentSerialNumber; "" clears it."""
    parent_id = fields.get_str("parentAssetId")
    parent_serial = fields.get_str("parentSerialNumber")
    if parent_id is None and parent_serial is None:
        return False, None
    key, name = (parent_id, "parentAssetId") if parent_id is not None else (
        parent_serial, "parentSerialNumber")
    assert key is not None
    if not key.strip():
        return True, None
    row = find_asset(store, key)
    if row is None:
        raise BadRequest(f"The field '{name}' names no asset: '{key}'.", field=name)
    return True, str(row["asset_id"])


def _check_no_cycle(store: Storage, asset_id: str, parent_id: str | None) -> None:
    if parent_id is None:
        return
    if parent_id == asset_id or parent_id in {a for _, a in descendants(store, asset_id)}:
        raise BadRequest(
            "The field 'parentAssetId' would make the asset its own ancestor.",
            field="parentAssetId",
        )


def _tags(fields: Fields) -> str | None:
    tags = fields.get_list("tags")
    if tags is None:
        return None
    clean = []
    for index, tag in enumerate(tags):
        if not isinstance(tag, dict):
            name = f"tags[{index}]"
            raise BadRequest(f"The field '{name}' must be an object.", field=name)
        item = Fields(_AnyCase(tag), f"tags[{index}]")
        clean.append({"name": item.get_str("name", required=True),
                      "value": item.get_str("value")})
    return json.dumps(clean)


_EDITABLE = (
    ("assetName", "asset_name", SERIAL_MAX), ("partNumber", "part_number", SERIAL_MAX),
    ("revision", "revision", SERIAL_MAX), ("description", "description", TEXT_MAX),
    ("location", "location", TEXT_MAX),
)  # fmt: skip


async def put_asset(request: Request) -> JSONResponse:
    """Create or update. The key is ``assetId`` when it names an asset, else ``serialNumber``.
    Counts and calibration/maintenance dates change only through their own operations (a new
    asset may bring its last calibration and maintenance dates, e.g. a vendor certificate)."""
    body = _AnyCase(await json_object(request))
    fields = Fields(body)
    store = get_store(request)
    serial = _text(fields, "serialNumber", SERIAL_MAX, required=True)
    assert serial is not None
    if _CONTROL.search(serial):
        raise BadRequest("The field 'serialNumber' holds control characters.", field="serialNumber")
    type_id = fields.get_uuid("typeId", required=True)
    if store.scalar("SELECT 1 FROM asset_type WHERE type_id = ?", (type_id,)) is None:
        raise BadRequest(f"The field 'typeId' names no asset type: '{type_id}'.", field="typeId")
    state = fields.get_int("state")
    if state is not None and state not in STATE_WORDS:
        raise BadRequest("The field 'state' must be 0 to 6.", field="state")
    client_id = fields.get_int("ClientId")
    if client_id is not None and not -2_147_483_648 <= client_id <= 2_147_483_647:
        raise BadRequest("The field 'ClientId' is out of range (a 32-bit integer).",
                         field="ClientId")
    values = {column: _text(fields, key, limit) for key, column, limit in _EDITABLE}
    tags = _tags(fields)
    parent_given, parent_id = _parent(store, fields)
    asset_id_text = fields.get_str("assetId")
    now = request_now(request)
    user = request_user(request)
    with store.transaction():
        existing = find_asset(store, asset_id_text) if asset_id_text else None
        if existing is None:
            existing = store.query_one(
                f"{VIEW_SQL} WHERE a.serial_number = ?", (serial.strip(),)
            )
        if existing is None:
            asset_id = str(uuid.uuid4())
            if asset_id_text and asset_id_text.strip():
                try:
                    asset_id = str(uuid.UUID(asset_id_text.strip()))
                except ValueError:
                    raise BadRequest("The field 'assetId' must be a GUID or empty.",
                                     field="assetId") from None
            first_seen = _in_range(fields.get_datetime("firstSeenDate"), "firstSeenDate") or now
            last_cal = _in_range(fields.get_datetime("lastCalibrationDate"),
                                 "lastCalibrationDate")
            last_maint = _in_range(fields.get_datetime("lastMaintenanceDate"),
                                   "lastMaintenanceDate")
            store.execute(
                "INSERT INTO asset (asset_id, serial_number, type_id, parent_asset_id, asset_name, "
                "part_number, revision, client_id, state, description, location, first_seen, "
                "last_calibration, last_maintenance, running_since, tags) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (asset_id, serial.strip(), type_id, parent_id, values["asset_name"],
                 values["part_number"], values["revision"], client_id,
                 1 if state is None else state, values["description"], values["location"],
                 wire_time(first_seen), last_cal and wire_time(last_cal),
                 last_maint and wire_time(last_maint),
                 wire_time(max(d for d in (first_seen, last_cal, last_maint) if d is not None)),
                 tags),
            )
            row = view_row(store, asset_id)
            write_log(store, row, LOG_REGISTER, f"Registered {serial.strip()}", user=user,
                      when=now)
        else:
            asset_id = str(existing["asset_id"])
            if existing["serial_number"] != serial.strip():
                clash = store.scalar(
                    "SELECT 1 FROM asset WHERE serial_number = ? AND asset_id != ?",
                    (serial.strip(), asset_id),
                )
                if clash:
                    raise Conflict(f"Another asset has serial number '{serial}'.",
                                   field="serialNumber")
            changes: dict[str, Any] = {"serial_number": serial.strip(), "type_id": type_id}
            changes.update({k: v for k, v in values.items() if v is not None})
            if state is not None:
                changes["state"] = state
            if client_id is not None:
                changes["client_id"] = client_id
            if tags is not None:
                changes["tags"] = None if tags == "[]" else tags  # no tags is no tags
            if parent_given:
                _check_no_cycle(store, asset_id, parent_id)
                changes["parent_asset_id"] = parent_id
            changed = {
                column: value for column, value in changes.items() if existing[column] != value
            }
            if changed:
                assignments = ", ".join(f"{column} = ?" for column in changed)
                store.execute(
                    f"UPDATE asset SET {assignments} WHERE asset_id = ?",  # noqa: S608
                    [*changed.values(), asset_id],
                )
                row = view_row(store, asset_id)
                for column, value in changed.items():
                    write_log(store, row, LOG_UPDATE, f"{column} changed", user=user, when=now,
                              prop=column, value=None if value is None else str(value))
    return _asset_response(store, asset_id)


async def delete_asset(request: Request) -> JSONResponse:
    """Deletes the asset and its log; its sub-assets move up to its own parent."""
    store = get_store(request)
    row = resolve(request)
    with store.transaction():
        store.execute(
            "UPDATE asset SET parent_asset_id = ? WHERE parent_asset_id = ?",
            (row["parent_asset_id"], row["asset_id"]),
        )
        store.execute("DELETE FROM asset WHERE asset_id = ?", (row["asset_id"],))
    return JSONResponse(asset_json(row))


# --- status, state, counts -----------------------------------------------------------------


async def get_status(request: Request) -> JSONResponse:
    row = resolve(request)
    query_bool(request, "translate", True)  # validated; messages are English either way
    query_str(request, "cultureCode")
    return JSONResponse(status_of(row, request_now(request)).to_json())


async def put_state(request: Request) -> JSONResponse:
    state = query_int(request, "state", required=True)
    if state not in STATE_WORDS:
        raise BadRequest("The query parameter 'state' must be 0 to 6.", field="state")
    store = get_store(request)
    row = resolve(request)
    with store.transaction():
        if row["state"] != state:
            store.execute("UPDATE asset SET state = ? WHERE asset_id = ?", (state, row["asset_id"]))
            write_log(
                store, row, LOG_STATE,
                f"State changed from {STATE_WORDS.get(row['state'], row['state'])} to "
                f"{STATE_WORDS[state]}",
                user=request_user(request), when=request_now(request),
                prop="state", value=str(state),
            )
    return _asset_response(store, row["asset_id"])


async def put_count(request: Request) -> JSONResponse:
    """Raise the running and total counts by ``incrementBy``, or up to a new ``totalCount``;
    ``incrementChildren=true`` raises every sub-asset (all levels) by the same amount."""
    total = query_int(request, "totalCount")
    increment = query_int(request, "incrementBy")
    children = query_bool(request, "incrementChildren", False)
    query_str(request, "cultureCode")
    if total is None and increment is None:
        raise BadRequest("Give the query parameter 'incrementBy' or 'totalCount'.",
                         field="incrementBy")
    if total is not None and increment is not None:
        raise BadRequest("Give 'incrementBy' or 'totalCount', not both.", field="totalCount")
    store = get_store(request)
    row = resolve(request)
    if increment is None:
        assert total is not None
        if total < row["total_count"]:
            raise BadRequest(
                f"The query parameter 'totalCount' ({total}) is below the asset's total count "
                f"({row['total_count']}); counts only go up.",
                field="totalCount",
            )
        increment = total - int(row["total_count"])
    if increment < 0:
        raise BadRequest("The query parameter 'incrementBy' must not be negative.",
                         field="incrementBy")
    if increment > 1_000_000_000:
        raise BadRequest("The query parameter 'incrementBy' is too large.", field="incrementBy")
    now = request_now(request)
    with store.transaction():
        targets = [str(row["asset_id"])]
        if children:
            targets += [asset_id for _, asset_id in descendants(store, row["asset_id"])]
        for asset_id in targets:
            add_usage(store, asset_id, increment, now)
    return _asset_response(store, row["asset_id"])


def _date_param(request: Request, now: datetime) -> datetime:
    text = query_str(request, "dateTime")
    if text is None or not text.strip():
        return now
    when = _in_range(parse_datetime(text, "dateTime"), "dateTime")
    assert when is not None
    return when


async def post_reset(request: Request) -> JSONResponse:
    store = get_store(request)
    row = resolve(request)
    comment = _comment(request)
    now = request_now(request)
    with store.transaction():
        reset_running(store, row["asset_id"], now)
        write_log(store, row, LOG_RESET,
                  comment or f"Running count reset from {row['running_count']} to 0",
                  user=request_user(request), when=now, prop="runningCount",
                  value=str(row["running_count"]))
    return _asset_response(store, row["asset_id"])


def _service(kind: str) -> Any:
    column = "last_calibration" if kind == "calibration" else "last_maintenance"
    log_type = LOG_CALIBRATION if kind == "calibration" else LOG_MAINTENANCE
    word = "Calibrated" if kind == "calibration" else "Maintained"

    async def record(request: Request) -> JSONResponse:
        """Sets the last date (next follows from the type's interval) and resets the running
        count from that date on. A date older than the asset's last one is logged only."""
        store = get_store(request)
        row = resolve(request)
        comment = _comment(request)
        now = request_now(request)
        when = _date_param(request, now)
        if when > now:
            raise BadRequest("The query parameter 'dateTime' is in the future.", field="dateTime")
        with store.transaction():
            latest = row[column] is None or wire_time(when) >= row[column]
            if latest:
                store.execute(
                    f"UPDATE asset SET {column} = ? WHERE asset_id = ?",  # noqa: S608
                    (wire_time(when), row["asset_id"]),
                )
                reset_running(store, row["asset_id"], when)
            text = f"{word} {wire_time(when)[:10]}"
            write_log(store, row, log_type, f"{text}: {comment}" if comment else text,
                      user=request_user(request), when=now, prop=column, value=wire_time(when))
        return _asset_response(store, row["asset_id"])

    return record


post_calibration = _service("calibration")
post_maintenance = _service("maintenance")


# --- log ---------------------------------------------------------------------------------


async def get_log(request: Request) -> JSONResponse:
    rows = _odata(request).run(
        get_store(request), "SELECT * FROM asset_log", LOG_FIELDS,
        default_order="date DESC, log_id DESC",
    )
    return JSONResponse([log_json(row) for row in rows])


async def post_message(request: Request) -> JSONResponse:
    """A message in the asset's log: ``{"content": ...}``, the asset in ``id``/``serialNumber``
    (or, as older clients send it, ``assetId`` and ``comment`` in the body)."""
    body = _AnyCase(await json_object(request))
    fields = Fields(body)
    content = fields.get_str("content")
    if content is None:
        content = fields.get_str("comment")
    if content is None or not content.strip():
        raise BadRequest("The field 'content' is required: the message to log.", field="content")
    if len(content) > COMMENT_MAX:
        raise BadRequest(f"The field 'content' is longer than {COMMENT_MAX} characters.",
                         field="content")
    user = fields.get_str("user")
    store = get_store(request)
    query_str(request, "cultureCode")
    if query_str(request, "id") or query_str(request, "serialNumber"):
        row = resolve(request)
    else:
        key = fields.get_str("assetId") or fields.get_str("serialNumber")
        if not key:
            raise BadRequest("Name the asset: give the query parameter 'id' or 'serialNumber'.",
                             field="id")
        found = find_asset(store, key)
        if found is None:
            raise NotFound(f"No asset with assetId '{key}'.")
        row = found
    now = request_now(request)
    with store.transaction():
        write_log(store, row, LOG_MESSAGE, content.strip(),
                  user=(user or "").strip()[:100] or request_user(request), when=now)
    last = store.query_one(
        "SELECT * FROM asset_log WHERE asset_id = ? ORDER BY log_id DESC LIMIT 1",
        (row["asset_id"],),
    )
    assert last is not None
    return JSONResponse(log_json(last))


# --- types -------------------------------------------------------------------------------


async def get_types(request: Request) -> JSONResponse:
    rows = _odata(request).run(
        get_store(request), "SELECT * FROM asset_type", TYPE_FIELDS,
        default_order="type_name COLLATE NOCASE",
    )
    return JSONResponse([type_json(row) for row in rows])


def _non_negative(fields: Fields, key: str, *, integer: bool) -> float | int | None:
    value: float | int | None = fields.get_int(key) if integer else fields.get_float(key)
    if value is not None and not math.isfinite(value):
        raise BadRequest(f"The field '{key}' must be a finite number.", field=key)
    if value is not None and value < 0:
        raise BadRequest(f"The field '{key}' must not be negative.", field=key)
    if value is not None and value > 2_147_483_647:
        raise BadRequest(f"The field '{key}' is too large.", field=key)
    return value


async def put_type(request: Request) -> JSONResponse:
    """Create or update an asset type, keyed by ``typeId``, else by ``typeName``."""
    fields = Fields(_AnyCase(await json_object(request)))
    name = _text(fields, "typeName", SERIAL_MAX, required=True)
    assert name is not None
    values: dict[str, Any] = {
        "type_name": name.strip(),
        "running_count_limit": _non_negative(fields, "runningCountLimit", integer=True),
        "total_count_limit": _non_negative(fields, "totalCountLimit", integer=True),
        "maintenance_interval": _non_negative(fields, "maintenanceInterval", integer=False),
        "calibration_interval": _non_negative(fields, "calibrationInterval", integer=False),
        "warning_threshold": _non_negative(fields, "warningThreshold", integer=False),
        "alarm_threshold": _non_negative(fields, "alarmThreshold", integer=False),
        "is_readonly": fields.get_bool("isReadonly"),
        "icon": _text(fields, "icon", TEXT_MAX),
    }
    warning, alarm = values["warning_threshold"], values["alarm_threshold"]
    if warning is not None and alarm is not None and warning > alarm:
        raise BadRequest(
            f"The field 'warningThreshold' ({warning:g}) must not exceed 'alarmThreshold' "
            f"({alarm:g}).",
            field="warningThreshold",
        )
    type_id = fields.get_uuid("typeId")
    store = get_store(request)
    with store.transaction():
        existing: sqlite3.Row | None = None
        if type_id is not None:
            existing = store.query_one("SELECT * FROM asset_type WHERE type_id = ?", (type_id,))
        if existing is None:
            existing = store.query_one(
                "SELECT * FROM asset_type WHERE type_name = ?", (values["type_name"],)
            )
        if existing is None:
            type_id = type_id or str(uuid.uuid4())
            values["is_readonly"] = bool(values["is_readonly"])
            columns = ", ".join(["type_id", *values])
            marks = ", ".join("?" for _ in range(len(values) + 1))
            store.execute(
                f"INSERT INTO asset_type ({columns}) VALUES ({marks})",  # noqa: S608
                [type_id, *values.values()],
            )
        else:
            type_id = str(existing["type_id"])
            if existing["is_readonly"]:
                raise Conflict(f"The asset type '{existing['type_name']}' is read-only.",
                               field="typeId")
            clash = store.scalar(
                "SELECT 1 FROM asset_type WHERE type_name = ? AND type_id != ?",
                (values["type_name"], type_id),
            )
            if clash:
                raise Conflict(f"Another asset type is named '{name}'.", field="typeName")
            if values["is_readonly"] is None:
                values.pop("is_readonly")
            # A PUT replaces the type: a limit left out is no limit.
            assignments = ", ".join(f"{column} = ?" for column in values)
            store.execute(
                f"UPDATE asset_type SET {assignments} WHERE type_id = ?",  # noqa: S608
                [*values.values(), type_id],
            )
    row = store.query_one("SELECT * FROM asset_type WHERE type_id = ?", (type_id,))
    assert row is not None
    return JSONResponse(type_json(row))


# --- sub-assets --------------------------------------------------------------------------


async def get_sub_assets(request: Request) -> JSONResponse:
    """Sub-assets of the asset, breadth first; ``level`` 1 = direct children, 0 (default) all."""
    level = query_int(request, "level")
    if level is not None and level < 0:
        raise BadRequest("The query parameter 'level' must be 0 (all) or more.", field="level")
    store = get_store(request)
    row = resolve(request)
    found = descendants(store, row["asset_id"], level or 0)
    rows: dict[str, RowLike] = {}
    if found:
        marks = ", ".join("?" for _ in found)
        for item in store.query(
            f"{VIEW_SQL} WHERE a.asset_id IN ({marks})",
            [asset_id for _, asset_id in found],
        ):
            rows[item["asset_id"]] = item
    return JSONResponse([asset_json(rows[asset_id]) for _, asset_id in found if asset_id in rows])
