"""Refresh trade by HS chapter from the Census API (``xl-tdr refresh --sectors``).

Imports come for every chapter at once (one request per calendar year); exports one chapter at a
time for the whole span (all chapters at once time out at the Census): the full 2013 → now
history is 14 + 97 requests. Incremental: the imports answer tells whether anything happened —
a month not published before, or a stored month revised (Census's annual revision shows there) —
and only then are the 97 exports requests made; a refresh with nothing new costs one request.
Everything is validated before anything is written: each exports answer is the chapter asked
for; no month that has not ended; a World row for every chapter and month, the countries adding
up to it; and every partner with an all-goods total in a fetched month has chapters adding up
to that total (a group missing from the answer is refused, never stored as zero).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..data.records import FLOW_WORDS, SectorObservation, is_country
from ..data.rules import sector_world_mismatches, total_mismatches
from ..errors import SourceError
from ..reference.chapter_facts import EXPORT_CHAPTERS
from ..reference.partner_facts import WORLD
from ..sources.census_api import CensusApi
from .months import Replacement, replace_months
from .plan import Plan, Range
from .totals import not_yet


@dataclass
class SectorResult:
    """What a sector refresh found: the replacement of the fetched months, and names."""

    replacement: Replacement
    names: dict[str, str]


def refresh_sectors(plan: Plan, client: CensusApi, totals: "TotalsAfter") -> SectorResult:
    """Fetch, validate and compare the trade by chapter; nothing is written here."""
    published = plan.view.sectors.publication
    ranges = plan.ranges(published.latest, plan.view.refreshes["sectors"].get("time"))
    old = plan.view.sector_values(ranges[0][0][0])
    rows, names = _imports(plan, client, ranges)
    if plan.full or plan.start or _news(rows, old):
        found, found_names = _exports(plan, client, ranges)
        rows += found
        names.update(found_names)
    elif plan.progress:
        plan.progress(1, 1, "nothing new by HS chapter")
    not_yet(rows, plan, client.base_url)
    validate(rows, totals, client.base_url)
    new = {(o.code, o.chapter, o.flow, o.year, o.month): o.value for o in rows}
    return SectorResult(replace_months(old, new, plan.vintage + 1), names)


def _imports(plan: Plan, client: CensusApi, ranges: list[Range]) -> tuple[list, dict[str, str]]:
    rows, names = [], {}
    total = len(ranges) + len(EXPORT_CHAPTERS)
    for done, (first, last) in enumerate(ranges, start=1):
        found, found_names = client.fetch_sectors("M", first, last, plan.vintage + 1)
        rows += found
        names.update(found_names)
        plan.report(done, total, f"imports by HS {first[0]}")
    return rows, names


def _exports(plan: Plan, client: CensusApi, ranges: list[Range]) -> tuple[list, dict[str, str]]:
    rows, names = [], {}
    span = ranges[0][0], ranges[-1][1]  # one request per chapter for the whole span
    for done, chapter in enumerate(EXPORT_CHAPTERS, start=len(ranges) + 1):
        found, found_names = client.fetch_sectors("X", *span, plan.vintage + 1, chapter)
        rows += found
        names.update(found_names)
        plan.report(done, len(ranges) + len(EXPORT_CHAPTERS), f"exports HS {chapter}")
    return rows, names


def _news(imports: list[SectorObservation], old: dict[tuple, tuple[int, int]]) -> bool:
    """True when the imports answer has a month not published before, or revises a stored value."""
    months = {key[2:] for key in old if key[0] == WORLD}
    return any((o.flow, o.year, o.month) not in months or old.get((o.code, o.chapter, o.flow, o.year, o.month),
                                                                     (None,))[0] not in (None, o.value)
               for o in imports)


class TotalsAfter:
    """The all-goods totals as they will be after this refresh: the refreshed months replaced."""

    def __init__(self, plan: Plan, replacement: Replacement):
        self.totals = plan.view.totals
        self.months = replacement.months
        self.replaced = {row[:4]: row[4] for row in replacement.rows}

    def value(self, code: str, flow: str, year: int, month: int) -> int | None:
        """A partner's total of one month (0 for a country without a row in a published month;
        None where there is none)."""
        if (flow, year, month) in self.months:
            found = self.replaced.get((code, flow, year, month))
        else:
            values = self.totals.monthly.get((code, flow, year))
            found = values[month - 1] if values else None
            if found is None and month not in self.totals.publication.months(flow, year):
                return None
        return 0 if found is None and is_country(code) else found

    def partners(self, flow: str, year: int, month: int) -> set[str]:
        """The partners with a total in a month."""
        if (flow, year, month) in self.months:
            return {key[0] for key in self.replaced if key[1:] == (flow, year, month)}
        return {code for (code, f, y), values in self.totals.monthly.items()
                if f == flow and y == year and values[month - 1] is not None}


def validate(rows: list[SectorObservation], totals: TotalsAfter, url: str) -> None:
    """A World row for every chapter and month, countries adding up to it, no repeats across
    answers, and every partner's chapters adding up to its total of the same month."""
    seen = set()
    for o in rows:
        key = (o.code, o.chapter, o.flow, o.year, o.month)
        if key in seen:
            raise SourceError(f"the Census API answers repeat {_partner(o.code)} {FLOW_WORDS[o.flow]} of HS "
                              f"{o.chapter} for {o.year}-{o.month:02d}: {url}", url)
        seen.add(key)
    keys = {(o.flow, o.chapter, o.year, o.month) for o in rows}
    lacking = sorted(keys - {(o.flow, o.chapter, o.year, o.month) for o in rows if o.code == WORLD})
    if lacking:
        flow, chapter, year, month = lacking[0]
        raise SourceError(f"the Census API answer has no World total of {FLOW_WORDS[flow]} for HS {chapter} "
                          f"{year}-{month:02d}: {url}", url)
    bad = sector_world_mismatches(rows)
    if bad:
        raise SourceError(f"the Census API figures by HS chapter do not add up to the World: {bad[0]}", url)
    bad = total_mismatches(rows, _totals_of(rows, totals, url), every_total=True)
    if bad:
        raise SourceError(f"the Census API figures by HS chapter do not add up to the partner's total: {bad[0]}", url)


def _totals_of(rows: list[SectorObservation], totals: TotalsAfter, url: str) -> dict[tuple, int]:
    """(code, flow, year, month) → the total the chapters must add up to, for every partner with
    a total (or rows) in a fetched month; a month without a published total is refused."""
    months = {(o.flow, o.year, o.month) for o in rows}
    codes_by_month = defaultdict(set)
    for o in rows:
        codes_by_month[(o.flow, o.year, o.month)].add(o.code)
    found = {}
    for flow, year, month in sorted(months):
        if totals.value(WORLD, flow, year, month) is None:
            raise SourceError(f"the Census answer by HS chapter has {FLOW_WORDS[flow]} for {year}-{month:02d}, "
                              f"a month whose all-goods total is not published; refusing it: {url}", url)
        for code in codes_by_month[(flow, year, month)] | totals.partners(flow, year, month):
            value = totals.value(code, flow, year, month)
            if value is not None:
                found[(code, flow, year, month)] = value
    return found


def _partner(code: str) -> str:
    return "the World" if code == WORLD else code
