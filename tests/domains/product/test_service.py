"""AsyncProductService and SyncProductService against the in-process emulator: every method,
each through the async service and through its sync twin."""

from __future__ import annotations

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.product import (
    Bom,
    BomComponent,
    Product,
    ProductFields,
    ProductRevision,
    ProductState,
    ProductSummary,
)
from pywats.odata import F

# --- reading products -------------------------------------------------------------------


async def test_get_product(wats: AsyncWATS) -> None:
    product = await wats.product.get_product("MOD-4100")
    assert product is not None and product.product_id is not None
    assert [rev.revision for rev in product.revisions] == ["1.0", "1.1"]
    assert product.get_revision("1.1") is not None and product.get_revision("9") is None
    assert await wats.product.get_product("NO-SUCH-PART") is None


def test_get_product_sync(sync_wats: SyncWATS) -> None:
    product = sync_wats.product.get_product("psu-200")
    assert product is not None and product.part_number == "PSU-200"
    assert sync_wats.product.get_product("NO-SUCH-PART") is None


async def test_query_products_with_typed_filter(wats: AsyncWATS) -> None:
    active_psus = ProductFields.part_number.startswith("PSU-") & (
        ProductFields.state == ProductState.ACTIVE
    )
    rows = await wats.product.query_products(active_psus, orderby="partNumber desc", top=3)
    assert len(rows) == 3 and all(isinstance(row, ProductSummary) for row in rows)
    assert all(row.part_number.startswith("PSU-") and row.is_active for row in rows)
    assert [r.part_number for r in rows] == sorted((r.part_number for r in rows), reverse=True)
    second = await wats.product.query_products(
        active_psus, orderby="partNumber desc", skip=1, top=1
    )
    assert second[0].part_number == rows[1].part_number


async def test_filter_values_are_escaped_not_interpolated(wats: AsyncWATS) -> None:
    await wats.product.create_product("QUOTE-1", "O'Hara's ' or 1 eq 1 board")
    found = await wats.product.query_products(ProductFields.name == "O'Hara's ' or 1 eq 1 board")
    assert [row.part_number for row in found] == ["QUOTE-1"]


def test_query_products_sync(sync_wats: SyncWATS) -> None:
    cables = sync_wats.product.query_products(ProductFields.category == "Cable")
    assert cables and all(row.category == "Cable" and row.non_serial for row in cables)


async def test_iter_and_get_products_walk_every_page(wats: AsyncWATS) -> None:
    everything = await wats.product.get_products()
    paged = [row.part_number async for row in wats.product.iter_products(page_size=7)]
    assert paged == [row.part_number for row in everything]
    assert len(paged) == len(set(paged)) > 7


def test_iter_and_get_products_sync(sync_wats: SyncWATS) -> None:
    everything = sync_wats.product.get_products(F("partNumber").startswith("PCB-"))
    paged = list(sync_wats.product.iter_products(F("partNumber").startswith("PCB-"), page_size=3))
    assert [row.part_number for row in paged] == [row.part_number for row in everything]
    assert len(paged) > 3


async def test_get_active_products(wats: AsyncWATS) -> None:
    active = await wats.product.get_active_products()
    everything = await wats.product.get_products()
    assert active and all(row.is_active for row in active)
    assert len(active) < len(everything)


def test_get_active_products_sync(sync_wats: SyncWATS) -> None:
    assert all(row.state == ProductState.ACTIVE for row in sync_wats.product.get_active_products())


async def test_search_products_matches_part_number_or_name(wats: AsyncWATS) -> None:
    by_number = await wats.product.search_products("PCB-100")
    assert {row.part_number for row in by_number} >= {"PCB-1001", "PCB-1002"}
    by_name = await wats.product.search_products("POWER supply")
    assert by_name and all("power supply" in (row.name or "").lower() for row in by_name)
    assert {row.part_number for row in await wats.product.search_products("pcb-100")} >= {
        "PCB-1001"
    }
    assert await wats.product.search_products("o'hara") == []
    inactive = await wats.product.search_products("", state=ProductState.INACTIVE, top=5)
    assert inactive and all(not row.is_active for row in inactive)


