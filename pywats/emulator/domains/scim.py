"""SCIM 2.0 user provisioning (``/api/SCIM/v2``), shaped after RFC 7643 and RFC 7644.

* ``GET Users`` answers a ListResponse (``schemas``, ``totalResults``, ``itemsPerPage``,
  ``startIndex``, ``Resources``) with 1-based ``startIndex``/``count`` paging and a ``filter``
  (``userName eq "x"``, ``co``/``sw``/``ew``/``ne``/``pr``, ``and``/``or``/``not``, parentheses);
* ``POST Users`` creates a user; a second one with the same ``userName`` (any case) is a 409
  with ``scimType: uniqueness``;
* ``PATCH Users/{id}`` takes a PatchOp whose operations replace ``active``, ``displayName``,
  ``name`` (or one of its parts), ``emails`` or ``externalId``; only ``replace`` exists;
* a user that does not exist, or was deleted, is a 404;
* every error is a SCIM error body (``schemas``, ``status`` as a string, ``scimType``,
  ``detail``) that also carries the WATS server's ``Message``.

The OpenAPI description declares 200 for every SCIM answer (no 201/204), so those are used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sqlite3
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import ApiError
from ..params import json_body, query_int, query_str
from ..plugin import Domain, SeedContext
from ..state import get_state, get_store
from ..storage import Storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS scim_user (
    id TEXT PRIMARY KEY,
    user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    external_id TEXT,
    display_name TEXT,
    given_name TEXT,
    family_name TEXT,
    formatted TEXT,
    emails TEXT NOT NULL DEFAULT '[]',   -- JSON array of {value, type, primary}
    active INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
"""

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
BASE = "/api/SCIM/v2"
DEFAULT_COUNT = 100
MAX_COUNT = 1000
MAX_START = 2**31 - 1  # SQLite's OFFSET is a 64-bit integer; nobody has more users
MAX_FILTER = 4000
MAX_DEPTH = 32
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def scim_error_response(status: int, detail: str, scim_type: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    body["Message"] = detail  # what WATS clients read from any error
    return JSONResponse(body, status_code=status)


Handler = Callable[[Request], Awaitable[Response]]


def scim_endpoint(handler: Handler) -> Handler:
    """Answer every failure of `handler` with a SCIM error body (RFC 7644 3.12)."""

    @wraps(handler)
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except ScimError as exc:
            return scim_error_response(exc.status, exc.detail, exc.scim_type)
        except ApiError as exc:  # the shared readers: a bad parameter or body
            scim_type = "invalidSyntax" if exc.field == "body" else "invalidValue"
            return scim_error_response(exc.status, exc.message, scim_type)

    return run


def _now() -> str:
    return _utc(datetime.now(UTC))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --- rendering ---------------------------------------------------------------------


def render(request: Request, row: sqlite3.Row) -> dict[str, Any]:
    name = {
        key: row[column]
        for key, column in (
            ("formatted", "formatted"),
            ("givenName", "given_name"),
            ("familyName", "family_name"),
        )
        if row[column]
    }
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": row["id"],
        "userName": row["user_name"],
        "name": name,
        "displayName": row["display_name"] or "",
        "emails": json.loads(row["emails"]),
        "active": bool(row["active"]),
        "meta": {
            "resourceType": "User",
            "created": row["created"],
            "lastModified": row["last_modified"],
            "location": f"{str(request.base_url).rstrip('/')}{BASE}/Users/{row['id']}",
        },
    }
    if row["external_id"]:
        body["externalId"] = row["external_id"]
    return body


def _get(store: Storage, user_id: str) -> sqlite3.Row:
    row = store.query_one("SELECT * FROM scim_user WHERE id = ?", (user_id,))
    if row is None:
        raise ScimError(404, f"User {user_id} not found.")
    return row


# --- filters (RFC 7644 3.4.2.2) ----------------------------------------------------

_ATTRIBUTES = {
    "id": "id",
    "username": "user_name",
    "externalid": "external_id",
    "displayname": "display_name",
    "name.givenname": "given_name",
    "name.familyname": "family_name",
    "name.formatted": "formatted",
    "active": "active",
    "emails": "emails",
    "emails.value": "emails",
    "meta.created": "created",
    "meta.lastmodified": "last_modified",
}
_TOKEN = re.compile(
    r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<word>[A-Za-z0-9_.:$-]+))"
)
_COMPARE = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}


