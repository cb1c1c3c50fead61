"""Processes (test, repair and WIP operations) and the internal /api/internal/Process endpoints.

Internal endpoints speak PascalCase (`ProcessID`, `IsWIPOperation`), public ones camelCase.
Both are rendered here from one table so they cannot disagree.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import BadRequest, Conflict, NotFound
from ..params import Fields, json_array, json_object, path_uuid, query_int, query_uuid
from ..plugin import Domain, SeedContext
from ..state import get_store
from ..storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS process (
    process_id TEXT PRIMARY KEY,
    code INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    process_index INTEGER NOT NULL DEFAULT 0,
    state INTEGER NOT NULL DEFAULT 1,
    properties TEXT NOT NULL DEFAULT '',
    is_test INTEGER NOT NULL DEFAULT 0,
    is_repair INTEGER NOT NULL DEFAULT 0,
    is_wip INTEGER NOT NULL DEFAULT 0,
    repair_config TEXT  -- JSON RepairType (PascalCase) for repair operations
);
"""

ACTIVE = 1

# (code, name, description, kind, state). 100 and 500 are WATS's default test and
# repair codes; 900 has no type so the "all type flags false" query has an answer.
_PROCESSES: tuple[tuple[int, str, str, str, int], ...] = (
    (100, "End of line test", "Full functional test before packing", "test", ACTIVE),
    (110, "In-circuit test", "Bed-of-nails test of the bare assembly", "test", ACTIVE),
    (120, "Functional test", "Board-level functional test", "test", ACTIVE),
    (130, "Burn-in test", "Powered soak at elevated temperature", "test", ACTIVE),
    (140, "Final inspection", "Visual and label inspection", "test", ACTIVE),
    (150, "Calibration", "Sensor calibration and trim", "test", ACTIVE),
    (190, "Legacy functional test", "Replaced by 120", "test", 0),
    (300, "PCB assembly", "SMT and through-hole assembly", "wip", ACTIVE),
    (310, "Box build", "Mechanical assembly of the enclosure", "wip", ACTIVE),
    (320, "Packaging", "Packing and labelling", "wip", ACTIVE),
    (330, "Shipping", "Handed over to logistics", "wip", ACTIVE),
    (500, "Repair", "Standard repair", "repair", ACTIVE),
    (510, "RMA repair", "Repair of units returned from the field", "repair", ACTIVE),
    (520, "Rework", "Rework of assemblies before test", "repair", 0),
    (900, "Engineering hold", "Units held for engineering review", "none", ACTIVE),
)

_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Component", ("Missing component", "Wrong component", "Damaged component", "Wrong polarity")),
    ("Solder", ("Cold joint", "Solder bridge", "Insufficient solder")),
    ("Mechanical", ("Loose connector", "Cracked housing", "Bent pin")),
    ("Software", ("Wrong firmware version", "Corrupt image")),
    ("No fault found", ("No fault found",)),
)


def _repair_config(ctx: SeedContext, description: str) -> dict[str, Any]:
    categories = []
    for sort, (category, codes) in enumerate(_CATEGORIES, start=1):
        failcodes = [
            {
                "GUID": ctx.uuid(),
                "Selectable": True,
                "Description": code,
                "SortOrder": index,
                "FailureType": 1,
                "ImageConstraint": "",
                "Status": 1,
                "Failcodes": [],
            }
            for index, code in enumerate(codes, start=1)
        ]
        categories.append(
            {
                "GUID": ctx.uuid(),
                "Selectable": False,
                "Description": category,
                "SortOrder": sort,
                "FailureType": 0,
                "ImageConstraint": "",
                "Status": 1,
                "Failcodes": failcodes,
            }
        )
    return {
        "Description": description,
        "UUTRequired": 1,
        "CompRefMask": r"^[A-Z]{1,3}\d{1,4}$",
        "CompRefMaskDescription": "Reference designator, e.g. R12 or U3",
        "BomConstraint": "",
        "BOMRequired": 1,
        "VendorRequired": 2,
        "Categories": categories,
        "MiscInfos": [
            {
                "GUID": ctx.uuid(),
                "Description": "Repair bench",
                "InputMask": "",
                "ValidRegex": "",
                "Status": 1,
                "SortOrder": 1,
                "AllowedValues": ["Bench 1", "Bench 2", "Bench 3"],
            }
        ],
    }


def seed(ctx: SeedContext) -> None:
    rows = []
    for index, (code, name, description, kind, state) in enumerate(_PROCESSES):
        config = _repair_config(ctx, name) if kind == "repair" else None
        rows.append(
            (
                ctx.uuid(),
                code,
                name,
                description,
                index,
                state,
                "<Properties />"
                if config is None
                else "<Properties><RepairOperation /></Properties>",
                kind == "test",
                kind == "repair",
                kind == "wip",
                None if config is None else json.dumps(config),
            )
        )
    ctx.store.executemany(
        "INSERT INTO process (process_id, code, name, description, process_index, state, "
        "properties, is_test, is_repair, is_wip, repair_config) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


# --- rendering ---------------------------------------------------------------------


def internal_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "Code": row["code"],
        "ProcessID": row["process_id"],
        "Name": row["name"],
        "Description": row["description"],
        "ProcessIndex": row["process_index"],
        "State": row["state"],
        "Properties": row["properties"],
        "IsTestOperation": bool(row["is_test"]),
        "IsWIPOperation": bool(row["is_wip"]),
        "IsRepairOperation": bool(row["is_repair"]),
    }


