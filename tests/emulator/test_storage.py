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
    store.execute("INSERT INTO t VALUES (1)")
    copy = Storage()
    store.copy_into(copy)
    copy.execute("DELETE FROM t")
    assert store.scalar("SELECT COUNT(*) FROM t") == 1
    assert copy.scalar("SELECT COUNT(*) FROM t") == 0


def test_meta(store: Storage) -> None:
    assert store.get_meta("k") is None
    store.set_meta("k", "1")
    store.set_meta("k", "2")
    assert store.get_meta("k") == "2"