def test_search_products_sync(sync_wats: SyncWATS) -> None:
    rows = sync_wats.product.search_products("SYS-", top=10, skip=0)
    assert [row.part_number for row in rows] == ["SYS-9000"]


# --- writing products -------------------------------------------------------------------


async def test_create_and_save_product(wats: AsyncWATS) -> None:
    created = await wats.product.create_product(
        "NEW-1", "Widget", "A widget", non_serial=True, xml_data='<Root><Site Value="Oslo"/></Root>'
    )
    assert created.product_id is not None and created.non_serial is True
    assert created.state == ProductState.ACTIVE
    assert [(t.key, t.value) for t in created.tags] == [("Site", "Oslo")]
    created.description = "A better widget"
    saved = await wats.product.save_product(created)
    assert saved.product_id == created.product_id and saved.description == "A better widget"
    with pytest.raises(WATSValidationError, match="already exists"):
        await wats.product.create_product("new-1")


def test_create_and_save_product_sync(sync_wats: SyncWATS) -> None:
    created = sync_wats.product.create_product("NEW-2", "Gadget", category="Gadgets")
    assert created.product_category_name == "Gadgets"
    saved = sync_wats.product.save_product(Product(part_number="NEW-2", name="Gadget 2"))
    assert saved.product_id == created.product_id and saved.name == "Gadget 2"


async def test_save_products_in_bulk(wats: AsyncWATS) -> None:
    saved = await wats.product.save_products(
        [Product(part_number="ERP-1", name="One"), Product(part_number="ERP-2", name="Two")]
    )
    assert [p.part_number for p in saved] == ["ERP-1", "ERP-2"]
    assert all(p.product_id is not None for p in saved)
    assert await wats.product.save_products([]) == []


def test_save_products_sync(sync_wats: SyncWATS) -> None:
    saved = sync_wats.product.save_products([Product(part_number="ERP-3")])
    assert saved[0].part_number == "ERP-3"


async def test_set_product_state_keeps_other_fields(wats: AsyncWATS) -> None:
    before = await wats.product.get_product("PCB-1001")
    assert before is not None
    after = await wats.product.set_product_state("PCB-1001", ProductState.INACTIVE)
    assert after.state == ProductState.INACTIVE and after.name == before.name
    assert len(after.revisions) == len(before.revisions)


def test_set_product_state_sync(sync_wats: SyncWATS) -> None:
    sync_wats.product.set_product_state("PCB-1002", ProductState.INACTIVE)
    again = sync_wats.product.set_product_state("PCB-1002", ProductState.ACTIVE)
    assert again.is_active


# --- revisions --------------------------------------------------------------------------


async def test_revisions_get_create_save(wats: AsyncWATS) -> None:
    assert [r.revision for r in await wats.product.get_revisions("PCB-1001")] == ["A", "B", "C"]
    revision = await wats.product.get_revision("PCB-1001", "B")
    assert revision is not None and revision.part_number == "PCB-1001"
    assert await wats.product.get_revision("PCB-1001", "Z") is None
    created = await wats.product.create_revision("PCB-1001", "D", "Rev D", "Fixes the fan")
    assert created.product_revision_id is not None and created.is_active
    created.description = "Fixes the fan and the LED"
    saved = await wats.product.save_revision(created)
    assert saved.product_revision_id == created.product_revision_id
    assert saved.description == "Fixes the fan and the LED"
    with pytest.raises(WATSValidationError, match="already has revision"):
        await wats.product.create_revision("PCB-1001", "D")


