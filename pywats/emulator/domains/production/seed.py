"""A deterministic factory floor: systems built from modules built from boards, loose units
in every phase, batches, the test runs behind each unit's verification grade, and
serial-number pools (some numbers taken, with references, some free with gaps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...plugin import SeedContext
from . import catalog, story
from .catalog import Part
from .units_db import wire_time

BATCH_SIZE = 50
STATIONS = {
    100: ("EOL-01", "EOL-02"),
    110: ("ICT-01", "ICT-02"),
    120: ("FCT-01", "FCT-02", "FCT-03"),
    130: ("BURNIN-01",),
    140: ("INSPECT-01",),
    150: ("CAL-01",),
}
LOCATIONS = {
    catalog.UNDER_PRODUCTION: ("Line 1", "Line 2"),
    catalog.PRODUCTION_REPAIR: ("Repair bench",),
    catalog.FINALIZED: ("Line 1", "Line 2", "Kitting"),
    catalog.IN_STORAGE: ("Warehouse",),
    catalog.SHIPPED: ("Customer",),
    catalog.SCRAPPED: ("Scrap bin",),
}
FIRMWARE = ("2.3.0", "2.4.1", "2.5.0")


@dataclass
class _Floor:
    ctx: SeedContext
    units: list[tuple[object, ...]] = field(default_factory=list)
    runs: list[tuple[object, ...]] = field(default_factory=list)
    batches: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    serials_by_part: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def unit(
        self,
        part: Part,
        revision: str,
        phase: int,
        made: datetime,
        parent_id: int | None = None,
    ) -> tuple[int, str]:
        rng = self.ctx.rng
        number = self.counters.get(part.part_number, 0) + 1
        self.counters[part.part_number] = number
        serial = f"{part.serial_prefix}-{number:05d}"
        batch = f"B-{part.part_number}-{(number - 1) // BATCH_SIZE + 1:03d}"
        self.batches[batch] = BATCH_SIZE
        unit_id = len(self.units) + 1
        xml_data = None
        if rng.random() < 0.3:
            xml_data = f'<Root><Firmware Value="{rng.choice(FIRMWARE)}" /></Root>'
        last_code = self._runs(unit_id, part, phase, made)
        self.units.append(
            (
                unit_id,
                serial,
                part.part_number,
                revision,
                parent_id,
                batch,
                wire_time(made),
                rng.choice(LOCATIONS.get(phase, ("Line 1",))),
                xml_data,
                phase,
                None if last_code is None else str(last_code),
            )
        )
        self.serials_by_part.setdefault(part.part_number, []).append((unit_id, serial))
        return unit_id, serial

    def _runs(self, unit_id: int, part: Part, phase: int, made: datetime) -> int | None:
        """Test runs along the part's route that fit the unit's phase; returns the last code."""
        rng = self.ctx.rng
        route = part.route
        if phase == catalog.UNDER_PRODUCTION:
            route = route[: rng.randint(0, len(route) - 1)]
        elif phase in (catalog.PRODUCTION_REPAIR, catalog.SCRAPPED):
            route = route[: rng.randint(1, len(route))]
        moment = made + timedelta(minutes=rng.randint(20, 120))
        last = None
        for position, code in enumerate(route):
            final_fail = position == len(route) - 1 and phase in (
                catalog.PRODUCTION_REPAIR,
                catalog.SCRAPPED,
            )
            station = rng.choice(STATIONS.get(code, ("STATION-01",)))
            age = (self.ctx.anchor - moment).total_seconds() / 86400
            retests = 1 if rng.random() < story.first_run_fail_rate(code, station, age) else 0
            for attempt in range(retests + 1):
                failed = attempt < retests
                # A failed run that was retested went through repair first, mostly.
                repaired = failed and rng.random() < 0.7
                self.runs.append((unit_id, code, wire_time(moment), station, not failed, repaired))
                moment += timedelta(minutes=rng.randint(5, 90))
            if final_fail:
                self.runs.append((unit_id, code, wire_time(moment), station, False, False))
            last = code
        return last


def _system(floor: _Floor, made: datetime, phase: int, complete: bool) -> None:
    rng = floor.ctx.rng
    system = catalog.part("SYS-9000")
    module = catalog.part("MOD-4100")
    psu = catalog.part("PSU-200")
    assert system and module and psu
    system_rev = rng.choice(system.revisions)
    module_rev = "1.0" if system_rev == "A" else rng.choice(module.revisions)
    system_id, _ = floor.unit(system, system_rev, phase, made)
    _module(floor, module_rev, made - timedelta(hours=rng.randint(4, 48)), system_id)
    for _ in range(2 if complete else 1):
        _psu(floor, made - timedelta(hours=rng.randint(4, 48)), system_id)


def _module(
    floor: _Floor,
    revision: str,
    made: datetime,
    parent_id: int | None,
    phase: int = catalog.FINALIZED,
) -> None:
    rng = floor.ctx.rng
    module = catalog.part("MOD-4100")
    main = catalog.part("PCB-1001")
    io_board = catalog.part("PCB-1002")
    assert module and main and io_board
    module_id, _ = floor.unit(module, revision, phase, made, parent_id)
    main_rev = rng.choice(("A", "B") if revision == "1.0" else ("B", "C"))
    io_rev = rng.choice(io_board.revisions) if revision == "1.0" else "B"
    floor.unit(
        main, main_rev, catalog.FINALIZED, made - timedelta(hours=rng.randint(2, 24)), module_id
    )
    floor.unit(
        io_board, io_rev, catalog.FINALIZED, made - timedelta(hours=rng.randint(2, 24)), module_id
    )


def _psu(
    floor: _Floor, made: datetime, parent_id: int | None, phase: int = catalog.IN_STORAGE
) -> None:
    rng = floor.ctx.rng
    psu = catalog.part("PSU-200")
    board = catalog.part("PCB-2001")
    assert psu and board
    psu_id, _ = floor.unit(psu, "A", phase, made, parent_id)
    floor.unit(
        board,
        rng.choice(board.revisions),
        catalog.FINALIZED,
        made - timedelta(hours=rng.randint(2, 24)),
        psu_id,
    )


_SYSTEM_PHASES = (
    (catalog.UNDER_PRODUCTION, 3),
    (catalog.FINALIZED, 3),
    (catalog.SHIPPED, 3),
    (catalog.IN_STORAGE, 1),
    (catalog.PRODUCTION_REPAIR, 1),
)
_LOOSE_PHASES = (
    (catalog.FINALIZED, 6),
    (catalog.UNDER_PRODUCTION, 3),
    (catalog.PRODUCTION_REPAIR, 1),
    (catalog.SCRAPPED, 1),
)


def _weighted(ctx: SeedContext, choices: tuple[tuple[int, int], ...]) -> int:
    return ctx.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def seed(ctx: SeedContext) -> None:
    store = ctx.store
    store.executemany(
        "INSERT INTO production_phase (phase_id, code, name, description) VALUES (?, ?, ?, ?)",
        catalog.PHASES,
    )
    store.executemany(
        "INSERT INTO production_sn_type (name, description, format, reg_ex, identifier) "
        "VALUES (?, ?, ?, ?, ?)",
        [(t.name, t.description, t.format, t.reg_ex, t.identifier) for t in catalog.SN_TYPES],
    )
    floor = _Floor(ctx)
    for _ in range(ctx.count(small=12, factory=450)):
        phase = _weighted(ctx, _SYSTEM_PHASES)
        complete = phase != catalog.UNDER_PRODUCTION or ctx.rng.random() < 0.5
        _system(floor, ctx.moment(days_back=180), phase, complete)
    for _ in range(ctx.count(small=4, factory=120)):
        module = catalog.part("MOD-4100")
        assert module
        _module(floor, ctx.rng.choice(module.revisions), ctx.moment(days_back=60), None)
        _psu(floor, ctx.moment(days_back=60), None)
    for part in catalog.PARTS:
        if part.box_build:
            continue
        for _ in range(ctx.count(small=25, factory=400)):
            floor.unit(
                part,
                ctx.rng.choice(part.revisions),
                _weighted(ctx, _LOOSE_PHASES),
                ctx.moment(days_back=120),
            )
    store.executemany(
        "INSERT INTO production_batch (batch_number, batch_size) VALUES (?, ?)",
        sorted(floor.batches.items()),
    )
    store.executemany(
        "INSERT INTO production_unit (unit_id, serial_number, part_number, revision, parent_id, "
        "batch_number, serial_date, current_location, xml_data, unit_phase_id, process_code) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        floor.units,  # built parent first, so every parent_id refers to an earlier row
    )
    store.executemany(
        "INSERT INTO production_test_run (unit_id, process_code, start_utc, station_name, "
        "passed, repaired) VALUES (?, ?, ?, ?, ?, ?)",
        floor.runs,
    )
    _seed_serial_pools(ctx, floor)
    _seed_changes(ctx, floor)


def _seed_serial_pools(ctx: SeedContext, floor: _Floor) -> None:
    rows: list[tuple[object, ...]] = []
    generated = wire_time(ctx.anchor - timedelta(days=200))
    systems = floor.serials_by_part.get("SYS-9000", [])
    for index in range(1, len(systems) + ctx.count(small=200, factory=2000) + 1):
        serial = f"SY-{index:05d}"
        taken = index <= len(systems)
        rows.append(
            (
                "SystemSN",
                serial,
                generated,
                generated if taken else None,
                serial if taken else None,
                "SYS-9000" if taken else None,
                "LABEL-01" if taken else None,
            )
        )
    for index in range(1, ctx.count(small=300, factory=5000) + 1):
        # Every 37th board number is taken, so free runs have gaps to respect.
        taken = index <= 30 or index % 37 == 0
        rows.append(
            (
                "BoardSN",
                f"BRD-{index:06d}",
                generated,
                generated if taken else None,
                None,
                None,
                "ICT-01" if taken else None,
            )
        )
    modules = floor.serials_by_part.get("MOD-4100", [])
    for index in range(len(modules) + ctx.count(small=200, factory=2000)):
        value = 0x100000 + index
        mac = "00:1B:7A:" + ":".join(f"{value:06X}"[i : i + 2] for i in (0, 2, 4))
        owner = modules[index][1] if index < len(modules) else None
        rows.append(
            (
                "EthernetMAC",
                mac,
                generated,
                generated if owner else None,
                owner,
                "MOD-4100" if owner else None,
                "FCT-01" if owner else None,
            )
        )
    ctx.store.executemany(
        "INSERT INTO production_sn (type_name, serial_number, generated_utc, taken_utc, ref_sn, "
        "ref_pn, station_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _seed_changes(ctx: SeedContext, floor: _Floor) -> None:
    recent = floor.units[-ctx.count(small=8, factory=40) :]
    ctx.store.executemany(
        "INSERT INTO production_unit_change (unit_serial_number, new_unit_phase_id) VALUES (?, ?)",
        [(unit[1], unit[9]) for unit in recent],
    )