@dataclass
class _Sql:
    text: str
    params: list[Any]


def _bad_filter(detail: str) -> ScimError:
    return ScimError(400, f"The filter is not valid: {detail}", "invalidFilter")


class _FilterParser:
    """Recursive descent over ``or`` / ``and`` / ``not`` / ``( )`` / ``attr op value``."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _TOKEN.match(text, position)
            if match is None:
                raise _bad_filter(f"unexpected {text[position:].strip()[:20]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.index = 0
        self.depth = 0

    def parse(self) -> _Sql:
        if not self.tokens:
            raise _bad_filter("it is empty")
        sql = self._or()
        if self.index != len(self.tokens):
            raise _bad_filter(f"unexpected {self.tokens[self.index][1]!r}")
        return sql

    def _peek_word(self) -> str | None:
        if self.index < len(self.tokens) and self.tokens[self.index][0] == "word":
            return self.tokens[self.index][1].lower()
        return None

    def _or(self) -> _Sql:
        left = self._and()
        while self._peek_word() == "or":
            self.index += 1
            right = self._and()
            left = _Sql(f"({left.text} OR {right.text})", left.params + right.params)
        return left

    def _and(self) -> _Sql:
        left = self._not()
        while self._peek_word() == "and":
            self.index += 1
            right = self._not()
            left = _Sql(f"({left.text} AND {right.text})", left.params + right.params)
        return left

    def _not(self) -> _Sql:
        if self._peek_word() == "not":
            self.index += 1
            inner = self._primary()
            return _Sql(f"(NOT {inner.text})", inner.params)
        return self._primary()

    def _next(self, what: str) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise _bad_filter(f"it ends where {what} was expected")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _primary(self) -> _Sql:
        kind, text = self._next("an attribute or '('")
        if kind == "open":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _bad_filter(f"it nests more than {MAX_DEPTH} parentheses deep")
            inner = self._or()
            self.depth -= 1
            if self._next("')'")[0] != "close":
                raise _bad_filter("a '(' is not closed")
            return inner
        if kind != "word":
            raise _bad_filter(f"expected an attribute, got {text!r}")
        attribute = text.lower().removeprefix(USER_SCHEMA.lower() + ":")
        column = _ATTRIBUTES.get(attribute)
        if column is None:
            raise _bad_filter(f"unknown attribute {text!r}")
        op_kind, op = self._next("an operator")
        op = op.lower()
        if op_kind != "word" or (op not in _COMPARE and op != "pr"):
            raise _bad_filter(f"unknown operator {op!r}")
        if op == "pr":
            return _Sql(f"({column} IS NOT NULL AND {column} NOT IN ('', '[]'))", [])
        value_kind, raw = self._next("a value")
        value = self._value(value_kind, raw)
        if column == "active":
            if not isinstance(value, bool) or op not in ("eq", "ne"):
                raise _bad_filter("active compares with eq or ne to true or false")
            return _Sql(f"active {'=' if op == 'eq' else '!='} ?", [int(value)])
        if not isinstance(value, str):
            if value is None and op in ("eq", "ne"):
                return _Sql(f"({column} IS {'' if op == 'eq' else 'NOT '}NULL)", [])
            raise _bad_filter(f"{text} compares with a string")
        if column == "emails":  # the JSON text holds every address
            return self._like(column, "co", value)
        if op in ("eq", "ne"):
            return _Sql(f"({column} {'=' if op == 'eq' else '!='} ? COLLATE NOCASE)", [value])
        if op in ("gt", "ge", "lt", "le"):
            sign = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}[op]
            return _Sql(f"({column} {sign} ? COLLATE NOCASE)", [value])
        return self._like(column, op, value)

    @staticmethod
    def _like(column: str, op: str, value: str) -> _Sql:
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = {"co": f"%{escaped}%", "sw": f"{escaped}%", "ew": f"%{escaped}"}[op]
        return _Sql(f"({column} LIKE ? ESCAPE '\\')", [pattern])

    @staticmethod
    def _value(kind: str, raw: str) -> Any:
        if kind == "string":
            try:
                return json.loads(raw)
            except json.JSONDecodeError:
                raise _bad_filter(f"bad string {raw}") from None
        if kind != "word":
            raise _bad_filter(f"expected a value, got {raw!r}")
        lowered = raw.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        raise _bad_filter(f"values are quoted strings, true, false or null, not {raw!r}")


def filter_sql(text: str) -> _Sql:
    if len(text) > MAX_FILTER:
        raise _bad_filter(f"it is longer than {MAX_FILTER} characters")
    return _FilterParser(text).parse()


# --- reading user bodies -----------------------------------------------------------


def _text(value: Any, where: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise ScimError(400, f"The attribute '{where}' is required.", "invalidValue")
        return None
    if not isinstance(value, str):
        raise ScimError(400, f"The attribute '{where}' must be a string.", "invalidValue")
    if required and not value.strip():
        raise ScimError(400, f"The attribute '{where}' must not be empty.", "invalidValue")
    if any(not c.isprintable() for c in value):
        raise ScimError(400, f"The attribute '{where}' holds control characters.", "invalidValue")
    return value.strip()


def _bool(value: Any, where: str) -> bool:
    # Azure AD sends "True"/"False" strings in PatchOps.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(400, f"The attribute '{where}' must be true or false.", "invalidValue")


def _emails(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ScimError(400, f"The attribute '{where}' must be an array.", "invalidValue")
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise ScimError(
                400, f"The attribute '{where}[{index}]' must be an object.", "invalidValue"
            )
        address = _text(item.get("value"), f"{where}[{index}].value", required=True) or ""
        if "@" not in address:
            raise ScimError(400, f"'{address}' is not an e-mail address.", "invalidValue")
        entry: dict[str, Any] = {"value": address}
        entry["type"] = _text(item.get("type"), f"{where}[{index}].type") or "work"
        entry["primary"] = _bool(item.get("primary", index == 0), f"{where}[{index}].primary")
        out.append(entry)
    return out


def _name_columns(value: Any, where: str) -> dict[str, str | None]:
    if not isinstance(value, dict):
        raise ScimError(400, f"The attribute '{where}' must be an object.", "invalidValue")
    return {
        column: _text(value.get(key), f"{where}.{key}")
        for key, column in (
            ("givenName", "given_name"),
            ("familyName", "family_name"),
            ("formatted", "formatted"),
        )
        if key in value
    }


# --- handlers ----------------------------------------------------------------------


@scim_endpoint
async def list_users(request: Request) -> Response:
    store = get_store(request)
    start = query_int(request, "startIndex")
    count = query_int(request, "count")
    start = 1 if start is None or start < 1 else min(start, MAX_START)  # RFC 7644 3.4.2.4
    count = DEFAULT_COUNT if count is None else max(0, min(count, MAX_COUNT))
    where, params = "", []
    text = query_str(request, "filter")
    if text is not None and text.strip():
        sql = filter_sql(text)
        where, params = f" WHERE {sql.text}", sql.params
    total = store.scalar(f"SELECT COUNT(*) FROM scim_user{where}", params)  # noqa: S608 - parsed filter
    rows = (
        store.query(
            f"SELECT * FROM scim_user{where} ORDER BY user_name LIMIT ? OFFSET ?",  # noqa: S608 - parsed filter
            [*params, count, start - 1],
        )
        if count
        else []
    )
    body: dict[str, Any] = {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "itemsPerPage": len(rows),
        "startIndex": start,
        "Resources": [render(request, row) for row in rows],
    }
    return JSONResponse(body)


@scim_endpoint
async def get_user(request: Request) -> Response:
    raw = str(request.path_params["id"])
    try:
        user_id = str(uuid.UUID(raw))
    except ValueError:
        raise ScimError(404, f"User {raw} not found.") from None
    return JSONResponse(render(request, _get(get_store(request), user_id)))


@scim_endpoint
async def get_user_by_name(request: Request) -> Response:
    # The ASGI path is already percent-decoded; ":path" lets a name hold "/".
    user_name = str(request.path_params["userName"])
    row = get_store(request).query_one("SELECT * FROM scim_user WHERE user_name = ?", (user_name,))
    if row is None:
        raise ScimError(404, f"User with userName '{user_name}' not found.")
    return JSONResponse(render(request, row))


def _user_id(request: Request) -> str:
    raw = str(request.path_params["id"])
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise ScimError(404, f"User {raw} not found.") from None


@scim_endpoint
async def create_user(request: Request) -> Response:
    store = get_store(request)
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a SCIM User object.", "invalidSyntax")
    user_name = _text(body.get("userName"), "userName", required=True) or ""
    if len(user_name) > 256:
        raise ScimError(
            400, "The attribute 'userName' is longer than 256 characters.", "invalidValue"
        )
    if store.query_one("SELECT 1 FROM scim_user WHERE user_name = ?", (user_name,)):
        raise ScimError(409, f"A user with userName '{user_name}' already exists.", "uniqueness")
    names = _name_columns(body["name"], "name") if body.get("name") is not None else {}
    emails = _emails(body["emails"], "emails") if body.get("emails") is not None else []
    active = _bool(body["active"], "active") if body.get("active") is not None else True
    now = _now()
    user_id = str(uuid.uuid4())
    store.execute(
        "INSERT INTO scim_user (id, user_name, external_id, display_name, given_name, "
        "family_name, formatted, emails, active, created, last_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            user_name,
            _text(body.get("externalId"), "externalId"),
            _text(body.get("displayName"), "displayName"),
            names.get("given_name"),
            names.get("family_name"),
            names.get("formatted"),
            json.dumps(emails),
            int(active),
            now,
            now,
        ),
    )
    return JSONResponse(render(request, _get(store, user_id)))


# PatchOp paths (lower-case) -> how to apply a value.
_NAME_PARTS = {
    "name.givenname": "given_name",
    "givenname": "given_name",
    "name.familyname": "family_name",
    "familyname": "family_name",
    "name.formatted": "formatted",
    "fullname": "formatted",
}


def _apply(columns: dict[str, Any], path: str, value: Any, where: str) -> None:
    key = path.strip().lower().removeprefix(USER_SCHEMA.lower() + ":")
    if key == "active":
        columns["active"] = int(_bool(value, where))
    elif key == "displayname":
        columns["display_name"] = _text(value, where)
    elif key == "externalid":
        columns["external_id"] = _text(value, where)
    elif key == "name":
        columns.update(_name_columns(value, where))
    elif key in _NAME_PARTS:
        columns[_NAME_PARTS[key]] = _text(value, where)
    elif key == "emails":
        columns["emails"] = json.dumps(_emails(value, where))
    elif key in ('emails[type eq "work"].value', "email"):
        address = _text(value, where, required=True) or ""
        columns["emails"] = json.dumps(_emails([{"value": address, "primary": True}], where))
    elif key == "username":
        raise ScimError(400, "userName cannot be changed.", "mutability")
    else:
        raise ScimError(400, f"The path '{path}' cannot be replaced.", "invalidPath")


@scim_endpoint
async def patch_user(request: Request) -> Response:
    store = get_store(request)
    user_id = _user_id(request)
    body = await json_body(request)
    row = _get(store, user_id)  # 404 first: a deleted user stays gone
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a SCIM PatchOp object.", "invalidSyntax")
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or PATCH_SCHEMA not in schemas:
        raise ScimError(400, f"A PatchOp names the schema {PATCH_SCHEMA}.", "invalidSyntax")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PatchOp needs a non-empty 'Operations' array.", "invalidSyntax")
    columns: dict[str, Any] = {}
    for index, operation in enumerate(operations):
        where = f"Operations[{index}]"
        if not isinstance(operation, dict):
            raise ScimError(400, f"{where} must be an object.", "invalidSyntax")
        op = operation.get("op")
        if not isinstance(op, str) or op.lower() != "replace":
            raise ScimError(
                400,
                f"{where}: only the 'replace' operation is supported, not {json.dumps(op)}.",
                "invalidSyntax",
            )
        if "value" not in operation:
            raise ScimError(400, f"{where} needs a 'value'.", "invalidSyntax")
        path, value = operation.get("path"), operation["value"]
        if path is None:  # replace without a path: the value is an object of attributes
            if not isinstance(value, dict) or not value:
                raise ScimError(
                    400, f"{where}: without a path the value must be an object.", "invalidValue"
                )
            for key, item in value.items():
                _apply(columns, str(key), item, f"{where}.value.{key}")
        elif isinstance(path, str) and path.strip():
            _apply(columns, path, value, f"{where}.value")
        else:
            raise ScimError(400, f"{where}: the path must be a string.", "invalidPath")
    columns["last_modified"] = _now()
    assignments = ", ".join(f"{column} = ?" for column in columns)
    store.execute(
        f"UPDATE scim_user SET {assignments} WHERE id = ?",  # noqa: S608 - fixed column names
        [*columns.values(), row["id"]],
    )
    return JSONResponse(render(request, _get(store, user_id)))


@scim_endpoint
async def delete_user(request: Request) -> Response:
    store = get_store(request)
    row = _get(store, _user_id(request))
    store.execute("DELETE FROM scim_user WHERE id = ?", (row["id"],))
    # The API description promises a JSON body; an empty object says "nothing left".
    return JSONResponse({})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@scim_endpoint
async def get_token(request: Request) -> Response:
    days = query_int(request, "duration")
    days = DEFAULT_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ScimError(
            400, f"The duration must be 1 to {MAX_TOKEN_DAYS} days, got {days}.", "invalidValue"
        )
    issued = datetime.now(UTC).replace(microsecond=0)
    expires = issued + timedelta(days=days)
    header = {"alg": "HS256", "typ": "JWT"}
    payload = {
        "iss": str(request.base_url).rstrip("/"),
        "aud": f"{str(request.base_url).rstrip('/')}{BASE}",
        "sub": "scim-provisioning",
        "iat": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": str(uuid.uuid4()),
    }
    signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    secret = hashlib.sha256(f"scim:{get_state(request).config.token}".encode()).digest()
    signature = _b64(hmac.new(secret, signing.encode("ascii"), hashlib.sha256).digest())
    return JSONResponse(
        {"token": f"{signing}.{signature}", "expiresUtc": _utc(expires), "durationDays": days}
    )


# --- seed --------------------------------------------------------------------------

_PEOPLE = (
    ("Ola", "Nordmann"),
    ("Kari", "Hansen"),
    ("Per", "Olsen"),
    ("Ingrid", "Berg"),
    ("Lars", "Johansen"),
    ("Sofie", "Larsen"),
    ("Magnus", "Andersen"),
    ("Nora", "Pedersen"),
    ("Emil", "Nilsen"),
    ("Ida", "Kristiansen"),
    ("Jonas", "Jensen"),
    ("Maja", "Karlsen"),
    ("Henrik", "Haugen"),
    ("Emma", "Johnsen"),
    ("Sander", "Eriksen"),
    ("Thea", "Solberg"),
    ("Anders", "Moen"),
    ("Julie", "Bakken"),
    ("Kristian", "Dahl"),
    ("Hanna", "Lie"),
)
DOMAIN_NAME = "acme-electronics.example"


def seed(ctx: SeedContext) -> None:
    count = ctx.count(small=16, factory=60)
    rows = []
    for index in range(count):
        given, family = _PEOPLE[index % len(_PEOPLE)]
        suffix = "" if index < len(_PEOPLE) else str(index // len(_PEOPLE) + 1)
        user_name = f"{given}.{family}{suffix}".lower()
        created = ctx.moment(days_back=700)
        modified = created + timedelta(days=ctx.rng.uniform(0, 200))
        # Every fifth user has left: kept in WATS for the history, but inactive.
        active = index % 5 != 4
        rows.append(
            (
                ctx.uuid(),
                user_name,
                ctx.uuid(),
                f"{given} {family}",
                given,
                family,
                f"{given} {family}",
                json.dumps(
                    [{"value": f"{user_name}@{DOMAIN_NAME}", "type": "work", "primary": True}]
                ),
                int(active),
                _utc(created),
                _utc(min(modified, ctx.anchor)),
            )
        )
    ctx.store.executemany(
        "INSERT INTO scim_user (id, user_name, external_id, display_name, given_name, "
        "family_name, formatted, emails, active, created, last_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


DOMAIN = Domain(
    name="scim",
    schema=SCHEMA,
    seed=seed,
    routes=[
        Route(f"{BASE}/Token", get_token, methods=["GET"]),
        Route(f"{BASE}/Users", list_users, methods=["GET"]),
        Route(f"{BASE}/Users", create_user, methods=["POST"]),
        # Before Users/{id}, which would take "userName=x" for an id.
        Route(f"{BASE}/Users/userName={{userName:path}}", get_user_by_name, methods=["GET"]),
        Route(f"{BASE}/Users/{{id}}", get_user, methods=["GET"]),
        Route(f"{BASE}/Users/{{id}}", patch_user, methods=["PATCH"]),
        Route(f"{BASE}/Users/{{id}}", delete_user, methods=["DELETE"]),
    ],
)

__all__ = ["DOMAIN", "filter_sql"]
