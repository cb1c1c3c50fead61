"""GET, PUT (add missing) and DELETE /api/Product/Vendors; a vendor is {"VendorName": ...}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import BadRequest
from ...params import Fields, json_array
from ...state import get_store
from ...storage import Storage
from .wire import NAME_MAX, CaseInsensitive


def _all(store: Storage) -> list[dict[str, str]]:
    rows = store.query("SELECT name FROM product_vendor ORDER BY name")
    return [{"VendorName": row["name"]} for row in rows]


async def _names(request: Request) -> list[str]:
    names: list[str] = []
    for index, raw in enumerate(await json_array(request)):
        where = f"[{index}]"
        if not isinstance(raw, dict):
            raise BadRequest(f"The item '{where}' must be a Vendor object.", field=where)
        name = Fields(CaseInsensitive(raw), where).get_str("VendorName", required=True)
        assert name is not None
        if not name.strip() or len(name) > NAME_MAX:
            raise BadRequest(
                f"The field '{where}.VendorName' must be 1 to {NAME_MAX} characters.",
                field=f"{where}.VendorName",
            )
        names.append(name.strip())
    return names


async def get_vendors(request: Request) -> JSONResponse:
    return JSONResponse(_all(get_store(request)))


async def put_vendors(request: Request) -> JSONResponse:
    names = await _names(request)
    store = get_store(request)
    with store.transaction():
        store.executemany(
            "INSERT INTO product_vendor (name) VALUES (?) ON CONFLICT(name) DO NOTHING",
            [(name,) for name in names],
        )
    return JSONResponse(_all(store))


async def delete_vendors(request: Request) -> JSONResponse:
    names = await _names(request)
    store = get_store(request)
    with store.transaction():
        store.executemany("DELETE FROM product_vendor WHERE name = ?", [(name,) for name in names])
    return JSONResponse(_all(store))
