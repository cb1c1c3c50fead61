"""Handlers for products and revisions: query, get, and the single and ERP-bulk PUTs."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...odata import Field, ODataQuery
from ...params import json_array, json_object
from ...state import get_store
from .records import (
    parse_product,
    parse_revision,
    product_body,
    require_product,
    require_revision,
    revision_body,
    save_product,
    save_revision,
)
from .wire import VIEW_SQL, view_json

# Without $filter the server caps the list at 1000 rows (the spec's description).
UNFILTERED_TOP = 1000
MAX_TOP = 100_000

QUERY_FIELDS = {
    "partNumber": Field("part_number", "string"),
    "name": Field("name", "string"),
    "description": Field("description", "string"),
    "category": Field("category", "string"),
    "productCategoryName": Field("category", "string"),
    "productCategoryId": Field("category_id", "guid"),
    "nonSerial": Field("non_serial", "bool"),
    "state": Field("state", "int"),
}


async def query_products(request: Request) -> JSONResponse:
    has_filter = any(key.lower() == "$filter" for key in request.query_params)
    query = ODataQuery.from_request(
        request, default_top=None if has_filter else UNFILTERED_TOP, max_top=MAX_TOP
    )
    rows = query.run(get_store(request), VIEW_SQL, QUERY_FIELDS, default_order="part_number")
    return JSONResponse([view_json(row) for row in rows])


async def get_product(request: Request) -> JSONResponse:
    store = get_store(request)
    row = require_product(store, request.path_params["partNumber"])
    return JSONResponse(product_body(store, row["product_id"]))


async def get_revision(request: Request) -> JSONResponse:
    store = get_store(request)
    _, row = require_revision(
        store, request.path_params["partNumber"], request.path_params["revision"]
    )
    return JSONResponse(revision_body(store, row["revision_id"]))


async def put_product(request: Request) -> JSONResponse:
    item = parse_product(await json_object(request))
    store = get_store(request)
    with store.transaction():
        product_id = save_product(store, item)
    return JSONResponse(product_body(store, product_id))


async def put_products(request: Request) -> JSONResponse:
    items = [
        parse_product(raw, f"[{index}].") for index, raw in enumerate(await json_array(request))
    ]
    store = get_store(request)
    with store.transaction():
        ids = [save_product(store, item) for item in items]
    return JSONResponse([product_body(store, product_id) for product_id in ids])


async def put_revision(request: Request) -> JSONResponse:
    item = parse_revision(await json_object(request))
    store = get_store(request)
    with store.transaction():
        revision_id = save_revision(store, item)
    return JSONResponse(revision_body(store, revision_id))


async def put_revisions(request: Request) -> JSONResponse:
    raw_items = await json_array(request)
    items = [parse_revision(raw, f"[{index}].") for index, raw in enumerate(raw_items)]
    store = get_store(request)
    with store.transaction():
        ids = [save_revision(store, item) for item in items]
    return JSONResponse([revision_body(store, revision_id) for revision_id in ids])
