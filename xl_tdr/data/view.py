"""The data as every face sees them at one moment: the bundled snapshot with the store's months
laid over it.

A month (flow, year, month; month 0 the annual total) that the store holds — a refresh wrote it
whole — replaces the bundled one for every partner; every other month is the bundle's. A view
reads the store at one ``version``: what it reads later (a partner's chapters, a year of sector
data) must come from the same version, else :class:`Stale` says the data changed meanwhile and
the service reads a new view. Bundled vintages are numbered below zero, the store's above.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from ..errors import StoreError
from ..reference.partner_facts import WORLD
from . import bundle as bundle_module, cache, index as index_module
from .bundle import Bundle
from .index import Index
from .sector_index import PartnerSectors, SectorIndex, year_by_partner
from .store import Store


class Stale(Exception):
    """The store changed since the view was read: read a new view."""


#: The code the kept index is built by: the bundle's reader, this overlay, the index's tables.
BUILT_BY = (bundle_module.__file__, __file__, index_module.__file__)


def overlay(bundled: list[tuple], stored: list[tuple], months: set[tuple], at: int) -> list[tuple]:
    """The bundled rows whose month the store does not hold, then the stored rows; ``at`` is the
    index of the flow in a row (flow, year and month follow one another)."""
    kept = [row for row in bundled if row[at:at + 3] not in months] if months else list(bundled)
    return kept + stored


class View:
    """The effective totals (an index), trade by chapter (read on demand), vintages and names."""

    def __init__(self, store: Store, bundle: Bundle):
        self.store, self.bundle = store, bundle
        kept = None if store.memory else store.path.with_suffix(".index")
        with store.reading() as reader:
            self.version, self.exists = reader.version, reader.exists
            wanted = cache.key(store.path, cache.code_identity(*BUILT_BY), bundle.identity, self.version) if kept else None
            self.stored_vintages = reader.vintages()
            self.stored_names = reader.names()
            self.refreshes = {source: reader.meta_json(f"refresh:{source}") for source in ("api", "bulk", "sectors")}
            self.sector_months = reader.sector_months()
            tables = cache.load(kept, wanted) if kept else None
            if tables is None:
                self.rows = self._rows(reader)
        if tables is None:
            self.totals = Index(self.rows)
            if kept:
                cache.save(kept, wanted, (self.totals.monthly, self.totals.annual))
        else:
            self.totals = Index.from_tables(*tables)

    def _rows(self, reader) -> list[tuple]:
        stored = reader.observations()
        months = {row[1:4] for row in stored if row[0] == WORLD}
        return overlay(self.bundle.totals_below_zero(), stored, months, 1)

    @cached_property
    def rows(self) -> list[tuple]:
        """Every effective total as (code, flow, year, month, value, vintage)."""
        with self.store.reading() as reader:
            self._same(reader.version)
            return self._rows(reader)

    @property
    def bundled_vintages(self) -> list[dict]:
        return self.bundle.totals()[1]

    @property
    def bundled_names(self) -> dict[str, str]:
        return self.bundle.totals()[2]

    @cached_property
    def sectors(self) -> SectorIndex:
        """Trade by chapter, each partner read on first use at this view's version."""
        return SectorIndex(self.sector_rows)

    def sector_rows(self, code: str) -> list[tuple]:
        """A partner's effective chapters as (chapter, flow, year, month, value, vintage)."""
        with self.store.reading() as reader:
            self._same(reader.version)
            stored = reader.sector_rows(code)
        return overlay(self.bundle.sector_rows_below_zero(code), stored, self.sector_months, 1)

    def sector_year(self, year: int) -> dict[str, PartnerSectors]:
        """Every partner's effective chapters in ``year``."""
        with self.store.reading() as reader:
            self._same(reader.version)
            stored = reader.sector_year(year)
        rows = [(code, *row) for code in self.bundle.sector_codes() for row in self.bundle.sector_rows_below_zero(code)
                if row[2] == year and row[1:4] not in self.sector_months]
        return year_by_partner([row[:6] for row in rows + stored])

    def sector_values(self, first_year: int) -> dict[tuple, tuple[int, int]]:
        """(code, chapter, flow, year, month) → (value, vintage) of every effective value by chapter
        from ``first_year`` on (what a sector refresh compares its answer with)."""
        with self.store.reading() as reader:
            self._same(reader.version)
            stored = reader.sector_year(first_year, later=True)
        found = {(code, *row[:4]): (row[4], row[5]) for code in self.bundle.sector_codes()
                 for row in self.bundle.sector_rows_below_zero(code)
                 if row[2] >= first_year and row[1:4] not in self.sector_months}
        found.update({row[:5]: (row[5], row[6]) for row in stored})
        return found

    def history(self, code: str, year: int, sector: bool = False) -> list[dict]:
        """Replaced values of a partner and year (oldest change first)."""
        with self.store.reading() as reader:
            self._same(reader.version)
            return reader.history(code, year, sector)

    def _same(self, version: int) -> None:
        if version != self.version:
            raise Stale()

    def vintage_ids(self, key: str) -> set[int]:
        """The vintage numbers rows carry for the source ``key`` (``census_bulk``; bundled ones
        below zero)."""
        return ({-v["id"] for v in self.bundled_vintages if v.get("key") == key}
                | {v["id"] for v in self.stored_vintages if v.get("key") == key})

    @cached_property
    def vintages(self) -> list[dict]:
        """Every vintage (bundled and stored) with the years whose effective values it supplies."""
        years: dict[int, set[int]] = defaultdict(set)
        for row in self.rows:
            years[row[-1]].add(row[2])
        for code in self.bundle.sector_codes():  # (the bundled chapters no stored month replaces)
            for row in self.bundle.sector_rows_below_zero(code):
                if row[1:4] not in self.sector_months:
                    years[row[-1]].add(row[2])
        with self.store.reading() as reader:
            self._same(reader.version)
            for vintage, year in reader.sector_vintage_years():
                years[vintage].add(year)
        listed = [{**v, "id": -v["id"], "bundled": True} for v in self.bundled_vintages + self.bundle.sector_vintages()]
        listed += [{**v, "bundled": False} for v in self.stored_vintages]
        return [{**v, "years": sorted(years.get(v["id"], ()))} for v in listed]

    @property
    def names(self) -> dict[str, str]:
        """Census names: the bundled ones, and what refreshes brought."""
        return {**self.bundled_names, **self.stored_names}


def missing(store: Store) -> StoreError:
    """The sentence for a store that was there and is gone."""
    return StoreError(f"the data store {store.path} is missing (it may have been moved or deleted while "
                      f"xl_tdr ran); run the command again to rebuild it from the bundled data")
