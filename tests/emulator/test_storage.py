"""Storage: atomic transactions that nest, and copies that are independent."""

from __future__ import annotations

import pytest

from pywats.emulator import Storage


@pytest.fixture
def store() -> Storage:
    db = Storage()
    db.execute("CREATE TABLE t (v INTEGER)")
    return db


def test_transaction_rolls_back_on_error(store: Storage) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("boom")
    assert store.scalar("SELECT COUNT(*) FROM t") == 0


def test_nested_transaction_joins_the_outer_one(store: Storage) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("outer fails after inner finished")
    assert store.scalar("SELECT COUNT(*) FROM t") == 0
    with store.transaction(), store.transaction():
        store.execute("INSERT INTO t VALUES (2)")
    assert store.scalar("SELECT v FROM t") == 2


def test_copy_is_independent(store: Storage) -> None:
    """Emulators made from one seeded image (seeding.build_storage) share nothing."""
    store.execute("INSERT INTO t VALUES (1)")
    copy = Storage()
    copy.load_image(store.connection.serialize())
    copy.execute("DELETE FROM t")
    assert store.scalar("SELECT COUNT(*) FROM t") == 1
    assert copy.scalar("SELECT COUNT(*) FROM t") == 0


def test_meta(store: Storage) -> None:
    assert store.get_meta("k") is None
    store.set_meta("k", "1")
    store.set_meta("k", "2")
    assert store.get_meta("k") == "2"


def test_masked_insert_writes_nulls_from_the_mask_and_keeps_every_other_value() -> None:
    from pywats.emulator.storage import mask_nulls, masked_insert_sql

    db = Storage()
    db.execute("CREATE TABLE m (a, b, c TEXT, d REAL)")
    rows = [
        (1, None, "x", 0.5),
        (None, None, None, None),
        (0, "", "0", 0.0),  # falsy values are values, not NULLs
        (2**62, b"\x00", "\u00b6", -1.25),
    ]
    db.executemany(masked_insert_sql("m", ["a", "b", "c", "d"]), [mask_nulls(r) for r in rows])
    stored = [tuple(row) for row in db.query("SELECT a, b, c, d FROM m ORDER BY rowid")]
    assert stored == rows
    assert db.scalar("SELECT COUNT(*) FROM m WHERE b IS NULL") == 2
