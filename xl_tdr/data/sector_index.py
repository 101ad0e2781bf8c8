"""Trade by HS chapter in memory: a partner's chapters are read from the store on first use, and
read by the one publication rule of :mod:`xl_tdr.data.publication` (a month is published when the
World has a row for it in any chapter; within what a partner reports, a missing chapter is zero).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from ..query import Span
from ..reference.partner_facts import WORLD
from .publication import Publication, Reported
from .records import is_country

Row = tuple[str, str, int, int, int]  # chapter, flow, year, month, value
REFRESH_HINT = "`xl-tdr refresh --sectors` brings more"


class PartnerSectors:
    """One partner's values by chapter: 12 months per (chapter, flow, year) and annual totals."""

    def __init__(self, rows: Iterable[Row]):
        self.monthly: dict[tuple[str, str, int], list[int]] = {}
        self.annual: dict[tuple[str, str, int], int] = {}
        self.reported = Reported()
        for chapter, flow, year, month, value, *_ in rows:
            if month:
                self.monthly.setdefault((chapter, flow, year), [0] * 12)[month - 1] = value
            else:
                self.annual[(chapter, flow, year)] = value
            self.reported.add(flow, year, month)
        self.chapters = sorted({key[0] for key in (*self.monthly, *self.annual)})


def publication(world: PartnerSectors) -> Publication:
    """What is published by HS chapter, from the World's rows."""
    return Publication(world.reported, " by HS chapter", "sector data", REFRESH_HINT)


class SectorIndex:
    """Published periods (from the world rows) and partners loaded on demand by ``load(code)``."""

    def __init__(self, load: Callable[[str], list[Row]]):
        self._load = load
        self._partners: dict[str, PartnerSectors] = {}
        self.publication = publication(self.partner(WORLD))
        self.years = self.publication.years

    def partner(self, code: str) -> PartnerSectors:
        """A partner's chapters (read from the store once)."""
        found = self._partners.get(code)
        if found is None:
            found = self._partners[code] = PartnerSectors(self._load(code))
        return found

    def flows(self, code: str, chapter: str, span: Span) -> tuple[int, int]:
        """(exports, imports) of one chapter of ``code`` over ``span``."""
        return self.total(code, chapter, "X", span), self.total(code, chapter, "M", span)

    def total(self, code: str, chapter: str, flow: str, span: Span) -> int:
        """One flow of one chapter of ``code`` over ``span``."""
        sectors = self.partner(code)
        return read(sectors, chapter, flow, plan(self.publication, sectors, code, flow, span))

    def by_chapter(self, code: str, span: Span) -> dict[str, tuple[int, int]]:
        """Chapter → (exports, imports) of ``code`` over ``span``, for every chapter it trades in."""
        return by_chapter(self.publication, self.partner(code), code, span)


Plan = list[tuple[int, list[int], bool]]  # per year: its months, and whether the annual total serves


def plan(published: Publication, sectors: PartnerSectors, code: str, flow: str, span: Span) -> Plan:
    """Per year of the span: its months and whether the annual total answers for them (raises
    DataNotAvailable when they cannot be read)."""
    group = None if is_country(code) else sectors.reported
    return [(year, months, published.annual_serves(group, flow, year, months, span.annual))
            for year, months in span.by_year().items()]


def read(sectors: PartnerSectors, chapter: str, flow: str, steps: Plan) -> int:
    """One chapter's flow summed by a plan."""
    total = 0
    for year, months, annual in steps:
        if annual:
            total += sectors.annual.get((chapter, flow, year), 0)
        else:
            values = sectors.monthly.get((chapter, flow, year))
            if values:
                total += sum(values) if len(months) == 12 else sum(values[m - 1] for m in months)
    return total


def by_chapter(published: Publication, sectors: PartnerSectors, code: str, span: Span) -> dict[str, tuple[int, int]]:
    """Chapter → (exports, imports) of one partner over ``span`` (raises once when it cannot)."""
    steps = {flow: plan(published, sectors, code, flow, span) for flow in ("X", "M")}
    return {chapter: (read(sectors, chapter, "X", steps["X"]), read(sectors, chapter, "M", steps["M"]))
            for chapter in sectors.chapters}


def year_by_partner(rows: Iterable[tuple[str, str, str, int, int, int]]) -> dict[str, PartnerSectors]:
    """Rows (code, chapter, flow, year, month, value) of one year, as each partner's chapters."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for code, chapter, flow, year, month, value in rows:
        grouped[code].append((chapter, flow, year, month, value))
    return {code: PartnerSectors(found) for code, found in grouped.items()}
