"""Bad input: refused before sending when the SDK can tell, or reported clearly by the server;
either way nothing is half-written on the server."""

from __future__ import annotations

from typing import Any

import pytest

from pywats import AsyncWATS, SyncWATS, WATSValidationError
from pywats.domains.product import Bom, BomComponent, Product, ProductRevision
from pywats.emulator.testing import InProcessEmulator
from pywats.errors import WATSBadRequestError, WATSNotFoundError

BAD_PART_NUMBERS = [
    ("", "must not be empty"),
    ("   ", "must not be empty"),
    ("X" * 101, "at most 100"),
    (" PCB-1", "whitespace"),
    ("PCB/1", "'/'"),
    ("PCB\\1", "'\\\\\\\\'"),
    ("PCB?1", "'\\?'"),
    ("PCB#1", "'#'"),
    ("PCB%1", "'%'"),
    ("PCB\n1", "'\\\\n'"),
    ("..", "cannot be"),
]


async def product_count(emulator: InProcessEmulator) -> int:
    return int(emulator.store.scalar("SELECT COUNT(*) FROM product"))


def revision_count(emulator: InProcessEmulator) -> int:
    return int(emulator.store.scalar("SELECT COUNT(*) FROM product_revision"))


@pytest.mark.parametrize(("part_number", "reason"), BAD_PART_NUMBERS)
async def test_bad_part_number_is_refused_before_sending(
    wats: AsyncWATS, emulator: InProcessEmulator, part_number: str, reason: str
) -> None:
    emulator.traffic.clear()
    with pytest.raises(WATSValidationError, match=reason) as caught:
        await wats.product.create_product(part_number, "Widget")
    assert caught.value.field == "part_number"
    with pytest.raises(WATSValidationError):
        await wats.product.get_product(part_number)
    with pytest.raises(WATSValidationError) as in_model:
        await wats.product.save_product(Product(part_number=part_number))
    assert in_model.value.field == "product.part_number"
    assert emulator.traffic.count == 0


def test_bad_part_number_sync(sync_wats: SyncWATS, emulator: InProcessEmulator) -> None:
    emulator.traffic.clear()
    with pytest.raises(WATSValidationError, match="at most 100"):
        sync_wats.product.create_product("P" * 101)
    with pytest.raises(WATSValidationError, match="'/'"):
        sync_wats.product.get_revision("A/B", "1")
    assert emulator.traffic.count == 0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda w: w.product.create_revision("PCB-1001", ""), "revision"),
        (lambda w: w.product.create_revision("PCB-1001", "R" * 101), "revision"),
        (lambda w: w.product.save_revision(ProductRevision(revision="A")), "revision.part_number"),
        (lambda w: w.product.set_product_tags("PCB-1001", {"1bad key": "x"}), "tags"),
        (lambda w: w.product.set_product_state("PCB-1001", 5), "state"),
        (lambda w: w.product.query_products("partNumber eq 'x'"), "filter"),
        (lambda w: w.product.query_products(top=0), "top"),
        (lambda w: w.product.query_products(orderby="partNumber; drop"), "orderby"),
        (lambda w: w.product.add_vendors([""]), "names[0]"),
        (lambda w: w.product.add_vendors("Mouser"), "names"),
        (lambda w: w.product.add_to_product_group("", "PCB-1001"), "group_name"),
        (
            lambda w: w.product.save_bom(
                Bom(
                    part_number="PCB-1001",
                    revision="A",
                    components=[BomComponent(number="R", quantity=0)],
                )
            ),
            "bom.components[0].quantity",
        ),
        (
            lambda w: w.product.save_bom(
                Bom(part_number="PCB-1001", revision="A", components=[BomComponent(number="")])
            ),
            "bom.components[0].number",
        ),
    ],
)
async def test_other_bad_input_names_the_field(
    wats: AsyncWATS, emulator: InProcessEmulator, call: Any, field: str
) -> None:
    before = revision_count(emulator)
    with pytest.raises(WATSValidationError) as caught:
        await call(wats)
    assert caught.value.field == field
    assert revision_count(emulator) == before


async def test_bulk_with_one_bad_product_sends_nothing(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    before = await product_count(emulator)
    emulator.traffic.clear()
    products = [Product(part_number="GOOD-1"), Product(part_number="BAD/2")]
    with pytest.raises(WATSValidationError) as caught:
        await wats.product.save_products(products)
    assert caught.value.field == "products[1].part_number"
    duplicate = [Product(part_number="DUP-1"), Product(part_number="DUP-1")]
    with pytest.raises(WATSValidationError, match="twice"):
        await wats.product.save_products(duplicate)
    assert emulator.traffic.count == 0
    assert await product_count(emulator) == before


async def test_revision_for_missing_product(wats: AsyncWATS, emulator: InProcessEmulator) -> None:
    before = revision_count(emulator)
    with pytest.raises(WATSNotFoundError, match="GHOST-1"):
        await wats.product.create_revision("GHOST-1", "A")
    # Saved directly, the server says so: a 404 naming the part number.
    with pytest.raises(WATSNotFoundError, match="GHOST-1"):
        await wats.product.save_revision(ProductRevision(revision="A", part_number="GHOST-1"))
    with pytest.raises(WATSNotFoundError, match="GHOST-1"):
        await wats.product.save_revisions(
            [
                ProductRevision(revision="Z1", part_number="PCB-1001"),
                ProductRevision(revision="A", part_number="GHOST-1"),
            ]
        )
    assert revision_count(emulator) == before
    assert await wats.product.get_product("GHOST-1") is None
    assert await wats.product.get_revision("PCB-1001", "Z1") is None


def test_revision_for_missing_product_sync(
    sync_wats: SyncWATS, emulator: InProcessEmulator
) -> None:
    before = revision_count(emulator)
    with pytest.raises(WATSNotFoundError, match="GHOST-2"):
        sync_wats.product.save_revision(ProductRevision(revision="A", part_number="GHOST-2"))
    with pytest.raises(WATSNotFoundError, match="GHOST-2"):
        sync_wats.product.get_revisions("GHOST-2")
    assert revision_count(emulator) == before


async def test_server_side_rejection_is_clear_and_writes_nothing(
    wats: AsyncWATS, emulator: InProcessEmulator
) -> None:
    before = await product_count(emulator)
    with pytest.raises(WATSBadRequestError, match="xmlData") as caught:
        await wats.product.save_product(Product(part_number="XML-1", xml_data="<Root>"))
    assert caught.value.status_code == 400
    assert await product_count(emulator) == before
    with pytest.raises(WATSNotFoundError, match="no revision 'Q'"):
        await wats.product.save_bom(Bom(part_number="PCB-1001", revision="Q"))


async def test_changing_a_missing_product_is_refused(wats: AsyncWATS) -> None:
    with pytest.raises(WATSNotFoundError, match="GHOST-3"):
        await wats.product.set_product_state("GHOST-3", 0)
    with pytest.raises(WATSNotFoundError, match="no revision 'Q'"):
        await wats.product.set_revision_tags("PCB-1001", "Q", {"ECO": "1"})
    assert await wats.product.get_product("GHOST-3") is None
