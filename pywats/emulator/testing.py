"""Using the emulator from tests without a network: httpx2.ASGITransport in-process."""

from __future__ import annotations

from typing import Any

import httpx2

from .app import EmulatorApp, create_app
from .config import EmulatorConfig
from .faults import FaultConfig, Traffic
from .storage import Storage

# A loopback name: SDKs that warn about tokens over plain http to remote hosts stay quiet.
IN_PROCESS_URL = "http://localhost"


class InProcessEmulator:
    """An emulator app plus what a test needs to reach and steer it."""

    def __init__(
        self, app: EmulatorApp | None = None, *, config: EmulatorConfig | None = None
    ) -> None:
        self.app = app or create_app(config)
        self.base_url = IN_PROCESS_URL

    @property
    def token(self) -> str:
        return self.app.emulator.config.token

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Basic {self.token}"}

    @property
    def internal_headers(self) -> dict[str, str]:
        """Headers for /api/internal calls: auth plus the Referer the server insists on."""
        return {**self.auth_headers, "Referer": self.base_url}

    @property
    def faults(self) -> FaultConfig:
        return self.app.emulator.faults

    @property
    def traffic(self) -> Traffic:
        return self.app.emulator.traffic

    @property
    def store(self) -> Storage:
        return self.app.emulator.store

    def transport(self) -> httpx2.ASGITransport:
        return httpx2.ASGITransport(app=self.app)

    def client(self, *, authenticated: bool = True, **kwargs: Any) -> httpx2.AsyncClient:
        """An httpx client wired to the app; pass headers=... to add or override headers."""
        headers = {**(self.auth_headers if authenticated else {}), **kwargs.pop("headers", {})}
        return httpx2.AsyncClient(
            transport=self.transport(), base_url=self.base_url, headers=headers, **kwargs
        )

    def sdk_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that point an SDK client here: `AsyncWATS(**emu.sdk_kwargs())`."""
        return {"base_url": self.base_url, "token": self.token, "transport": self.transport()}

    def close(self) -> None:
        self.store.close()
