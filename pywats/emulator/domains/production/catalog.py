"""The fixed part of the production seed: phases, the parts units are built of, their box
builds and test routes, and serial-number types.

Kept in one place so that linking units to the product domain's own seed later is a change
to this module only. Every unit's part number and revision comes from `PARTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

# (id, code, name, description). Ids are the server's UnitPhaseFlag values; 4098/4100/4104
# are the queue variants the spec lists for SetUnitPhase.
PHASES: tuple[tuple[int, str, str, str], ...] = (
    (1, "Unknown", "Unknown", "Unknown unit phase"),
    (2, "Under_Production", "Under production", "Unit is under production"),
    (4, "Production_Repair", "Production repair", "Unit is being repaired"),
    (8, "Service_Repair", "Service repair", "Unit is being repaired for service (RMA)"),
    (16, "Finalized", "Finalized", "Unit is finalized"),
    (32, "Scrapped", "Scrapped", "Unit is scrapped"),
    (64, "Extended_Test", "Extended test", "Unit is under extended test"),
    (128, "Customization", "Customization", "Unit is under customization"),
    (256, "Repaired", "Repaired", "Unit has been repaired"),
    (512, "Missing", "Missing", "Unit is marked as missing"),
    (1024, "In_Storage", "In storage", "Unit is in store (warehouse)"),
    (2048, "Shipped", "Shipped", "Unit is shipped (out of factory)"),
    (
        4098,
        "Under_Production_Queued",
        "Under production - queued",
        "Unit is under production in a queue",
    ),
    (
        4100,
        "Production_Repair_Queued",
        "Production repair - queued",
        "Unit is waiting for production repair",
    ),
    (
        4104,
        "Service_Repair_Queued",
        "Service repair - queued",
        "Unit is waiting for service repair (RMA)",
    ),
)

UNDER_PRODUCTION = 2
PRODUCTION_REPAIR = 4
FINALIZED = 16
SCRAPPED = 32
IN_STORAGE = 1024
SHIPPED = 2048


@dataclass(frozen=True)
class BoxBuildLine:
    """One line of a revision's box build: which child part, which revisions, how many."""

    part_number: str
    revision_mask: str  # comma list; a trailing % is a prefix wildcard ("1.%")
    quantity: int


@dataclass(frozen=True)
class Part:
    part_number: str
    name: str
    serial_prefix: str  # units of this part get serials "<prefix>-<5 digits>", unique overall
    revisions: tuple[str, ...]
    route: tuple[int, ...]  # test process codes in order (the verification rule)
    # Box build per revision; a revision missing here has none.
    box_build: tuple[tuple[str, tuple[BoxBuildLine, ...]], ...] = ()
    # The phase a child must be in to be built in, when not Finalized (the PhaseFinalized tag).
    finalized_phase: int | None = None

    def lines_for(self, revision: str) -> tuple[BoxBuildLine, ...]:
        for rev, lines in self.box_build:
            if rev.lower() == revision.lower():
                return lines
        return ()


# Three assembly levels: system <- module/power supply <- boards.
PARTS: tuple[Part, ...] = (
    Part("PCB-1001", "Controller main board", "MB", ("A", "B", "C"), (110, 120)),
    Part("PCB-1002", "I/O board", "IO", ("A", "B"), (110, 120)),
    Part("PCB-2001", "Power board", "PB", ("A", "B"), (110, 120, 150)),
    Part("PCB-3001", "Sensor board", "SB", ("1.0", "1.1"), (120, 150)),
    Part(
        "MOD-4100",
        "Controller module",
        "CM",
        ("1.0", "1.1"),
        (120, 130),
        box_build=(
            ("1.0", (BoxBuildLine("PCB-1001", "A,B", 1), BoxBuildLine("PCB-1002", "%", 1))),
            ("1.1", (BoxBuildLine("PCB-1001", "B,C", 1), BoxBuildLine("PCB-1002", "B", 1))),
        ),
    ),
    Part(
        "PSU-200",
        "Power supply module",
        "PS",
        ("A",),
        (120,),
        box_build=(("A", (BoxBuildLine("PCB-2001", "%", 1),)),),
        finalized_phase=IN_STORAGE,
    ),
    Part(
        "SYS-9000",
        "Control system",
        "SY",
        ("A", "B"),
        (100, 140),
        box_build=(
            ("A", (BoxBuildLine("MOD-4100", "1.0", 1), BoxBuildLine("PSU-200", "A", 2))),
            ("B", (BoxBuildLine("MOD-4100", "1.%", 1), BoxBuildLine("PSU-200", "A", 2))),
        ),
    ),
)

PARTS_BY_NUMBER = {part.part_number.lower(): part for part in PARTS}


def part(part_number: str) -> Part | None:
    return PARTS_BY_NUMBER.get(part_number.lower())


def revision_matches(mask: str, revision: str) -> bool:
    """The box-build revision mask rule: comma list, trailing % matches a prefix."""
    for pattern in (p.strip() for p in mask.split(",")):
        if not pattern:
            continue
        if pattern.endswith("%"):
            if revision.lower().startswith(pattern[:-1].lower()):
                return True
        elif revision.lower() == pattern.lower():
            return True
    return False


@dataclass(frozen=True)
class SerialNumberType:
    name: str
    description: str
    format: str
    reg_ex: str
    identifier: int  # 0 serial number, 1 MAC address, 2 IMEI
    # How seeded numbers are written: prefix + zero-padded counter, or MAC hex.
    prefix: str
    width: int


IDENTIFIER_NAMES = {0: "SerialNumber", 1: "MACAddress", 2: "IMEI"}

SN_TYPES: tuple[SerialNumberType, ...] = (
    SerialNumberType(
        "SystemSN", "Serial numbers for control systems", "SY-#####", r"^SY-\d{5}$", 0, "SY-", 5
    ),
    SerialNumberType(
        "BoardSN", "Serial numbers for boards", "BRD-######", r"^BRD-\d{6}$", 0, "BRD-", 6
    ),
    SerialNumberType(
        "EthernetMAC",
        "MAC addresses for controller Ethernet ports",
        "XX:XX:XX:XX:XX:XX",
        r"^[0-9A-F]{2}(:[0-9A-F]{2}){5}$",
        1,
        "00:1B:7A:",
        6,
    ),
)
