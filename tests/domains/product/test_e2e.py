"""Products and processes end to end over real loopback HTTP (uvicorn), async and sync."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS
from pywats.domains.product import Bom, BomComponent, ProductFields, ProductState
from pywats.emulator.runner import EmulatorServer

pytestmark = pytest.mark.e2e


async def test_product_life_cycle_over_http(emulator_server: EmulatorServer) -> None:
    async with AsyncWATS(**emulator_server.sdk_kwargs()) as wats:
        await wats.product.create_product("E2E-1", "Loopback widget")
        await wats.product.create_revision("E2E-1", "A")
        bom = Bom(
            part_number="E2E-1", revision="A", components=[BomComponent(number="RES-1", quantity=4)]
        )
        await wats.product.save_bom(bom)
        await wats.product.set_revision_tags("E2E-1", "A", {"ECO": "ECO-42"})
        await wats.product.set_product_state("E2E-1", ProductState.INACTIVE)
        await wats.product.add_to_product_group("Sensors", "E2E-1")

        product = await wats.product.get_product("E2E-1")
        assert product is not None and product.state == ProductState.INACTIVE
        assert await wats.product.get_bom("E2E-1", "A") == bom
        assert await wats.product.get_revision_tags("E2E-1", "A") == {"ECO": "ECO-42"}
        groups = await wats.product.get_product_groups_for_product("E2E-1")
        assert [g.product_group_name for g in groups] == ["Sensors"]
        found = await wats.product.query_products(ProductFields.part_number == "E2E-1")
        assert [row.part_number for row in found] == ["E2E-1"]
        assert await wats.process.get_default_repair_code() == 500
        assert await wats.process.get_fail_codes(500)


def test_sync_client_over_http(emulator_server: EmulatorServer) -> None:
    with SyncWATS(**emulator_server.sdk_kwargs()) as wats:
        created = wats.product.create_product("E2E-2", "Sync widget")
        assert wats.product.get_product("E2E-2") == created
        names = [p.name for p in wats.process.get_test_operations()]
        assert "End of line test" in names
        assert len(wats.product.get_products()) > 40