def test_revisions_sync(sync_wats: SyncWATS) -> None:
    assert [r.revision for r in sync_wats.product.get_revisions("MOD-4100")] == ["1.0", "1.1"]
    assert sync_wats.product.get_revision("MOD-4100", "1.0") is not None
    created = sync_wats.product.create_revision("MOD-4100", "2.0", state=ProductState.INACTIVE)
    assert not created.is_active
    saved = sync_wats.product.save_revision(
        ProductRevision(revision="2.0", part_number="MOD-4100", name="Two")
    )
    assert saved.product_revision_id == created.product_revision_id and saved.name == "Two"


async def test_save_revisions_in_bulk(wats: AsyncWATS) -> None:
    saved = await wats.product.save_revisions(
        [
            ProductRevision(revision="X1", part_number="PCB-1001"),
            ProductRevision(revision="X1", part_number="PCB-1002"),
        ]
    )
    assert [(r.part_number, r.revision) for r in saved] == [("PCB-1001", "X1"), ("PCB-1002", "X1")]
    assert await wats.product.save_revisions([]) == []


def test_save_revisions_sync(sync_wats: SyncWATS) -> None:
    saved = sync_wats.product.save_revisions(
        [ProductRevision(revision="X2", part_number="PSU-200")]
    )
    assert saved[0].part_number == "PSU-200"


async def test_set_revision_state(wats: AsyncWATS) -> None:
    changed = await wats.product.set_revision_state("SYS-9000", "A", ProductState.INACTIVE)
    assert changed.state == ProductState.INACTIVE
    again = await wats.product.get_revision("SYS-9000", "A")
    assert again is not None and not again.is_active


def test_set_revision_state_sync(sync_wats: SyncWATS) -> None:
    changed = sync_wats.product.set_revision_state("SYS-9000", "B", ProductState.ACTIVE)
    assert changed.is_active


# --- tags -------------------------------------------------------------------------------


async def test_product_tags_round_trip_and_keep_other_xml(wats: AsyncWATS) -> None:
    await wats.product.create_product(
        "TAG-1", xml_data='<Root><Site Value="Oslo"/><Notes>free text</Notes></Root>'
    )
    assert await wats.product.get_product_tags("TAG-1") == {"Site": "Oslo"}
    product = await wats.product.set_product_tags("TAG-1", {"Owner": "NPI", "Line": "3"})
    assert {t.key: t.value for t in product.tags} == {"Owner": "NPI", "Line": "3"}
    assert product.xml_data is not None and "free text" in product.xml_data
    assert await wats.product.get_product_tags("TAG-1") == {"Owner": "NPI", "Line": "3"}


def test_product_tags_sync(sync_wats: SyncWATS) -> None:
    sync_wats.product.set_product_tags("PCB-3001", {"Site": "Penang"})
    assert sync_wats.product.get_product_tags("PCB-3001") == {"Site": "Penang"}


async def test_revision_tags_keep_the_bom(wats: AsyncWATS) -> None:
    bom_before = await wats.product.get_bom("MOD-4100", "1.0")
    revision = await wats.product.set_revision_tags("MOD-4100", "1.0", {"ECO": "ECO-1234"})
    assert {t.key: t.value for t in revision.tags} == {"ECO": "ECO-1234"}
    assert await wats.product.get_revision_tags("MOD-4100", "1.0") == {"ECO": "ECO-1234"}
    assert await wats.product.get_bom("MOD-4100", "1.0") == bom_before


def test_revision_tags_sync(sync_wats: SyncWATS) -> None:
    sync_wats.product.set_revision_tags("PCB-1001", "A", {"ECO": "ECO-1", "Owner": "Test"})
    assert sync_wats.product.get_revision_tags("PCB-1001", "A") == {"ECO": "ECO-1", "Owner": "Test"}


# --- BOM --------------------------------------------------------------------------------


