"""The emulator's Software endpoints: each operation against the spec, 401 without a token,
400 (never 500) for bad input, the seed, and the lookups by name and by tag."""

from __future__ import annotations

import time
from typing import Any

import httpx2
import pytest

from pywats.emulator.config import EmulatorConfig
from pywats.emulator.contract import Contract
from pywats.emulator.domains.software import DOMAIN
from pywats.emulator.seeding import create_schema, seed_domains
from pywats.emulator.storage import Storage
from pywats.emulator.testing import InProcessEmulator

from .conftest import ICT, check_list, files_of, make_zip, package_id, package_in, zip_files


def operations(emulator: InProcessEmulator) -> list[tuple[str, str, dict[str, Any]]]:
    draft = package_id(emulator, ICT, 5)
    pending = package_id(emulator, ICT, 4)
    file_id = emulator.store.scalar(
        "SELECT file_id FROM software_file WHERE package_id = ? ORDER BY name LIMIT 1", (draft,)
    )
    return [
        ("GET", "/api/Software/Packages", {}),
        ("GET", f"/api/Software/Package/{draft}", {}),
        ("POST", "/api/Software/Package", {"json": {"name": "New package"}}),
        ("PUT", f"/api/Software/Package/{draft}", {"json": {"description": "Edited"}}),
        ("DELETE", f"/api/Software/Package/{draft}", {}),
        (
            "POST",
            f"/api/Software/Package/FileAttribute/{file_id}",
            {"params": {"attribute": "TopLevelFile"}},
        ),
        (
            "POST",
            f"/api/Software/Package/UploadZip/{draft}",
            zip_files(make_zip({"Sequences/new.seq": b"x"})),
        ),
        ("GET", "/api/Software/PackageByName", {"params": {"name": ICT, "status": "Released"}}),
        ("DELETE", "/api/Software/PackageByName", {"params": {"name": ICT, "version": 1}}),
        ("GET", f"/api/Software/PackageFiles/{draft}", {}),
        (
            "GET",
            "/api/Software/PackagesByTag",
            {"params": {"tag": "PartNumber=PCB-1001", "status": "Released"}},
        ),
        ("POST", f"/api/Software/PackageStatus/{pending}", {"params": {"status": "Released"}}),
        ("GET", "/api/Software/VirtualFolders", {}),
    ]


OPERATION_COUNT = 13
LIST_ITEM_SCHEMA = {"/api/Software/Packages", "/api/Software/PackagesByTag"}


@pytest.mark.parametrize("index", range(OPERATION_COUNT))
async def test_operation_matches_contract(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    index: int,
) -> None:
    method, path, kwargs = operations(emulator)[index]
    response = await emulator_client.request(method, path, **kwargs)
    assert response.status_code in (200, 204), response.text
    if path in LIST_ITEM_SCHEMA:
        assert check_list(contract, response)
    else:
        contract.check(response)


@pytest.mark.parametrize("index", range(OPERATION_COUNT))
async def test_operation_without_token_is_401(
    emulator: InProcessEmulator, contract: Contract, index: int
) -> None:
    method, path, kwargs = operations(emulator)[index]
    async with emulator.client(authenticated=False) as client:
        response = await client.request(method, path, **kwargs)
    assert response.status_code == 401
    contract.check(response)
    assert (
        emulator.store.scalar(
            "SELECT COUNT(*) FROM software_package WHERE name = ?", ("New package",)
        )
        == 0
    )


# --- the seed ---------------------------------------------------------------------------


