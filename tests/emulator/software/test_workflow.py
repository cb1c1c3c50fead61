"""The release workflow in the emulator: new packages and versions, every status move (allowed
and refused), the delete rule for both delete operations, what PUT may change in each status,
and who changed what when."""

from __future__ import annotations

from itertools import product
from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

from .conftest import ICT, package_id, package_in

STATUSES = ("Draft", "Pending", "Released", "Revoked")
ALLOWED = {
    ("Draft", "Pending"),
    ("Pending", "Draft"),
    ("Pending", "Released"),
    ("Released", "Revoked"),
}
REFUSED = [move for move in product(STATUSES, STATUSES) if move not in ALLOWED]


async def get(client: httpx2.AsyncClient, pid: str) -> dict[str, Any]:
    response = await client.get(f"/api/Software/Package/{pid}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def move(client: httpx2.AsyncClient, pid: str, status: str) -> httpx2.Response:
    return await client.post(f"/api/Software/PackageStatus/{pid}", params={"status": status})


async def test_a_new_package_is_a_draft_and_a_known_name_gets_the_next_version(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    body = {
        "name": "Fixture ICT",
        "description": "Bed of nails",
        "priority": 5,
        "installOnRoot": True,
        "rootDirectory": r"C:\\Fixture",
        "tags": [{"key": "StationType", "value": "ICT"}],
        "status": "Released",
        "version": 42,
    }  # read-only: ignored
    first = contract.check(await emulator_client.post("/api/Software/Package", json=body))
    assert (first["status"], first["version"]) == ("Draft", 1)
    assert first["tags"] == [{"key": "StationType", "value": "ICT"}]
    assert first["createdBy"] == first["modifiedBy"] == "emulator"  # the token's user
    assert first["created"] == first["modified"]
    again = contract.check(
        await emulator_client.post("/api/Software/Package", json={"Name": "fixture ict"})
    )
    assert (again["version"], again["status"]) == (2, "Draft")
    seeded = contract.check(await emulator_client.post("/api/Software/Package", json={"name": ICT}))
    assert seeded["version"] == 6  # after the five seeded versions


async def test_the_whole_release_path_records_who_and_when(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    created = (await emulator_client.post("/api/Software/Package", json={"name": "Flow"})).json()
    pid = created["packageId"]
    history = [created["modified"]]
    for status in ("Pending", "Draft", "Pending", "Released", "Revoked"):
        response = await move(emulator_client, pid, status)
        package = contract.check(response)
        assert package["status"] == status
        assert package["modifiedBy"] == "emulator"
        history.append(package["modified"])
    assert history == sorted(history)
    final = await get(emulator_client, pid)
    assert final["releasedBy"] == final["revokedBy"] == "emulator"
    assert created["created"] <= final["released"] <= final["revoked"]


@pytest.mark.parametrize(("current", "target"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
async def test_every_other_move_is_refused_with_what_is_allowed(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    current: str,
    target: str,
) -> None:
    pid = package_in(emulator, current)
    before = await get(emulator_client, pid)
    response = await move(emulator_client, pid, target)
    assert response.status_code == 400
    contract.check(response)
    message = response.json()["Message"]
    if current == target:
        assert f"already {current}" in message
    elif current == "Revoked":
        assert "final" in message and "new version" in message
    else:
        allowed = " or ".join(b for a, b in sorted(ALLOWED, key=lambda m: m[1]) if a == current)
        assert f"can only go to {allowed}" in message, message
    assert await get(emulator_client, pid) == before


async def test_status_names_any_case_and_unknown_ones(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    pid = package_in(emulator, "Draft")
    assert (await move(emulator_client, pid, "pending")).json()["status"] == "Pending"
    unknown = await move(emulator_client, pid, "Approved")
    assert unknown.status_code == 400 and "Supported values" in unknown.json()["Message"]
    missing = await emulator_client.post(f"/api/Software/PackageStatus/{pid}")
    assert missing.status_code == 400 and missing.json()["ModelState"]["status"]


@pytest.mark.parametrize("status", STATUSES)
async def test_only_draft_and_revoked_packages_can_be_deleted(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    status: str,
) -> None:
    pid = package_in(emulator, status)
    files = emulator.store.scalar("SELECT COUNT(*) FROM software_file WHERE package_id = ?", (pid,))
    assert files
    response = await emulator_client.delete(f"/api/Software/Package/{pid}")
    contract.check(response)
    if status in ("Draft", "Revoked"):
        assert response.status_code == 204
        gone = await emulator_client.get(f"/api/Software/Package/{pid}")
        assert gone.status_code == 404
        assert not emulator.store.scalar(
            "SELECT COUNT(*) FROM software_file WHERE package_id = ?", (pid,)
        )
    else:
        assert response.status_code == 400
        message = response.json()["Message"]
        assert f"is {status}" in message and "only a Draft or a Revoked" in message
        assert (await get(emulator_client, pid))["status"] == status


@pytest.mark.parametrize(
    ("version", "status"), [(1, "Revoked"), (2, "Released"), (4, "Pending"), (5, "Draft")]
)
async def test_delete_by_name_follows_the_same_rule(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    version: int,
    status: str,
) -> None:
    pid = package_id(emulator, ICT, version)
    response = await emulator_client.delete(
        "/api/Software/PackageByName", params={"name": ICT, "version": version}
    )
    contract.check(response)
    left = (await emulator_client.get(f"/api/Software/Package/{pid}")).status_code
    if status in ("Draft", "Revoked"):
        assert (response.status_code, left) == (204, 404)
    else:
        assert (response.status_code, left) == (400, 200)
        assert "only a Draft or a Revoked" in response.json()["Message"]


# --- PUT: overwrite what the status allows --------------------------------------------


async def test_put_on_a_draft_edits_every_detail(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    pid = package_id(emulator, ICT, 5)
    before = await get(emulator_client, pid)
    edited = {
        **before,
        "description": "Reworked",
        "priority": 3,
        "installOnRoot": True,
        "rootDirectory": "D:\\ICT",
        "tags": [{"key": "Line", "value": "2"}],
    }
    response = await emulator_client.put(f"/api/Software/Package/{pid}", json=edited)
    assert response.status_code == 200
    contract.check(response)
    after = await get(emulator_client, pid)
    assert {
        k: after[k]
        for k in (
            "description",
            "priority",
            "installOnRoot",
            "rootDirectory",
            "tags",
            "version",
            "status",
        )
    } == {
        "description": "Reworked",
        "priority": 3,
        "installOnRoot": True,
        "rootDirectory": "D:\\ICT",
        "tags": [{"key": "Line", "value": "2"}],
        "version": 5,
        "status": "Draft",
    }
    assert after["modifiedBy"] == "emulator" and after["modified"] > before["modified"]
    assert after["created"] == before["created"]
    # An absent field keeps its value.
    await emulator_client.put(f"/api/Software/Package/{pid}", json={"priority": 9})
    assert (await get(emulator_client, pid))["description"] == "Reworked"
    # The status moves by the same rules as PackageStatus.
    await emulator_client.put(f"/api/Software/Package/{pid}", json={"status": "Pending"})
    assert (await get(emulator_client, pid))["status"] == "Pending"
    refused = await emulator_client.put(f"/api/Software/Package/{pid}", json={"status": "Revoked"})
    assert refused.status_code == 400 and "can only go to" in refused.json()["Message"]


@pytest.mark.parametrize("status", ["Pending", "Released"])
async def test_put_on_pending_or_released_changes_only_status_and_tags(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, status: str
) -> None:
    pid = package_in(emulator, status)
    before = await get(emulator_client, pid)
    refused = await emulator_client.put(
        f"/api/Software/Package/{pid}", json={**before, "description": "Sneaky edit"}
    )
    assert refused.status_code == 400
    assert "only its status and tags" in refused.json()["Message"]
    assert refused.json()["ModelState"]["description"]
    assert await get(emulator_client, pid) == before
    tags = [{"key": "Approved", "value": "yes"}]
    ok = await emulator_client.put(f"/api/Software/Package/{pid}", json={**before, "tags": tags})
    assert ok.status_code == 200
    after = await get(emulator_client, pid)
    assert after["tags"] == tags and after["status"] == status
    next_status = "Released" if status == "Pending" else "Revoked"
    await emulator_client.put(f"/api/Software/Package/{pid}", json={"status": next_status})
    assert (await get(emulator_client, pid))["status"] == next_status


async def test_put_on_a_revoked_package_changes_nothing(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    pid = package_in(emulator, "Revoked")
    before = await get(emulator_client, pid)
    same = await emulator_client.put(f"/api/Software/Package/{pid}", json=before)
    assert same.status_code == 200  # nothing changes: nothing to refuse
    for change in ({"tags": []}, {"description": "x"}, {"status": "Draft"}):
        response = await emulator_client.put(f"/api/Software/Package/{pid}", json=change)
        assert response.status_code == 400, change
        assert "Revoked: nothing can be changed" in response.json()["Message"]
    assert await get(emulator_client, pid) == before


async def test_put_refuses_another_id_or_version_and_a_taken_name(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    draft = package_id(emulator, ICT, 5)
    other = package_id(emulator, ICT, 4)
    wrong_id = await emulator_client.put(
        f"/api/Software/Package/{draft}", json={"packageId": other}
    )
    assert wrong_id.status_code == 400 and wrong_id.json()["ModelState"]["packageId"]
    wrong_version = await emulator_client.put(f"/api/Software/Package/{draft}", json={"version": 9})
    assert wrong_version.status_code == 400 and "set by the server" in wrong_version.text
    # The seeded Calibration package is v1; renaming this v5 draft is fine, but a new draft
    # of another name at version 1 cannot take a name whose v1 exists.
    created = (await emulator_client.post("/api/Software/Package", json={"name": "X"})).json()
    clash = await emulator_client.put(
        f"/api/Software/Package/{created['packageId']}", json={"name": "MOD-4100 Calibration"}
    )
    assert clash.status_code == 409
    renamed = await emulator_client.put(
        f"/api/Software/Package/{draft}", json={"name": "PCB-1001 ICT rework"}
    )
    assert renamed.status_code == 200
    assert (await get(emulator_client, draft))["name"] == "PCB-1001 ICT rework"
