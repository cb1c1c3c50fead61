"""Shared pieces of the error-state tests: an app on a real loopback server."""

from __future__ import annotations

from pathlib import Path

import httpx2

from pywats import AsyncWATS
from tui.app import WATSApp

TOKEN = "ZW11bGF0b3I6ZW11bGF0b3I="  # any token: these servers never check it


def loopback_app(
    url: str,
    config_path: Path,
    *,
    max_retries: int = 0,
    timeout: float = 5.0,
    deadline: float = 10.0,
    screen: str | None = None,
) -> WATSApp:
    """The app on ``url`` over real HTTP (the SDK's own transport), with short timeouts."""

    retries = max_retries

    def client(url: str, token: str, *, max_retries: int | None = None) -> AsyncWATS:
        return AsyncWATS(
            url,
            token,
            max_retries=retries if max_retries is None else max_retries,
            timeout=httpx2.Timeout(timeout),
            deadline=deadline,
        )

    return WATSApp(
        url=url, token=TOKEN, config_path=config_path, client_factory=client, screen=screen
    )
