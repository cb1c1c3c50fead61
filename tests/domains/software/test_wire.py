"""What goes on the wire, where other clients break the spec: the zip as the multipart file
part (content type application/zip), the tag search as one ``tag=name=value`` parameter, the
file attribute in the ``attribute`` query, and ``cleanInstall`` only when asked."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import httpx2
import pytest

from pywats import AsyncWATS

from .conftest import zip_bytes

PACKAGE = {
    "packageId": "2b1e3c1a-4f0e-4d8e-9b7a-0a1b2c3d4e5f",
    "name": "N",
    "version": 1,
    "status": "Draft",
}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        path = request.url.path
        if path.endswith("/PackagesByTag"):
            return httpx2.Response(200, json=[PACKAGE])
        if "/PackageStatus/" in path or path.endswith("/Package"):
            return httpx2.Response(200, json=PACKAGE)
        return httpx2.Response(200)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def wats(recorder: Recorder) -> AsyncIterator[AsyncWATS]:
    async with AsyncWATS(
        "http://localhost", "dGVzdDp0ZXN0", transport=httpx2.MockTransport(recorder), max_retries=0
    ) as client:
        yield client


async def test_zip_is_the_file_part_of_a_multipart_body(
    wats: AsyncWATS, recorder: Recorder
) -> None:
    data = zip_bytes({"Sequences/Main.seq": b"main"})
    pid = uuid.UUID(PACKAGE["packageId"])
    await wats.software.upload_zip(pid, data)
    request, body = recorder.requests[-1], recorder.bodies[-1]
    assert request.method == "POST"
    assert request.url.path == f"/api/Software/Package/UploadZip/{pid}"
    assert "cleanInstall" not in request.url.params
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    parts = [p for p in body.split(b"--" + boundary) if p.strip(b"-\r\n")]
    assert len(parts) == 1
    head, _, payload = parts[0].partition(b"\r\n\r\n")
    assert b'name="file"' in head and b'filename="package.zip"' in head
    assert b"Content-Type: application/zip" in head
    assert payload.removesuffix(b"\r\n") == data
    assert int(request.headers["content-length"]) == len(body)  # sized, not chunked
    await wats.software.upload_zip(pid, data, clean_install=True)
    assert recorder.requests[-1].url.params["cleanInstall"] == "true"


async def test_tag_search_is_one_name_value_parameter(wats: AsyncWATS, recorder: Recorder) -> None:
    await wats.software.get_packages_by_tag("PartNumber", "PCB=1001")
    params = recorder.requests[-1].url.params
    assert sorted(params.keys()) == ["status", "tag"]
    assert params["tag"] == "PartNumber=PCB=1001" and params["status"] == "Released"


async def test_file_attribute_is_a_query_parameter(wats: AsyncWATS, recorder: Recorder) -> None:
    await wats.software.set_file_attribute("f-1", "topLevelFile")
    request = recorder.requests[-1]
    assert request.url.path == "/api/Software/Package/FileAttribute/f-1"
    assert request.url.params["attribute"] == "TopLevelFile"
    assert recorder.bodies[-1] == b""


async def test_status_moves_and_update_bodies(wats: AsyncWATS, recorder: Recorder) -> None:
    pid = PACKAGE["packageId"]
    await wats.software.release(pid)
    assert recorder.requests[-1].url.params["status"] == "Released"
    await wats.software.create_package("New", tags={"Line": "3"}, priority=2)
    assert json.loads(recorder.bodies[-1]) == {
        "name": "New",
        "priority": 2,
        "tags": [{"key": "Line", "value": "3"}],
    }
