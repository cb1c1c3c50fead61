"""Report headers: the rows of ``GET /api/Report/Query/Header`` and ``HeaderByMiscInfo``.

Headers say ``result`` in words (Passed, Failed...) and ``start`` in UTC, as the OData
ReportHeader does; the filterable names are the ReportHeader property names.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.requests import Request

from ...errors import BadRequest
from ...odata import Field, ODataQuery
from ...params import parse_int
from ...storage import Storage
from .store import RESULT_WORDS
from .timefmt import header_time
from .wsjf_dicts import Json

DEFAULT_TOP = 10
MAX_TOP = 10_000

_RESULT_SQL = (
    "CASE r.result "
    + " ".join(f"WHEN '{code}' THEN '{word}'" for code, word in RESULT_WORDS.items())
    + " ELSE r.result END"
)
# Process names come from the process domain's table when it is installed.
BASE_SQL = (
    f"SELECT r.*, {_RESULT_SQL} AS result_word, p.name AS process_name "  # noqa: S608 - constants
    "FROM report r LEFT JOIN process p ON p.code = r.process_code"
)
BASE_SQL_NO_PROCESS = (
    f"SELECT r.*, {_RESULT_SQL} AS result_word, NULL AS process_name FROM report r"  # noqa: S608
)

FIELDS: dict[str, Field] = {
    "uuid": Field("uuid", "guid"),
    "serialNumber": Field("serial_number COLLATE NOCASE", "string"),
    "partNumber": Field("part_number COLLATE NOCASE", "string"),
    "reportType": Field("report_type", "string"),
    "start": Field("start_utc", "datetime"),
    "revision": Field("revision COLLATE NOCASE", "string"),
    "result": Field("result_word COLLATE NOCASE", "string"),
    "batchNumber": Field("batch_number COLLATE NOCASE", "string"),
    "userName": Field("user_name COLLATE NOCASE", "string"),
    "stationName": Field("station_name COLLATE NOCASE", "string"),
    "location": Field("location COLLATE NOCASE", "string"),
    "purpose": Field("purpose COLLATE NOCASE", "string"),
    "timeStamp": Field("time_stamp", "int"),
    "processCode": Field("process_code", "int"),
    "processName": Field("process_name COLLATE NOCASE", "string"),
    "comment": Field("comment", "string"),
    "executionTime": Field("execution_time", "float"),
    "swFilename": Field("sw_filename", "string"),
    "swVersion": Field("sw_version", "string"),
    "testSocketIndex": Field("test_socket_index", "int"),
    "fixtureId": Field("fixture_id COLLATE NOCASE", "string"),
    "errorCode": Field("error_code", "int"),
    "errorMessage": Field("error_message", "string"),
    "run": Field("run", "int"),
    "receiveCount": Field("receive_count", "int"),
    "reportSize": Field("report_size", "int"),
    "causedUutFailure": Field("caused_uut_failure COLLATE NOCASE", "string"),
    "causedUutFailurePath": Field("caused_uut_failure_path", "string"),
    "passedInRun": Field("passed_in_run", "int"),
    "referencedUut": Field("referenced_uut", "guid"),
}
# The server orders by these only.
ORDER_FIELDS = {name: FIELDS[name] for name in ("start", "uuid", "serialNumber", "timeStamp")}
EXPANDS = {
    "subunits", "miscinfo", "assets", "attachments", "uursubunits", "uurmiscinfo",
    "uurattachments",
}  # fmt: skip

_COLUMNS = (
    ("uuid", "uuid"), ("serialNumber", "serial_number"), ("partNumber", "part_number"),
    ("reportType", "report_type"), ("revision", "revision"), ("result", "result_word"),
    ("batchNumber", "batch_number"), ("userName", "user_name"), ("stationName", "station_name"),
    ("location", "location"), ("purpose", "purpose"), ("timeStamp", "time_stamp"),
    ("processCode", "process_code"), ("processName", "process_name"), ("comment", "comment"),
    ("executionTime", "execution_time"), ("swFilename", "sw_filename"),
    ("swVersion", "sw_version"), ("testSocketIndex", "test_socket_index"),
    ("fixtureId", "fixture_id"), ("errorCode", "error_code"), ("errorMessage", "error_message"),
    ("run", "run"), ("receiveCount", "receive_count"), ("reportSize", "report_size"),
    ("causedUutFailure", "caused_uut_failure"),
    ("causedUutFailurePath", "caused_uut_failure_path"), ("passedInRun", "passed_in_run"),
    ("referencedUut", "referenced_uut"),
)  # fmt: skip


def base_sql(store: Storage) -> str:
    has_process = store.scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'process'"
    )
    return BASE_SQL if has_process else BASE_SQL_NO_PROCESS


def header_json(row: sqlite3.Row) -> Json:
    """One ReportHeader; properties without a value are left out, as the server's OData does."""
    data: Json = {}
    for key, column in _COLUMNS:
        value = row[column]
        if value is not None:
            data[key] = value
    data["start"] = header_time(row["start_utc"])
    data["measuresDeleted"] = False
    return data


