"""Server answers the emulator does not give but a WATS server may: sub-units one level deep,
and taken serial numbers as JSON or CSV instead of XML."""

from __future__ import annotations

import json

import httpx2
import pytest

from pywats import AsyncWATS
from pywats.domains.production.repository import parse_taken
from pywats.errors import WATSUnexpectedResponseError

# A server that nests only one level: each unit lists its children without theirs.
TREE = {
    ("SY-1", "SYS"): ["CM-1/MOD", "PS-1/PSU"],
    ("CM-1", "MOD"): ["MB-1/PCB"],
    ("PS-1", "PSU"): [],
    ("MB-1", "PCB"): [],
}


def one_level(request: httpx2.Request) -> httpx2.Response:
    _, _, _, _, serial, part = request.url.path.split("/")
    children = TREE.get((serial, part))
    if children is None:
        return httpx2.Response(404, json={"Message": "not found"})
    body = {
        "serialNumber": serial,
        "partNumber": part,
        "subUnits": [
            {"serialNumber": c.split("/")[0], "partNumber": c.split("/")[1]} for c in children
        ],
    }
    return httpx2.Response(200, json=body)


async def test_assembly_tree_is_completed_level_by_level() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request.url.path)
        return one_level(request)

    transport = httpx2.MockTransport(handler)
    async with AsyncWATS("http://localhost", "t", transport=transport, max_retries=0) as wats:
        one = await wats.production.get_unit("SY-1", "SYS")
        assert one is not None and one.depth == 2  # what the server said
        calls.clear()
        tree = await wats.production.get_assembly_tree("SY-1", "SYS")
    assert tree is not None and tree.depth == 3
    assert [(level, u.serial_number) for level, u in tree.walk()] == [
        (0, "SY-1"),
        (1, "CM-1"),
        (2, "MB-1"),
        (1, "PS-1"),
    ]
    # The top, then each child; MB-1's siblings have none of their own, so no more calls.
    assert sorted(calls) == sorted(
        [
            "/api/Production/Unit/SY-1/SYS",
            "/api/Production/Unit/CM-1/MOD",
            "/api/Production/Unit/PS-1/PSU",
            "/api/Production/Unit/MB-1/PCB",
        ]
    )


@pytest.mark.parametrize(
    "body",
    [
        '<SerialNumbers type="BoardSN"><SN id="A-1" /><SN id="A-2" /></SerialNumbers>',
        json.dumps(["A-1", "A-2"]),
        json.dumps('<SerialNumbers><SN id="A-1"/><SN id="A-2"/></SerialNumbers>'),
        "SerialNumber\nA-1\nA-2\n",
        "A-1\r\nA-2\r\n",
    ],
)
def test_taken_numbers_in_every_shape(body: str) -> None:
    assert parse_taken(body, "/api/Production/SerialNumbers/Take") == ["A-1", "A-2"]


def test_taken_numbers_broken_xml_is_a_clear_error() -> None:
    with pytest.raises(WATSUnexpectedResponseError, match="does not parse"):
        parse_taken("<SerialNumbers><SN id='A-1'>", "/api/Production/SerialNumbers/Take")
