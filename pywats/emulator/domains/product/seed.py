"""Seeded catalog: product families with revisions, tags and BOMs, vendors, group members.

`small` is a few dozen products for tests; `factory` is a 10,000-product catalog (the size a
Products screen must stay responsive with). The parts the production domain builds units of
are in the catalog too, with their box builds as BOMs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from ...plugin import SeedContext
from ..production.catalog import PARTS, Part
from .bom import bom_element, with_bom

FACTORY_PRODUCTS = 10_000
SMALL_PER_FAMILY = 5

SITES = ("Oslo", "Gdansk", "Penang", "Monterrey")
TEAMS = ("NPI", "Sustaining", "Test engineering", "Operations")
VENDORS = (
    "Arrow",
    "Avnet",
    "Digi-Key",
    "Farnell",
    "Mouser",
    "RS Components",
    "TTI",
    "Würth Elektronik",
)

# (number, description, designator prefix)
COMPONENTS: tuple[tuple[str, str, str], ...] = (
    ("RES-0603-10K", "Resistor 10 kOhm 0603", "R"),
    ("RES-0603-4K7", "Resistor 4.7 kOhm 0603", "R"),
    ("CAP-0402-100N", "Capacitor 100 nF 0402", "C"),
    ("CAP-1206-10U", "Capacitor 10 uF 1206", "C"),
    ("IC-STM32F407", "Microcontroller STM32F407", "U"),
    ("IC-LM317", "Adjustable regulator LM317", "U"),
    ("IC-MAX3232", "RS-232 transceiver", "U"),
    ("CON-USB-C", "USB-C receptacle", "J"),
    ("CON-RJ45", "RJ45 jack with magnetics", "J"),
    ("LED-0603-GRN", "LED green 0603", "D"),
    ("DIO-1N4148", "Switching diode 1N4148", "D"),
    ("XTAL-8M", "Crystal 8 MHz", "Y"),
    ("IND-10U", "Inductor 10 uH", "L"),
    ("FUSE-2A", "Fuse 2 A slow", "F"),
)


@dataclass(frozen=True)
class Family:
    prefix: str
    category: str
    weight: int  # share of the factory catalog
    name: Callable[[Random], str]
    numeric_revisions: bool = False
    non_serial: bool = False
    has_bom: bool = True


def _pick(rng: Random, *options: str) -> str:
    return rng.choice(options)


FAMILIES: tuple[Family, ...] = (
    Family(
        "PSU-",
        "Power",
        20,
        lambda r: (
            f"{_pick(r, '24', '48', '65', '120', '240', '500')} W "
            f"{_pick(r, 'AC/DC', 'DC/DC', 'open-frame', 'DIN-rail')} power supply"
        ),
    ),
    Family(
        "CTL-",
        "Controller",
        18,
        lambda r: (
            f"{_pick(r, 'Compact', 'Modular', 'Safety', 'Motion')} controller, "
            f"{_pick(r, '8', '16', '32', '64')} I/O"
        ),
        numeric_revisions=True,
    ),
    Family(
        "SEN-",
        "Sensor",
        20,
        lambda r: (
            f"{_pick(r, 'Temperature', 'Pressure', 'Humidity', 'Flow', 'Proximity')} "
            f"sensor, {_pick(r, 'analog', '4-20 mA', 'IO-Link', 'Modbus')}"
        ),
    ),
    Family(
        "COM-",
        "Communication",
        14,
        lambda r: (
            f"{_pick(r, 'Ethernet', 'CAN', 'Profinet', 'LTE', 'Wi-Fi')} "
            f"{_pick(r, 'gateway', 'module', 'switch')}"
        ),
        numeric_revisions=True,
    ),
    Family(
        "FIX-",
        "Fixture",
        6,
        lambda r: f"{_pick(r, 'ICT', 'Functional', 'Burn-in', 'Flash')} test fixture",
        non_serial=True,
        has_bom=False,
    ),
    Family(
        "PCB-",
        "PCBA",
        14,
        lambda r: (
            f"{_pick(r, 'Main', 'I/O', 'Display', 'Power', 'Interface')} board "
            f"{_pick(r, 'Mk1', 'Mk2', 'Lite', 'Pro')}"
        ),
    ),
    Family(
        "CBL-",
        "Cable",
        8,
        lambda r: (
            f"{_pick(r, 'M12', 'RJ45', 'USB-C', 'Power')} cable {_pick(r, '0.5', '1', '2', '5')} m"
        ),
        non_serial=True,
        has_bom=False,
    ),
)

_LETTERS = ("A", "B", "C", "D")
_NUMBERS = ("1.0", "1.1", "2.0", "2.1")


class _Catalog:
    """Collects rows, then inserts them in a few executemany calls (fast for 10,000)."""

    def __init__(self, ctx: SeedContext) -> None:
        self.ctx = ctx
        self.categories: dict[str, str] = {}
        self.products: list[tuple[Any, ...]] = []
        self.revisions: list[tuple[Any, ...]] = []
        self.revision_ids: dict[tuple[str, str], str] = {}

    def category(self, name: str) -> str:
        if name not in self.categories:
            self.categories[name] = self.ctx.uuid()
        return self.categories[name]

    def tags_xml(self, chance: float, make: Callable[[Random], dict[str, str]]) -> str | None:
        rng = self.ctx.rng
        if rng.random() >= chance:
            return None
        tags = "".join(f'<{key} Value="{value}" />' for key, value in make(rng).items())
        return f"<Root>{tags}</Root>"

    def add(
        self,
        part_number: str,
        name: str,
        category: str,
        revisions: tuple[str, ...],
        *,
        non_serial: bool = False,
        active: bool = True,
        boms: dict[str, Any] | None = None,
    ) -> None:
        rng = self.ctx.rng
        product_id = self.ctx.uuid()
        xml = self.tags_xml(0.25, lambda r: {"Site": r.choice(SITES), "Owner": r.choice(TEAMS)})
        description = f"{name} ({category.lower()})"
        self.products.append(
            (
                product_id,
                part_number,
                name,
                description,
                int(non_serial),
                int(active),
                xml,
                self.category(category),
            )
        )
        last = len(revisions) - 1
        for index, revision in enumerate(revisions):
            revision_id = self.ctx.uuid()
            rev_active = active and (index == last or rng.random() < 0.6)
            rev_xml = self.tags_xml(0.15, lambda r: {"ECO": f"ECO-{r.randint(1000, 9999)}"})
            bom = (boms or {}).get(revision)
            if bom is not None:
                rev_xml = with_bom(rev_xml, bom)
            self.revisions.append(
                (
                    revision_id,
                    product_id,
                    revision,
                    f"{name} rev {revision}",
                    None,
                    int(rev_active),
                    rev_xml,
                )
            )
            self.revision_ids[(part_number, revision)] = revision_id

    def write(self) -> None:
        store = self.ctx.store
        store.executemany(
            "INSERT INTO product_category (category_id, name) VALUES (?, ?)",
            [(cid, name) for name, cid in self.categories.items()],
        )
        store.executemany(
            "INSERT INTO product (product_id, part_number, name, description, non_serial, "
            "state, xml_data, category_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.products,
        )
        store.executemany(
            "INSERT INTO product_revision (revision_id, product_id, revision, name, "
            "description, state, xml_data) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self.revisions,
        )


def _random_bom(rng: Random, part_number: str, revision: str) -> Any:
    counters: dict[str, int] = {}
    lines = []
    for number, description, prefix in rng.sample(COMPONENTS, rng.randint(3, 8)):
        quantity = rng.choice((1, 1, 2, 4))
        refs = []
        for _ in range(quantity):
            counters[prefix] = counters.get(prefix, 0) + 1
            refs.append(f"{prefix}{counters[prefix]}")
        lines.append(
            {"Number": number, "Qty": str(quantity), "Desc": description, "Ref": ";".join(refs)}
        )
    return bom_element(part_number, revision, None, lines)


def _box_build_boms(part: Part) -> dict[str, Any]:
    boms: dict[str, Any] = {}
    names = {p.part_number: p.name for p in PARTS}
    for revision, lines in part.box_build:
        components = []
        for line in lines:
            component = {"Number": line.part_number, "Qty": str(line.quantity)}
            exact = [mask for mask in line.revision_mask.split(",") if "%" not in mask]
            if exact:
                component["Rev"] = exact[-1]
            component["Desc"] = names.get(line.part_number, "")
            components.append(component)
        boms[revision] = bom_element(part.part_number, revision, part.name, components)
    return boms


def _category_of(part: Part) -> str:
    return {"PCB-": "PCBA", "MOD-": "Module", "PSU-": "Power", "SYS-": "System"}.get(
        part.part_number[:4], "Module"
    )


def _family_counts(ctx: SeedContext) -> list[int]:
    if ctx.size != "factory":
        return [SMALL_PER_FAMILY] * len(FAMILIES)
    remaining = FACTORY_PRODUCTS - len(PARTS)
    total_weight = sum(f.weight for f in FAMILIES)
    counts = [remaining * f.weight // total_weight for f in FAMILIES]
    counts[0] += remaining - sum(counts)  # rounding leftovers, so the total is exact
    return counts


def seed(ctx: SeedContext) -> None:
    rng = ctx.rng
    catalog = _Catalog(ctx)
    for part in PARTS:
        catalog.add(
            part.part_number,
            part.name,
            _category_of(part),
            part.revisions,
            boms=_box_build_boms(part),
        )
    for family, count in zip(FAMILIES, _family_counts(ctx), strict=True):
        styles = _NUMBERS if family.numeric_revisions else _LETTERS
        for index in range(count):
            part_number = f"{family.prefix}{10000 + index}"
            revisions = styles[: rng.choices((1, 2, 3), weights=(50, 35, 15))[0]]
            boms = {}
            if family.has_bom:
                boms = {
                    rev: _random_bom(rng, part_number, rev)
                    for rev in revisions
                    if rng.random() < 0.3
                }
            catalog.add(
                part_number,
                family.name(rng),
                family.category,
                revisions,
                non_serial=family.non_serial,
                active=rng.random() < 0.9,
                boms=boms,
            )
    catalog.write()
    ctx.store.executemany(
        "INSERT INTO product_vendor (name) VALUES (?)", [(name,) for name in VENDORS]
    )
    _seed_group_members(ctx)


def _seed_group_members(ctx: SeedContext) -> None:
    groups = {
        row["name"]: row["product_group_id"]
        for row in ctx.store.query("SELECT product_group_id, name FROM product_group")
    }
    members = [
        ("Controllers", "SYS-9000", None, 0),  # a system is a controller too
        ("Controllers", "CTL-10000", None, 1),  # ... but this one is kept out of the group
        ("Power supplies", "PCB-2001", "B", 0),  # only revision B of the power board
    ]
    ctx.store.executemany(
        "INSERT INTO product_group_member (product_group_id, part_number, revision, exclude) "
        "VALUES (?, ?, ?, ?)",
        [(groups[g], pn, rev, ex) for g, pn, rev, ex in members if g in groups],
    )
