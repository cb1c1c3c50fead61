"""Deterministic seeding, isolated in-memory databases, and --db files that persist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pywats.emulator import Domain, EmulatorConfig, InProcessEmulator, SeedContext, Storage
from pywats.emulator.app import create_app
from pywats.emulator.domains import app, process
from pywats.emulator.registry import discover_domains
from pywats.emulator.seeding import build_storage, create_schema, domain_rng, seed_domains


def _dump(store: Storage) -> list[str]:
    return list(store.connection.iterdump())


# The core's own domains: fast to seed in every size.
CORE = [process.DOMAIN, app.DOMAIN]


def _fresh(config: EmulatorConfig, domains: Sequence[Domain] = CORE) -> Storage:
    # Bypass the per-process template cache: really seed each time.
    store = Storage()
    create_schema(store, domains)
    seed_domains(store, domains, config)
    return store


def test_same_seed_same_data_in_every_domain() -> None:
    domains = discover_domains()
    first = _fresh(EmulatorConfig(seed=3), domains)
    second = _fresh(EmulatorConfig(seed=3), domains)
    assert _dump(first) == _dump(second)


def test_other_seed_other_data() -> None:
    assert _dump(_fresh(EmulatorConfig(seed=3))) != _dump(_fresh(EmulatorConfig(seed=4)))


def test_seeded_metadata() -> None:
    store = build_storage(EmulatorConfig(), discover_domains())
    kinds = store.query_one(
        "SELECT SUM(is_test) AS t, SUM(is_repair) AS r, SUM(is_wip) AS w FROM process"
    )
    assert kinds is not None
    assert kinds["t"] >= 5 and kinds["r"] >= 2 and kinds["w"] >= 3
    assert store.scalar("SELECT COUNT(*) FROM level") >= 4
    assert store.scalar("SELECT COUNT(*) FROM product_group") >= 5


def test_factory_seeds_more_than_small() -> None:
    small = _fresh(EmulatorConfig(size="small"))
    factory = _fresh(EmulatorConfig(size="factory"))
    assert factory.scalar("SELECT COUNT(*) FROM level") > small.scalar("SELECT COUNT(*) FROM level")


def test_no_seed_gives_empty_tables() -> None:
    store = build_storage(EmulatorConfig(seed_data=False), discover_domains())
    assert store.scalar("SELECT COUNT(*) FROM process") == 0


def test_each_emulator_has_its_own_database() -> None:
    one, two = InProcessEmulator(), InProcessEmulator()
    try:
        one.store.execute("DELETE FROM level")
        assert two.store.scalar("SELECT COUNT(*) FROM level") > 0
        three = InProcessEmulator()
        assert three.store.scalar("SELECT COUNT(*) FROM level") > 0
        three.close()
    finally:
        one.close()
        two.close()


def test_domain_streams_are_independent() -> None:
    # Adding draws to one domain must not shift another domain's data.
    assert domain_rng(1, "a").random() == domain_rng(1, "a").random()
    assert domain_rng(1, "a").random() != domain_rng(1, "b").random()


def test_seed_context_helpers() -> None:
    anchor = datetime(2026, 1, 1, tzinfo=UTC)
    ctx = SeedContext(Storage(), 1, "factory", anchor, domain_rng(1, "x"))
    assert ctx.count(small=2, factory=2000) == 2000
    guid = ctx.uuid()
    assert len(guid) == 36 and guid[14] == "4"
    moment = ctx.moment(days_back=30)
    assert anchor.replace(month=1, day=1) >= moment >= datetime(2025, 12, 2, tzinfo=UTC)


def test_db_file_keeps_changes_between_runs(tmp_path: Path) -> None:
    path = str(tmp_path / "wats.db")
    first = build_storage(EmulatorConfig(db_path=path), CORE)
    first.execute("UPDATE level SET name = 'Kept' WHERE level_id = 1")
    first.close()
    second = build_storage(EmulatorConfig(db_path=path), CORE)
    # Not seeded again: the change survives and nothing is duplicated.
    assert second.scalar("SELECT name FROM level WHERE level_id = 1") == "Kept"
    assert second.get_meta("seeded") == "seed=1 size=small"
    second.close()


def test_seed_failure_leaves_no_half_seeded_file(tmp_path: Path) -> None:
    def broken(ctx: SeedContext) -> None:
        ctx.store.execute("INSERT INTO thing VALUES (1)")
        raise RuntimeError("seed bug")

    domain = Domain(
        name="broken", schema="CREATE TABLE IF NOT EXISTS thing (id INTEGER)", seed=broken
    )
    path = str(tmp_path / "wats.db")
    with pytest.raises(RuntimeError):
        create_app(EmulatorConfig(db_path=path), domains=[domain])
    store = Storage(path)
    assert store.scalar("SELECT COUNT(*) FROM thing") == 0
    assert store.get_meta("seeded") is None
