"""Seeded software: test sequences, limits and drivers in every status, several versions of one
name (with an old revoked release and a newer one pending review), in virtual folders, tagged
by part number and station type. `factory` adds a generated library of packages on top.

Timestamps count back from the seed's anchor; everything comes from the domain's own stream.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ...plugin import SeedContext
from .records import ATTRIBUTES, iso

USERS = ("anna.berg", "ola.nordmann", "li.wei", "test.engineering")
FOLDERS = (
    ("Test sequences", "TestStand sequences by line"),
    ("Limits", "Limit files released with the sequences"),
    ("Drivers", "Instrument drivers and runtimes"),
)

# name, folder index, tags, file set, statuses of versions 1, 2, ...
@dataclass(frozen=True)
class Plan:
    name: str
    folder: int
    description: str
    tags: tuple[tuple[str, str], ...]
    files: str
    statuses: tuple[str, ...]
    root_directory: str = ""
    priority: int = 100


PLANS: tuple[Plan, ...] = (
    Plan("PCB-1001 ICT", 0, "In-circuit test of the PCB-1001 main board",
         (("PartNumber", "PCB-1001"), ("StationType", "ICT")), "sequence",
         ("Revoked", "Released", "Released", "Pending", "Draft"), r"C:\WATS\PCB-1001", 10),
    Plan("PCB-1001 FCT limits", 1, "Functional-test limits for PCB-1001",
         (("PartNumber", "PCB-1001"), ("StationType", "FCT")), "limits",
         ("Released", "Draft")),
    Plan("PSU-200 Final test", 0, "End-of-line test of the PSU-200 power supply",
         (("PartNumber", "PSU-200"), ("StationType", "FCT")), "sequence",
         ("Released", "Pending")),
    Plan("DMM driver", 2, "Keysight 34465A driver and VISA runtime",
         (("StationType", "Any"), ("Instrument", "DMM")), "driver", ("Released",), "", 1),
    Plan("Burn-in scripts", 0, "Burn-in rack scripts with dwell times per product",
         (("StationType", "Burn-in"),), "sequence", ("Revoked", "Released")),
    Plan("MOD-4100 Calibration", 0, "Calibration sequence for the MOD-4100 module",
         (("PartNumber", "MOD-4100"), ("StationType", "CAL")), "sequence", ("Draft",)),
)

# folder, name, size range, attributes
FILE_SETS: dict[str, tuple[tuple[str, str, int, str], ...]] = {
    "sequence": (
        ("Sequences", "Main.seq", 180_000, "TopLevelFile"),
        ("Sequences/Subsequences", "Power.seq", 42_000, "None"),
        ("Sequences/Subsequences", "Boundary scan.seq", 65_000, "None"),
        ("Limits", "limits.csv", 9_000, "OverwriteOnNewPackageVersion"),
        ("Setup", "install.cmd", 1_200, "ExecuteOncePerVersion"),
    ),
    "limits": (
        ("Limits", "fct_limits.csv", 14_000, "OverwriteOnNewPackageVersion"),
        ("Limits", "README.txt", 800, "None"),
    ),
    "driver": (
        ("Drivers/x64", "ks34465a.dll", 1_400_000, "OverwriteNever"),
        ("Drivers/x64", "visa_runtime.msi", 24_000_000, "ExecuteOnce"),
        ("Drivers", "driver.ini", 600, "OverwriteNever"),
    ),
}


def _checksum(*parts: object) -> str:
    return "sha256:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _mask(names: str) -> int:
    return sum(ATTRIBUTES[name] for name in names.split(",") if name)


def _generated_plans(ctx: SeedContext, count: int) -> list[Plan]:
    plans = []
    kinds = ("ICT", "FCT", "EOL", "CAL", "Burn-in")
    for index in range(count):
        kind = kinds[index % len(kinds)]
        part = f"PCB-{2000 + index}"
        versions = ctx.rng.randint(1, 4)
        statuses = ["Released"] * versions
        statuses[-1] = ctx.rng.choice(("Released", "Draft", "Pending"))
        if versions > 1 and ctx.rng.random() < 0.3:
            statuses[0] = "Revoked"
        plans.append(
            Plan(f"{part} {kind}", index % len(FOLDERS), f"{kind} sequence for {part}",
                 (("PartNumber", part), ("StationType", kind)),
                 "limits" if kind == "CAL" else "sequence", tuple(statuses))
        )
    return plans


def seed(ctx: SeedContext) -> None:
    store = ctx.store
    folder_ids = [ctx.uuid() for _ in FOLDERS]
    store.executemany(
        "INSERT INTO software_virtual_folder (folder_id, parent_id, name, description) "
        "VALUES (?, NULL, ?, ?)",
        [(fid, name, text) for fid, (name, text) in zip(folder_ids, FOLDERS, strict=True)],
    )
    packages: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    files: list[tuple[Any, ...]] = []
    plans = [*PLANS, *_generated_plans(ctx, ctx.count(small=0, factory=40))]
    for plan in plans:
        started = ctx.anchor - timedelta(days=300 + ctx.rng.randint(0, 60))
        for number, status in enumerate(plan.statuses, start=1):
            package_id = ctx.uuid()
            author = ctx.rng.choice(USERS)
            created = started + timedelta(days=40 * (number - 1), hours=ctx.rng.randint(8, 16))
            modified = created + timedelta(hours=ctx.rng.randint(1, 48))
            released = released_by = revoked = revoked_by = None
            if status in ("Released", "Revoked"):
                released = iso(modified + timedelta(days=2))
                released_by = ctx.rng.choice(USERS)
                modified = modified + timedelta(days=2)
            if status == "Revoked":
                revoked = iso(modified + timedelta(days=20))
                revoked_by = ctx.rng.choice(USERS)
                modified = modified + timedelta(days=20)
            editor = revoked_by or released_by or author
            packages.append((
                package_id, plan.name, number, status, plan.description,
                int(bool(plan.root_directory)), plan.root_directory, plan.priority,
                folder_ids[plan.folder], iso(created), author, iso(modified), editor,
                released, released_by, revoked, revoked_by,
            ))
            tags.extend((package_id, position, key, value)
                        for position, (key, value) in enumerate(plan.tags))
            for folder, name, size, attributes in FILE_SETS[plan.files]:
                files.append((
                    ctx.uuid(), package_id, folder, name,
                    size + ctx.rng.randint(0, size // 10 + 1),
                    _checksum(plan.name, number, folder, name), _mask(attributes),
                    iso(created), author,
                ))
    store.executemany(
        "INSERT INTO software_package (package_id, name, version, status, description, "
        "install_on_root, root_directory, priority, virtual_folder_id, created, created_by, "
        "modified, modified_by, released, released_by, revoked, revoked_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        packages,
    )
    store.executemany(
        "INSERT INTO software_package_tag (package_id, position, key, value) VALUES (?, ?, ?, ?)",
        tags,
    )
    store.executemany(
        "INSERT INTO software_file (file_id, package_id, folder, name, size, checksum, "
        "attributes, modified, modified_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        files,
    )
