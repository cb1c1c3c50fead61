"""OData $filter/$orderby/$top/$skip: a table of expressions and their results over known rows,
malformed expressions with the position they fail at, and the 400 over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pywats.emulator import Domain, EmulatorConfig, InProcessEmulator, SeedContext, Storage
from pywats.emulator.app import create_app
from pywats.emulator.errors import BadRequest
from pywats.emulator.odata import Field, ODataError, ODataQuery, parse_filter
from pywats.emulator.state import get_store

SCHEMA = """
CREATE TABLE item (
    id INTEGER PRIMARY KEY, part_number TEXT, name TEXT, qty INTEGER, price REAL,
    active INTEGER, made TEXT, item_guid TEXT, note TEXT
);
"""
G1 = "0a1b2c3d-0000-4000-8000-000000000001"
G2 = "0a1b2c3d-0000-4000-8000-000000000002"
ROWS = [
    (1, "PSU-100", "O'Brien supply", 10, 9.5, 1, "2024-01-01T08:00:00Z", G1, None),
    (2, "PSU-200", "Power 200", 20, 19.99, 1, "2024-03-15T12:30:00+02:00", G2, "fragile"),
    (3, "CTL-300", "Controller (main)", 5, 150.0, 0, "2023-12-31T23:59:59Z", None, "it's"),
    (4, "SEN-400", "sensor", 0, 0.5, 1, "2024-06-01T00:00:00.500Z", None, ""),
    (5, "COM-500", "Comm, radio", -3, 42.0, 0, None, None, "a 'quoted' note"),
]
FIELDS = {
    "id": Field("id", "int"),
    "partNumber": Field("part_number", "string"),
    "name": Field("name", "string"),
    "qty": Field("qty", "int"),
    "price": Field("price", "float"),
    "active": Field("active", "bool"),
    "made": Field("made", "datetime"),
    "itemId": Field("item_guid", "guid"),
    "note": Field("note", "string"),
}

# (filter, ids it selects)
FILTERS: list[tuple[str, set[int]]] = [
    ("partNumber eq 'PSU-100'", {1}),
    ("partNumber ne 'PSU-100'", {2, 3, 4, 5}),
    ("qty gt 5", {1, 2}),
    ("qty ge 5", {1, 2, 3}),
    ("qty lt 0", {5}),
    ("qty le 0", {4, 5}),
    ("qty eq -3", {5}),
    ("price gt 19.98", {2, 3, 5}),
    ("price lt 1e1", {1, 4}),
    ("price eq 150", {3}),  # int literal against a float field
    ("name eq 'O''Brien supply'", {1}),  # doubled quote inside a literal
    ("contains(name,'''')", {1}),  # a literal that is just one quote
    ("note eq 'a ''quoted'' note'", {5}),
    ("contains(note, 'it''s')", {3}),
    ("contains(name,'(main)')", {3}),  # parentheses inside a string are text
    ("startswith(partNumber,'PSU-')", {1, 2}),
    ("endswith(partNumber,'00')", {1, 2, 3, 4, 5}),
    ("endswith(name,'radio')", {5}),
    ("endswith(partNumber,'a-much-longer-suffix')", set()),
    ("contains(name,'Supply')", {1}),  # any case, as under the server's SQL Server collation
    ("contains(tolower(name),'supply')", {1}),
    ("toupper(name) eq 'SENSOR'", {4}),
    ("length(partNumber) eq 7", {1, 2, 3, 4, 5}),
    ("substringof('Power', name)", {2}),  # OData v3 spelling
    ("active eq true", {1, 2, 4}),
    ("active", {1, 2, 4}),  # a boolean field is a condition by itself
    ("not active", {3, 5}),
    ("active eq false and qty gt 0", {3}),
    ("partNumber eq 'CTL-300' or partNumber eq 'COM-500'", {3, 5}),
    ("qty gt 0 and qty lt 20 or partNumber eq 'COM-500'", {1, 3, 5}),  # and binds tighter
    ("qty gt 0 and (qty lt 20 or partNumber eq 'COM-500')", {1, 3}),
    ("((qty gt 0) and ((price lt 10) or (price gt 100)))", {1, 3}),  # nested parentheses
    ("not (qty gt 0 and active eq true)", {3, 4, 5}),
    ("not not (qty eq 0)", {4}),
    ("made gt 2024-01-01T00:00:00Z", {1, 2, 4}),
    ("made lt 2024-01-01", {3}),  # a date alone is midnight UTC
    ("made ge 2024-03-15T10:30:00Z and made le 2024-03-15T10:30:00Z", {2}),  # offsets are honoured
    ("made eq 2024-06-01T00:00:00.5Z", {4}),  # fractions of a second
    ("made gt datetime'2024-05-31T23:59:59'", {4}),  # OData v3 literal, no offset means UTC
    ("made lt '2024-01-01T09:00:00Z'", {1, 3}),  # quoted text compared with a datetime field
    ("made eq null", {5}),
    ("made ne null", {1, 2, 3, 4}),
    (f"itemId eq {G1}", {1}),
    (f"itemId eq {G2.upper()}", {2}),  # GUIDs are case-insensitive
    (f"itemId eq guid'{G2}'", {2}),
    (f"itemId ne {G1}", {2, 3, 4, 5}),  # null is "not equal" too
    (f"itemId eq '{G1}'", {1}),
    ("note eq ''", {4}),
    ("note eq null or note eq ''", {1, 4}),
    ("Qty GT 5 AND PartNumber EQ 'PSU-200'", {2}),  # keywords and field names ignore case
    ("   qty   eq   10   ", {1}),
]

# (filter, position where it fails, words the message must contain)
MALFORMED: list[tuple[str, int, str]] = [
    ("partNumber eq", 13, "expected a value"),
    ("partNumber eq 'PSU-100", 14, "unterminated string"),
    ("name eq 'O'Brien'", 16, "unterminated string"),  # an unescaped quote ends the literal
    ("(qty gt 1", 9, "expected ')'"),
    ("qty gt 1)", 8, "expected 'and', 'or'"),
    ("((qty gt 1) and (price lt 2)", 28, "expected ')'"),
    ("qty gt 1 and", 12, "expected a value"),
    ("qty gt 1 or or qty lt 1", 12, "expected a value"),
    ("qty == 1", 4, "unexpected character"),
    ("qty eq 1 qty eq 2", 9, "expected 'and', 'or'"),
    ("nosuchfield eq 1", 0, "unknown field 'nosuchfield'"),
    ("partNumber gt 5", 11, "cannot compare string field 'partNumber' with a number"),
    ("active gt true", 7, "cannot be used with bool"),
    ("made gt 'yesterday'", 8, "not a valid date/time"),
    ("made gt 2024-13-45", 8, "not a valid date/time"),
    ("itemId eq 'not-a-guid'", 10, "not a valid GUID"),
    ("startswith(partNumber)", 0, "takes 2 argument"),
    ("frobnicate(name, 'x')", 0, "unknown function"),
    ("contains(qty, '1')", 9, "needs text arguments"),
    ("qty", 0, "must be a condition"),
    ("not qty", 4, "true/false condition"),
    ("subUnits/any(s: s/partNumber eq 'x')", 0, "not supported"),
    ("qty eq null and made gt null", 21, "cannot be used with null"),
    ("(" * 101 + "qty eq 1" + ")" * 101, 100, "nests deeper than 100"),
    ("not " * 101 + "active", 400, "nests deeper than 100"),
    ("qty eq 1 or " * 1000 + "qty eq 2", 10000, "longer than 10000"),
]


@pytest.fixture(scope="module")
def store() -> Storage:
    db = Storage()
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ROWS)
    return db


def _ids(store: Storage, params: dict[str, str]) -> list[int]:
    query = ODataQuery.parse(params)
    return [row["id"] for row in query.run(store, "SELECT * FROM item", FIELDS, default_order="id")]


def test_deep_but_allowed_nesting() -> None:
    assert parse_filter("(" * 99 + "qty eq 1" + ")" * 99)


def test_table_is_big_enough() -> None:
    assert len(FILTERS) + len(MALFORMED) >= 30


@pytest.mark.parametrize(("expression", "expected"), FILTERS, ids=[f for f, _ in FILTERS])
def test_filter(store: Storage, expression: str, expected: set[int]) -> None:
    assert set(_ids(store, {"$filter": expression})) == expected


@pytest.mark.parametrize(
    ("expression", "position", "words"), MALFORMED, ids=[m[0][:40] for m in MALFORMED]
)
def test_malformed_filter_is_400_with_position(
    store: Storage, expression: str, position: int, words: str
) -> None:
    with pytest.raises(BadRequest) as info:
        _ids(store, {"$filter": expression})
    assert info.value.status == 400
    assert info.value.field == "$filter"
    assert f"at position {position}" in info.value.message
    assert words in info.value.message


def test_values_are_bound_not_spliced() -> None:
    hostile = "name eq 'x'') OR 1=1 --'"
    query = ODataQuery.parse({"$filter": hostile})
    sql, params = query.to_sql("SELECT * FROM item", FIELDS)
    assert "1=1" not in sql
    assert params == ["x') OR 1=1 --"]


def test_parse_error_position_attribute() -> None:
    with pytest.raises(ODataError) as info:
        parse_filter("qty eq (1")
    assert info.value.position == 9


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"$orderby": "qty"}, [5, 4, 3, 1, 2]),
        ({"$orderby": "qty desc"}, [2, 1, 3, 4, 5]),
        ({"$orderby": "active desc, price asc"}, [4, 1, 2, 5, 3]),
        ({"$orderby": "made"}, [5, 3, 1, 2, 4]),  # null first, then by instant, not by text
        ({"$orderby": "qty", "$top": "2"}, [5, 4]),
        ({"$orderby": "qty", "$top": "2", "$skip": "2"}, [3, 1]),
        ({"$orderby": "qty", "$skip": "4"}, [2]),
        ({"$top": "0"}, []),
        ({"$filter": "active", "$orderby": "price desc", "$top": "1"}, [2]),
        ({"$FILTER": "qty eq 0"}, [4]),  # option names ignore case
    ],
)
def test_orderby_top_skip(store: Storage, params: dict[str, str], expected: list[int]) -> None:
    assert _ids(store, params) == expected


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"$top": "-1"}, "$top", "non-negative"),
        ({"$top": "ten"}, "$top", "non-negative"),
        ({"$skip": "1.5"}, "$skip", "non-negative"),
        ({"$orderby": "qty sideways"}, "$orderby", "position 4"),
        ({"$orderby": "nosuch"}, "$orderby", "unknown field"),
        ({"$orderby": "qty,"}, "$orderby", "expected a field name"),
    ],
)
def test_bad_options(store: Storage, params: dict[str, str], field: str, words: str) -> None:
    with pytest.raises(BadRequest) as info:
        _ids(store, params)
    assert info.value.field == field
    assert words in info.value.message


def test_max_top() -> None:
    with pytest.raises(BadRequest, match="at most 10"):
        ODataQuery.parse({"$top": "11"}, max_top=10)
    assert ODataQuery.parse({}, default_top=5).top == 5


# --- through HTTP, as a domain would use it ---------------------------------------


def _seed(ctx: SeedContext) -> None:
    ctx.store.executemany("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ROWS)


async def _list_items(request: Request) -> JSONResponse:
    query = ODataQuery.from_request(request, default_top=100, max_top=1000)
    rows = query.run(get_store(request), "SELECT * FROM item", FIELDS, default_order="id")
    return JSONResponse([{"id": row["id"], "partNumber": row["part_number"]} for row in rows])


ITEMS = Domain(
    name="items",
    schema=SCHEMA,
    seed=_seed,
    routes=[Route("/api/Test/Items", _list_items, methods=["GET"])],
)


@pytest.fixture
async def items_client() -> AsyncIterator[httpx2.AsyncClient]:
    emu = InProcessEmulator(create_app(EmulatorConfig(), domains=[ITEMS]))
    async with emu.client() as client:
        yield client
    emu.close()


async def test_odata_over_http(items_client: httpx2.AsyncClient) -> None:
    response = await items_client.get(
        "/api/Test/Items", params={"$filter": "name eq 'O''Brien supply'"}
    )
    assert response.status_code == 200
    assert response.json() == [{"id": 1, "partNumber": "PSU-100"}]


async def test_bad_filter_over_http_is_400_saying_where(items_client: httpx2.AsyncClient) -> None:
    response = await items_client.get("/api/Test/Items", params={"$filter": "qty gt 1 and"})
    assert response.status_code == 400
    body = response.json()
    assert body["Message"].startswith("Invalid $filter at position 12")
    assert "$filter" in body["ModelState"]


def test_long_or_chain_like_an_in_list(store: Storage) -> None:
    # OData has no "in" here: clients chain hundreds of ors, which SQLite must accept.
    expression = " or ".join(f"qty eq {n}" for n in range(-300, 400) if n != 20)
    assert len(expression) < 10_000
    assert set(_ids(store, {"$filter": expression})) == {1, 3, 4, 5}
