"""OData filters match the same rows whatever the case of the value, as on the real server
(SQL Server's case-insensitive collation), for equality, ordering and string functions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest

from pywats.emulator.odata import Field, ODataQuery
from pywats.emulator.storage import Storage
from pywats.emulator.testing import InProcessEmulator


def _cases(value: str) -> list[str]:
    return [value, value.lower(), value.upper(), value.swapcase()]


async def _products(client: httpx2.AsyncClient, expression: str) -> list[str]:
    response = await client.get("/api/Product/Query", params={"$filter": expression})
    assert response.status_code == 200, response.text
    return sorted(p["partNumber"] for p in response.json())


@pytest.fixture
async def client(emulator: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with emulator.client() as http:
        yield http


@pytest.fixture
def product(emulator: InProcessEmulator) -> tuple[str, str]:
    """A seeded product with letters in its part number and name."""
    row = emulator.store.query_one(
        "SELECT part_number, name FROM product WHERE part_number GLOB '*[A-Za-z]*' "
        "AND name GLOB '*[A-Za-z]*' ORDER BY part_number LIMIT 1"
    )
    assert row is not None
    return str(row["part_number"]), str(row["name"])


@pytest.mark.parametrize(
    "template",
    [
        "partNumber eq '{pn}'",
        "partNumber ge '{pn}' and partNumber le '{pn}'",
        "startswith(partNumber,'{pn}')",
        "endswith(partNumber,'{pn}')",
        "contains(partNumber,'{pn}')",
        "contains(name,'{name}')",
        "name eq '{name}'",
        "tolower(partNumber) eq '{pn}'",
        "toupper(partNumber) eq '{pn}'",
    ],
)
async def test_product_filters_ignore_case(
    client: httpx2.AsyncClient, product: tuple[str, str], template: str
) -> None:
    pn, name = product
    results = [
        await _products(client, template.format(pn=pn_case, name=name_case))
        for pn_case, name_case in zip(_cases(pn), _cases(name), strict=True)
    ]
    assert pn in results[0]
    assert all(result == results[0] for result in results), results


async def test_ne_excludes_the_value_in_any_case(
    client: httpx2.AsyncClient, product: tuple[str, str]
) -> None:
    pn, _ = product
    everything = await _products(client, "partNumber ne 'no such part'")
    assert pn in everything
    for case in _cases(pn):
        assert pn not in await _products(client, f"partNumber ne '{case}'")


async def test_report_headers_by_serial_number_in_any_case(
    client: httpx2.AsyncClient, emulator: InProcessEmulator
) -> None:
    serial = emulator.store.scalar(
        "SELECT serial_number FROM report WHERE serial_number GLOB '*[A-Za-z]*' LIMIT 1"
    )
    assert serial
    found = []
    for case in _cases(str(serial)):
        for expression in (f"serialNumber eq '{case}'", f"startswith(serialNumber,'{case}')"):
            response = await client.get(
                "/api/Report/Query/Header", params={"$filter": expression, "$top": "1000"}
            )
            assert response.status_code == 200, response.text
            found.append(sorted(h["uuid"] for h in response.json()))
    assert found[0]
    assert all(uuids == found[0] for uuids in found)


@pytest.fixture
def names() -> Storage:
    store = Storage()
    store.executescript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    store.executemany(
        "INSERT INTO t VALUES (?, ?)",
        [(1, "Ørsted Øst"), (2, "ørsted øst"), (3, "Émile"), (4, "STRASSE"), (5, "Other")],
    )
    return store


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("name eq 'ØRSTED ØST'", {1, 2}),  # beyond ASCII, where SQLite's NOCASE stops
        ("contains(name, 'RSTED Ø')", {1, 2}),
        ("startswith(name, 'émi')", {3}),
        ("endswith(name, 'Øst')", {1, 2}),
        ("toupper(name) eq 'ÉMILE'", {3}),
        ("tolower(name) eq 'émile'", {3}),
        ("name gt 'other' and name lt 'P'", set()),  # 'Other' is equal to 'other', not above it
        ("name ge 'other' and name le 'OTHER'", {5}),
    ],
)
def test_case_folding_covers_all_of_unicode(
    names: Storage, expression: str, expected: set[int]
) -> None:
    fields = {"name": Field("name", "string")}
    rows = ODataQuery.parse({"$filter": expression}).run(names, "SELECT * FROM t", fields)
    assert {row["id"] for row in rows} == expected


def test_orderby_on_text_ignores_case(names: Storage) -> None:
    fields = {"name": Field("name", "string")}
    store = names
    store.executemany("INSERT INTO t VALUES (?, ?)", [(6, "apple"), (7, "Banana"), (8, "cherry")])
    query = ODataQuery.parse({"$orderby": "name", "$filter": "id ge 6"})
    fields["id"] = Field("id", "int")
    rows = query.run(store, "SELECT * FROM t", fields)
    assert [row["name"] for row in rows] == ["apple", "Banana", "cherry"]
