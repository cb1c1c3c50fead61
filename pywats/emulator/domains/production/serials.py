"""Serial-number pools: types, take, look-ups by range and reference, export and import.

Files are CSV (a header row; `SerialNumber` required) or XML (`<SerialNumbers><SN id=.../>`).
An import is validated completely before anything is written: one bad line rejects the file.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ...errors import BadRequest, NotFound
from ...params import decode_text, parse_bool, parse_datetime, parse_int, query_bool, query_str
from ...state import get_store
from ...storage import Storage
from .catalog import IDENTIFIER_NAMES
from .units import required_text
from .units_db import Json, now_text, wire_time

MAX_TAKE = 10_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # about a million serial numbers per file
FORMATS = ("xml", "csv")
CSV_COLUMNS = (
    "SerialNumber",
    "Taken",
    "TakenDate",
    "ReferenceSerialNumber",
    "ReferencePartNumber",
    "StationName",
)
_MEDIA = {"xml": "application/xml", "csv": "text/csv"}


@dataclass(frozen=True)
class SnType:
    name: str
    reg_ex: str
    identifier: int

    def normalise(self, serial: str) -> str:
        serial = serial.strip()
        return serial.upper() if self.identifier == 1 else serial

    def valid(self, serial: str) -> bool:
        return re.fullmatch(self.reg_ex, serial) is not None

    def sequence(self, serial: str) -> int:
        """The number a serial stands for, to find runs without gaps."""
        if self.identifier == 1:
            return int(serial.replace(":", ""), 16)
        digits = re.search(r"(\d+)$", serial)
        return int(digits.group(1)) if digits else -1


def require_type(store: Storage, name: str, field: str = "serialNumberType") -> SnType:
    row = store.query_one("SELECT * FROM production_sn_type WHERE name = ?", (name,))
    if row is None:
        known = ", ".join(
            r[0] for r in store.query("SELECT name FROM production_sn_type ORDER BY name")
        )
        raise BadRequest(
            f"Serial number type '{name}' does not exist (types: {known}).", field=field
        )
    return SnType(str(row["name"]), str(row["reg_ex"]), int(row["identifier"]))


def _format(request: Request, *, required: bool) -> str:
    value = query_str(request, "format", required=required)
    fmt = (value or "xml").strip().lower()
    if fmt not in FORMATS:
        raise BadRequest(f"The format '{value}' is not supported; use XML or CSV.", field="format")
    return fmt


def _address(request: Request, sn_type: SnType, name: str, *, required: bool) -> str | None:
    value = query_str(request, name, required=required)
    if value is None or (not value.strip() and not required):
        return None
    serial = sn_type.normalise(value)
    if not sn_type.valid(serial):
        raise BadRequest(
            f"'{value}' is not a valid {sn_type.name} serial number (pattern {sn_type.reg_ex}).",
            field=name,
        )
    return serial


def _date(request: Request, name: str) -> str | None:
    value = query_str(request, name)
    return wire_time(parse_datetime(value, name)) if value else None


async def get_types(request: Request) -> JSONResponse:
    rows = get_store(request).query("SELECT * FROM production_sn_type ORDER BY name")
    return JSONResponse(
        [
            {
                "name": row["name"],
                "description": row["description"],
                "format": row["format"],
                "regEx": row["reg_ex"],
                "identifier": row["identifier"],
                "identifierName": IDENTIFIER_NAMES.get(int(row["identifier"]), "Unknown"),
            }
            for row in rows
        ]
    )


def _record(row: sqlite3.Row) -> Json:
    body: Json = {
        "serialNumber": row["serial_number"],
        "serialNumberType": row["type_name"],
        "generated": row["generated_utc"],
        "taken": row["taken_utc"] is not None,
    }
    for key, column in (
        ("takenDate", "taken_utc"),
        ("referenceSerialNumber", "ref_sn"),
        ("referencePartNumber", "ref_pn"),
        ("stationName", "station_name"),
    ):
        if row[column] is not None:
            body[key] = row[column]
    return body


def _pick(
    sn_type: SnType, free: list[sqlite3.Row], quantity: int, in_sequence: bool
) -> list[sqlite3.Row]:
    if not in_sequence:
        return free[:quantity]
    run: list[sqlite3.Row] = []
    for row in free:
        if (
            run
            and sn_type.sequence(row["serial_number"])
            != sn_type.sequence(run[-1]["serial_number"]) + 1
        ):
            run = []
        run.append(row)
        if len(run) == quantity:
            return run
    return []


def _file_body(fmt: str, sn_type: str, rows: list[sqlite3.Row], *, full: bool) -> Response:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS if full else CSV_COLUMNS[:1])
        for row in rows:
            if full:
                writer.writerow(
                    [
                        row["serial_number"],
                        "true" if row["taken_utc"] else "false",
                        row["taken_utc"] or "",
                        row["ref_sn"] or "",
                        row["ref_pn"] or "",
                        row["station_name"] or "",
                    ]
                )
            else:
                writer.writerow([row["serial_number"]])
        text = out.getvalue()
    else:
        root = ET.Element("SerialNumbers", type=sn_type)
        for row in rows:
            element = ET.SubElement(root, "SN", id=row["serial_number"])
            if full:
                element.set("taken", "true" if row["taken_utc"] else "false")
                for attribute, column in (
                    ("takenDate", "taken_utc"),
                    ("refSN", "ref_sn"),
                    ("refPN", "ref_pn"),
                    ("stationName", "station_name"),
                ):
                    if row[column]:
                        element.set(attribute, row[column])
        text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return Response(text, media_type=_MEDIA[fmt])


async def take(request: Request) -> Response:
    store = get_store(request)
    sn_type = require_type(store, required_text(request, "serialNumberType"))
    quantity = parse_int(required_text(request, "quantity"), "quantity")
    if not 1 <= quantity <= MAX_TAKE:
        raise BadRequest(f"quantity must be between 1 and {MAX_TAKE}.", field="quantity")
    in_sequence = query_bool(request, "onlyInSequence", False)
    fmt = _format(request, required=False)
    with store.transaction():
        free = store.query(
            "SELECT * FROM production_sn WHERE type_name = ? AND taken_utc IS NULL "
            "ORDER BY serial_number",
            (sn_type.name,),
        )
        if not free:
            raise NotFound(f"No free serial numbers of type '{sn_type.name}' are left.")
        chosen = _pick(sn_type, free, quantity, in_sequence)
        if not chosen:
            raise BadRequest(
                f"There is no run of {quantity} free {sn_type.name} serial numbers without gaps.",
                field="onlyInSequence",
            )
        taken = now_text()
        store.executemany(
            "UPDATE production_sn SET taken_utc = ?, ref_sn = ?, ref_pn = ?, station_name = ? "
            "WHERE sn_id = ?",
            [
                (
                    taken,
                    query_str(request, "refSN") or None,
                    query_str(request, "refPN") or None,
                    query_str(request, "stationName") or None,
                    row["sn_id"],
                )
                for row in chosen
            ],
        )
    return _file_body(fmt, sn_type.name, chosen, full=False)


def _range_rows(
    store: Storage,
    sn_type: SnType,
    start: str | None,
    end: str | None,
    start_date: str | None,
    end_date: str | None,
    extra: str = "",
    extra_params: tuple[str, ...] = (),
) -> list[sqlite3.Row]:
    sql = "SELECT * FROM production_sn WHERE type_name = ?"
    params: list[str] = [sn_type.name]
    for clause, value in (
        ("serial_number >= ?", start),
        ("serial_number <= ?", end),
        ("generated_utc >= ?", start_date),
        ("generated_utc <= ?", end_date),
    ):
        if value is not None:
            sql += f" AND {clause}"
            params.append(value)
    return store.query(sql + extra + " ORDER BY serial_number", (*params, *extra_params))


async def by_range(request: Request) -> JSONResponse:
    store = get_store(request)
    sn_type = require_type(store, required_text(request, "serialNumberType"))
    start = _address(request, sn_type, "startAddress", required=True)
    end = _address(request, sn_type, "endAddress", required=True)
    if start and end and sn_type.sequence(start) > sn_type.sequence(end):
        raise BadRequest(
            f"startAddress '{start}' comes after endAddress '{end}'.", field="startAddress"
        )
    rows = _range_rows(
        store, sn_type, start, end, _date(request, "startDate"), _date(request, "endDate")
    )
    return JSONResponse([_record(row) for row in rows])


async def by_reference(request: Request) -> JSONResponse:
    store = get_store(request)
    sn_type = require_type(store, required_text(request, "serialNumberType"))
    ref_sn = (query_str(request, "refSN") or "").strip()
    ref_pn = (query_str(request, "refPN") or "").strip()
    if not ref_sn and not ref_pn:
        raise BadRequest("Give refSN, refPN or both.", field="refSN")
    extra = " AND taken_utc IS NOT NULL"
    params: tuple[str, ...] = ()
    if ref_sn:
        extra += " AND ref_sn = ? COLLATE NOCASE"
        params += (ref_sn,)
    if ref_pn:
        extra += " AND ref_pn = ? COLLATE NOCASE"
        params += (ref_pn,)
    rows = _range_rows(
        store,
        sn_type,
        None,
        None,
        _date(request, "startDate"),
        _date(request, "endDate"),
        extra,
        params,
    )
    return JSONResponse([_record(row) for row in rows])


async def export(request: Request) -> Response:
    store = get_store(request)
    sn_type = require_type(store, required_text(request, "serialNumberType"))
    fmt = _format(request, required=True)
    rows = _range_rows(
        store,
        sn_type,
        _address(request, sn_type, "startAddress", required=False),
        _address(request, sn_type, "endAddress", required=False),
        _date(request, "startDate"),
        _date(request, "endDate"),
    )
    response = _file_body(fmt, sn_type.name, rows, full=True)
    response.headers["Content-Disposition"] = f'attachment; filename="{sn_type.name}.{fmt}"'
    return response


@dataclass(frozen=True)
class _Entry:
    serial: str
    taken: bool
    taken_date: str | None
    ref_sn: str | None
    ref_pn: str | None
    station: str | None


def _parse_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise BadRequest(
            "The CSV file is empty; it needs a header row with SerialNumber.", field="file"
        )
    _, header = rows[0]
    names = [cell.strip() for cell in header]
    lookup = {column.lower(): column for column in CSV_COLUMNS}
    unknown = [name for name in names if name.lower() not in lookup]
    if unknown:
        raise BadRequest(
            f"Line 1: unknown column(s) {', '.join(unknown)}; the columns are "
            f"{', '.join(CSV_COLUMNS)}.",
            field="file",
        )
    if "serialnumber" not in (name.lower() for name in names):
        raise BadRequest("Line 1: the header has no SerialNumber column.", field="file")
    columns = [lookup[name.lower()] for name in names]
    out = []
    for line, cells in rows[1:]:
        if len(cells) != len(columns):
            raise BadRequest(
                f"Line {line}: {len(cells)} value(s), the header has {len(columns)}.", field="file"
            )
        out.append((line, dict(zip(columns, (c.strip() for c in cells), strict=True))))
    return out


def _parse_xml(text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        root = ET.fromstring(text)  # noqa: S314 - size-limited; expat refuses entity bombs
    except ET.ParseError as exc:
        raise BadRequest(f"The XML file is not well-formed: {exc}.", field="file") from None
    if root.tag != "SerialNumbers":
        raise BadRequest(f"The XML root must be <SerialNumbers>, not <{root.tag}>.", field="file")
    out = []
    for index, element in enumerate(root, start=1):
        if element.tag != "SN" or not element.get("id"):
            raise BadRequest(f'Element {index}: expected <SN id="..."/>.', field="file")
        out.append(
            (
                index,
                {
                    "SerialNumber": element.get("id", ""),
                    "Taken": element.get("taken", ""),
                    "TakenDate": element.get("takenDate", ""),
                    "ReferenceSerialNumber": element.get("refSN", ""),
                    "ReferencePartNumber": element.get("refPN", ""),
                    "StationName": element.get("stationName", ""),
                },
            )
        )
    return out


def _entries(sn_type: SnType, fmt: str, text: str) -> list[_Entry]:
    where = "Line" if fmt == "csv" else "Element"
    parsed = _parse_csv(text) if fmt == "csv" else _parse_xml(text)
    seen: set[str] = set()
    entries: list[_Entry] = []
    for line, values in parsed:
        serial = sn_type.normalise(values.get("SerialNumber", ""))
        if not sn_type.valid(serial):
            raise BadRequest(
                f"{where} {line}: '{serial}' is not a valid {sn_type.name} serial number "
                f"(pattern {sn_type.reg_ex}).",
                field="file",
            )
        if serial in seen:
            raise BadRequest(f"{where} {line}: '{serial}' appears twice in the file.", field="file")
        seen.add(serial)
        taken_text = values.get("Taken", "")
        taken = parse_bool(taken_text, f"{where} {line} Taken") if taken_text else False
        date_text = values.get("TakenDate", "")
        taken_date = (
            wire_time(parse_datetime(date_text, f"{where} {line} TakenDate")) if date_text else None
        )
        entries.append(
            _Entry(
                serial,
                taken or taken_date is not None,
                taken_date,
                values.get("ReferenceSerialNumber") or None,
                values.get("ReferencePartNumber") or None,
                values.get("StationName") or None,
            )
        )
    if not entries:
        raise BadRequest("The file contains no serial numbers.", field="file")
    return entries


async def _upload_text(request: Request) -> str:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        files = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        if not files:
            raise BadRequest("The multipart body has no file part.", field="file")
        raw = await files[0].read()
    else:
        raw = await request.body()
    if not raw.strip():
        raise BadRequest("The uploaded file is empty.", field="file")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise BadRequest(
            f"The uploaded file is {len(raw)} bytes; at most {MAX_UPLOAD_BYTES} are accepted.",
            field="file",
        )
    return decode_text(raw, "file")


async def upload(request: Request) -> JSONResponse:
    store = get_store(request)
    sn_type = require_type(store, required_text(request, "serialNumberType"))
    fmt = _format(request, required=True)
    entries = _entries(sn_type, fmt, await _upload_text(request))
    generated = now_text()
    with store.transaction():
        existing = {
            row[0]
            for row in store.query(
                "SELECT serial_number FROM production_sn WHERE type_name = ?", (sn_type.name,)
            )
        }
        new = [e for e in entries if e.serial not in existing]
        store.executemany(
            "INSERT INTO production_sn (type_name, serial_number, generated_utc, taken_utc, "
            "ref_sn, ref_pn, station_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sn_type.name,
                    e.serial,
                    generated,
                    (e.taken_date or generated) if e.taken else None,
                    e.ref_sn,
                    e.ref_pn,
                    e.station,
                )
                for e in new
            ],
        )
    return JSONResponse(
        {"serialNumberType": sn_type.name, "imported": len(new), "skipped": len(entries) - len(new)}
    )
