"""UploadZip as the spec describes it: the zip as the file part of a multipart/form-data body
(any field name) with content type application/zip; merge by default, cleanInstall replaces;
refused when the body is not such a zip or its files are not all in folders. Also file
attributes (POST Package/FileAttribute/{id}?attribute=...)."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx2
import pytest

from pywats.emulator.contract import Contract
from pywats.emulator.testing import InProcessEmulator

from .conftest import ICT, files_of, make_zip, package_id, package_in, zip_files


async def new_draft(client: httpx2.AsyncClient, name: str = "Upload test") -> str:
    response = await client.post("/api/Software/Package", json={"name": name})
    return str(response.json()["packageId"])


async def upload(
    client: httpx2.AsyncClient, pid: str, data: bytes, *, clean: bool | None = None, **kwargs: Any
) -> httpx2.Response:
    params = {} if clean is None else {"cleanInstall": str(clean).lower()}
    return await client.post(
        f"/api/Software/Package/UploadZip/{pid}", params=params, **zip_files(data, **kwargs)
    )


async def test_upload_merges_files_keeping_their_folders(
    emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    pid = await new_draft(emulator_client)
    first = await upload(
        emulator_client,
        pid,
        make_zip(
            {
                "Sequences/Main.seq": b"main v1",
                "Sequences/Sub/Power.seq": b"power",
                "Limits/limits.csv": b"a,b",
            }
        ),
    )
    assert first.status_code == 200, first.text
    contract.check(first)
    files = await files_of(emulator_client, pid)
    assert set(files) == {"Sequences/Main.seq", "Sequences/Sub/Power.seq", "Limits/limits.csv"}
    assert files["Sequences/Sub/Power.seq"]["packageFolderName"] == "Sequences/Sub"
    main_id = files["Sequences/Main.seq"]["packageFileId"]
    attribute = await emulator_client.post(
        f"/api/Software/Package/FileAttribute/{main_id}", params={"attribute": "TopLevelFile"}
    )
    assert attribute.status_code == 200
    # A second zip adds new files and replaces same-path ones (any case), keeping the id
    # and the attributes of a replaced file.
    second = await upload(
        emulator_client,
        pid,
        make_zip({"sequences/main.seq": b"main v2", "Drivers/x64/dmm.dll": b"\x00" * 100}),
    )
    assert second.status_code == 200
    merged = await files_of(emulator_client, pid)
    assert set(merged) == {
        "sequences/main.seq",
        "Sequences/Sub/Power.seq",
        "Limits/limits.csv",
        "Drivers/x64/dmm.dll",
    }
    assert merged["sequences/main.seq"]["packageFileId"] == main_id
    assert merged["sequences/main.seq"]["attributes"] == "TopLevelFile"


async def test_sizes_and_checksums_are_of_the_unpacked_files(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient
) -> None:
    pid = await new_draft(emulator_client)
    data = b"limits " * 1000
    await upload(emulator_client, pid, make_zip({"Limits/l.csv": data}))
    row = emulator.store.query_one(
        "SELECT size, checksum FROM software_file WHERE package_id = ?", (pid,)
    )
    assert row is not None
    assert (row["size"], row["checksum"]) == (
        len(data),
        "sha256:" + hashlib.sha256(data).hexdigest(),
    )


async def test_clean_install_replaces_every_file(emulator_client: httpx2.AsyncClient) -> None:
    pid = await new_draft(emulator_client)
    await upload(emulator_client, pid, make_zip({"A/one.txt": b"1", "B/two.txt": b"2"}))
    response = await upload(emulator_client, pid, make_zip({"C/three.txt": b"3"}), clean=True)
    assert response.status_code == 200
    assert set(await files_of(emulator_client, pid)) == {"C/three.txt"}
    await upload(emulator_client, pid, make_zip({"D/four.txt": b"4"}), clean=False)
    assert set(await files_of(emulator_client, pid)) == {"C/three.txt", "D/four.txt"}


async def test_the_file_part_may_have_any_field_name_and_a_windows_zip_type(
    emulator_client: httpx2.AsyncClient,
) -> None:
    pid = await new_draft(emulator_client)
    response = await upload(
        emulator_client,
        pid,
        make_zip({"X/y.txt": b"y"}),
        field="upload",
        content_type="application/x-zip-compressed",
    )
    assert response.status_code == 200, response.text
    assert set(await files_of(emulator_client, pid)) == {"X/y.txt"}


async def test_upload_updates_modified_by(emulator_client: httpx2.AsyncClient) -> None:
    pid = await new_draft(emulator_client)
    before = (await emulator_client.get(f"/api/Software/Package/{pid}")).json()
    await upload(emulator_client, pid, make_zip({"X/y.txt": b"y"}))
    after = (await emulator_client.get(f"/api/Software/Package/{pid}")).json()
    assert after["modified"] > before["modified"] and after["modifiedBy"] == "emulator"


REFUSED_BODIES: list[tuple[str, dict[str, Any], str]] = [
    (
        "raw zip body",
        {"content": make_zip({"A/b.txt": b"b"}), "headers": {"Content-Type": "application/zip"}},
        "multipart/form-data",
    ),
    ("not a zip", zip_files(b"PK but not really a zip"), "not a zip"),
    (
        "octet-stream part",
        zip_files(make_zip({"A/b.txt": b"b"}), content_type="application/octet-stream"),
        "application/zip",
    ),
    (
        "no file part",
        {
            "content": b'--b\r\nContent-Disposition: form-data; name="n"\r\n\r\nv\r\n--b--\r\n',
            "headers": {"Content-Type": "multipart/form-data; boundary=b"},
        },
        "no file part",
    ),
    (
        "two files",
        {
            "files": [
                ("a", ("a.zip", make_zip({"A/a": b"a"}), "application/zip")),
                ("b", ("b.zip", make_zip({"B/b": b"b"}), "application/zip")),
            ]
        },
        "one zip",
    ),
    ("root files", zip_files(make_zip({"readme.txt": b"r", "A/b.txt": b"b"})), "at its root"),
    ("escaping path", zip_files(make_zip({"A/../../evil.dll": b"x"})), "relative path"),
    ("absolute path", zip_files(make_zip({"/abs/evil.dll": b"x"})), "relative path"),
    ("empty zip", zip_files(make_zip({})), "no files"),
]


@pytest.mark.parametrize(
    ("what", "kwargs", "message"), REFUSED_BODIES, ids=[what for what, _, _ in REFUSED_BODIES]
)
async def test_refused_uploads_change_nothing(
    emulator: InProcessEmulator,
    emulator_client: httpx2.AsyncClient,
    contract: Contract,
    what: str,
    kwargs: dict[str, Any],
    message: str,
) -> None:
    pid = package_id(emulator, ICT, 5)
    before = await files_of(emulator_client, pid)
    response = await emulator_client.post(f"/api/Software/Package/UploadZip/{pid}", **kwargs)
    assert response.status_code == 400, response.text
    contract.check(response)
    assert message in response.json()["Message"], response.json()
    assert await files_of(emulator_client, pid) == before


@pytest.mark.parametrize("status", ["Pending", "Released", "Revoked"])
async def test_only_a_draft_takes_files_and_attribute_changes(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, status: str
) -> None:
    pid = package_in(emulator, status)
    before = await files_of(emulator_client, pid)
    response = await upload(emulator_client, pid, make_zip({"A/b.txt": b"b"}))
    assert response.status_code == 400
    assert f"is {status}: only a Draft package's files can change" in response.json()["Message"]
    some_file = next(iter(before.values()))["packageFileId"]
    attribute = await emulator_client.post(
        f"/api/Software/Package/FileAttribute/{some_file}", params={"attribute": "ExecuteOnce"}
    )
    assert attribute.status_code == 400
    assert await files_of(emulator_client, pid) == before


async def test_file_attributes_add_up_and_none_clears(
    emulator: InProcessEmulator, emulator_client: httpx2.AsyncClient, contract: Contract
) -> None:
    pid = await new_draft(emulator_client)
    await upload(emulator_client, pid, make_zip({"Setup/install.cmd": b"@echo off"}))
    file_id = (await files_of(emulator_client, pid))["Setup/install.cmd"]["packageFileId"]

    async def set_attribute(value: str) -> str:
        response = await emulator_client.post(
            f"/api/Software/Package/FileAttribute/{file_id}", params={"attribute": value}
        )
        assert response.status_code == 200, response.text
        contract.check(response)
        return str((await files_of(emulator_client, pid))["Setup/install.cmd"]["attributes"])

    assert await set_attribute("topLEVELfile") == "TopLevelFile"  # any case
    assert await set_attribute("ExecuteOnce") == "ExecuteOnce, TopLevelFile"
    # Execution modes exclude each other, and so do the overwrite rules.
    assert await set_attribute("ExecuteAlways") == "ExecuteAlways, TopLevelFile"
    assert await set_attribute("OverwriteNever") == "ExecuteAlways, TopLevelFile, OverwriteNever"
    assert await set_attribute("OverwriteOnNewPackageVersion") == (
        "ExecuteAlways, TopLevelFile, OverwriteOnNewPackageVersion"
    )
    assert await set_attribute("None") == "None"
    bad = await emulator_client.post(
        f"/api/Software/Package/FileAttribute/{file_id}", params={"attribute": "Executable"}
    )
    assert bad.status_code == 400 and "Accepted values" in bad.json()["Message"]
    missing = await emulator_client.post(f"/api/Software/Package/FileAttribute/{file_id}")
    assert missing.status_code == 400 and missing.json()["ModelState"]["attribute"]
    in_body = await emulator_client.post(  # the peer SDK's mistake: a JSON body
        f"/api/Software/Package/FileAttribute/{file_id}", json={"attributes": "ExecuteOnce"}
    )
    assert in_body.status_code == 400
