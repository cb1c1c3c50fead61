"""Reading query, path and body values, answering 400 with the field's name when they are bad.

Every route reads its input through this module, so hostile input is refused in one place:
malformed JSON, nesting deeper than MAX_JSON_DEPTH, integers outside the server's 64-bit
range (however many digits), NaN/Infinity, numbers that overflow a double, and strings that
are not valid Unicode (lone surrogates, which SQLite cannot store). Body size is bounded
before this, by `limits.BodyLimit`.

Names are case-insensitive for query parameters, as in ASP.NET model binding.
"""

from __future__ import annotations

import json
import math
import re
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


INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
# The server's JSON reader refuses deeper documents; WSJF step trees stay far below this.
MAX_JSON_DEPTH = 128
# ASCII digits only: int() would also take "1_000", " 12 " and other scripts' digits.
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _shown(value: str) -> str:
    return value if len(value) <= 40 else f"{value[:37]}..."


def parse_int(value: str, name: str, *, bits: int = 64) -> int:
    """An integer query/path value; `bits=32` for parameters the spec types as int32."""
    text = value.strip()
    low, high = (INT32_MIN, INT32_MAX) if bits == 32 else (INT64_MIN, INT64_MAX)
    if not _INTEGER.fullmatch(text):
        raise BadRequest(
            f"The value '{_shown(value)}' is not valid for {name}: expected an integer.",
            field=name,
        )
    # Digits beyond 20 cannot be in range; don't make int() chew on 100,000 of them.
    number = int(text) if len(text) <= 21 else high + 1
    if not low <= number <= high:
        raise BadRequest(
            f"The value '{_shown(value)}' is not valid for {name}: "
            f"it is outside the {bits}-bit integer range.",
            field=name,
        )
    return number


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


def query_int(
    request: Request, name: str, *, required: bool = False, bits: int = 64
) -> int | None:
    value = query_str(request, name, required=required)
    if value is None or (value == "" and not required):
        return None
    return parse_int(value, name, bits=bits)


def path_int(request: Request, name: str, *, bits: int = 64) -> int:
    return parse_int(str(request.path_params[name]), name, bits=bits)


def path_str(request: Request, name: str) -> str:
    return str(request.path_params[name])


def query_uuid(request: Request, name: str, *, required: bool = False) -> str | None:
    value = query_str(request, name, required=required)
    return None if value is None else parse_uuid(value, name)


def path_uuid(request: Request, name: str) -> str:
    return parse_uuid(str(request.path_params[name]), name)


class _OutOfRange(str):
    """An integer literal outside the 64-bit range, kept as text until its path is known."""


class _NotJson(ValueError):
    pass


def _json_int(text: str) -> int | _OutOfRange:
    if len(text) > 20:  # never hand int() more than the 4,300 digits it allows
        return _OutOfRange(text)
    number = int(text)
    return number if INT64_MIN <= number <= INT64_MAX else _OutOfRange(text)


def _json_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]" if path else f"[{key}]"
    return f"{path}.{key}" if path else key


def _bad_string(value: str) -> bool:
    if value.isascii():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_json_tree(value: Any, field: str = "body") -> None:
    """Refuse what json.loads lets through but the server (and SQLite) would not.

    Iterative, so no document can exhaust the Python stack here or in later handlers.
    Messages name the offending field by its path, e.g. "root.steps[3].name".
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        where = path or field
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(
                f"The request body nests deeper than {MAX_JSON_DEPTH} levels at '{where}'.",
                field=where,
            )
        if isinstance(node, dict):
            for key, item in node.items():
                if _bad_string(key):
                    raise BadRequest(
                        f"A property name in '{where}' is not valid Unicode "
                        "(a lone surrogate escape).",
                        field=where,
                    )
                if isinstance(item, dict | list):
                    stack.append((item, _child(path, key), depth + 1))
                else:
                    stack.append((item, _child(path, key), depth))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                stack.append((item, _child(path, index), depth + 1))
        elif isinstance(node, _OutOfRange):
            raise BadRequest(
                f"The field '{where}' holds the number {_shown(node)}, outside the "
                "64-bit integer range.",
                field=where,
            )
        elif isinstance(node, float):
            if not math.isfinite(node):
                raise BadRequest(
                    f"The field '{where}' holds a number too large for a double.", field=where
                )
        elif isinstance(node, str) and _bad_string(node):
            raise BadRequest(
                f"The field '{where}' is not valid Unicode (a lone surrogate escape).",
                field=where,
            )


def decode_json(raw: bytes, field: str = "body") -> Any:
    """Decode and check a JSON document; every problem is a 400 naming `field` or a path in it."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"The request body is not UTF-8: byte {exc.start} is invalid.", field=field
        ) from None
    if not text.strip():
        raise BadRequest("The request body is required.", field=field)
    try:
        value = json.loads(text, parse_int=_json_int, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.", field=field) from None
    except _NotJson as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.", field=field) from None
    except RecursionError:
        raise BadRequest(
            f"The request body nests deeper than {MAX_JSON_DEPTH} levels.", field=field
        ) from None
    check_json_tree(value, field)
    return value


def decode_text(raw: bytes, field: str = "body") -> str:
    """Text of an uploaded document: UTF-8 (a BOM allowed), or UTF-16 with its BOM."""
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            return raw.decode("utf-16")
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"The {field} is not UTF-8 (or UTF-16 with a byte order mark): "
            f"byte {exc.start} is invalid.",
            field=field,
        ) from None


async def body_text(request: Request, field: str = "body") -> str:
    """The body as text (see decode_text); an empty body is a 400 naming `field`."""
    raw = await request.body()
    if not raw.strip():
        raise BadRequest(f"The request {field} is required.", field=field)
    return decode_text(raw, field)


async def json_body(request: Request) -> Any:
    """Decode the body as JSON; an empty or broken body is a 400 naming the body."""
    return decode_json(await request.body())


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