def _camel(value: Any) -> Any:
    """PascalCase keys to camelCase, recursively (GUID -> guid, UUTRequired -> uutRequired)."""
    if isinstance(value, list):
        return [_camel(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        upper = 0
        while upper < len(key) and key[upper].isupper():
            upper += 1
        # Keep the last capital of a run when a lower-case word follows (UUTRequired).
        cut = upper if upper in (len(key), 1) else upper - 1
        out[key[:cut].lower() + key[cut:]] = _camel(item)
    return out


def public_json(row: sqlite3.Row) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": row["code"],
        "name": row["name"],
        "description": row["description"],
        "isTestOperation": bool(row["is_test"]),
        "isRepairOperation": bool(row["is_repair"]),
        "isWipOperation": bool(row["is_wip"]),
        "processIndex": row["process_index"],
        "state": row["state"],
    }
    if row["is_repair"] and row["repair_config"]:
        body["repairOperation"] = _camel(json.loads(row["repair_config"]))
    return body


def all_processes(store: Storage) -> list[sqlite3.Row]:
    return store.query("SELECT * FROM process ORDER BY process_index, code")


def _find(store: Storage, process_id: str) -> sqlite3.Row:
    row = store.query_one("SELECT * FROM process WHERE process_id = ?", (process_id,))
    if row is None:
        raise NotFound(f"No process with ProcessID {process_id}.")
    return row


# --- parsing request bodies --------------------------------------------------------

_COLUMNS = {
    "Code": "code",
    "Name": "name",
    "Description": "description",
    "ProcessIndex": "process_index",
    "State": "state",
    "Properties": "properties",
    "IsTestOperation": "is_test",
    "IsWIPOperation": "is_wip",
    "IsRepairOperation": "is_repair",
}


def _process_fields(body: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Validated column values for the Process fields present in `body`."""
    fields = Fields(body, prefix)
    values: dict[str, Any] = {
        "code": fields.get_int("Code"),
        "name": fields.get_str("Name"),
        "description": fields.get_str("Description"),
        "process_index": fields.get_int("ProcessIndex"),
        "state": fields.get_int("State"),
        "properties": fields.get_str("Properties"),
        "is_test": fields.get_bool("IsTestOperation"),
        "is_wip": fields.get_bool("IsWIPOperation"),
        "is_repair": fields.get_bool("IsRepairOperation"),
    }
    if values["name"] is not None and not values["name"].strip():
        name = f"{prefix}.Name" if prefix else "Name"
        raise BadRequest(f"The field '{name}' must not be empty.", field=name)
    return {column: value for column, value in values.items() if value is not None}


def _check_code_free(store: Storage, code: int, process_id: str, field: str) -> None:
    other = store.query_one(
        "SELECT process_id FROM process WHERE code = ? AND process_id != ?", (code, process_id)
    )
    if other is not None:
        raise Conflict(f"A process with Code {code} already exists.", field=field)


def _update(store: Storage, process_id: str, values: dict[str, Any], prefix: str = "") -> None:
    if "code" in values:
        _check_code_free(store, values["code"], process_id, f"{prefix}Code")
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)
        store.execute(
            f"UPDATE process SET {assignments} WHERE process_id = ?",  # noqa: S608 - fixed column names
            [*values.values(), process_id],
        )


# --- handlers ----------------------------------------------------------------------


async def get_processes(request: Request) -> JSONResponse:
    return JSONResponse([internal_json(row) for row in all_processes(get_store(request))])


async def get_process(request: Request) -> JSONResponse:
    return JSONResponse(internal_json(_find(get_store(request), path_uuid(request, "id"))))


async def get_repair_operations(request: Request) -> JSONResponse:
    rows = get_store(request).query(
        "SELECT code, repair_config FROM process WHERE is_repair = 1 AND repair_config IS NOT NULL "
        "ORDER BY code"
    )
    return JSONResponse({str(row["code"]): json.loads(row["repair_config"]) for row in rows})


async def get_repair_operation(request: Request) -> JSONResponse:
    row = _find(get_store(request), path_uuid(request, "id"))
    code = query_int(request, "processCode")
    if not row["is_repair"] or not row["repair_config"] or code not in (None, row["code"]):
        raise NotFound(f"No repair operation for process {row['process_id']}.")
    return JSONResponse(json.loads(row["repair_config"]))


async def post_process(request: Request) -> JSONResponse:
    body = await json_object(request)
    store = get_store(request)
    values = _process_fields(body)
    for required, column in (("Code", "code"), ("Name", "name")):
        if column not in values:
            raise BadRequest(f"The field '{required}' is required.", field=required)
    process_id = Fields(body).get_uuid("ProcessID") or str(uuid.uuid4())
    if store.query_one("SELECT 1 FROM process WHERE process_id = ?", (process_id,)):
        raise Conflict(f"A process with ProcessID {process_id} already exists.", field="ProcessID")
    _check_code_free(store, values["code"], process_id, "Code")
    if "process_index" not in values:
        values["process_index"] = store.scalar(
            "SELECT COALESCE(MAX(process_index), -1) + 1 FROM process"
        )
    columns = ["process_id", *values]
    store.execute(
        f"INSERT INTO process ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",  # noqa: S608
        [process_id, *values.values()],
    )
    return JSONResponse(internal_json(_find(store, process_id)))


async def put_process(request: Request) -> Response:
    body = await json_object(request)
    store = get_store(request)
    process_id = Fields(body).get_uuid("ProcessID", required=True)
    assert process_id is not None
    _find(store, process_id)
    _update(store, process_id, _process_fields(body))
    return Response(status_code=204)


async def update_processes(request: Request) -> JSONResponse:
    items = await json_array(request)
    store = get_store(request)
    updates: list[tuple[str, dict[str, Any], str]] = []
    for index, item in enumerate(items):
        prefix = f"[{index}]"
        if not isinstance(item, dict):
            raise BadRequest(f"The item '{prefix}' must be a Process object.", field=prefix)
        process_id = Fields(item, prefix).get_uuid("ProcessID", required=True)
        assert process_id is not None
        _find(store, process_id)
        updates.append((process_id, _process_fields(item, prefix), f"{prefix}."))
    with store.transaction():
        for process_id, values, prefix in updates:
            _update(store, process_id, values, prefix)
    return JSONResponse([internal_json(_find(store, pid)) for pid, _, _ in updates])


def _validate_repair_type(body: dict[str, Any]) -> dict[str, Any]:
    fields = Fields(body)
    fields.get_str("Description", required=True)
    for key in ("UUTRequired", "BOMRequired", "VendorRequired"):
        fields.get_int(key)
    for key in ("CompRefMask", "CompRefMaskDescription", "BomConstraint"):
        fields.get_str(key)
    for index, category in enumerate(fields.get_list("Categories") or []):
        _validate_failcode(category, f"Categories[{index}]")
    for index, info in enumerate(fields.get_list("MiscInfos") or []):
        if not isinstance(info, dict):
            raise BadRequest(
                f"The item 'MiscInfos[{index}]' must be an object.", field=f"MiscInfos[{index}]"
            )
        Fields(info, f"MiscInfos[{index}]").get_str("Description")
    return body


def _validate_failcode(item: Any, name: str) -> None:
    if not isinstance(item, dict):
        raise BadRequest(f"The item '{name}' must be an object.", field=name)
    fields = Fields(item, name)
    fields.get_uuid("GUID")
    fields.get_str("Description", required=True)
    fields.get_bool("Selectable")
    for key in ("SortOrder", "FailureType", "Status"):
        fields.get_int(key)
    for index, child in enumerate(fields.get_list("Failcodes") or []):
        _validate_failcode(child, f"{name}.Failcodes[{index}]")


async def put_repair_operation(request: Request) -> JSONResponse:
    process_id = query_uuid(request, "processId", required=True)
    assert process_id is not None
    store = get_store(request)
    row = _find(store, process_id)
    if not row["is_repair"]:
        raise BadRequest(f"Process {process_id} is not a repair operation.", field="processId")
    config = _validate_repair_type(await json_object(request))
    store.execute(
        "UPDATE process SET repair_config = ? WHERE process_id = ?",
        (json.dumps(config), process_id),
    )
    return JSONResponse(config)


async def delete_process(request: Request) -> JSONResponse:
    store = get_store(request)
    row = _find(store, path_uuid(request, "id"))
    store.execute("DELETE FROM process WHERE process_id = ?", (row["process_id"],))
    return JSONResponse(internal_json(row))


_BASE = "/api/internal/Process"

DOMAIN = Domain(
    name="process",
    schema=SCHEMA,
    seed=seed,
    routes=[
        Route(f"{_BASE}/GetProcesses", get_processes, methods=["GET"]),
        Route(f"{_BASE}/GetProcess/{{id}}", get_process, methods=["GET"]),
        Route(f"{_BASE}/GetRepairOperations", get_repair_operations, methods=["GET"]),
        Route(f"{_BASE}/GetRepairOperation/{{id}}", get_repair_operation, methods=["GET"]),
        Route(f"{_BASE}/PostProcess", post_process, methods=["POST"]),
        Route(f"{_BASE}/PutProcess", put_process, methods=["PUT"]),
        Route(f"{_BASE}/PutRepairOperation", put_repair_operation, methods=["PUT"]),
        Route(f"{_BASE}/Update", update_processes, methods=["PUT"]),
        Route(f"{_BASE}/DeleteProcess/{{id}}", delete_process, methods=["DELETE"]),
    ],
)
