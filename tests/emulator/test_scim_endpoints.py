"""The emulator's SCIM 2.0 endpoints: ListResponse paging and filters, duplicates, PatchOp,
delete, the token, and SCIM error bodies (RFC 7644), every answer checked against the spec."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.domains.scim import filter_sql
from pywats.emulator.testing import InProcessEmulator

USERS = "/api/SCIM/v2/Users"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


async def listing(client: httpx2.AsyncClient, contract: Contract, **params: Any) -> dict[str, Any]:
    response = await client.get(USERS, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = contract.check(response)
    return body


def assert_scim_error(response: httpx2.Response, status: int, scim_type: str | None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status)
    assert body.get("scimType") == scim_type
    assert body["detail"] and body["Message"] == body["detail"]


async def create(client: httpx2.AsyncClient, contract: Contract, **body: Any) -> dict[str, Any]:
    response = await client.post(USERS, json={"userName": "new.tech", **body})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = contract.check(response)
    return created


def patch_op(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


async def test_seeded_users_some_inactive(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    body = await listing(emulator_client, contract)
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    total = emulator.store.scalar("SELECT COUNT(*) FROM scim_user")
    assert body["totalResults"] == total == len(body["Resources"]) == body["itemsPerPage"]
    assert body["startIndex"] == 1
    assert {user["active"] for user in body["Resources"]} == {True, False}
    user = body["Resources"][0]
    assert user["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:User"]
    assert user["meta"]["resourceType"] == "User"
    assert user["meta"]["location"].endswith(f"{USERS}/{user['id']}")


async def test_paging_with_start_index_and_count(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    everyone = (await listing(emulator_client, contract))["Resources"]
    pages = []
    start = 1
    while True:
        page = await listing(emulator_client, contract, startIndex=start, count=5)
        assert page["totalResults"] == len(everyone) and page["startIndex"] == start
        pages.extend(page["Resources"])
        if page["itemsPerPage"] < 5:
            break
        start += page["itemsPerPage"]
    assert [u["id"] for u in pages] == [u["id"] for u in everyone]
    only_total = await listing(emulator_client, contract, count=0)
    assert only_total["Resources"] == [] and only_total["totalResults"] == len(everyone)
    below_one = await listing(emulator_client, contract, startIndex=-3, count=2)
    assert below_one["startIndex"] == 1 and len(below_one["Resources"]) == 2
    beyond = await listing(emulator_client, contract, startIndex=10_000)
    assert beyond["Resources"] == [] and beyond["itemsPerPage"] == 0


async def test_filters(emulator_client: httpx2.AsyncClient, contract: Contract) -> None:
    exact = await listing(emulator_client, contract, filter='userName eq "KARI.hansen"')
    assert [u["userName"] for u in exact["Resources"]] == ["kari.hansen"]
    assert exact["totalResults"] == 1
    starts = await listing(emulator_client, contract, filter='userName sw "kari"')
    assert {u["userName"] for u in starts["Resources"]} == {"kari.hansen"}
    inactive = await listing(emulator_client, contract, filter="active eq false")
    assert inactive["Resources"] and not any(u["active"] for u in inactive["Resources"])
    combined = await listing(
        emulator_client,
        contract,
        filter='(displayName co "hansen" or userName eq "per.olsen") and not (active eq false)',
    )
    assert {u["userName"] for u in combined["Resources"]} == {"kari.hansen", "per.olsen"}
    by_mail = await listing(emulator_client, contract, filter='emails co "ola.nordmann@"')
    assert [u["userName"] for u in by_mail["Resources"]] == ["ola.nordmann"]
    nobody = await listing(emulator_client, contract, filter='userName eq "nobody"')
    assert nobody["totalResults"] == 0 and nobody["Resources"] == []


@pytest.mark.parametrize(
    "text",
    [
        "userName eq",
        'nosuch eq "x"',
        'userName like "x"',
        'userName eq "x" and',
        "(userName pr",
        "userName eq bare",
        'active eq "yes"',
        '"x"',
        'userName eq "x" )',
    ],
)
async def test_bad_filters_are_400_invalid_filter(
    emulator_client: httpx2.AsyncClient, contract: Contract, text: str
) -> None:
    response = await emulator_client.get(USERS, params={"filter": text})
    assert_scim_error(response, 400, "invalidFilter")
    contract.check(response)


async def test_hostile_filters_and_huge_paging_are_400_or_empty_never_500(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    for text in ("(" * 2000 + 'userName eq "x"' + ")" * 2000, 'userName eq "' + "x" * 5000 + '"'):
        response = await emulator_client.get(USERS, params={"filter": text})
        assert_scim_error(response, 400, "invalidFilter")
    huge = await listing(emulator_client, contract, startIndex=2**62, count=2**62)
    assert huge["Resources"] == []


def test_filter_values_are_parameters_never_sql() -> None:
    sql = filter_sql('userName eq "x\\" OR 1=1 --"')
    assert sql.params == ['x" OR 1=1 --'] and "1=1" not in sql.text


async def test_create_get_and_duplicate_user_name_is_409(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    created = await create(
        emulator_client,
        contract,
        displayName="New Tech",
        name={"givenName": "New", "familyName": "Tech"},
        emails=[{"value": "new.tech@example.com", "type": "work"}],
        externalId="aad-1",
    )
    assert created["active"] is True and created["id"]
    assert created["name"] == {"givenName": "New", "familyName": "Tech"}
    assert created["emails"] == [{"value": "new.tech@example.com", "type": "work", "primary": True}]
    by_id = await emulator_client.get(f"{USERS}/{created['id']}")
    assert contract.check(by_id) == created
    by_name = await emulator_client.get(f"{USERS}/userName=New.Tech")
    assert contract.check(by_name)["id"] == created["id"]
    duplicate = await emulator_client.post(USERS, json={"userName": "NEW.TECH"})
    assert_scim_error(duplicate, 409, "uniqueness")
    contract.check(duplicate)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"userName": ""},
        {"userName": 3},
        {"userName": "a\nb"},
        [],
        {"userName": "x", "active": "maybe"},
        {"userName": "x", "emails": [{"value": "nomail"}]},
        {"userName": "x", "name": "flat"},
    ],
)
async def test_bad_user_bodies_are_400(
    emulator_client: httpx2.AsyncClient, contract: Contract, body: Any
) -> None:
    response = await emulator_client.post(USERS, json=body)
    assert response.status_code == 400
    assert response.json()["schemas"] == [ERROR]
    contract.check(response)


async def test_broken_json_is_400_invalid_syntax(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.post(
        USERS, content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert_scim_error(response, 400, "invalidSyntax")


async def test_patch_op_replaces_active_display_name_and_name(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    user = await create(emulator_client, contract)
    response = await emulator_client.patch(
        f"{USERS}/{user['id']}",
        json=patch_op(
            {"op": "replace", "path": "active", "value": False},
            {"op": "Replace", "path": "displayName", "value": "Renamed Tech"},
            {"op": "replace", "path": "name", "value": {"givenName": "Re", "familyName": "Named"}},
        ),
    )
    patched = contract.check(response)
    assert patched["active"] is False and patched["displayName"] == "Renamed Tech"
    assert patched["name"] == {"givenName": "Re", "familyName": "Named"}
    # Azure AD's spelling: no path, a value object, booleans as strings.
    response = await emulator_client.patch(
        f"{USERS}/{user['id']}",
        json=patch_op({"op": "replace", "value": {"active": "True", "name.familyName": "Tech"}}),
    )
    again = contract.check(response)
    assert again["active"] is True and again["name"]["familyName"] == "Tech"
    assert again["meta"]["lastModified"] >= patched["meta"]["lastModified"]


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({"Operations": [{"op": "replace", "path": "active", "value": False}]}, "invalidSyntax"),
        (patch_op(), "invalidSyntax"),
        (patch_op({"op": "add", "path": "active", "value": False}), "invalidSyntax"),
        (patch_op({"op": "replace", "path": "active"}), "invalidSyntax"),
        (patch_op({"op": "replace", "path": "active", "value": "perhaps"}), "invalidValue"),
        (patch_op({"op": "replace", "path": "shoeSize", "value": "44"}), "invalidPath"),
        (patch_op({"op": "replace", "path": "userName", "value": "x"}), "mutability"),
    ],
)
async def test_bad_patch_ops_are_400_and_change_nothing(
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    body: dict[str, Any],
    scim_type: str,
) -> None:
    user = await create(emulator_client, contract)
    response = await emulator_client.patch(f"{USERS}/{user['id']}", json=body)
    assert_scim_error(response, 400, scim_type)
    contract.check(response)
    unchanged = await emulator_client.get(f"{USERS}/{user['id']}")
    assert unchanged.json() == user


async def test_delete_then_every_operation_on_the_user_is_404(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    user = await create(emulator_client, contract)
    deleted = await emulator_client.delete(f"{USERS}/{user['id']}")
    assert deleted.status_code == 200
    contract.check(deleted)
    for response in (
        await emulator_client.get(f"{USERS}/{user['id']}"),
        await emulator_client.delete(f"{USERS}/{user['id']}"),
        await emulator_client.patch(
            f"{USERS}/{user['id']}",
            json=patch_op({"op": "replace", "path": "active", "value": True}),
        ),
        await emulator_client.get(f"{USERS}/userName=new.tech"),
        await emulator_client.get(f"{USERS}/not-a-guid"),
    ):
        assert_scim_error(response, 404, None)
        contract.check(response)
    # The name is free again.
    await create(emulator_client, contract)


async def test_token_has_a_duration(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    default = contract.check(await emulator_client.get("/api/SCIM/v2/Token"))
    assert default["durationDays"] == 90 and default["token"].count(".") == 2
    week = contract.check(await emulator_client.get("/api/SCIM/v2/Token", params={"duration": 7}))
    assert week["durationDays"] == 7 and week["expiresUtc"] < default["expiresUtc"]
    for bad in (0, -1, 99999, "x"):
        response = await emulator_client.get("/api/SCIM/v2/Token", params={"duration": bad})
        assert response.status_code == 400
        contract.check(response)
