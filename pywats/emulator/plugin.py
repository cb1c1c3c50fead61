"""The contract between the emulator core and its domains.

A domain is a module in `pywats.emulator.domains` with a module-level `DOMAIN`.
The core discovers those modules, creates their tables, runs their seeds (after the
domains they require) and mounts their routes. Adding a domain never edits the core.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from starlette.routing import BaseRoute

from .config import SeedSize
from .storage import Storage

# uuid.UUID(version=4): the RFC 4122 variant bits (10) and the version nibble (4).
_UUID4_KEEP = ~(0xC000 << 48) & ~(0xF000 << 64)
_UUID4_SET = 0x8000 << 48 | 4 << 76


@dataclass
class SeedContext:
    """What a domain's seed function gets: storage, its own random stream, and the size."""

    store: Storage
    seed: int
    size: SeedSize
    anchor: datetime  # "now" for seeded data; timestamps count back from here
    rng: random.Random  # private to this domain, so one domain's changes don't move another's

    def count(self, *, small: int, factory: int) -> int:
        """How many of something to make for the current size."""
        return small if self.size == "small" else factory

    def uuid(self) -> str:
        """A GUID drawn from this domain's stream: same seed, same GUIDs.

        The text of ``uuid.UUID(int=bits, version=4)``, without building the object (a seed
        draws tens of thousands).
        """
        bits = self.rng.getrandbits(128) & _UUID4_KEEP | _UUID4_SET
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def moment(self, *, days_back: float) -> datetime:
        """A moment up to `days_back` days before the anchor, drawn from the stream."""
        return self.anchor - timedelta(seconds=self.rng.uniform(0, days_back * 86400))


SeedFunction = Callable[[SeedContext], None]


@dataclass(frozen=True)
class Domain:
    """One area of the WATS API as the emulator serves it.

    name: short unique name, used in `requires` and for the domain's random stream.
    routes: Starlette routes with full paths (e.g. "/api/Asset/{id}").
    schema: SQL DDL run once when a database is created (use CREATE TABLE IF NOT EXISTS).
    seed: fills the tables for a size; runs after every domain named in `requires`.
    requires: domains whose tables and seeded rows this one reads.
    """

    name: str
    routes: Sequence[BaseRoute] = ()
    schema: str = ""
    seed: SeedFunction | None = None
    requires: tuple[str, ...] = field(default=())


def order_domains(domains: Sequence[Domain]) -> list[Domain]:
    """Sort so each domain comes after those it requires; ties keep name order (deterministic)."""
    by_name: dict[str, Domain] = {}
    for domain in domains:
        if domain.name in by_name:
            raise ValueError(f"two emulator domains are named {domain.name!r}")
        by_name[domain.name] = domain
    for domain in domains:
        missing = [name for name in domain.requires if name not in by_name]
        if missing:
            raise ValueError(f"emulator domain {domain.name!r} requires unknown {missing}")
    ordered: list[Domain] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(domain: Domain) -> None:
        if domain.name in done:
            return
        if domain.name in visiting:
            raise ValueError(f"emulator domains require each other in a cycle at {domain.name!r}")
        visiting.add(domain.name)
        for name in sorted(domain.requires):
            visit(by_name[name])
        visiting.discard(domain.name)
        done.add(domain.name)
        ordered.append(domain)

    for name in sorted(by_name):
        visit(by_name[name])
    return ordered
