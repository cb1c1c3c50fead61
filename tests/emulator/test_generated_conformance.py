"""Generated requests for every operation the emulator serves, checked against the spec.

The operations come from the emulator's own routes (every domain module the core
discovers), matched to the bundled OpenAPI files, so a domain added later is covered as
soon as its routes exist. For each one hypothesis draws path and query parameters and a
JSON body from the spec's schemas, mixed with hostile values (any text, integers of any
size, lone surrogates, deep nesting), and checks:

* the emulator never answers 5xx;
* every answer is one the spec allows: a declared status with a body valid against the
  declared schema, or an error with a JSON Message (`Contract.check_response`);
* without a token the answer is 401.

Runs are seeded (`derandomize`) and bounded (EXAMPLES per operation), so the test is
reproducible and takes well under a minute on two cores.
"""

from __future__ import annotations

import asyncio
import copy
import io
import json
import os
import zipfile
from collections.abc import Iterator
from importlib import resources
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pywats.emulator import EmulatorConfig, create_app
from pywats.emulator.app import EmulatorApp
from pywats.emulator.contract import SPEC_FILES, Contract, ContractViolation, Operation
from pywats.emulator.registry import discover_domains

EXAMPLES = int(os.environ.get("PYWATS_CONFORMANCE_EXAMPLES", "12"))
SPEC = Contract.bundled()
_SPECS: dict[str, dict[str, Any]] = {
    name: json.loads((resources.files("pywats.emulator") / "spec" / name).read_text("utf-8"))
    for name in SPEC_FILES
}

# Operations whose generated input would not say anything about the emulator:
# (method, path template) -> the spec defect that makes them so. None today.
EXCLUDED: dict[tuple[str, str], str] = {}

# Operations that answer a document, not JSON: (METHOD, spec path) -> (content type, why).
# The spec lists the generator's formatters (JSON, XML, HTML) for every operation and gives
# only a JSON schema, so these bodies are checked for their own format instead.
DOCUMENTS: dict[tuple[str, str], tuple[str, str]] = {
    ("GET", "/api/Report/Wsxf/{id}"): ("application/xml", "a WSXF document; checked well-formed"),
    ("GET", "/api/Report/Certificate/{id}"): ("text/html", "an HTML certificate"),
    ("GET", "/api/Report/Attachments/{id}"): (
        "application/zip",
        "spec defect: declares JSON/XML/HTML, but the server sends the attachments as a zip",
    ),
    ("GET", "/api/Report/Attachment"): (
        "",
        "spec defect: declares JSON/XML/HTML, but the server sends the file as stored "
        "(its own content type)",
    ),
    ("GET", "/api/RootCause/Attachment"): (
        "",
        "spec defect: declares JSON/XML/HTML, but the server sends the file as stored "
        "(its own content type)",
    ),
}

# Responses the spec describes wrongly, checked as corrected: (METHOD, spec path) -> defect.
ARRAY_OF_DECLARED = {
    ("GET", "/api/Software/Packages"): (
        'the 200 schema is one Package, but the operation ("Returns all Packages") and the '
        "server answer an array of them; each item is checked against the Package schema"
    ),
}


def _served() -> list[tuple[str, str]]:
    """(METHOD, path template) of every route of every discovered domain."""
    found = []
    for domain in discover_domains():
        for route in domain.routes:
            path = getattr(route, "path", None)
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD" and path is not None:
                    found.append((method, path))
    return found


def _operation(method: str, template: str) -> Operation | None:
    try:
        return SPEC.find(method, template)
    except ContractViolation:
        return None


SERVED = _served()
KNOWN: dict[str, list[str]] = {}  # seeded values by name, filled by the `served` fixture
OPERATIONS = [
    (method, template, op)
    for method, template in SERVED
    if (op := _operation(method, template)) is not None and (method, template) not in EXCLUDED
]


