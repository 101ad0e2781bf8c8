"""Trade by HS chapter in memory: a partner's chapters are read from the store on first use.

A month (or an annual total, month 0) counts as published for a flow and year when the world
has a row for it. Within what is published, a missing (partner, chapter, month) row means zero
(Census sends no row for zero) — except that a group with no row at all for a flow and year is
not available (Census gives some groups' imports but not their exports).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from ..errors import DataNotAvailable
from ..periods import span_text
from ..query import Span
from ..reference.partner_facts import WORLD
from .index import month_ranges
from .records import is_country

Rows = list[tuple[str, str, int, int, int]]  # chapter, flow, year, month, value
FLOW_WORDS = {"X": "exports", "M": "imports"}
REFRESH_HINT = "`xl-tdr refresh --sectors` brings more"


class PartnerSectors:
    """One partner's values by chapter: 12 months per (chapter, flow, year) and annual totals."""

    def __init__(self, rows: Rows):
        self.monthly: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0] * 12)
        self.annual: dict[tuple[str, str, int], int] = defaultdict(int)
        self.present: set[tuple[str, int]] = set()
        for chapter, flow, year, month, value in rows:
            if month:
                self.monthly[(chapter, flow, year)][month - 1] = value
            else:
                self.annual[(chapter, flow, year)] = value
            self.present.add((flow, year))
        self.chapters = sorted({key[0] for key in list(self.monthly) + list(self.annual)})


class SectorIndex:
    """Published periods (from the world rows) and partners loaded on demand by ``load(code)``."""

    def __init__(self, load: Callable[[str], Rows]):
        self._load = load
        self._partners: dict[str, PartnerSectors] = {}
        world = self.partner(WORLD)
        self.published: dict[tuple[str, int], set[int]] = defaultdict(set)
        self.annual: set[tuple[str, int]] = set()
        for (chapter, flow, year) in world.monthly:
            self.published[(flow, year)].update(m + 1 for m, v in enumerate(world.monthly[(chapter, flow, year)]) if v)
        for (chapter, flow, year) in world.annual:
            self.annual.add((flow, year))
        self.years = sorted({year for _, year in self.published} | {year for _, year in self.annual})

    def full_year(self, year: int, sums: list[tuple[str, str, str, int, int]]) -> dict[tuple[str, str], tuple[int, int]]:
        """(code, chapter) → full-year (exports, imports) of every partner at once, from the
        store's per-(code, chapter, flow) sums of ``year``'s months and of its annual totals —
        by the rule of :meth:`flows`: the months where all 12 are published, else the annual
        total; a group without a flow is left out. One query instead of one per partner."""
        monthly = {}
        for flow in ("X", "M"):
            monthly[flow] = len(self.published.get((flow, year), ())) == 12
            if not monthly[flow] and (flow, year) not in self.annual:
                raise DataNotAvailable(self._explain(flow, year, self.published.get((flow, year), set())))
        found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        flows: set[tuple[str, str]] = set()
        for code, chapter, flow, months, annual in sums:
            found[(code, chapter)][flow == "M"] += months if monthly[flow] else annual
            flows.add((code, flow))
        return {key: (x, m) for key, (x, m) in found.items()
                if is_country(key[0]) or {(key[0], "X"), (key[0], "M")} <= flows}

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
        return self._sum(self.partner(code), code, chapter, flow, span)

    def by_chapter(self, code: str, span: Span) -> dict[str, tuple[int, int]]:
        """Chapter → (exports, imports) of ``code`` over ``span``, for every chapter it trades in."""
        sectors = self.partner(code)
        plans = {flow: self._plan(sectors, code, flow, span) for flow in ("X", "M")}  # raises once
        return {chapter: (self._add(sectors, chapter, "X", plans["X"]), self._add(sectors, chapter, "M", plans["M"]))
                for chapter in sectors.chapters}

    def _sum(self, sectors: PartnerSectors, code: str, chapter: str, flow: str, span: Span) -> int:
        return self._add(sectors, chapter, flow, self._plan(sectors, code, flow, span))

    def _plan(self, sectors: PartnerSectors, code: str, flow: str, span: Span) -> list[tuple[int, list[int], bool]]:
        """Per year of the span: its months and whether the annual total answers for them."""
        return [(year, months, self._check(sectors, code, flow, year, months, span.annual) == "annual")
                for year, months in span.by_year().items()]

    @staticmethod
    def _add(sectors: PartnerSectors, chapter: str, flow: str, plan: list[tuple[int, list[int], bool]]) -> int:
        total = 0
        for year, months, annual in plan:
            if annual:
                total += sectors.annual.get((chapter, flow, year), 0)
            else:
                values = sectors.monthly.get((chapter, flow, year))
                if values:
                    total += sum(values) if len(months) == 12 else sum(values[m - 1] for m in months)
        return total

    def _check(self, sectors: PartnerSectors, code: str, flow: str, year: int, months: list[int],
               annual: bool) -> str:
        """"monthly" or "annual": how ``months`` of ``year`` are answered; raises when they cannot be."""
        published = self.published.get((flow, year), set())
        if all(m in published for m in months):
            how = "monthly"
        elif annual and (flow, year) in self.annual:
            how = "annual"
        else:
            raise DataNotAvailable(self._explain(flow, year, published))
        if (flow, year) not in sectors.present and not is_country(code):
            raise DataNotAvailable(f"the store has no {FLOW_WORDS[flow]} by HS chapter for this partner in {year}")
        return how

    def _explain(self, flow: str, year: int, published: set[int]) -> str:
        words = FLOW_WORDS[flow]
        if not published and (flow, year) not in self.annual:
            return f"sector data cover {span_text(self.years) or 'no years'}; {REFRESH_HINT}"
        if not published:
            return (f"{year} {words} by HS chapter are annual totals only in the store, not monthly — "
                    f"ask for the full year")
        return f"{year} {words} by HS chapter are published for months {month_ranges(sorted(published))} only"