def _report_type_param(request: Request) -> str | None:
    """``reportType=U|R``: not in the spec, but pyWATS and older clients send it."""
    raw = next((v for k, v in request.query_params.items() if k.lower() == "reporttype"), None)
    if raw is None or raw == "":
        return None
    kinds = {"u": "T", "t": "T", "uut": "T", "r": "R", "uur": "R"}
    kind = kinds.get(raw.strip().lower())
    if kind is None:
        raise BadRequest(
            f"The value '{raw}' is not valid for reportType: use U (tests) or R (repairs).",
            field="reportType",
        )
    return kind


def _expands(request: Request) -> set[str]:
    raw = next((v for k, v in request.query_params.items() if k.lower() == "$expand"), "")
    wanted = {part.strip().lower() for part in raw.split(",") if part.strip()}
    unknown = wanted - EXPANDS
    if unknown:
        raise BadRequest(
            f"Invalid $expand: {', '.join(sorted(unknown))} cannot be expanded "
            "(use subUnits, miscInfo, assets, attachments, uurSubUnits, uurMiscInfo, "
            "uurAttachments).",
            field="$expand",
        )
    return wanted


def _selects(request: Request) -> list[str] | None:
    raw = next((v for k, v in request.query_params.items() if k.lower() == "$select"), "")
    if not raw.strip():
        return None
    names = [part.strip() for part in raw.split(",") if part.strip()]
    lowered = {name.lower(): name for name in [*FIELDS, "measuresDeleted"]}
    chosen = []
    for name in names:
        if name.lower() not in lowered:
            raise BadRequest(
                f"Invalid $select: '{name}' is not a report header property.", field="$select"
            )
        chosen.append(lowered[name.lower()])
    return chosen


def query_headers(request: Request, store: Storage) -> list[Json]:
    params = dict(request.query_params)
    if any(key.lower() == "$count" for key in params):
        raise BadRequest("The query option $count is not supported.", field="$count")
    query = ODataQuery.parse(params, default_top=DEFAULT_TOP, max_top=MAX_TOP)
    orderable = {name.lower() for name in ORDER_FIELDS}
    for item in query.orderby:
        if item.field.name.lower() not in orderable:
            raise BadRequest(
                f"Invalid $orderby: '{item.field.name}' cannot be ordered by; the server orders "
                "by start, uuid, serialNumber and timeStamp only.",
                field="$orderby",
            )
    expands = _expands(request)
    selects = _selects(request)
    sql, values = base_sql(store), []
    kind = _report_type_param(request)
    if kind is not None:
        sql, values = f"{sql} WHERE r.report_type = ?", [kind]
    rows = query.run(
        store,
        sql,
        FIELDS,
        values,
        # Newest first unless asked otherwise; time_stamp keeps pages stable on equal starts.
        default_order=None if query.orderby else "julianday(start_utc) DESC, time_stamp DESC",
    )
    headers = []
    for row in rows:
        header = header_json(row)
        if expands:
            header.update(_expanded(store, row, expands))
        if selects is not None:
            keep = set(selects) | {
                "subUnits",
                "miscInfo",
                "assets",
                "attachments",
                "uurSubUnits",
                "uurMiscInfo",
                "uurAttachments",
            }
            header = {key: value for key, value in header.items() if key in keep}
        headers.append(header)
    return headers


