"""Helpers for the software domain's emulator tests: seeded packages by name and status,
zips built in memory, and contract checks of list answers item by item."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from pywats.emulator.app import create_app
from pywats.emulator.config import EmulatorConfig
from pywats.emulator.contract import Contract
from pywats.emulator.domains.software import DOMAIN
from pywats.emulator.testing import InProcessEmulator

ICT = "PCB-1001 ICT"  # seeded v1 Revoked, v2 and v3 Released, v4 Pending, v5 Draft


@pytest.fixture
def emulator(emulator_config: EmulatorConfig) -> Iterator[InProcessEmulator]:
    """The software domain on its own (it reads no other domain's tables)."""
    emu = InProcessEmulator(create_app(emulator_config, domains=[DOMAIN]))
    yield emu
    emu.close()


def package_id(emulator: InProcessEmulator, name: str, version: int) -> str:
    value = emulator.store.scalar(
        "SELECT package_id FROM software_package WHERE name = ? AND version = ?", (name, version)
    )
    assert value is not None, f"no seeded package {name} v{version}"
    return str(value)


def package_in(emulator: InProcessEmulator, status: str) -> str:
    value = emulator.store.scalar(
        "SELECT package_id FROM software_package WHERE status = ? ORDER BY name, version LIMIT 1",
        (status,),
    )
    assert value is not None, f"no seeded {status} package"
    return str(value)


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_files(
    data: bytes,
    *,
    field: str = "file",
    content_type: str = "application/zip",
    filename: str = "package.zip",
) -> dict[str, Any]:
    """httpx2 keyword arguments posting `data` as the multipart file part the spec wants."""
    return {"files": {field: (filename, data, content_type)}}


def check_list(contract: Contract, response: httpx2.Response) -> list[dict[str, Any]]:
    """A list answer whose spec schema is one item (Packages, PackagesByTag): every item must
    match that schema, since the spec's generator wrote the item type for the list."""
    assert response.status_code == 200, response.text
    items = response.json()
    assert isinstance(items, list)
    request = response.request
    for item in items:
        contract.check_response(
            request.method, request.url.path, 200, json.dumps(item).encode(), "application/json"
        )
    return items


async def files_of(client: httpx2.AsyncClient, pid: str) -> dict[str, dict[str, Any]]:
    response = await client.get(f"/api/Software/PackageFiles/{pid}")
    assert response.status_code == 200, response.text
    return {f"{f['packageFolderName']}/{f['name']}": f for f in response.json()}
