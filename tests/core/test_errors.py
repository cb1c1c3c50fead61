"""Acceptance 2 of the SDK core: statuses map to typed errors; garbage bodies read clearly."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS
from pywats.errors import (
    WATSAuthenticationError,
    WATSBadRequestError,
    WATSConflictError,
    WATSError,
    WATSNotFoundError,
    WATSPermissionError,
    WATSRateLimitError,
    WATSServerError,
    WATSStatusError,
    WATSUnexpectedResponseError,
)
from tests.support.loopback_server import LoopbackServer, Reply


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, WATSBadRequestError),
        (401, WATSAuthenticationError),
        (403, WATSPermissionError),
        (404, WATSNotFoundError),
        (409, WATSConflictError),
        (429, WATSRateLimitError),
        (500, WATSServerError),
        (503, WATSServerError),
        (418, WATSStatusError),
    ],
)
async def test_status_maps_to_exception_with_server_message(
    status: int, error_class: type[WATSStatusError]
) -> None:
    with LoopbackServer() as server:
        server.script(Reply(status, b'{"Message": "Part number PCB-1 is locked"}'))
        async with AsyncWATS(server.url, "tok", max_retries=0) as wats:
            with pytest.raises(error_class) as caught:
                await wats.get_version()
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, WATSError)
    assert error.status_code == status
    assert error.method == "GET"
    assert error.path == "/api/App/Version"
    assert error.server_message == "Part number PCB-1 is locked"
    assert str(error).startswith(f"{status} from GET /api/App/Version: Part number PCB-1 is locked")


async def test_401_message_says_what_to_do() -> None:
    with LoopbackServer() as server:
        server.script(Reply(401, b""))
        async with AsyncWATS(server.url, "tok") as wats:
            with pytest.raises(WATSAuthenticationError, match="check WATS_TOKEN"):
                await wats.get_version()


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html", "HTML page"),
        (b'{"partNumber": "PCB-1", "rev', "application/json", "expected JSON"),
        (b"\x00\xff\xfe garbage", "application/octet-stream", "expected JSON"),
    ],
)
async def test_unexpected_body_gives_clear_error(
    body: bytes, content_type: str, expected: str
) -> None:
    with LoopbackServer() as server:
        server.script(Reply(200, body, {"Content-Type": content_type}))
        async with AsyncWATS(server.url, "tok") as wats:
            with pytest.raises(WATSUnexpectedResponseError) as caught:
                await wats.get_version()
    message = str(caught.value)
    assert expected in message
    assert "unexpected response from GET /api/App/Version" in message
    assert caught.value.__cause__ is None  # no JSON traceback chained in front of the user


async def test_html_error_page_is_summarised_not_dumped() -> None:
    page = b"<html><body>" + b"x" * 5000 + b"</body></html>"
    with LoopbackServer() as server:
        server.script(Reply(502, page, {"Content-Type": "text/html"}))
        async with AsyncWATS(server.url, "tok", max_retries=0) as wats:
            with pytest.raises(WATSServerError) as caught:
                await wats.get_version()
    assert "HTML page" in str(caught.value)
    assert len(str(caught.value)) < 300


async def test_empty_success_body_is_none_and_test_connection_false() -> None:
    with LoopbackServer() as server:
        server.script(Reply(200, b""))
        async with AsyncWATS(server.url, "tok") as wats:
            assert await wats.get_version() is None
            assert await wats.test_connection() is False
