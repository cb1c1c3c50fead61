"""The products units are made of: the product domain's tables when that domain is installed
(so units of a product created through /api/Product work), the production catalog otherwise.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from ...storage import Storage
from . import catalog

Json = dict[str, Any]


@dataclass(frozen=True)
class ProductInfo:
    part_number: str  # as the product spells it
    revisions: tuple[str, ...]
    non_serial: bool
    product: Json  # the wire form embedded in a unit
    revision_json: dict[str, Json]  # revision (lower-case) -> wire form


def _has_product_table(store: Storage) -> bool:
    return (
        store.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'product'")
        is not None
    )


def _from_product_table(store: Storage, part_number: str) -> ProductInfo | None:
    row = store.query_one(
        "SELECT product_id, part_number, name, description, non_serial, state FROM product "
        "WHERE part_number = ?",
        (part_number,),
    )
    if row is None:
        return None
    product: Json = {"productId": row["product_id"], "partNumber": row["part_number"]}
    for key, column in (("name", "name"), ("description", "description")):
        if row[column] is not None:
            product[key] = row[column]
    product.update(nonSerial=bool(row["non_serial"]), state=row["state"])
    revisions: dict[str, Json] = {}
    names: list[str] = []
    for rev in store.query(
        "SELECT revision_id, revision, name, state FROM product_revision WHERE product_id = ? "
        "ORDER BY revision",
        (row["product_id"],),
    ):
        names.append(str(rev["revision"]))
        body: Json = {
            "productRevisionId": rev["revision_id"],
            "productId": row["product_id"],
            "revision": rev["revision"],
            "state": rev["state"],
            "PartNumber": row["part_number"],
        }
        if rev["name"] is not None:
            body["name"] = rev["name"]
        revisions[str(rev["revision"]).lower()] = body
    return ProductInfo(
        str(row["part_number"]), tuple(names), bool(row["non_serial"]), product, revisions
    )


def _from_catalog(part_number: str) -> ProductInfo | None:
    part = catalog.part(part_number)
    if part is None:
        return None
    product: Json = {
        "partNumber": part.part_number,
        "name": part.name,
        "nonSerial": False,
        "state": 1,
    }
    revisions = {
        rev.lower(): {
            "revision": rev,
            "name": f"{part.name} rev {rev}",
            "state": 1,
            "PartNumber": part.part_number,
        }
        for rev in part.revisions
    }
    return ProductInfo(part.part_number, part.revisions, False, product, revisions)


def product_info(store: Storage, part_number: str) -> ProductInfo | None:
    if _has_product_table(store):
        return _from_product_table(store, part_number)
    return _from_catalog(part_number)


def unit_product_json(store: Storage, part_number: str, revision: str) -> tuple[Json, Json]:
    """The `product` and `productRevision` objects of a unit."""
    info = product_info(store, part_number)
    if info is None:  # the product was deleted after its units were made
        return {"partNumber": part_number}, {"revision": revision}
    return info.product, info.revision_json.get(revision.lower(), {"revision": revision})


def finalized_phase(store: Storage, part_number: str, revision: str) -> int:
    """The phase a unit must be in to be built into another: Finalized, unless its product
    revision's PhaseFinalized tag names another phase (by id, code or name)."""
    tagged = _phase_finalized_tag(store, part_number, revision)
    if tagged is not None:
        phase = store.query_one(
            "SELECT phase_id FROM production_phase WHERE CAST(phase_id AS TEXT) = ? "
            "OR code = ? COLLATE NOCASE OR name = ? COLLATE NOCASE",
            (tagged, tagged, tagged),
        )
        if phase is not None:
            return int(phase["phase_id"])
    part = catalog.part(part_number)
    return part.finalized_phase if part and part.finalized_phase else catalog.FINALIZED


def _phase_finalized_tag(store: Storage, part_number: str, revision: str) -> str | None:
    if not _has_product_table(store):
        return None
    xml_data = store.scalar(
        "SELECT r.xml_data FROM product_revision r JOIN product p ON p.product_id = r.product_id "
        "WHERE p.part_number = ? AND r.revision = ?",
        (part_number, revision),
    )
    if not xml_data:
        return None
    try:
        root = ET.fromstring(str(xml_data))  # noqa: S314 - data the emulator itself stored
    except ET.ParseError:
        return None
    for element in root:
        if element.tag.lower() == "phasefinalized":
            return element.get("Value") or element.text
    return None
