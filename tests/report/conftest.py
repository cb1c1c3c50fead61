from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pywats.domains.report import wsjf_json_schema

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The genuine server export (FAT report, 186 steps), byte for byte."""
    return (DATA / "uut-wsjf-export.json").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def strict_validator() -> jsonschema.Draft202012Validator:
    """The server's WSJF schema with unknown keys forbidden; nulls fail its type checks."""
    schema = wsjf_json_schema()
    schema["components"] = {
        "schemas": {name: _closed(body) for name, body in schema["components"]["schemas"].items()}
    }
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    if "properties" in out:
        out["properties"] = {name: _closed(sub) for name, sub in out["properties"].items()}
        out["additionalProperties"] = False
    if "items" in out:
        out["items"] = _closed(out["items"])
    return out
