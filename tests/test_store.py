import hashlib
import sqlite3

import pytest

import xl_tdr
from xl_tdr import api
from xl_tdr.data.records import Observation
from xl_tdr.data.store import Store
from xl_tdr.errors import StoreError

NEW_VINTAGE = [{"id": 10, "source": "test", "retrieved": "2026-11-01", "url": None, "note": "t"}]


def content_hash(store: Store) -> str:
    digest = hashlib.sha256()
    with sqlite3.connect(store.path) as db:
        for table in ("meta", "vintages", "names", "obs", "obs_history", "sector_obs", "sector_history"):
            for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_first_use_seeds_a_wal_store(tmp_path, monkeypatch):
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "fresh"))
    api.use()
    assert xl_tdr.tdr("Mexico", 2024) > 0
    store = Store()
    assert store.path == tmp_path / "fresh" / "store.sqlite"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM obs").fetchone()[0] == 73_044
    assert not list(store.path.parent.glob("*.partial"))


def test_write_replaces_values_keeps_history_and_is_seen_by_the_api(private_home):
    store = Store()
    before = xl_tdr.exports("Mexico", 2024, 1)
    token = store.change_token()
    store.write([Observation("2010", "X", 2024, 1, int(before) + 1000, 10)], NEW_VINTAGE, {})
    assert store.change_token() != token
    assert xl_tdr.exports("Mexico", 2024, 1) == before + 1000
    with sqlite3.connect(store.path) as db:
        history = db.execute("SELECT value, vintage, replaced_by FROM obs_history").fetchall()
    assert history == [(before, 1, 10)]


def test_a_failing_write_leaves_the_store_exactly_as_it_was(private_home):
    store = Store()
    before = content_hash(store)
    rows = [Observation("2010", "X", 2024, 1, 1, 10), Observation("2010", "Z", 2024, 2, 1, 10)]
    with pytest.raises(StoreError, match="left unchanged"):
        store.write(rows, NEW_VINTAGE, {"9999": "NOWHERE"})
    assert content_hash(store) == before


def test_a_store_from_a_newer_version_is_refused(private_home):
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="schema 99"):
        store.observations()


def test_an_unwritable_home_is_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XL_TDR_HOME", str(blocker / "home"))
    with pytest.raises(StoreError, match="cannot create the data store"):
        Store().ensure()
