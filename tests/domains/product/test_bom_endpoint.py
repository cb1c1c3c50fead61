"""get_bom on servers that also answer GET /api/Product/BOM (newer than the v3 spec), and on
those that do not: the emulator, like a v3 server, keeps the BOM only in xmlData."""

from __future__ import annotations

import json

import httpx2
import pytest

from pywats import AsyncWATS, WATSServerError

REVISION = {"revision": "A", "PartNumber": "P-1", "xmlData": '<Root><Site Value="x"/></Root>'}


def server(bom_status: int, bom_body: object) -> httpx2.MockTransport:
    def handle(request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/api/Product/P-1/A":
            return httpx2.Response(200, json=REVISION)
        if request.url.path == "/api/Product/BOM":
            assert dict(request.url.params) == {"partNumber": "P-1", "revision": "A"}
            return httpx2.Response(bom_status, content=json.dumps(bom_body).encode())
        return httpx2.Response(404, json={"Message": "no"})

    return httpx2.MockTransport(handle)


async def test_bom_from_the_json_endpoint() -> None:
    body = {
        "partNumber": "P-1",
        "revision": "A",
        "components": [
            {"number": "R-1", "quantity": 2, "reference": "R1;R2", "functionBlock": "F"}
        ],
    }
    async with AsyncWATS("http://localhost", "t", transport=server(200, body), max_retries=0) as w:
        bom = await w.product.get_bom("P-1", "A")
    assert bom is not None and bom.components[0].function_block == "F"
    assert bom.components[0].references == ["R1", "R2"]


@pytest.mark.parametrize(
    ("status", "body"), [(404, {"Message": "x"}), (405, {"Message": "x"}), (200, None)]
)
async def test_no_endpoint_or_no_bom_is_none(status: int, body: object) -> None:
    async with AsyncWATS(
        "http://localhost", "t", transport=server(status, body), max_retries=0
    ) as w:
        assert await w.product.get_bom("P-1", "A") is None


async def test_a_server_failure_is_not_hidden() -> None:
    async with AsyncWATS(
        "http://localhost", "t", transport=server(500, {"Message": "boom"}), max_retries=0
    ) as w:
        with pytest.raises(WATSServerError):
            await w.product.get_bom("P-1", "A")
