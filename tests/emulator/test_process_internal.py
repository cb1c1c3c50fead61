"""/api/internal/Process: contract, CRUD, repair operations, and the error cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

BASE = "/api/internal/Process"
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
async def internal(emulator: InProcessEmulator) -> AsyncIterator[httpx2.AsyncClient]:
    async with emulator.client(headers={"Referer": emulator.base_url}) as client:
        yield client


async def _processes(client: httpx2.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get(f"{BASE}/GetProcesses")
    assert response.status_code == 200
    result: list[dict[str, Any]] = response.json()
    return result


async def _by_code(client: httpx2.AsyncClient, code: int) -> dict[str, Any]:
    return next(p for p in await _processes(client) if p["Code"] == code)


async def test_get_processes_contract(internal: httpx2.AsyncClient, contract: Contract) -> None:
    body = contract.check(await internal.get(f"{BASE}/GetProcesses"))
    assert {p["Code"] for p in body} >= {100, 500, 300}
    wip = next(p for p in body if p["Code"] == 300)
    assert wip["IsWIPOperation"] is True


async def test_get_process_contract(internal: httpx2.AsyncClient, contract: Contract) -> None:
    eol = await _by_code(internal, 100)
    response = await internal.get(f"{BASE}/GetProcess/{eol['ProcessID'].upper()}")
    assert contract.check(response) == eol


async def test_get_repair_operations_keyed_by_code(
    internal: httpx2.AsyncClient, contract: Contract
) -> None:
    body = contract.check(await internal.get(f"{BASE}/GetRepairOperations"))
    assert set(body) == {"500", "510", "520"}
    assert body["500"]["Categories"][0]["Failcodes"][0]["Selectable"] is True


async def test_get_repair_operation(internal: httpx2.AsyncClient, contract: Contract) -> None:
    repair = await _by_code(internal, 500)
    url = f"{BASE}/GetRepairOperation/{repair['ProcessID']}"
    assert contract.check(await internal.get(url))["Description"] == "Repair"
    assert (await internal.get(url, params={"processCode": 500})).status_code == 200
    assert (await internal.get(url, params={"processCode": 510})).status_code == 404
    bad = await internal.get(url, params={"processCode": "five"})
    assert bad.status_code == 400
    assert "processCode" in bad.json()["Message"]
    test = await _by_code(internal, 100)
    assert (await internal.get(f"{BASE}/GetRepairOperation/{test['ProcessID']}")).status_code == 404


async def test_post_put_delete_roundtrip(internal: httpx2.AsyncClient, contract: Contract) -> None:
    created = contract.check(
        await internal.post(
            f"{BASE}/PostProcess",
            json={"Code": 160, "Name": "RF test", "IsTestOperation": True},
        )
    )
    assert created["Code"] == 160
    assert created["State"] == 1
    assert created["IsTestOperation"] is True
    pid = created["ProcessID"]

    response = await internal.put(
        f"{BASE}/PutProcess", json={"ProcessID": pid, "Name": "RF test v2", "State": 0}
    )
    assert response.status_code == 204
    contract.check(response)
    fetched = contract.check(await internal.get(f"{BASE}/GetProcess/{pid}"))
    assert (fetched["Name"], fetched["State"], fetched["Code"]) == ("RF test v2", 0, 160)

    deleted = contract.check(await internal.delete(f"{BASE}/DeleteProcess/{pid}"))
    assert deleted["Name"] == "RF test v2"
    assert (await internal.get(f"{BASE}/GetProcess/{pid}")).status_code == 404
    assert (await internal.delete(f"{BASE}/DeleteProcess/{pid}")).status_code == 404


async def test_public_list_sees_internal_changes(
    emulator: InProcessEmulator, internal: httpx2.AsyncClient
) -> None:
    await internal.post(
        f"{BASE}/PostProcess", json={"Code": 340, "Name": "Potting", "IsWIPOperation": True}
    )
    async with emulator.client() as public:
        codes = {p["code"] for p in (await public.get("/api/App/Processes")).json()}
    assert 340 in codes


async def test_put_repair_operation(internal: httpx2.AsyncClient, contract: Contract) -> None:
    repair = await _by_code(internal, 510)
    config = {
        "Description": "RMA",
        "UUTRequired": 0,
        "Categories": [
            {"Description": "Water damage", "Failcodes": [{"Description": "Corrosion"}]}
        ],
    }
    url = f"{BASE}/PutRepairOperation"
    response = await internal.put(url, params={"processId": repair["ProcessID"]}, json=config)
    assert contract.check(response) == config
    stored = (await internal.get(f"{BASE}/GetRepairOperations")).json()["510"]
    assert stored["Categories"][0]["Failcodes"][0]["Description"] == "Corrosion"

    test = await _by_code(internal, 100)
    not_repair = await internal.put(url, params={"processId": test["ProcessID"]}, json=config)
    assert not_repair.status_code == 400
    missing = await internal.put(url, params={"processId": MISSING}, json=config)
    assert missing.status_code == 404
    no_id = await internal.put(url, json=config)
    assert no_id.status_code == 400
    assert "processId" in no_id.json()["Message"]
    broken = await internal.put(
        url,
        params={"processId": repair["ProcessID"]},
        json={
            "Description": "x",
            "Categories": [{"Description": "c", "Failcodes": [{"Description": 5}]}],
        },
    )
    assert broken.status_code == 400
    assert "Categories[0].Failcodes[0].Description" in broken.json()["Message"]


async def test_update_processes(internal: httpx2.AsyncClient, contract: Contract) -> None:
    first, second = (await _processes(internal))[:2]
    response = await internal.put(
        f"{BASE}/Update",
        json=[
            {"ProcessID": first["ProcessID"], "Description": "one"},
            {"ProcessID": second["ProcessID"], "Description": "two"},
        ],
    )
    body = contract.check(response)
    assert [p["Description"] for p in body] == ["one", "two"]
    bad = await internal.put(
        f"{BASE}/Update", json=[{"ProcessID": first["ProcessID"], "Code": "x"}]
    )
    assert bad.status_code == 400
    assert "[0].Code" in bad.json()["Message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("POST", "PostProcess", {"Name": "No code"}, 400, "Code"),
        ("POST", "PostProcess", {"Code": 170}, 400, "Name"),
        ("POST", "PostProcess", {"Code": "170", "Name": "x"}, 400, "Code"),
        (
            "POST",
            "PostProcess",
            {"Code": 171, "Name": "x", "IsTestOperation": "yes"},
            400,
            "IsTestOperation",
        ),
        ("POST", "PostProcess", {"Code": 171, "Name": " "}, 400, "Name"),
        ("POST", "PostProcess", {"Code": 171, "Name": "x", "ProcessID": "nope"}, 400, "ProcessID"),
        ("POST", "PostProcess", {"Code": 100, "Name": "Duplicate"}, 409, "Code"),
        ("POST", "PostProcess", [1, 2], 400, "body"),
        ("POST", "PostProcess", None, 400, "body"),
        ("PUT", "PutProcess", {"Name": "no id"}, 400, "ProcessID"),
        ("PUT", "PutProcess", {"ProcessID": MISSING}, 404, None),
        ("PUT", "Update", {"not": "a list"}, 400, "body"),
        ("PUT", "Update", ["x"], 400, "[0]"),
        ("PUT", "Update", [{"ProcessID": MISSING}], 404, None),
        ("GET", f"GetProcess/{MISSING}", None, 404, None),
        ("GET", "GetProcess/not-a-guid", None, 400, "id"),
        ("DELETE", "DeleteProcess/not-a-guid", None, 400, "id"),
        ("GET", "NoSuchThing", None, 404, None),
    ],
)
async def test_error_cases(
    internal: httpx2.AsyncClient,
    contract: Contract,
    method: str,
    path: str,
    body: Any,
    status: int,
    field: str | None,
) -> None:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    response = await internal.request(method, f"{BASE}/{path}", **kwargs)
    assert response.status_code == status, response.text
    if path != "NoSuchThing":
        contract.check(response)
    if field is not None:
        assert field in response.json()["ModelState"]


async def test_broken_json_body_is_400(internal: httpx2.AsyncClient) -> None:
    response = await internal.post(
        f"{BASE}/PostProcess", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["Message"]


async def test_put_code_conflict_is_409(internal: httpx2.AsyncClient) -> None:
    eol = await _by_code(internal, 100)
    response = await internal.put(
        f"{BASE}/PutProcess", json={"ProcessID": eol["ProcessID"], "Code": 110}
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 400),
        ({"Referer": "not a url"}, 400),
        ({"Referer": "http://elsewhere.example"}, 400),
        ({"Referer": "http://localhost/some/page"}, 200),
    ],
)
async def test_internal_needs_referer(
    emulator: InProcessEmulator, headers: dict[str, str], status: int
) -> None:
    async with emulator.client(headers=headers) as client:
        response = await client.get(f"{BASE}/GetProcesses")
    assert response.status_code == status
    if status == 400:
        assert "Referer" in response.json()["Message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "GetProcesses"),
        ("GET", f"GetProcess/{MISSING}"),
        ("GET", "GetRepairOperations"),
        ("GET", f"GetRepairOperation/{MISSING}"),
        ("POST", "PostProcess"),
        ("PUT", "PutProcess"),
        ("PUT", f"PutRepairOperation?processId={MISSING}"),
        ("PUT", "Update"),
        ("DELETE", f"DeleteProcess/{MISSING}"),
    ],
)
async def test_internal_without_token_is_401(
    emulator: InProcessEmulator, contract: Contract, method: str, path: str
) -> None:
    headers = {"Referer": emulator.base_url}
    async with emulator.client(authenticated=False, headers=headers) as client:
        response = await client.request(method, f"{BASE}/{path}", json={"Code": 1, "Name": "x"})
    assert response.status_code == 401
    contract.check(response)
