"""/api/App metadata endpoints: contract, include flags, and 401/400/404/405.

Version and Levels take no input, so they have no 400; unknown query parameters are
ignored, as ASP.NET does.
"""

from __future__ import annotations

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

APP_PATHS = ["/api/App/Version", "/api/App/Processes", "/api/App/Levels", "/api/App/ProductGroups"]


@pytest.mark.parametrize("path", APP_PATHS)
async def test_response_matches_contract(
    emulator_client: httpx2.AsyncClient, contract: Contract, path: str
) -> None:
    response = await emulator_client.get(path)
    assert response.status_code == 200
    body = contract.check(response)
    assert body


@pytest.mark.parametrize("path", APP_PATHS)
async def test_without_token_is_401(
    emulator: InProcessEmulator, contract: Contract, path: str
) -> None:
    async with emulator.client(authenticated=False) as client:
        response = await client.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    contract.check(response)


@pytest.mark.parametrize(
    "authorization",
    ["Basic wrong-token", "Bearer {token}", "Basic", "basic{token}", ""],
)
async def test_bad_authorization_is_401(emulator: InProcessEmulator, authorization: str) -> None:
    async with emulator.client(authenticated=False) as client:
        response = await client.get(
            "/api/App/Version",
            headers={"Authorization": authorization.format(token=emulator.token)},
        )
    assert response.status_code == 401
    assert "denied" in response.json()["Message"]


async def test_scheme_is_case_insensitive(emulator: InProcessEmulator) -> None:
    async with emulator.client(authenticated=False) as client:
        response = await client.get(
            "/api/App/Version", headers={"Authorization": f"BASIC {emulator.token}"}
        )
    assert response.status_code == 200


async def test_version_is_a_json_string(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.get("/api/App/Version")
    assert response.json() == "24.1.0"


async def _codes(client: httpx2.AsyncClient, **flags: str) -> set[int]:
    response = await client.get("/api/App/Processes", params=flags)
    assert response.status_code == 200
    return {item["code"] for item in response.json()}


async def test_processes_default_flags(emulator_client: httpx2.AsyncClient) -> None:
    codes = await _codes(emulator_client)
    assert {100, 110, 300, 500, 510, 900} <= codes
    assert not codes & {190, 520}  # inactive ones are left out by default


@pytest.mark.parametrize(
    ("flags", "present", "absent"),
    [
        ({"includeTestOperations": "false"}, {300, 500, 900}, {100, 150}),
        ({"includeRepairOperations": "false"}, {100, 300}, {500, 510}),
        ({"includeWipOperations": "false"}, {100, 500}, {300, 330}),
        ({"includeInactiveProcesses": "true"}, {190, 520, 100}, set()),
        (
            {
                "includeTestOperations": "false",
                "includeRepairOperations": "false",
                "includeWipOperations": "false",
            },
            {900},
            {100, 300, 500},
        ),
        ({"INCLUDETESTOPERATIONS": "False"}, {500}, {100}),  # names and values case-insensitive
    ],
)
async def test_processes_include_flags(
    emulator_client: httpx2.AsyncClient, flags: dict[str, str], present: set[int], absent: set[int]
) -> None:
    codes = await _codes(emulator_client, **flags)
    assert present <= codes
    assert not absent & codes


async def test_repair_processes_carry_repair_operation(emulator_client: httpx2.AsyncClient) -> None:
    processes = (await emulator_client.get("/api/App/Processes")).json()
    repair = next(p for p in processes if p["code"] == 500)
    test = next(p for p in processes if p["code"] == 100)
    assert repair["isRepairOperation"] is True
    categories = repair["repairOperation"]["categories"]
    assert categories[0]["failcodes"][0]["selectable"] is True
    assert repair["repairOperation"]["uutRequired"] == 1
    assert "repairOperation" not in test


@pytest.mark.parametrize("flag", ["includeTestOperations", "includeInactiveProcesses"])
async def test_processes_bad_flag_is_400_naming_it(
    emulator_client: httpx2.AsyncClient, contract: Contract, flag: str
) -> None:
    response = await emulator_client.get("/api/App/Processes", params={flag: "maybe"})
    assert response.status_code == 400
    body = contract.check(response)
    assert flag in body["Message"]
    assert flag in body["ModelState"]


async def test_product_groups_include_filters(emulator_client: httpx2.AsyncClient) -> None:
    plain = (await emulator_client.get("/api/App/ProductGroups")).json()
    with_filters = (
        await emulator_client.get("/api/App/ProductGroups", params={"includeFilters": "true"})
    ).json()
    assert [g["productGroupName"] for g in plain] == [g["productGroupName"] for g in with_filters]
    assert all("filter" not in g for g in plain)
    assert all(g["filter"].startswith("startswith(") for g in with_filters)
    bad = await emulator_client.get("/api/App/ProductGroups", params={"includeFilters": "yes"})
    assert bad.status_code == 400
    assert "includeFilters" in bad.json()["Message"]


async def test_levels(emulator_client: httpx2.AsyncClient) -> None:
    levels = (await emulator_client.get("/api/App/Levels")).json()
    assert levels[0] == {"levelId": 1, "levelName": "PCBA"}


@pytest.mark.parametrize("path", ["/api/App/Nothing", "/api/Nope", "/", "/api/App/Version/extra"])
async def test_unknown_route_is_404_json(emulator_client: httpx2.AsyncClient, path: str) -> None:
    response = await emulator_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert path in response.json()["Message"]


async def test_wrong_method_is_405_json(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    response = await emulator_client.post("/api/App/Version")
    assert response.status_code == 405
    assert "POST" in response.json()["Message"]


async def test_unknown_query_parameters_are_ignored(emulator_client: httpx2.AsyncClient) -> None:
    response = await emulator_client.get("/api/App/Levels", params={"whatever": "x"})
    assert response.status_code == 200
