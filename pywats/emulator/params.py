"""Reading query, path and body values, answering 400 with the field's name when they are bad.

Names are case-insensitive for query parameters, as in ASP.NET model binding.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.requests import Request

from .errors import BadRequest
from .isotime import parse_iso

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def _raw_query(request: Request, name: str) -> str | None:
    lowered = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == lowered:
            return value
    return None


def query_str(request: Request, name: str, *, required: bool = False) -> str | None:
    value = _raw_query(request, name)
    if value is None and required:
        raise BadRequest(f"The query parameter '{name}' is required.", field=name)
    return value


def parse_bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadRequest(
        f"The value '{value}' is not valid for {name}: expected true or false.", field=name
    )


def parse_int(value: str, name: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise BadRequest(
            f"The value '{value}' is not valid for {name}: expected an integer.", field=name
        ) from None


def parse_uuid(value: str, name: str) -> str:
    """Return the GUID in the server's canonical form: lower-case with dashes."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise BadRequest(
            f"The value '{value}' is not valid for {name}: expected a GUID.", field=name
        ) from None


def parse_datetime(value: str, name: str) -> datetime:
    try:
        return parse_iso(value)
    except ValueError:
        raise BadRequest(
            f"The value '{value}' is not valid for {name}: expected an ISO-8601 date/time.",
            field=name,
        ) from None


def query_bool(request: Request, name: str, default: bool) -> bool:
    value = _raw_query(request, name)
    return default if value is None or value == "" else parse_bool(value, name)


def query_int(request: Request, name: str, *, required: bool = False) -> int | None:
    value = query_str(request, name, required=required)
    return None if value is None or (value == "" and not required) else parse_int(value, name)


def query_uuid(request: Request, name: str, *, required: bool = False) -> str | None:
    value = query_str(request, name, required=required)
    return None if value is None else parse_uuid(value, name)


def path_uuid(request: Request, name: str) -> str:
    return parse_uuid(str(request.path_params[name]), name)


async def json_body(request: Request) -> Any:
    """Decode the body as JSON; an empty or broken body is a 400 naming the body."""
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("The request body is required.", field="body")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.", field="body") from None


async def json_object(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.", field="body")
    return body


async def json_array(request: Request) -> list[Any]:
    body = await json_body(request)
    if not isinstance(body, list):
        raise BadRequest("The request body must be a JSON array.", field="body")
    return body


class Fields:
    """Typed access to the fields of a JSON object body, with 400s that name the field.

    `prefix` locates nested objects in messages, e.g. "[2].Name" for an array item.
    """

    def __init__(self, data: Mapping[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}" if not self.prefix else f"{self.prefix}.{key}"

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            raise BadRequest(f"The field '{self._name(key)}' is required.", field=self._name(key))
        return value

    def _wrong(self, key: str, value: Any, expected: str) -> BadRequest:
        name = self._name(key)
        return BadRequest(
            f"The field '{name}' must be {expected}, got {json.dumps(value)}.", field=name
        )

    def get_str(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, str):
            raise self._wrong(key, value, "a string")
        return value

    def get_int(self, key: str, *, required: bool = False) -> int | None:
        value = self._get(key, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._wrong(key, value, "an integer")
        return value

    def get_float(self, key: str, *, required: bool = False) -> float | None:
        value = self._get(key, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise self._wrong(key, value, "a number")
        return None if value is None else float(value)

    def get_bool(self, key: str, *, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, bool):
            raise self._wrong(key, value, "true or false")
        return value

    def get_uuid(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong(key, value, "a GUID string")
        return parse_uuid(value, self._name(key))

    def get_datetime(self, key: str, *, required: bool = False) -> datetime | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._wrong(key, value, "an ISO-8601 date/time string")
        return parse_datetime(value, self._name(key))

    def get_list(self, key: str, *, required: bool = False) -> list[Any] | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, list):
            raise self._wrong(key, value, "an array")
        return value

    def get_object(self, key: str, *, required: bool = False) -> dict[str, Any] | None:
        value = self._get(key, required)
        if value is not None and not isinstance(value, dict):
            raise self._wrong(key, value, "an object")
        return value
