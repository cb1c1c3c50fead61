"""Files attached to an asset (calibration certificates, fixture drawings): the internal
/api/internal/Blob/Asset endpoints. A download answers ``{"content": <base64>, ...}``, an
object as the spec promises; clients also accept raw bytes from other server versions."""

from __future__ import annotations

import base64
import mimetypes
import re

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import ApiError, BadRequest, NotFound
from ...params import json_array, query_str
from ...state import get_store
from ...storage import Storage
from .alarm import wire_time
from .records import find_asset, request_now

MAX_FILE_BYTES = 16 * 1024 * 1024
NAME_MAX = 255
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def _asset_id(store: Storage, key: str, name: str = "assetId") -> str:
    row = find_asset(store, key)
    if row is None:
        raise NotFound(f"No asset with {name} '{key}'.")
    return str(row["asset_id"])


def check_filename(value: str, name: str = "filename") -> str:
    text = value.strip()
    if not text:
        raise BadRequest(f"The parameter '{name}' must not be empty.", field=name)
    if len(text) > NAME_MAX:
        raise BadRequest(f"The parameter '{name}' is longer than {NAME_MAX} characters.",
                         field=name)
    if _BAD_NAME.search(text) or text in (".", ".."):
        raise BadRequest(
            f"The parameter '{name}' must be a plain file name (no path, no \\ / : * ? \" < > |).",
            field=name,
        )
    return text


def _required(request: Request, name: str) -> str:
    value = query_str(request, name, required=True)
    assert value is not None
    if not value.strip():
        raise BadRequest(f"The query parameter '{name}' must not be empty.", field=name)
    return value


async def upload(request: Request) -> JSONResponse:
    store = get_store(request)
    asset_id = _asset_id(store, _required(request, "assetId"))
    filename = check_filename(_required(request, "filename"))
    data = await request.body()
    if len(data) > MAX_FILE_BYTES:
        raise ApiError(413, f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB.",
                       field="body")
    with store.transaction():
        store.execute("DELETE FROM asset_file WHERE asset_id = ? AND filename = ?",
                      (asset_id, filename))
        store.execute(
            "INSERT INTO asset_file (asset_id, filename, data, uploaded) VALUES (?, ?, ?, ?)",
            (asset_id, filename, data, wire_time(request_now(request))),
        )
    return JSONResponse({"assetId": asset_id, "filename": filename, "size": len(data)})


async def download(request: Request) -> JSONResponse:
    store = get_store(request)
    asset_id = _asset_id(store, _required(request, "assetId"))
    filename = check_filename(_required(request, "filename"))
    row = store.query_one(
        "SELECT filename, data, uploaded FROM asset_file WHERE asset_id = ? AND filename = ?",
        (asset_id, filename),
    )
    if row is None:
        raise NotFound(f"Asset {asset_id} has no file '{filename}'.")
    data = bytes(row["data"])
    return JSONResponse({
        "assetId": asset_id,
        "filename": row["filename"],
        "contentType": mimetypes.guess_type(row["filename"])[0] or "application/octet-stream",
        "size": len(data),
        "uploaded": row["uploaded"],
        "content": base64.b64encode(data).decode("ascii"),
    })


async def list_files(request: Request) -> JSONResponse:
    store = get_store(request)
    asset_id = _asset_id(store, str(request.path_params["assetId"]))
    rows = store.query(
        "SELECT filename FROM asset_file WHERE asset_id = ? ORDER BY filename COLLATE NOCASE",
        (asset_id,),
    )
    return JSONResponse([row["filename"] for row in rows])


async def delete_files(request: Request) -> JSONResponse:
    """Deletes the named files (the body: a JSON array of file names); all or nothing."""
    store = get_store(request)
    asset_id = _asset_id(store, _required(request, "assetId"))
    names = await json_array(request)
    clean = []
    for index, name in enumerate(names):
        if not isinstance(name, str):
            raise BadRequest(f"The item body[{index}] must be a file name string.",
                             field=f"body[{index}]")
        clean.append(check_filename(name, f"body[{index}]"))
    with store.transaction():
        missing = [
            name for name in clean
            if store.scalar("SELECT 1 FROM asset_file WHERE asset_id = ? AND filename = ?",
                            (asset_id, name)) is None
        ]
        if missing:
            raise NotFound(f"Asset {asset_id} has no file named {', '.join(missing)}.")
        store.executemany(
            "DELETE FROM asset_file WHERE asset_id = ? AND filename = ?",
            [(asset_id, name) for name in clean],
        )
    return JSONResponse({"assetId": asset_id, "deleted": clean})
