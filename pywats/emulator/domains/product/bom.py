"""PUT /api/Product/BOM: a WSBF document replaces the BOM of one product revision.

The server keeps the BOM inside the revision's xmlData (its ``<Root>`` may hold a WSBF
document, as the spec says), which is where GET /api/Product/{pn}/{rev} shows it. A real
server answers 500 for an invalid BOM; the emulator answers 400/404 with a message saying
what is wrong, which the spec's undeclared error statuses allow.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ...errors import BadRequest
from ...params import decode_text
from ...state import get_store
from .records import require_revision
from .wire import PART_NUMBER_MAX, REVISION_MAX, check_key, local_name, parse_xml

WSBF_NAMESPACE = "http://wats.virinco.com/schemas/WATS/wsbf"


def _attrs(element: ET.Element) -> dict[str, str]:
    return {key.lower(): value for key, value in element.attrib.items()}


def _component(element: ET.Element, index: int) -> dict[str, str]:
    where = f"Component[{index}]"
    attrs = _attrs(element)
    number = attrs.get("number", "")
    check_key(number, f"{where}.Number", "component number", PART_NUMBER_MAX)
    qty = attrs.get("qty", "1")
    try:
        quantity = int(qty)
    except ValueError:
        quantity = 0
    if quantity < 1:
        raise BadRequest(
            f"The attribute '{where}.Qty' must be a whole number of at least 1, got '{qty}'.",
            field=f"{where}.Qty",
        )
    out = {"Number": number, "Qty": str(quantity)}
    for name in ("Rev", "Desc", "Ref", "FunctionBlock"):
        value = attrs.get(name.lower())
        if value:
            out[name] = value
    return out


def parse_wsbf(text: str) -> tuple[str, str, str | None, list[dict[str, str]]]:
    root = parse_xml(text, "body")
    if local_name(root.tag) != "BOM":
        raise BadRequest(
            f"The body must be a WSBF document with root element BOM, not {local_name(root.tag)}.",
            field="body",
        )
    attrs = _attrs(root)
    part_number = check_key(
        attrs.get("partnumber", ""), "BOM.Partnumber", "part number", PART_NUMBER_MAX
    )
    revision = check_key(attrs.get("revision", ""), "BOM.Revision", "revision", REVISION_MAX)
    components = [
        _component(child, index)
        for index, child in enumerate(c for c in root if local_name(c.tag) == "Component")
    ]
    return part_number, revision, attrs.get("desc"), components


def with_bom(xml_data: str | None, bom: ET.Element) -> str:
    """``xml_data`` with its BOM replaced by ``bom``; other content stays."""
    root = ET.Element("Root")
    if xml_data and xml_data.strip():
        existing = parse_xml(xml_data, "xmlData")
        if local_name(existing.tag) == "Root":
            root = existing
        else:
            root.append(existing)
    for child in list(root):
        if local_name(child.tag) == "BOM":
            root.remove(child)
    root.append(bom)
    return ET.tostring(root, encoding="unicode")


def bom_element(
    part_number: str, revision: str, description: str | None, components: list[dict[str, str]]
) -> ET.Element:
    attrs = {"Partnumber": part_number, "Revision": revision}
    if description:
        attrs["Desc"] = description
    element = ET.Element(f"{{{WSBF_NAMESPACE}}}BOM", attrs)
    for component in components:
        ET.SubElement(element, f"{{{WSBF_NAMESPACE}}}Component", component)
    return element


async def put_bom(request: Request) -> JSONResponse:
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("The request body is required: a WSBF BOM document.", field="body")
    text = decode_text(raw)
    part_number, revision, description, components = parse_wsbf(text)
    store = get_store(request)
    with store.transaction():
        product, row = require_revision(store, part_number, revision)
        element = bom_element(product["part_number"], row["revision"], description, components)
        store.execute(
            "UPDATE product_revision SET xml_data = ? WHERE revision_id = ?",
            (with_bom(row["xml_data"], element), row["revision_id"]),
        )
    body: dict[str, Any] = {
        "partNumber": product["part_number"],
        "revision": row["revision"],
        "components": len(components),
    }
    return JSONResponse(body)


# Inside xmlData the BOM keeps its namespace under a prefix; Root itself has none.
ET.register_namespace("wsbf", WSBF_NAMESPACE)
