"""SCIM provisioning end to end over real loopback HTTP (uvicorn), async and sync."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.emulator import EmulatorServer

pytestmark = pytest.mark.e2e


async def test_provision_a_user_over_loopback(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(emulator_server.url, emulator_server.token) as wats:
        created = await wats.scim.create_user("e2e.user", email="e2e.user@example.com")
        assert created.id is not None
        assert (await wats.scim.deactivate(created.id)).active is False
        found = await wats.scim.find_user("e2e.user")
        assert found is not None and found.active is False
        everyone = await wats.scim.get_users(page_size=3)
        assert created.id in {u.id for u in everyone}
        await wats.scim.delete_user(created.id)
        assert await wats.scim.get_user(created.id) is None


def test_sync_client_over_loopback(emulator_server: EmulatorServer) -> None:
    with SyncWATS(emulator_server.url, emulator_server.token) as wats:
        token = wats.scim.get_token(14)
        assert token.duration_days == 14 and token.token
        assert wats.scim.get_users('userName sw "ola"')
