"""Reading and writing WSJF text: ``load_wsjf`` and ``dump_wsjf``.

Output is compact JSON in the server's key order with exactly the keys that were read or set,
so a server export written back compares equal to the original as a JSON value.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from pywats.errors import ReportFormatError

from .reports import UURReport, UUTReport

__all__ = ["dump_wsjf", "load_wsjf", "wsjf_json_schema"]

# One pass in pydantic-core, choosing the model by the "type" key.
_REPORT = TypeAdapter[UUTReport | UURReport](
    Annotated[UUTReport | UURReport, Field(discriminator="type")]
)


def _location(loc: tuple[int | str, ...]) -> str:
    # Drop the union tag pydantic adds ("T"/"R") so the path reads like the JSON.
    parts = list(loc[1:]) if loc and loc[0] in ("T", "R") else list(loc)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "report"


def _format_error(exc: ValidationError) -> ReportFormatError:
    first = exc.errors()[0]
    if first["type"] in ("union_tag_not_found", "union_tag_invalid"):
        found = first.get("input", {})
        tag = found.get("type") if isinstance(found, Mapping) else None
        what = "has no 'type' key" if tag is None else f"has type {tag!r}"
        return ReportFormatError(
            f"report {what}; expected 'T' (test) or 'R' (repair)", field="type"
        )
    if first["type"] in ("json_invalid", "dict_type", "model_type", "model_attributes_type"):
        return ReportFormatError(f"not a WSJF report object: {first['msg']}")
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return ReportFormatError(f"{first['msg']}{more}", field=_location(first["loc"]))


def load_wsjf(data: str | bytes | bytearray | Mapping[str, Any]) -> UUTReport | UURReport:
    """Read one WSJF report: JSON text (str or bytes) or an already-parsed dict.

    Returns a ``UUTReport`` for ``"type": "T"`` and a ``UURReport`` for ``"R"``. Raises
    ``ReportFormatError`` naming the problem when the input is not JSON, not an object, has
    no valid ``type``, or has a value of the wrong JSON type.
    """
    try:
        if isinstance(data, str | bytes | bytearray):
            return _REPORT.validate_json(data)
        if isinstance(data, Mapping):
            return _REPORT.validate_python(dict(data))
    except ValidationError as exc:
        raise _format_error(exc) from None
    raise ReportFormatError(f"expected WSJF as str, bytes or dict, got {type(data).__name__}")


def dump_wsjf(report: UUTReport | UURReport) -> str:
    """Write a report as compact WSJF JSON text.

    Keys that were never read or set are left out; keys set to None are written as null.
    """
    if not isinstance(report, UUTReport | UURReport):
        raise ReportFormatError(f"expected a UUTReport or UURReport, got {type(report).__name__}")
    return report.model_dump_json(by_alias=True, exclude_unset=True)


@cache
def _schema_document() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schema", "wsjf-schemas.json").read_text()
    document: dict[str, Any] = json.loads(text)
    return document


def wsjf_json_schema(definition: str = "Report") -> dict[str, Any]:
    """A JSON Schema for one WSJF definition (``Report``, ``Step``...), from the server's own
    description. Its ``$ref``s resolve inside the returned document. The server's schema has
    no ``nullable``, so it describes what a client sends rather than what an export holds.
    """
    return {
        "$ref": f"#/components/schemas/Virinco.WATS.Schemas.WSJF.{definition}",
        # A copy, so a caller adjusting the schema cannot change it for everyone else.
        "components": copy.deepcopy(_schema_document()["components"]),
    }
