"""Acceptance 3 of the SDK core: the token never shows in logs, reprs or exception texts."""

from __future__ import annotations

import logging
import traceback

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.config import load_settings
from pywats.errors import WATSError
from tests.support.loopback_server import LoopbackServer, Reply, free_port

TOKEN = "c2VjcmV0LXVzZXI6aHVudGVyMg=="  # base64 of "secret-user:hunter2"
SECRET_PARTS = (TOKEN, "hunter2", "secret-user")


def assert_clean(text: str) -> None:
    for part in SECRET_PARTS:
        assert part not in text


async def test_token_absent_from_debug_logs_reprs_and_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    texts: list[str] = []
    with LoopbackServer() as server:
        server.script(
            Reply(200, b'"24.1"'),
            Reply(401, b'{"message":"bad token"}'),
            Reply(200, b"<html>login</html>", {"Content-Type": "text/html"}),
            Reply(503, b"{}"),
        )
        async with AsyncWATS(server.url, TOKEN, max_retries=1) as wats:
            texts += [repr(wats), repr(wats.http), str(vars(wats.http))]
            await wats.get_version()
            for _ in range(3):
                try:
                    await wats.get_version()
                except WATSError as exc:
                    texts.append(str(exc))
                    texts.append("".join(traceback.format_exception(exc)))
        assert server.requests[0].headers["authorization"] == f"Basic {TOKEN}"
    async with AsyncWATS(f"http://127.0.0.1:{free_port()}", TOKEN, max_retries=0) as wats:
        try:
            await wats.get_version()
        except WATSError as exc:
            texts.append("".join(traceback.format_exception(exc)))
    assert len(texts) >= 7
    texts.append(caplog.text)
    assert "GET /api/App/Version -> 200" in caplog.text  # debug logging really was on
    for text in texts:
        assert_clean(text)


def test_token_absent_from_sync_client_and_settings_reprs() -> None:
    with LoopbackServer() as server, SyncWATS(server.url, TOKEN) as wats:
        assert wats.get_version() == "24.1.0"
        for text in (repr(wats), repr(wats._runner), repr(wats._async_client())):
            assert_clean(text)
    settings = load_settings(url="https://wats.example.com", token=TOKEN, environ={})
    assert_clean(repr(settings))
    assert_clean(str(settings))
    assert settings.token.get_secret_value() == TOKEN