async def test_seed_has_every_status_and_several_versions_of_one_name(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    packages = check_list(contract, await emulator_client.get("/api/Software/Packages"))
    assert {p["status"] for p in packages} == {"Draft", "Pending", "Released", "Revoked"}
    ict = sorted((p["version"], p["status"]) for p in packages if p["name"] == ICT)
    assert ict == [(1, "Revoked"), (2, "Released"), (3, "Released"), (4, "Pending"), (5, "Draft")]
    revoked = next(p for p in packages if p["name"] == ICT and p["version"] == 1)
    assert revoked["released"] < revoked["revoked"] and revoked["revokedBy"]
    draft = next(p for p in packages if p["name"] == ICT and p["version"] == 5)
    assert "released" not in draft and "revoked" not in draft


def test_seed_is_deterministic_and_cheap() -> None:
    def snapshot(seed: int) -> list[tuple[Any, ...]]:
        # A fresh database each time: the per-process template cache would hide a difference.
        store = Storage()
        try:
            create_schema(store, [DOMAIN])
            started = time.perf_counter()
            seed_domains(store, [DOMAIN], EmulatorConfig(size="factory", seed=seed))
            assert time.perf_counter() - started < 0.5  # the factory seed has 5 s for all
            rows = store.query(
                "SELECT p.package_id, p.name, p.version, p.status, p.created, f.file_id, f.size "
                "FROM software_package p JOIN software_file f USING (package_id) "
                "ORDER BY p.name, p.version, f.folder, f.name"
            )
            return [tuple(row) for row in rows]
        finally:
            store.close()

    first = snapshot(1)
    assert len({row[0] for row in first}) > 50
    assert first == snapshot(1)
    assert first != snapshot(2)


async def test_files_carry_folders_and_attributes(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    pid = package_id(emulator, ICT, 3)
    response = await emulator_client.get(f"/api/Software/PackageFiles/{pid}")
    contract.check(response)
    files = await files_of(emulator_client, pid)
    assert files["Sequences/Main.seq"]["attributes"] == "TopLevelFile"
    assert files["Sequences/Subsequences/Power.seq"]["attributes"] == "None"
    assert files["Setup/install.cmd"]["attributes"] == "ExecuteOncePerVersion"


# --- by name, by tag --------------------------------------------------------------------


async def test_by_name_without_version_is_the_newest_in_that_status(
    emulator_client: httpx2.AsyncClient,
) -> None:
    async def by_name(**params: Any) -> httpx2.Response:
        return await emulator_client.get(
            "/api/Software/PackageByName", params={"name": ICT, **params}
        )

    assert (await by_name(status="Released")).json()["version"] == 3
    assert (await by_name(status="released", version=2)).json()["version"] == 2
    assert (await by_name(status="Revoked")).json()["version"] == 1
    assert (await by_name(status="Draft")).json()["version"] == 5
    missing = await by_name(status="Released", version=4)  # v4 is Pending
    assert missing.status_code == 404 and "version 4" in missing.json()["Message"]
    name_any_case = await emulator_client.get(
        "/api/Software/PackageByName", params={"name": ICT.lower(), "status": "Pending"}
    )
    assert name_any_case.json()["version"] == 4


async def test_by_name_needs_name_and_a_known_status(emulator_client: httpx2.AsyncClient) -> None:
    no_status = await emulator_client.get("/api/Software/PackageByName", params={"name": ICT})
    assert no_status.status_code == 400 and "status" in no_status.json()["Message"]
    bad = await emulator_client.get(
        "/api/Software/PackageByName", params={"name": ICT, "status": "Live"}
    )
    assert bad.status_code == 400
    assert "Draft, Pending, Released, Revoked" in bad.json()["Message"]
    bad_version = await emulator_client.get(
        "/api/Software/PackageByName", params={"name": ICT, "status": "Draft", "version": "x"}
    )
    assert bad_version.status_code == 400 and bad_version.json()["ModelState"]["version"]


async def test_by_tag_is_one_name_value_pair(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    async def by_tag(tag: str, status: str = "Released") -> httpx2.Response:
        return await emulator_client.get(
            "/api/Software/PackagesByTag", params={"tag": tag, "status": status}
        )

    released = check_list(contract, await by_tag("PartNumber=PCB-1001"))
    assert {(p["name"], p["version"]) for p in released} == {
        (ICT, 2),
        (ICT, 3),
        ("PCB-1001 FCT limits", 1),
    }
    assert len(check_list(contract, await by_tag("PartNumber=pcb-1001"))) == 3  # value: any case
    assert check_list(contract, await by_tag("partnumber=PCB-1001")) == []  # name: exact
    pending = check_list(contract, await by_tag("StationType=ICT", "Pending"))
    assert [(p["name"], p["version"]) for p in pending] == [(ICT, 4)]
    for bad in ("PartNumber", "=PCB-1001"):
        response = await by_tag(bad)
        assert response.status_code == 400 and "tagName=tagValue" in response.json()["Message"]
    two_params = await emulator_client.get(  # the peer SDK's mistake: tag and value apart
        "/api/Software/PackagesByTag",
        params={"tag": "PartNumber", "value": "PCB-1001", "status": "Released"},
    )
    assert two_params.status_code == 400


async def test_virtual_folders(emulator_client: httpx2.AsyncClient, contract: Contract) -> None:
    response = await emulator_client.get("/api/Software/VirtualFolders")
    folders = contract.check(response)
    assert [f["name"] for f in folders] == ["Drivers", "Limits", "Test sequences"]
    packages = (await emulator_client.get("/api/Software/Packages")).json()
    assert {p["virtualFolderId"] for p in packages} <= {f["id"] for f in folders}


# --- bad input is a 400 that names the field -------------------------------------------


BAD_REQUESTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("GET", "/api/Software/Package/not-a-guid", {}, "id"),
    ("PUT", "/api/Software/Package/not-a-guid", {"json": {}}, "id"),
    ("DELETE", "/api/Software/Package/123", {}, "id"),
    ("GET", "/api/Software/PackageFiles/xyz", {}, "id"),
    ("POST", "/api/Software/PackageStatus/xyz", {"params": {"status": "Draft"}}, "id"),
    ("POST", "/api/Software/Package", {"content": b"{not json"}, "body"),
    ("POST", "/api/Software/Package", {"json": ["name"]}, "body"),
    ("POST", "/api/Software/Package", {"json": {"description": "no name"}}, "name"),
    ("POST", "/api/Software/Package", {"json": {"name": "  "}}, "name"),
    ("POST", "/api/Software/Package", {"json": {"name": "x" * 101}}, "name"),
    ("POST", "/api/Software/Package", {"json": {"name": "A", "priority": "high"}}, "priority"),
    ("POST", "/api/Software/Package", {"json": {"name": "A", "priority": 2**40}}, "priority"),
    (
        "POST",
        "/api/Software/Package",
        {"json": {"name": "A", "installOnRoot": "yes"}},
        "installOnRoot",
    ),
    ("POST", "/api/Software/Package", {"json": {"name": "A", "tags": {"k": "v"}}}, "tags"),
    ("POST", "/api/Software/Package", {"json": {"name": "A", "tags": ["k=v"]}}, "tags[0]"),
    (
        "POST",
        "/api/Software/Package",
        {"json": {"name": "A", "tags": [{"value": "v"}]}},
        "tags[0].key",
    ),
    (
        "POST",
        "/api/Software/Package",
        {"json": {"name": "A", "tags": [{"key": "K", "value": 1}]}},
        "tags[0].value",
    ),
    (
        "POST",
        "/api/Software/Package",
        {"json": {"name": "A", "tags": [{"key": "K"}, {"key": "K"}]}},
        "tags[1].key",
    ),
    (
        "POST",
        "/api/Software/Package",
        {"json": {"name": "A", "virtualFolderId": "00000000-0000-0000-0000-000000000001"}},
        "virtualFolderId",
    ),
    (
        "POST",
        "/api/Software/Package",
        {"json": {"name": "A", "virtualFolderId": "x"}},
        "virtualFolderId",
    ),
    ("GET", "/api/Software/PackagesByTag", {"params": {"tag": "a=b", "status": "Gone"}}, "status"),
    ("GET", "/api/Software/PackagesByTag", {"params": {"status": "Draft"}}, "tag"),
    ("DELETE", "/api/Software/PackageByName", {"params": {"name": ICT}}, "version"),
    ("DELETE", "/api/Software/PackageByName", {"params": {"name": ICT, "version": -1}}, "version"),
    ("DELETE", "/api/Software/PackageByName", {"params": {"version": 1}}, "name"),
    ("POST", "/api/Software/Package/FileAttribute/xyz", {"params": {"attribute": "None"}}, "id"),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "field"),
    BAD_REQUESTS,
    ids=[f"{m} {p} {f}" for m, p, _, f in BAD_REQUESTS],
)
async def test_bad_input_is_a_400_naming_the_field(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    field: str,
) -> None:
    before = emulator.store.scalar("SELECT COUNT(*) FROM software_package")
    response = await emulator_client.request(method, path, **kwargs)
    assert response.status_code == 400, response.text
    contract.check(response)
    assert field in response.json()["ModelState"], response.json()
    assert emulator.store.scalar("SELECT COUNT(*) FROM software_package") == before


async def test_unknown_ids_are_404(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    missing = "6f9619ff-8b86-d011-b42d-00cf4fc964ff"
    for method, path, kwargs in [
        ("GET", f"/api/Software/Package/{missing}", {}),
        ("PUT", f"/api/Software/Package/{missing}", {"json": {"description": "x"}}),
        ("DELETE", f"/api/Software/Package/{missing}", {}),
        ("GET", f"/api/Software/PackageFiles/{missing}", {}),
        ("POST", f"/api/Software/PackageStatus/{missing}", {"params": {"status": "Pending"}}),
        (
            "POST",
            f"/api/Software/Package/FileAttribute/{missing}",
            {"params": {"attribute": "None"}},
        ),
        (
            "POST",
            f"/api/Software/Package/UploadZip/{missing}",
            zip_files(make_zip({"A/b.txt": b"b"})),
        ),
        ("DELETE", "/api/Software/PackageByName", {"params": {"name": ICT, "version": 99}}),
    ]:
        response = await emulator_client.request(method, path, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
        contract.check(response)
    assert package_in(emulator, "Draft")
