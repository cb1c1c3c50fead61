"""The emulator's Product endpoints: every operation checked against the spec, and the
400/401/404/409 cases (with nothing written when a request is refused)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

WSBF = "http://wats.virinco.com/schemas/WATS/wsbf"


def wsbf(part_number: str, revision: str, components: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><BOM Partnumber="{part_number}" '
        f'Revision="{revision}" Desc="Test BOM" xmlns="{WSBF}">{components}</BOM>'
    ).encode()


async def count_products(client: httpx2.AsyncClient) -> int:
    response = await client.get("/api/Product/Query", params={"$top": 100000})
    return len(response.json())


# --- one request per operation, each validated against the spec ------------------------

OPERATIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/Product/Query", {"params": {"$filter": "startswith(partNumber,'PCB-')"}}),
    ("GET", "/api/Product/MOD-4100", {}),
    ("GET", "/api/Product/MOD-4100/1.0", {}),
    ("PUT", "/api/Product", {"json": {"partNumber": "NEW-100", "name": "New", "state": 1}}),
    ("PUT", "/api/Products", {"json": [{"partNumber": "NEW-101"}, {"partNumber": "NEW-102"}]}),
    ("PUT", "/api/Product/Revision", {"json": {"PartNumber": "MOD-4100", "revision": "9.9"}}),
    (
        "PUT",
        "/api/Products/Revisions",
        {"json": [{"PartNumber": "PCB-1001", "revision": "Z"}]},
    ),
    (
        "PUT",
        "/api/Product/BOM",
        {
            "content": wsbf("PCB-1001", "A", '<Component Number="RES-1" Qty="2" Ref="R1;R2"/>'),
            "headers": {"Content-Type": "application/xml"},
        },
    ),
    ("GET", "/api/Product/Vendors", {}),
    ("PUT", "/api/Product/Vendors", {"json": [{"VendorName": "Acme Parts"}]}),
    ("DELETE", "/api/Product/Vendors", {"json": [{"VendorName": "TTI"}]}),
    ("GET", "/api/Product/ProductGroupsByProduct", {"params": {"partNumber": "PSU-200"}}),
    (
        "POST",
        "/api/Product/ProductGroupFilter",
        {"params": {"productGroup": "Sensors", "partNumber": "PCB-3001", "revision": "1.1"}},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
async def test_operation_matches_contract(
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    response = await emulator_client.request(method, path, **kwargs)
    assert response.status_code == 200, response.text
    assert contract.check(response) is not None


@pytest.mark.parametrize(
    ("method", "path", "kwargs"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
async def test_operation_without_token_is_401(
    emulator: InProcessEmulator,
    contract: Contract,
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    async with emulator.client(authenticated=False) as client:
        response = await client.request(method, path, **kwargs)
    assert response.status_code == 401
    contract.check(response)


# --- query ------------------------------------------------------------------------------


async def test_query_filters_orders_and_pages(emulator_client: httpx2.AsyncClient) -> None:
    params = {
        "$filter": "startswith(partNumber,'PCB-') and state eq 1",
        "$orderby": "partNumber desc",
    }
    rows = (await emulator_client.get("/api/Product/Query", params=params)).json()
    numbers = [row["partNumber"] for row in rows]
    assert numbers and all(n.startswith("PCB-") for n in numbers)
    assert numbers == sorted(numbers, reverse=True)
    assert all(row["state"] == 1 for row in rows)
    page = (
        await emulator_client.get("/api/Product/Query", params={**params, "$top": 2, "$skip": 1})
    ).json()
    assert [row["partNumber"] for row in page] == numbers[1:3]


async def test_query_category_matches_spec_example(emulator_client: httpx2.AsyncClient) -> None:
    rows = (
        await emulator_client.get("/api/Product/Query", params={"$filter": "Category eq 'Cable'"})
    ).json()
    assert rows and {row["category"] for row in rows} == {"Cable"}
    assert all(row["nonSerial"] for row in rows)


async def test_query_without_filter_is_capped_at_1000(emulator: InProcessEmulator) -> None:
    products = [{"partNumber": f"BULK-{index:04d}"} for index in range(1000)]
    async with emulator.client() as client:
        assert (await client.put("/api/Products", json=products)).status_code == 200
        capped = (await client.get("/api/Product/Query")).json()
        more = (await client.get("/api/Product/Query", params={"$top": 5000})).json()
    assert len(capped) == 1000
    assert len(more) > 1000


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"$filter": "partNumber eq"}, "$filter"),
        ({"$filter": "colour eq 'red'"}, "$filter"),
        ({"$top": "-1"}, "$top"),
        ({"$orderby": "nonsense field"}, "$orderby"),
    ],
)
async def test_bad_query_is_400_naming_the_option(
    emulator_client: httpx2.AsyncClient, contract: Contract, params: dict[str, str], field: str
) -> None:
    response = await emulator_client.get("/api/Product/Query", params=params)
    assert response.status_code == 400
    assert field in contract.check(response)["Message"]


# --- get --------------------------------------------------------------------------------


async def test_get_product_has_revisions_tags_and_is_case_insensitive(
    emulator_client: httpx2.AsyncClient,
) -> None:
    body = (await emulator_client.get("/api/Product/mod-4100")).json()
    assert body["partNumber"] == "MOD-4100"
    assert [rev["revision"] for rev in body["revisions"]] == ["1.0", "1.1"]
    assert all(rev["PartNumber"] == "MOD-4100" for rev in body["revisions"])
    assert "BOM" in body["revisions"][0]["xmlData"]


@pytest.mark.parametrize("path", ["/api/Product/NO-SUCH-PART", "/api/Product/MOD-4100/Z9"])
async def test_get_missing_is_404(
    emulator_client: httpx2.AsyncClient, contract: Contract, path: str
) -> None:
    response = await emulator_client.get(path)
    assert response.status_code == 404
    assert "NO-SUCH-PART" in response.text or "Z9" in response.text
    contract.check(response)


# --- create-or-update -------------------------------------------------------------------


async def test_put_product_creates_then_updates_by_part_number_and_by_id(
    emulator_client: httpx2.AsyncClient,
) -> None:
    created = (
        await emulator_client.put(
            "/api/Product",
            json={
                "partNumber": "NEW-200",
                "name": "Widget",
                "productCategoryName": "Gadgets",
                "xmlData": '<Root><Site Value="Oslo"/></Root>',
                "revisions": [{"revision": "A"}],
            },
        )
    ).json()
    assert created["state"] == 1 and created["nonSerial"] is False
    assert created["tags"] == [{"key": "Site", "value": "Oslo"}]
    assert created["productCategoryName"] == "Gadgets"
    assert [rev["revision"] for rev in created["revisions"]] == ["A"]
    by_pn = (
        await emulator_client.put("/api/Product", json={"partNumber": "new-200", "state": 0})
    ).json()
    assert by_pn["productId"] == created["productId"]
    assert by_pn["state"] == 0 and by_pn["name"] == "Widget"  # absent fields are kept
    renamed = (
        await emulator_client.put(
            "/api/Product", json={"productId": created["productId"], "partNumber": "NEW-201"}
        )
    ).json()
    assert renamed["partNumber"] == "NEW-201"
    assert (await emulator_client.get("/api/Product/NEW-200")).status_code == 404


async def test_put_revision_by_part_number_then_by_id(emulator_client: httpx2.AsyncClient) -> None:
    created = (
        await emulator_client.put(
            "/api/Product/Revision",
            json={"partNumber": "PCB-1002", "revision": "C", "name": "Rev C", "state": 1},
        )
    ).json()
    assert created["PartNumber"] == "PCB-1002"
    updated = (
        await emulator_client.put(
            "/api/Product/Revision",
            json={
                "productRevisionId": created["productRevisionId"],
                "productId": created["productId"],
                "state": 0,
            },
        )
    ).json()
    assert updated["state"] == 0 and updated["name"] == "Rev C"


async def test_bulk_revisions_resolve_each_parent(emulator_client: httpx2.AsyncClient) -> None:
    body = [
        {"PartNumber": "PCB-1001", "revision": "D"},
        {"PartNumber": "PCB-2001", "revision": "C"},
    ]
    saved = (await emulator_client.put("/api/Products/Revisions", json=body)).json()
    assert [(r["PartNumber"], r["revision"]) for r in saved] == [
        ("PCB-1001", "D"),
        ("PCB-2001", "C"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "no part number"}, "partNumber"),
        ({"partNumber": ""}, "partNumber"),
        ({"partNumber": "X" * 101}, "partNumber"),
        ({"partNumber": "A/B"}, "partNumber"),
        ({"partNumber": "A?B"}, "partNumber"),
        ({"partNumber": "OK-1", "state": 7}, "state"),
        ({"partNumber": "OK-1", "name": 12}, "name"),
        ({"partNumber": "OK-1", "xmlData": "<Root>"}, "xmlData"),
        ({"partNumber": "OK-1", "productId": "nope"}, "productId"),
        (
            {"partNumber": "OK-1", "revisions": [{"revision": "A"}, {"revision": "a"}]},
            "revisions[1].revision",
        ),
    ],
)
async def test_bad_product_is_400_naming_the_field_and_writes_nothing(
    emulator_client: httpx2.AsyncClient, contract: Contract, body: dict[str, Any], field: str
) -> None:
    before = await count_products(emulator_client)
    response = await emulator_client.put("/api/Product", json=body)
    assert response.status_code == 400
    assert contract.check(response)["ModelState"].keys() == {field}
    assert await count_products(emulator_client) == before


async def test_bulk_with_one_bad_item_writes_nothing(emulator_client: httpx2.AsyncClient) -> None:
    before = await count_products(emulator_client)
    response = await emulator_client.put(
        "/api/Products", json=[{"partNumber": "GOOD-1"}, {"partNumber": "BAD\x01"}]
    )
    assert response.status_code == 400
    assert "[1].partNumber" in response.json()["ModelState"]
    assert await count_products(emulator_client) == before


async def test_bulk_failing_half_way_rolls_back(emulator_client: httpx2.AsyncClient) -> None:
    before = await count_products(emulator_client)
    unknown = "00000000-0000-4000-8000-000000000000"
    response = await emulator_client.put(
        "/api/Products", json=[{"partNumber": "GOOD-2"}, {"productId": unknown, "name": "x"}]
    )
    assert response.status_code == 404
    assert await count_products(emulator_client) == before


async def test_revision_for_missing_product_is_404_and_writes_nothing(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    response = await emulator_client.put(
        "/api/Product/Revision", json={"PartNumber": "GHOST-1", "revision": "A"}
    )
    assert response.status_code == 404
    assert "GHOST-1" in contract.check(response)["Message"]
    assert (await emulator_client.get("/api/Product/GHOST-1")).status_code == 404
    missing_parent = await emulator_client.put("/api/Product/Revision", json={"revision": "A"})
    assert missing_parent.status_code == 400


async def test_rename_onto_existing_part_number_is_409(emulator_client: httpx2.AsyncClient) -> None:
    product = (await emulator_client.get("/api/Product/PCB-1001")).json()
    response = await emulator_client.put(
        "/api/Product", json={"productId": product["productId"], "partNumber": "PCB-1002"}
    )
    assert response.status_code == 409
    assert (await emulator_client.get("/api/Product/PCB-1001")).status_code == 200


# --- BOM --------------------------------------------------------------------------------


async def test_bom_upload_replaces_the_bom_in_xml_data(emulator_client: httpx2.AsyncClient) -> None:
    headers = {"Content-Type": "application/xml"}
    first = wsbf("PCB-1002", "A", '<Component Number="CAP-1" Qty="3" Ref="C1;C2;C3"/>')
    second = wsbf(
        "PCB-1002", "A", '<Component Number="RES-9" Rev="B" Qty="1" FunctionBlock="PSU"/>'
    )
    for document in (first, second):
        response = await emulator_client.put("/api/Product/BOM", content=document, headers=headers)
        assert response.status_code == 200
    xml_data = (await emulator_client.get("/api/Product/PCB-1002/A")).json()["xmlData"]
    assert "RES-9" in xml_data and "CAP-1" not in xml_data
    assert 'FunctionBlock="PSU"' in xml_data


@pytest.mark.parametrize(
    ("document", "status"),
    [
        (b"", 400),
        (b"<BOM", 400),
        (b"<Parts/>", 400),
        (wsbf("", "A", ""), 400),
        (wsbf("PCB-1002", "A", '<Component Number="X" Qty="0"/>'), 400),
        (wsbf("PCB-1002", "A", '<Component Qty="1"/>'), 400),
        (wsbf("GHOST-1", "A", ""), 404),
        (wsbf("PCB-1002", "Q", ""), 404),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><BOM/>', 400),
    ],
)
async def test_bad_bom_is_refused_and_changes_nothing(
    emulator_client: httpx2.AsyncClient, contract: Contract, document: bytes, status: int
) -> None:
    before = (await emulator_client.get("/api/Product/PCB-1002/A")).json()
    response = await emulator_client.put(
        "/api/Product/BOM", content=document, headers={"Content-Type": "application/xml"}
    )
    assert response.status_code == status
    contract.check(response)
    assert (await emulator_client.get("/api/Product/PCB-1002/A")).json() == before


# --- vendors ----------------------------------------------------------------------------


async def test_vendors_add_only_missing_and_delete(emulator_client: httpx2.AsyncClient) -> None:
    added = (
        await emulator_client.put(
            "/api/Product/Vendors", json=[{"VendorName": "Acme"}, {"VendorName": "mouser"}]
        )
    ).json()
    names = [v["VendorName"] for v in added]
    assert "Acme" in names and names.count("Mouser") == 1 and "mouser" not in names
    remaining = (
        await emulator_client.request(
            "DELETE", "/api/Product/Vendors", json=[{"VendorName": "Acme"}]
        )
    ).json()
    assert "Acme" not in [v["VendorName"] for v in remaining]


@pytest.mark.parametrize(
    "body", [{"VendorName": "x"}, [{"VendorName": ""}], [{"Name": "x"}], ["Acme"]]
)
async def test_bad_vendor_body_is_400(emulator_client: httpx2.AsyncClient, body: Any) -> None:
    response = await emulator_client.put("/api/Product/Vendors", json=body)
    assert response.status_code == 400
    vendors = (await emulator_client.get("/api/Product/Vendors")).json()
    assert "x" not in [v["VendorName"] for v in vendors]


# --- groups -----------------------------------------------------------------------------


async def test_groups_by_product_follow_filters_and_members(
    emulator_client: httpx2.AsyncClient,
) -> None:
    async def groups(**params: str) -> list[str]:
        response = await emulator_client.get("/api/Product/ProductGroupsByProduct", params=params)
        assert response.status_code == 200
        return [g["productGroupName"] for g in response.json()]

    assert await groups(partNumber="PSU-200") == ["Power supplies"]  # by the group's filter
    assert await groups(partNumber="SYS-9000") == ["Controllers"]  # an explicit member
    assert await groups(partNumber="CTL-10000") == []  # excluded despite the filter
    assert await groups(partNumber="PCB-2001", revision="B") == ["Power supplies"]
    assert await groups(partNumber="PCB-2001", revision="A") == []


async def test_group_filter_adds_and_excludes(emulator_client: httpx2.AsyncClient) -> None:
    url = "/api/Product/ProductGroupFilter"
    added = await emulator_client.post(
        url, params={"productGroup": "sensors", "partNumber": "PCB-3001"}
    )
    assert added.json()["productGroupName"] == "Sensors"
    again = await emulator_client.post(
        url, params={"productGroup": "Sensors", "partNumber": "PCB-3001"}
    )
    assert again.json()["id"] == added.json()["id"]  # adding twice keeps one entry
    names = await emulator_client.get(
        "/api/Product/ProductGroupsByProduct", params={"partNumber": "PCB-3001"}
    )
    assert [g["productGroupName"] for g in names.json()] == ["Sensors"]
    await emulator_client.post(
        url, params={"productGroup": "Sensors", "partNumber": "PCB-3001", "exclude": "true"}
    )
    names = await emulator_client.get(
        "/api/Product/ProductGroupsByProduct", params={"partNumber": "PCB-3001"}
    )
    assert names.json() == []


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"partNumber": "PCB-3001"}, 400),
        ({"productGroup": "Sensors"}, 400),
        ({"productGroup": "No such group", "partNumber": "PCB-3001"}, 404),
        ({"productGroup": "Sensors", "partNumber": "GHOST-1"}, 404),
        ({"productGroup": "Sensors", "partNumber": "PCB-3001", "revision": "Q"}, 404),
        ({"productGroup": "Sensors", "partNumber": "PCB-3001", "exclude": "maybe"}, 400),
    ],
)
async def test_bad_group_filter(
    emulator_client: httpx2.AsyncClient, contract: Contract, params: dict[str, str], status: int
) -> None:
    response = await emulator_client.post("/api/Product/ProductGroupFilter", params=params)
    assert response.status_code == status
    contract.check(response)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"partNumber": "GHOST-1"}, 404),
        ({"partNumber": "PSU-200", "revision": "Q"}, 404),
    ],
)
async def test_bad_groups_by_product(
    emulator_client: httpx2.AsyncClient, params: dict[str, str], status: int
) -> None:
    response = await emulator_client.get("/api/Product/ProductGroupsByProduct", params=params)
    assert response.status_code == status