def _resolve(node: Any, spec: dict[str, Any], depth: int = 0) -> Any:
    """Inline local $refs; recursive schemas stop after a few levels (any value below)."""
    if isinstance(node, list):
        return [_resolve(item, spec, depth) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        if depth > 4:
            return {}
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return _resolve(copy.deepcopy(target), spec, depth + 1)
    out = {key: _resolve(value, spec, depth) for key, value in node.items()}
    if out == {"type": "object"}:  # the generator's "untyped": any JSON value
        return {}
    # OpenAPI 3.0 spellings that JSON Schema (draft 4) generators do not know.
    if out.pop("nullable", False) and "type" in out:
        out["type"] = [out["type"], "null"]
    for key in ("format", "example", "readOnly", "writeOnly", "xml", "discriminator"):
        out.pop(key, None)
    return out


def from_schema(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values valid against one of the spec's (resolved) schemas.

    The spec's schemas use a small part of JSON Schema: types, properties, items, enums,
    lengths and ranges; that is all this reads. (hypothesis-jsonschema would do the same,
    but it does not work with current hypothesis releases.)
    """
    if not isinstance(schema, dict) or not schema or depth > 6:
        return _LEAF
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            return st.one_of([from_schema(part, depth + 1) for part in schema[key]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, depth) for k in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
    if kind == "number":
        return st.floats(
            min_value=schema.get("minimum"),
            max_value=schema.get("maximum"),
            allow_nan=False,
            allow_infinity=False,
        )
    if kind == "string":
        return st.text(
            min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 40), 40)
        )
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), depth + 1), max_size=3)
    properties = schema.get("properties")
    if kind == "object" or properties:
        properties = properties or {}
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {name: from_schema(sub, depth + 1) for name, sub in properties.items()
             if name in required},
            optional={name: from_schema(sub, depth + 1) for name, sub in properties.items()
                      if name not in required},
        )  # fmt: skip
    return _LEAF


# -- hostile values, mixed into every parameter and body ------------------------------------

_HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "9" * 5000,
            str(2**63),
            str(-(2**63) - 1),
            "1e999",
            "NaN",
            "\udcff",
            "O'Brien",
            "%",
            "../../etc/passwd",
            "00000000-0000-0000-0000-000000000000",
        ]
    ),
)
_HOSTILE_INT = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.just(-(2**63)), st.just(2**63)
)
# Stands for an integer literal of 5,000 digits in a body (Python could not even print it).
_HUGE = "__5000_DIGITS__"
_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    _HOSTILE_INT,
    st.just(_HUGE),
    st.floats(allow_nan=False, allow_infinity=False),
    _HOSTILE_TEXT,
)
_HOSTILE_JSON = st.one_of(
    st.recursive(
        _LEAF,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=8,
    ),
    st.integers(min_value=200, max_value=3000).map(lambda n: "[" * n + "]" * n),  # deep
)


def _json_text(value: Any) -> str:
    if isinstance(value, str) and value.startswith("[["):
        return value  # pre-built deep nesting
    text = json.dumps(value, ensure_ascii=True)  # lone surrogates become \udcff escapes
    return text.replace(f'"{_HUGE}"', "9" * 5000)


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def _param_strategy(schema: dict[str, Any], known: list[str]) -> st.SearchStrategy[str]:
    """Values for one parameter: valid by its schema, hostile, or seeded (`known`)."""
    valid = from_schema(schema) if schema else st.text(max_size=20)
    choices = [valid.map(_param_text), _HOSTILE_TEXT, _HOSTILE_INT.map(str)]
    if known:  # values that name seeded things, so requests also reach existing resources
        choices.insert(0, st.sampled_from(known))
    return st.one_of(choices)


_KEY_SUFFIXES = ("number", "uuid", "id", "name", "code", "revision", "type", "key", "tag")


def known_values(store: Any) -> dict[str, list[str]]:
    """Seeded values of every key-like column of every table (any domain's), by column name
    without underscores: "part_number" -> "partnumber", matched to a "partNumber" parameter."""
    found: dict[str, set[str]] = {}
    for (table,) in store.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in store.query(f'PRAGMA table_info("{table}")'):
            name = str(column["name"]).lower()
            if not name.endswith(_KEY_SUFFIXES):
                continue
            rows = store.query(f'SELECT DISTINCT "{column["name"]}" FROM "{table}" LIMIT 4')
            values = {str(row[0]) for row in rows if isinstance(row[0], str | int)}
            key = name.replace("_", "")
            found.setdefault(key, set()).update(v for v in values if v and "/" not in v)
            if name.endswith(("uuid", "_id")):  # also a candidate for a bare "id" parameter
                found.setdefault("id", set()).update(v for v in values if v and "/" not in v)
    return {key: sorted(values) for key, values in found.items() if values}


def _known_for(parameter: str, known: dict[str, list[str]]) -> list[str]:
    return known.get(parameter.lower().replace("_", ""), [])


def _body_strategy(operation: Operation) -> st.SearchStrategy[str | None]:
    body = operation.operation.get("requestBody")
    if not body:
        return st.one_of(st.none(), _HOSTILE_JSON.map(_json_text))
    content = body.get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return st.one_of(st.none(), _HOSTILE_JSON.map(_json_text))
    resolved = _resolve(schema, _SPECS[operation.spec])
    valid = from_schema(resolved)
    return st.one_of(valid.map(_json_text), _HOSTILE_JSON.map(_json_text))


@st.composite
def _requests(
    draw: st.DrawFn, template: str, operation: Operation, known: dict[str, list[str]]
) -> dict[str, Any]:
    spec = _SPECS[operation.spec]
    path = operation.path  # the spec's spelling of the template (no Starlette converters)
    query: dict[str, str] = {}
    for parameter in operation.operation.get("parameters", []):
        parameter = _resolve(parameter, spec)
        schema = parameter.get("schema", {})
        name = parameter["name"]
        if parameter["in"] == "path":
            # A "/" (even as %2F, which the server decodes) makes another path, not a value.
            value = draw(
                _param_strategy(schema, _known_for(name, known)).filter(
                    lambda v: v.strip() and "/" not in v
                )
            )
            path = path.replace("{" + name + "}", quote(value, safe="", errors="replace"))
        elif parameter["in"] == "query" and (parameter.get("required") or draw(st.booleans())):
            query[name] = draw(_param_strategy(schema, _known_for(name, known)))
    # Route parameters the spec spells differently still need a value.
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        value = draw(_HOSTILE_TEXT.filter(lambda v: v.strip() and "/" not in v))
        path = path[:start] + quote(value, safe="", errors="replace") + path[end + 1 :]
    return {"path": path, "query": query, "body": draw(_body_strategy(operation))}


# -- running requests in-process --------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[EmulatorApp, asyncio.AbstractEventLoop, httpx2.AsyncClient]]:
    app = create_app(EmulatorConfig())
    KNOWN.clear()
    KNOWN.update(known_values(app.emulator.store))
    loop = asyncio.new_event_loop()
    transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx2.AsyncClient(transport=transport, base_url="http://localhost")
    yield app, loop, client
    loop.run_until_complete(client.aclose())
    loop.close()
    app.emulator.store.close()


def _send(
    served: tuple[EmulatorApp, asyncio.AbstractEventLoop, httpx2.AsyncClient],
    method: str,
    request: dict[str, Any],
    *,
    authenticated: bool = True,
) -> httpx2.Response:
    app, loop, client = served
    headers = {"Referer": "http://localhost"}
    if authenticated:
        headers["Authorization"] = f"Basic {app.emulator.config.token}"
    if request["body"] is not None:
        headers["Content-Type"] = "application/json"
    content = None if request["body"] is None else request["body"].encode("utf-8", "surrogatepass")
    # Encoded here, not by httpx: a lone surrogate goes out as the bytes a careless client
    # would send (%ED%B3%BF), which is not UTF-8.
    query = "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
        for name, value in request["query"].items()
    )
    url = f"{request['path']}?{query}" if query else request["path"]
    return loop.run_until_complete(client.request(method, url, content=content, headers=headers))


def _describe(method: str, request: dict[str, Any], response: httpx2.Response) -> str:
    body = request["body"]
    shown = body if body is None or len(body) < 300 else f"{body[:300]}... ({len(body)} chars)"
    return (
        f"{method} {request['path']} query={request['query']!r} body={shown!r}\n"
        f"-> {response.status_code} {response.text[:500]}"
    )


def _check_document(response: httpx2.Response, content_type: str, where: str) -> None:
    actual = response.headers.get("content-type", "").split(";")[0].strip()
    assert response.content, where
    if content_type:
        assert actual == content_type, f"content-type {actual!r}\n{where}"
    if content_type == "application/xml":
        ElementTree.fromstring(response.content)
    elif content_type == "text/html":
        assert response.text.lstrip().lower().startswith("<!doctype html"), where
    elif content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert archive.testzip() is None, where
    else:  # a stored file: any type, but it must say which
        assert actual, where


def test_every_served_route_is_an_operation_of_the_spec() -> None:
    missing = [f"{m} {p}" for m, p in SERVED if _operation(m, p) is None]
    assert not missing, f"routes that the WATS API does not describe: {missing}"
    assert len(OPERATIONS) >= 50  # the domains are all discovered


@pytest.mark.parametrize(
    ("method", "template", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_generated_requests_conform(
    served: tuple[EmulatorApp, asyncio.AbstractEventLoop, httpx2.AsyncClient],
    method: str,
    template: str,
    operation: Operation,
) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=_requests(template, operation, KNOWN))
    def run(request: dict[str, Any]) -> None:
        response = _send(served, method, request)
        where = _describe(method, request, response)
        assert response.status_code < 500, where
        content_type = response.headers.get("content-type", "")
        path = response.request.url.path
        document = DOCUMENTS.get((method, operation.path))
        if document is not None and response.status_code == 200:
            _check_document(response, document[0], where)
            return
        try:
            if (method, operation.path) in ARRAY_OF_DECLARED and response.status_code == 200:
                items = response.json()
                assert isinstance(items, list), where
                for item in items:
                    body = json.dumps(item).encode()
                    SPEC.check_response(method, path, 200, body, content_type)
            else:
                SPEC.check_response(method, path, response.status_code, response.content,
                                    content_type)  # fmt: skip
        except ContractViolation as exc:
            raise AssertionError(f"{exc}\n{where}") from None

    run()


@pytest.mark.parametrize(
    ("method", "template", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_without_a_token_every_operation_is_401(
    served: tuple[EmulatorApp, asyncio.AbstractEventLoop, httpx2.AsyncClient],
    method: str,
    template: str,
    operation: Operation,
) -> None:
    path = template
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "x" + path[end + 1 :]
    request = {"path": path, "query": {}, "body": "{}" if method in ("POST", "PUT") else None}
    response = _send(served, method, request, authenticated=False)
    assert response.status_code == 401, _describe(method, request, response)
    assert response.headers["www-authenticate"].startswith("Basic")
