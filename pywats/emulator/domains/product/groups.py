"""Product-group membership: GET /api/Product/ProductGroupsByProduct and
POST /api/Product/ProductGroupFilter.

A group (the app domain's ``product_group``) selects products by its OData filter; explicit
include and exclude entries (``product_group_member``) add to or take from that.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import NotFound
from ...odata import ODataQuery
from ...params import query_bool, query_str
from ...state import get_store
from ...storage import Storage
from .products import QUERY_FIELDS
from .records import require_product, require_revision
from .wire import PART_NUMBER_MAX, REVISION_MAX, VIEW_SQL, check_key


def _matches_filter(store: Storage, filter_text: str, product_id: str) -> bool:
    if not filter_text.strip():
        return False
    query = ODataQuery.parse({"$filter": filter_text})
    rows = query.run(store, f"{VIEW_SQL} WHERE p.product_id = ?", QUERY_FIELDS, (product_id,))
    return bool(rows)


def _entries(
    store: Storage, group_id: int, part_number: str, revision: str | None
) -> list[sqlite3.Row]:
    # Product-wide entries always apply; revision entries only when that revision is asked.
    return store.query(
        "SELECT exclude FROM product_group_member WHERE product_group_id = ? AND part_number = ? "
        "AND (revision IS NULL OR revision = ?)",
        (group_id, part_number, revision),
    )


def groups_for(store: Storage, product: sqlite3.Row, revision: str | None) -> list[dict[str, Any]]:
    result = []
    for group in store.query("SELECT * FROM product_group ORDER BY product_group_id"):
        entries = _entries(store, group["product_group_id"], product["part_number"], revision)
        if any(entry["exclude"] for entry in entries):
            continue
        if entries or _matches_filter(store, group["filter"], product["product_id"]):
            result.append(
                {"productGroupId": group["product_group_id"], "productGroupName": group["name"]}
            )
    return result


async def groups_by_product(request: Request) -> JSONResponse:
    store = get_store(request)
    part_number = query_str(request, "partNumber", required=True)
    assert part_number is not None
    revision = query_str(request, "revision") or None
    if revision is not None:
        product, _ = require_revision(store, part_number, revision)
    else:
        product = require_product(store, part_number)
    return JSONResponse(groups_for(store, product, revision))


async def add_group_filter(request: Request) -> JSONResponse:
    store = get_store(request)
    group_name = query_str(request, "productGroup", required=True)
    part_number = query_str(request, "partNumber", required=True)
    assert group_name is not None and part_number is not None
    check_key(part_number, "partNumber", "part number", PART_NUMBER_MAX)
    revision = query_str(request, "revision") or None
    if revision is not None:
        check_key(revision, "revision", "revision", REVISION_MAX)
    exclude = query_bool(request, "exclude", False)
    group = store.query_one(
        "SELECT * FROM product_group WHERE name = ? COLLATE NOCASE", (group_name,)
    )
    if group is None:
        raise NotFound(f"No product group is named '{group_name}'.")
    if revision is not None:
        product, rev = require_revision(store, part_number, revision)
        revision = rev["revision"]
    else:
        product = require_product(store, part_number)
    key = (group["product_group_id"], product["part_number"], revision, int(exclude))
    find = (
        "SELECT * FROM product_group_member WHERE product_group_id = ? AND part_number = ? "
        "AND revision IS ? AND exclude = ?"
    )
    with store.transaction():
        # NULL revisions are distinct to a UNIQUE index, so look before inserting.
        row = store.query_one(find, key)
        if row is None:
            store.execute(
                "INSERT INTO product_group_member "
                "(product_group_id, part_number, revision, exclude) VALUES (?, ?, ?, ?)",
                key,
            )
            row = store.query_one(find, key)
    assert row is not None
    body: dict[str, Any] = {
        "id": row["member_id"],
        "productGroupId": group["product_group_id"],
        "productGroupName": group["name"],
        "partNumber": row["part_number"],
        "exclude": bool(row["exclude"]),
    }
    if row["revision"] is not None:
        body["revision"] = row["revision"]
    return JSONResponse(body)
