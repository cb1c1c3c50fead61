"""Rows to the server's JSON, and the checks a WATS server applies to product input.

Null fields are left out of responses: the spec types them as plain strings.
"""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ...errors import BadRequest

PART_NUMBER_MAX = 100
REVISION_MAX = 100
NAME_MAX = 100
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f/\\?#%]")

# The columns `product_view_sql` returns, as OData fields of /api/Product/Query.
VIEW_SQL = (
    "SELECT p.product_id, p.part_number, p.name, p.description, p.non_serial, p.state, "
    "p.category_id, c.name AS category FROM product p "
    "LEFT JOIN product_category c ON c.category_id = p.category_id"
)


class CaseInsensitive(dict[str, Any]):
    """A JSON object read the way ASP.NET binds it: property names in any case."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(data)
        self._lower = {key.lower(): key for key in data}

    def get(self, key: str, default: Any = None) -> Any:
        actual = self._lower.get(key.lower())
        return default if actual is None else self[actual]

    def has(self, key: str) -> bool:
        return key.lower() in self._lower


def check_key(value: str, field: str, what: str, max_length: int) -> str:
    if not value.strip():
        raise BadRequest(f"The {what} in '{field}' must not be empty.", field=field)
    if value != value.strip():
        raise BadRequest(
            f"The {what} '{value}' in '{field}' must not start or end with spaces.", field=field
        )
    if len(value) > max_length:
        raise BadRequest(
            f"The {what} in '{field}' is {len(value)} characters long; "
            f"at most {max_length} are allowed.",
            field=field,
        )
    if _FORBIDDEN.search(value) or value in (".", ".."):
        raise BadRequest(
            f"The {what} '{value}' in '{field}' contains characters that are not allowed "
            "(control characters, / \\ ? # %).",
            field=field,
        )
    return value


def check_name(value: str | None, field: str) -> str | None:
    if value is not None and len(value) > NAME_MAX:
        raise BadRequest(
            f"The field '{field}' is {len(value)} characters; at most {NAME_MAX} are allowed.",
            field=field,
        )
    return value


def check_state(value: int | None, field: str) -> int | None:
    if value is not None and value not in (0, 1):
        raise BadRequest(
            f"The field '{field}' must be 0 (inactive) or 1 (active), got {value}.", field=field
        )
    return value


MAX_XML_DEPTH = 64


def parse_xml(text: str, field: str) -> ET.Element:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise BadRequest(f"The field '{field}' must not contain a DTD.", field=field)
    try:
        root = ET.fromstring(text)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise BadRequest(
            f"The field '{field}' is not well-formed XML: {exc}.", field=field
        ) from None
    # ElementTree writes documents back recursively; refuse what would exhaust the stack.
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise BadRequest(
                f"The field '{field}' nests XML elements deeper than {MAX_XML_DEPTH} levels.",
                field=field,
            )
        stack.extend((child, depth + 1) for child in element)
    return root


def check_xml_data(value: str | None, field: str) -> str | None:
    if value is not None and value.strip():
        parse_xml(value, field)
    return value


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def tags_from_xml(xml_data: str | None) -> list[dict[str, Any]]:
    """The key/value tags of an xmlData document: children of Root with a Value attribute."""
    if not xml_data or not xml_data.strip():
        return []
    try:
        root = ET.fromstring(xml_data)  # noqa: S314 - stored data was screened on the way in
    except ET.ParseError:
        return []
    return [
        {"key": local_name(child.tag), "value": child.get("Value", "")}
        for child in root
        if "Value" in child.attrib
    ]


def _present(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


def revision_json(row: sqlite3.Row, part_number: str) -> dict[str, Any]:
    return _present(
        {
            "productRevisionId": row["revision_id"],
            "productId": row["product_id"],
            "revision": row["revision"],
            "name": row["name"],
            "description": row["description"],
            "state": row["state"],
            "xmlData": row["xml_data"],
            "PartNumber": part_number,
            "tags": tags_from_xml(row["xml_data"]),
        }
    )


def product_json(
    row: sqlite3.Row, category: str | None, revisions: list[sqlite3.Row]
) -> dict[str, Any]:
    return _present(
        {
            "productId": row["product_id"],
            "nonSerial": bool(row["non_serial"]),
            "partNumber": row["part_number"],
            "name": row["name"],
            "description": row["description"],
            "state": row["state"],
            "xmlData": row["xml_data"],
            "productCategoryId": row["category_id"],
            "productCategoryName": category,
            "revisions": [revision_json(rev, row["part_number"]) for rev in revisions],
            "tags": tags_from_xml(row["xml_data"]),
        }
    )


def view_json(row: sqlite3.Row) -> dict[str, Any]:
    return _present(
        {
            "partNumber": row["part_number"],
            "name": row["name"],
            "category": row["category"],
            "nonSerial": bool(row["non_serial"]),
            "state": row["state"],
        }
    )
