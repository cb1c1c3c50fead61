"""Reading and writing products and revisions: the rules behind PUT /api/Product and friends.

Parsing validates everything a body says before anything is written; writing runs inside
the caller's transaction, so a 404 or 409 half-way through a bulk request leaves nothing.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from ...errors import BadRequest, Conflict, NotFound
from ...params import Fields
from ...storage import Storage
from .wire import (
    PART_NUMBER_MAX,
    REVISION_MAX,
    CaseInsensitive,
    check_key,
    check_name,
    check_state,
    check_xml_data,
    product_json,
    revision_json,
)


@dataclass
class RevisionInput:
    revision_id: str | None
    revision: str | None
    product_id: str | None
    part_number: str | None
    values: dict[str, Any]  # column -> value, only for fields the body set
    where: str  # how messages locate this revision, e.g. "[2]." or "revisions[0]."


@dataclass
class ProductInput:
    product_id: str | None
    part_number: str | None
    values: dict[str, Any]
    category_name: str | None
    where: str
    revisions: list[RevisionInput] = field(default_factory=list)


def _name(where: str, key: str) -> str:
    return f"{where}{key}"


def parse_revision(raw: Any, where: str = "") -> RevisionInput:
    if not isinstance(raw, dict):
        raise BadRequest(f"The item '{where or 'body'}' must be a ProductRevision object.")
    body = CaseInsensitive(raw)
    fields = Fields(body, where.rstrip("."))
    revision = fields.get_str("revision")
    if revision is not None:
        check_key(revision, _name(where, "revision"), "revision", REVISION_MAX)
    part_number = fields.get_str("PartNumber")
    if part_number is not None:
        check_key(part_number, _name(where, "PartNumber"), "part number", PART_NUMBER_MAX)
    values: dict[str, Any] = {}
    for key, column in (("name", "name"), ("description", "description")):
        if body.has(key):
            values[column] = fields.get_str(key)
    check_name(values.get("name"), _name(where, "name"))
    if body.get("state") is not None:
        values["state"] = check_state(fields.get_int("state"), _name(where, "state"))
    if body.has("xmlData"):
        values["xml_data"] = check_xml_data(fields.get_str("xmlData"), _name(where, "xmlData"))
    return RevisionInput(
        revision_id=fields.get_uuid("productRevisionId"),
        revision=revision,
        product_id=fields.get_uuid("productId"),
        part_number=part_number,
        values=values,
        where=where,
    )


def parse_product(raw: Any, where: str = "") -> ProductInput:
    if not isinstance(raw, dict):
        raise BadRequest(f"The item '{where or 'body'}' must be a Product object.")
    body = CaseInsensitive(raw)
    fields = Fields(body, where.rstrip("."))
    product_id = fields.get_uuid("productId")
    part_number = fields.get_str("partNumber")
    if part_number is None and product_id is None:
        name = _name(where, "partNumber")
        raise BadRequest(f"The field '{name}' is required.", field=name)
    if part_number is not None:
        check_key(part_number, _name(where, "partNumber"), "part number", PART_NUMBER_MAX)
    values: dict[str, Any] = {}
    for key, column in (("name", "name"), ("description", "description")):
        if body.has(key):
            values[column] = fields.get_str(key)
    check_name(values.get("name"), _name(where, "name"))
    if body.get("state") is not None:
        values["state"] = check_state(fields.get_int("state"), _name(where, "state"))
    if body.get("nonSerial") is not None:
        values["non_serial"] = int(bool(fields.get_bool("nonSerial")))
    if body.has("xmlData"):
        values["xml_data"] = check_xml_data(fields.get_str("xmlData"), _name(where, "xmlData"))
    if body.get("productCategoryId") is not None:
        values["category_id"] = fields.get_uuid("productCategoryId")
    category_name = fields.get_str("productCategoryName")
    revisions = [
        parse_revision(item, f"{where}revisions[{index}].")
        for index, item in enumerate(fields.get_list("revisions") or [])
    ]
    seen: set[str] = set()
    for rev in revisions:
        if rev.revision is None and rev.revision_id is None:
            name = _name(rev.where, "revision")
            raise BadRequest(f"The field '{name}' is required.", field=name)
        key = (rev.revision or rev.revision_id or "").lower()
        if key in seen:
            name = _name(rev.where, "revision")
            raise BadRequest(f"The revision in '{name}' appears twice.", field=name)
        seen.add(key)
    return ProductInput(product_id, part_number, values, category_name, where, revisions)


# --- lookups -----------------------------------------------------------------------


def find_product(store: Storage, part_number: str) -> sqlite3.Row | None:
    return store.query_one("SELECT * FROM product WHERE part_number = ?", (part_number,))


def find_revision(store: Storage, product_id: str, revision: str) -> sqlite3.Row | None:
    return store.query_one(
        "SELECT * FROM product_revision WHERE product_id = ? AND revision = ?",
        (product_id, revision),
    )


def require_product(store: Storage, part_number: str) -> sqlite3.Row:
    row = find_product(store, part_number)
    if row is None:
        raise NotFound(f"No product with part number '{part_number}' exists.")
    return row


def require_revision(
    store: Storage, part_number: str, revision: str
) -> tuple[sqlite3.Row, sqlite3.Row]:
    product = require_product(store, part_number)
    row = find_revision(store, product["product_id"], revision)
    if row is None:
        raise NotFound(f"Product '{product['part_number']}' has no revision '{revision}'.")
    return product, row


def product_body(store: Storage, product_id: str) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM product WHERE product_id = ?", (product_id,))
    assert row is not None
    category = store.scalar(
        "SELECT name FROM product_category WHERE category_id = ?", (row["category_id"],)
    )
    revisions = store.query(
        "SELECT * FROM product_revision WHERE product_id = ? ORDER BY revision", (product_id,)
    )
    return product_json(row, category, revisions)


def revision_body(store: Storage, revision_id: str) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM product_revision WHERE revision_id = ?", (revision_id,))
    assert row is not None
    part_number = store.scalar(
        "SELECT part_number FROM product WHERE product_id = ?", (row["product_id"],)
    )
    return revision_json(row, str(part_number))


# --- writes (call inside store.transaction()) --------------------------------------


def _update(store: Storage, table: str, key: str, key_value: str, values: dict[str, Any]) -> None:
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)
        store.execute(
            f"UPDATE {table} SET {assignments} WHERE {key} = ?",  # noqa: S608 - names from code
            [*values.values(), key_value],
        )


def _insert(store: Storage, table: str, values: dict[str, Any]) -> None:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    store.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - names from code
        list(values.values()),
    )


def _category(store: Storage, item: ProductInput) -> dict[str, Any]:
    category_id = item.values.get("category_id")
    if category_id is not None:
        if store.scalar("SELECT 1 FROM product_category WHERE category_id = ?", (category_id,)):
            return {}
        name = _name(item.where, "productCategoryId")
        raise BadRequest(f"No product category has the id '{category_id}'.", field=name)
    if item.category_name:
        existing = store.scalar(
            "SELECT category_id FROM product_category WHERE name = ?", (item.category_name,)
        )
        if existing is None:
            existing = str(uuid.uuid4())
            store.execute(
                "INSERT INTO product_category (category_id, name) VALUES (?, ?)",
                (existing, item.category_name),
            )
        return {"category_id": existing}
    return {}


def save_product(store: Storage, item: ProductInput) -> str:
    """Create or update one product (by productId, else by part number); its product id."""
    values = {**item.values, **_category(store, item)}
    row: sqlite3.Row | None
    if item.product_id is not None:
        row = store.query_one("SELECT * FROM product WHERE product_id = ?", (item.product_id,))
        if row is None:
            raise NotFound(f"No product has the productId '{item.product_id}'.")
        if item.part_number is not None and item.part_number.lower() != row["part_number"].lower():
            other = find_product(store, item.part_number)
            if other is not None:
                name = _name(item.where, "partNumber")
                raise Conflict(
                    f"Another product already has the part number '{item.part_number}'.",
                    field=name,
                )
            values["part_number"] = item.part_number
    else:
        assert item.part_number is not None
        row = find_product(store, item.part_number)
    if row is not None:
        product_id = str(row["product_id"])
        _update(store, "product", "product_id", product_id, values)
    else:
        product_id = item.product_id or str(uuid.uuid4())
        _insert(
            store,
            "product",
            {"product_id": product_id, "part_number": item.part_number, **values},
        )
    for revision in item.revisions:
        save_revision(store, revision, product_id)
    return product_id


def _parent(store: Storage, item: RevisionInput) -> str:
    if item.product_id is not None:
        if store.scalar("SELECT 1 FROM product WHERE product_id = ?", (item.product_id,)):
            return item.product_id
        raise NotFound(f"No product has the productId '{item.product_id}'.")
    if item.part_number is not None:
        return str(require_product(store, item.part_number)["product_id"])
    name = _name(item.where, "PartNumber")
    raise BadRequest(
        f"The field '{name}' (or productId) is required to know which product the revision "
        "belongs to.",
        field=name,
    )


def save_revision(store: Storage, item: RevisionInput, product_id: str | None = None) -> str:
    """Create or update one revision (by productRevisionId, else by product and revision)."""
    parent = product_id or _parent(store, item)
    values = dict(item.values)
    row: sqlite3.Row | None
    if item.revision_id is not None:
        row = store.query_one(
            "SELECT * FROM product_revision WHERE revision_id = ?", (item.revision_id,)
        )
        if row is None:
            raise NotFound(f"No revision has the productRevisionId '{item.revision_id}'.")
        if row["product_id"] != parent:
            name = _name(item.where, "productRevisionId")
            raise BadRequest(
                f"The revision '{item.revision_id}' belongs to another product.", field=name
            )
        if item.revision is not None and item.revision.lower() != row["revision"].lower():
            if find_revision(store, parent, item.revision) is not None:
                name = _name(item.where, "revision")
                raise Conflict(f"The product already has revision '{item.revision}'.", field=name)
            values["revision"] = item.revision
    else:
        if item.revision is None:
            name = _name(item.where, "revision")
            raise BadRequest(f"The field '{name}' is required.", field=name)
        row = find_revision(store, parent, item.revision)
    if row is not None:
        revision_id = str(row["revision_id"])
        _update(store, "product_revision", "revision_id", revision_id, values)
        return revision_id
    revision_id = item.revision_id or str(uuid.uuid4())
    _insert(
        store,
        "product_revision",
        {"revision_id": revision_id, "product_id": parent, "revision": item.revision, **values},
    )
    return revision_id
