"""The store: no file until the first write, whole months replaced in one transaction, the old
values kept, and a failed write that changes nothing."""

import sqlite3

import pytest
from stores import VINTAGE, content_hash, revise, store_year

import xl_tdr
from xl_tdr import api
from xl_tdr.data.store import Batch, Store
from xl_tdr.errors import StoreError


def test_a_new_data_folder_answers_from_the_bundled_data_and_the_first_write_makes_a_wal_store(tmp_path, monkeypatch):
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "fresh"))
    api.use()
    assert xl_tdr.tdr("Mexico", 2024) > 0 and xl_tdr.tdr("Mexico", 2024, sector=87) > 0
    assert not (tmp_path / "fresh").exists()  # reading creates nothing
    store = store_year(2024)
    assert store.path == tmp_path / "fresh" / "store.sqlite"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM obs WHERE year = 2024").fetchone()[0] > 5_000
        assert db.execute("SELECT count(*) FROM obs WHERE year != 2024").fetchone()[0] == 0
    assert not list(store.path.parent.glob("*.partial"))


def test_write_replaces_values_keeps_history_and_is_seen_by_the_api(private_home):
    before = xl_tdr.exports("Mexico", 2024, 1)
    token = Store().change_token()
    store = revise({("2010", "X", 2024, 1): int(before) + 1000})
    assert store.change_token() != token
    api.use()
    assert xl_tdr.exports("Mexico", 2024, 1) == before + 1000
    with sqlite3.connect(store.path) as db:
        history = db.execute("SELECT code, value, vintage, replaced_by FROM obs_history").fetchall()
        whole = db.execute("SELECT count(*) FROM obs WHERE flow = 'X' AND year = 2024 AND month = 1").fetchone()[0]
    assert history == [("2010", before, -1, 1)]  # the bundled value (vintage 1 of the bundle) replaced by vintage 1
    assert whole > 200  # the whole month is in the store, every partner


def test_a_failing_write_leaves_the_store_exactly_as_it_was(stored_home):
    store = Store()
    before = content_hash(store)
    rows = [("2010", "X", 2024, 1, 1, 10), ("2010", "Z", 2024, 2, 1, 10)]
    with pytest.raises(StoreError, match="left unchanged"):
        store.write(Batch(total_months={("X", 2024, 1), ("Z", 2024, 2)}, totals=rows, names={"9999": "NOWHERE"},
                          vintages=[{**VINTAGE, "id": 10}]))
    assert content_hash(store) == before


def test_a_store_from_a_newer_version_is_refused(stored_home):
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    api.use()
    with pytest.raises(StoreError, match="schema 99"):
        xl_tdr.tdr("Mexico", 2024)


def test_an_unwritable_home_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XL_TDR_HOME", str(blocker / "home"))
    api.use()
    assert xl_tdr.tdr("Mexico", 2025) > 0  # reads need no folder
    with pytest.raises(StoreError, match="cannot create the data store"):
        store_year(2024)


def test_a_store_link_that_points_nowhere_is_said_and_never_replaced(private_home):
    link = private_home / "store.sqlite"
    link.symlink_to(private_home / "unmounted" / "store.sqlite")
    api.use()
    with pytest.raises(StoreError, match=r"is a link to .*unmounted/store.sqlite, which does not exist"):
        xl_tdr.tdr("Mexico", 2024)
    with pytest.raises(StoreError, match="which does not exist"):
        store_year(2024)
    assert link.is_symlink() and not link.exists()


def test_a_memory_store_reads_the_bundled_data_alone_and_writes_nothing(private_home, monkeypatch):
    """XL_TDR_STORE=memory (automatic in Excel's browser Python): the bundled figures alone, even
    beside a refreshed store; no file written; a refresh refused in one sentence."""
    bundled = xl_tdr.exports("Mexico", 2024, 1)
    revise({("2010", "X", 2024, 1): 123})
    files = sorted(private_home.iterdir())
    monkeypatch.setenv("XL_TDR_STORE", "memory")
    api.use()
    assert xl_tdr.exports("Mexico", 2024, 1) == bundled != 123
    assert xl_tdr.tdr("Mexico", 2024, sector=87) > 0
    with pytest.raises(StoreError, match="reads the bundled data only; refresh in the desktop xl-tdr"):
        store_year(2024)
    assert sorted(private_home.iterdir()) == files


def test_a_schema_2_store_is_read_and_upgraded_on_its_next_write(private_home):
    """A store written before vintages said their kind (schema 2) reads as before; a write adds
    the columns in place."""
    store = store_year(2024)
    with sqlite3.connect(store.path) as db:
        db.execute("CREATE TABLE v2 AS SELECT id, source, retrieved, url, note, loaded FROM vintages")
        db.execute("DROP TABLE vintages")
        db.execute("ALTER TABLE v2 RENAME TO vintages")
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    api.use()
    assert any(v["kind"] == "sectors" for v in xl_tdr.info()["vintages"] if v["id"] == 2)
    revise({("2010", "X", 2024, 3): 1})
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == "3"
        assert "kind" in {row[1] for row in db.execute("PRAGMA table_info(vintages)")}