def _expanded(store: Storage, row: sqlite3.Row, expands: set[str]) -> Json:
    body: Json = json.loads(row["body"])
    is_uut = row["report_type"] == "T"
    extra: Json = {}
    units = [u for u in body.get("subUnits") or [] if isinstance(u, dict)]
    misc = [
        {k: v for k, v in (("description", m.get("description")),
                           ("value", m.get("text") if m.get("text") is not None
                            else (None if m.get("numeric") is None else str(m.get("numeric")))))
         if v is not None}
        for m in body.get("miscInfos") or [] if isinstance(m, dict)
    ]  # fmt: skip
    attachments = store.query(
        "SELECT step_id, attachment_id, name FROM report_attachment WHERE report_uuid = ?",
        (row["uuid"],),
    )
    if is_uut and "subunits" in expands:
        extra["subUnits"] = [_unit(u, with_type=True) for u in units]
    if is_uut and "miscinfo" in expands:
        extra["miscInfo"] = misc
    if is_uut and "assets" in expands:
        extra["assets"] = [
            {"serialNumber": a.get("assetSN")}
            for a in body.get("assets") or []
            if isinstance(a, dict) and a.get("assetSN")
        ]
    if is_uut and "attachments" in expands:
        extra["attachments"] = [
            {"stepId": a["step_id"], "filename": a["name"]}
            for a in attachments
            if a["step_id"] is not None
        ]
    if not is_uut and "uursubunits" in expands:
        extra["uurSubUnits"] = [_unit(u, with_type=False) for u in units]
    if not is_uut and "uurmiscinfo" in expands:
        extra["uurMiscInfo"] = misc
    if not is_uut and "uurattachments" in expands:
        extra["uurAttachments"] = [
            {"id": a["attachment_id"], "filename": a["name"]}
            for a in attachments
            if a["attachment_id"] is not None
        ]
    return extra


def _unit(unit: Json, *, with_type: bool) -> Json:
    keys: list[tuple[str, str]] = [
        ("serialNumber", "sn"),
        ("partNumber", "pn"),
        ("revision", "rev"),
    ]
    if with_type:
        keys.insert(0, ("partType", "partType"))
    return {key: unit[source] for key, source in keys if unit.get(source) is not None}


def headers_by_misc_info(request: Request, store: Storage) -> list[Json]:
    """Reports with a misc info matching ``description`` and ``data`` (either may be left out)."""
    lowered = {key.lower(): value for key, value in request.query_params.items()}
    description = lowered.get("description")
    data = lowered.get("data")
    serial = lowered.get("serialnumber")
    code_text = lowered.get("processcode")
    if not description and not data and not serial:
        raise BadRequest(
            "Give at least one of description, data or serialNumber to search by.",
            field="description",
        )
    conditions = ["1 = 1"]
    values: list[Any] = []
    if description or data:
        sub = ["m.report_uuid = r.uuid"]
        if description:
            sub.append("m.description = ? COLLATE NOCASE")
            values.append(description)
        if data:
            sub.append("m.value = ? COLLATE NOCASE")
            values.append(data)
        where = " AND ".join(sub)  # fixed fragments; values are bound
        conditions.append(f"EXISTS (SELECT 1 FROM report_misc_info m WHERE {where})")  # noqa: S608
    if serial:
        conditions.append("r.serial_number = ?")
        values.append(serial)
    if code_text:
        values.append(parse_int(code_text, "processCode", bits=32))
        conditions.append("r.process_code = ?")
    sql = (
        f"SELECT * FROM ({base_sql(store)}) r WHERE {' AND '.join(conditions)} "  # noqa: S608
        "ORDER BY julianday(r.start_utc) DESC LIMIT 1000"
    )
    results = []
    for row in store.query(sql, values):
        misc = store.query(
            "SELECT description, value FROM report_misc_info WHERE report_uuid = ?", (row["uuid"],)
        )
        item: Json = {
            "miscData": [
                {
                    k: v
                    for k, v in (("description", m["description"]), ("data", m["value"]))
                    if v is not None
                }
                for m in misc
            ],
            "serialNumber": row["serial_number"],
            "partNumber": row["part_number"],
            "start": header_time(row["start_utc"]),
            "result": row["result_word"],
            "uuid": row["uuid"],
            "processCode": row["process_code"],
            "processName": row["process_name"],
        }
        results.append({key: value for key, value in item.items() if value is not None})
    return results