async def test_bom_get_and_save(wats: AsyncWATS) -> None:
    seeded = await wats.product.get_bom("SYS-9000", "A")
    assert seeded is not None
    assert {(c.number, c.quantity) for c in seeded.components} == {("MOD-4100", 1), ("PSU-200", 2)}
    bom = Bom(
        part_number="PCB-1002",
        revision="A",
        description="I/O board",
        components=[
            BomComponent(number="RES-0603-10K", quantity=2, reference="R1;R2", revision="B"),
            BomComponent(number="CON-RJ45", function_block="ETH", description="RJ45 jack"),
        ],
    )
    await wats.product.save_bom(bom)
    assert await wats.product.get_bom("PCB-1002", "A") == bom
    revision = await wats.product.get_revision("PCB-1002", "A")
    assert revision is not None and revision.bom() == bom
    assert bom.components[0].references == ["R1", "R2"]
    assert await wats.product.get_bom("PCB-1002", "B") is None  # a revision without one
    assert await wats.product.get_bom("PCB-1002", "Q") is None  # no such revision


def test_bom_sync(sync_wats: SyncWATS) -> None:
    bom = Bom(part_number="PSU-200", revision="A", components=[BomComponent(number="FUSE-2A")])
    sync_wats.product.save_bom(bom)
    assert sync_wats.product.get_bom("PSU-200", "A") == bom


# --- vendors ----------------------------------------------------------------------------


async def test_vendors(wats: AsyncWATS) -> None:
    names = [v.vendor_name for v in await wats.product.get_vendors()]
    assert "Mouser" in names and "Würth Elektronik" in names
    await wats.product.add_vendors(["Acme Parts", "Mouser"])
    names = [v.vendor_name for v in await wats.product.get_vendors()]
    assert names.count("Mouser") == 1 and "Acme Parts" in names
    await wats.product.delete_vendors(["Acme Parts"])
    assert "Acme Parts" not in [v.vendor_name for v in await wats.product.get_vendors()]


def test_vendors_sync(sync_wats: SyncWATS) -> None:
    sync_wats.product.add_vendors(["Sync Vendor"])
    assert "Sync Vendor" in [v.vendor_name for v in sync_wats.product.get_vendors()]
    sync_wats.product.delete_vendors(["Sync Vendor"])
    assert "Sync Vendor" not in [v.vendor_name for v in sync_wats.product.get_vendors()]


# --- product groups ---------------------------------------------------------------------


async def test_product_groups(wats: AsyncWATS) -> None:
    groups = await wats.product.get_product_groups()
    assert [g.product_group_name for g in groups][:2] == ["Power supplies", "Controllers"]
    assert all(g.filter is None for g in groups)
    with_filters = await wats.product.get_product_groups(include_filters=True)
    assert with_filters[0].filter == "startswith(partNumber,'PSU-')"


def test_product_groups_sync(sync_wats: SyncWATS) -> None:
    assert "Sensors" in [g.product_group_name for g in sync_wats.product.get_product_groups()]
    assert sync_wats.product.get_product_groups(True)[0].filter


async def test_groups_for_product_and_adding_one(wats: AsyncWATS) -> None:
    groups = await wats.product.get_product_groups_for_product("PSU-200")
    assert [g.product_group_name for g in groups] == ["Power supplies"]
    entry = await wats.product.add_to_product_group("Sensors", "PCB-3001", "1.1")
    assert entry.revision == "1.1" and not entry.exclude
    by_rev = await wats.product.get_product_groups_for_product("PCB-3001", "1.1")
    assert [g.product_group_name for g in by_rev] == ["Sensors"]
    assert await wats.product.get_product_groups_for_product("PCB-3001", "1.0") == []


def test_groups_for_product_sync(sync_wats: SyncWATS) -> None:
    sync_wats.product.add_to_product_group("Power supplies", "PSU-200", exclude=True)
    assert sync_wats.product.get_product_groups_for_product("PSU-200") == []
    assert [
        g.product_group_name
        for g in sync_wats.product.get_product_groups_for_product("SYS-9000", "A")
    ] == ["Controllers"]
