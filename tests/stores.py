"""Test helpers that set up data the way xl_tdr itself would have left them: a store written by
a refresh (whole months), and bundled data that end earlier (an older install)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from xl_tdr.data import bundle as bundle_module
from xl_tdr.data.bundle import Bundle, write_sectors, write_totals
from xl_tdr.data.store import Batch, Store
from xl_tdr.reference.partner_facts import WORLD

SECTOR_SOURCE = "Census International Trade API (test refresh, COMM_LVL=HS2)"
VINTAGE = {"id": 1, "source": "Census International Trade API (test refresh)", "key": "census_api",
           "kind": "totals", "derived": False, "retrieved": "2026-11-01", "url": None, "note": "test"}


def store_year(year: int, store: Store | None = None) -> Store:
    """Write ``year``'s bundled totals and trade by chapter into the store, as one refresh would
    (every month of the year, vintage 1 and 2)."""
    store = store or Store()
    data = Bundle()
    rows, _, _ = data.totals()
    totals = [(*row[:5], 1) for row in rows if row[2] == year]
    sectors = [(code, *row[:5], 2) for code in data.sector_codes() for row in data.sector_rows(code) if row[2] == year]
    store.write(Batch(total_months={row[1:4] for row in totals if row[0] == WORLD}, totals=totals,
                      sector_months={row[2:5] for row in sectors if row[0] == WORLD}, sectors=sectors,
                      vintages=[VINTAGE, {**VINTAGE, "id": 2, "kind": "sectors", "source": SECTOR_SOURCE}]))
    return store


def bundle_until(folder: Path, month: tuple[int, int], sectors_until: tuple[int, int] | None = None) -> Path:
    """A copy of the bundled data in ``folder`` without the monthly figures after ``month`` (and
    without trade by chapter after ``sectors_until``, if given)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = Bundle(bundle_module.config.BUNDLED_DIR)
    rows, vintages, names = data.totals()
    kept = [row for row in rows if not row[3] or (row[2], row[3]) <= month]
    write_totals(folder / bundle_module.TOTALS_NAME, kept, vintages, names, "test")
    if sectors_until is None:
        shutil.copyfile(data.folder / bundle_module.SECTORS_NAME, folder / bundle_module.SECTORS_NAME)
    else:
        sectors = [(code, *row) for code in data.sector_codes() for row in data.sector_rows(code)
                   if not row[3] or (row[2], row[3]) <= sectors_until]
        write_sectors(folder / bundle_module.SECTORS_NAME, sectors, data.sector_vintages(), "test")
    return folder


def content_hash(store: Store) -> str | None:
    """The store's bytes (the database and its write-ahead log), hashed; None when there is none."""
    if not store.path.exists():
        return None
    digest = hashlib.sha256()
    for path in (store.path, store.path.with_name(store.path.name + "-wal")):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def revise(changes: dict[tuple, int], store: Store | None = None, retrieved: str = "2026-11-28",
           sectors: dict[tuple, int] | None = None) -> Store:
    """Revise data as a refresh would: ``changes`` maps (code, flow, year, month) → new value,
    ``sectors`` (code, chapter, flow, year, month) → new value; each month touched is written
    whole, the old values kept in the history, under a new vintage."""
    from xl_tdr.data.view import View
    from xl_tdr.refresh.months import Replacement

    store = store or Store()
    view = View(store, bundle_module.bundle())
    vintage = max((v["id"] for v in view.stored_vintages), default=0) + 1
    totals = _replaced({row[:4]: (row[4], row[5]) for row in view.rows}, changes, vintage)
    chapters = Replacement()
    if sectors:
        first = min(key[3] for key in sectors)
        chapters = _replaced(view.sector_values(first), sectors, vintage)
    store.write(Batch(total_months=totals.months, totals=totals.rows, history=totals.history,
                      sector_months=chapters.months, sectors=chapters.rows, sector_history=chapters.history,
                      vintages=[{**VINTAGE, "id": vintage, "retrieved": retrieved}]))
    return store


def _replaced(old: dict, changes: dict, vintage: int):
    from xl_tdr.refresh.months import replace_months

    months = {key[-3:] for key in changes}
    new = {key: value for key, (value, _) in old.items() if key[-3:] in months}
    new.update(changes)
    return replace_months(old, new, vintage)
