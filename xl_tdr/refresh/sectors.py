"""Refresh trade by HS chapter from the Census API (``xl-tdr refresh --sectors``).

Imports come for every chapter at once (one request per calendar year); exports one chapter at a
time for the whole span (all chapters at once time out at the Census): the full 2013 → now
history is 14 + 97 requests. Incremental like the totals: the imports answer tells whether a new
month is out, and only then (or when last year's annual revision is due, or on ``--full`` /
``--from``) are the 97 exports requests made — a refresh with nothing new costs one request.
Everything is validated before the write: a world row for every chapter and month, the
countries adding up to it, and each partner's chapters adding up to its total of the same month.
A re-fetched month replaces the whole month: a (partner, chapter) row Census no longer sends is
zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from ..data.index import Index
from ..data.records import Observation, SectorObservation, is_country
from ..data.rules import sector_world_mismatches, total_mismatches
from ..data.sector_index import SectorIndex
from ..data.store import Store
from ..errors import SourceError
from ..reference.partner_facts import WORLD
from ..sources.census_api import CHAPTER_CODES, CensusApi

EXPORT_CHAPTERS = sorted(CHAPTER_CODES - {"99"})  # chapter 99 (special import provisions): imports only
FLOW_WORDS = {"X": "exports", "M": "imports"}
SOURCE = "Census International Trade API (intltrade exports/hs, imports/hs, COMM_LVL=HS2)"
YearMonth = tuple[int, int]


@dataclass
class SectorResult:
    """What a sector refresh found: the rows to write and what they change."""

    rows: list[SectorObservation] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    months_added: list[YearMonth] = field(default_factory=list)
    values_added: int = 0
    revised: int = 0


def latest_covered(sectors: SectorIndex) -> YearMonth | None:
    """The last month both flows are stored to (a year of annual totals counts to December)."""
    ends = []
    for year in sectors.years:
        known = [set(range(1, 13)) if (flow, year) in sectors.annual else sectors.published.get((flow, year), set())
                 for flow in ("X", "M")]
        both = known[0] & known[1]
        if both:
            ends.append((year, max(both)))
    return max(ends) if ends else None


def fetch(client: CensusApi, ranges: list[tuple[YearMonth, YearMonth]], published: set[YearMonth],
          exports_due: bool, vintage: int, progress: Callable | None) -> tuple[list, dict[str, str]]:
    """Imports for ``ranges``; exports too when a month not in ``published`` came or ``exports_due``."""
    if not ranges:
        return [], {}
    rows, names, done = [], {}, 0
    total = len(ranges) + len(EXPORT_CHAPTERS)
    for first, last in ranges:
        found, found_names = client.fetch_sectors("M", first, last, vintage)
        rows += found
        names.update(found_names)
        done += 1
        if progress:
            progress(done, total, f"imports by HS {first[0]}")
    if exports_due or {(o.year, o.month) for o in rows} - published:
        span = ranges[0][0], ranges[-1][1]  # one request per chapter for the whole span
        for chapter in EXPORT_CHAPTERS:
            found, found_names = client.fetch_sectors("X", *span, vintage, chapter)
            rows += found
            names.update(found_names)
            done += 1
            if progress:
                progress(done, total, f"exports HS {chapter}")
    elif progress:
        progress(total, total, "nothing new")
    return rows, names


def validate(rows: list[SectorObservation], totals: dict[tuple[str, str, int, int], int], url: str) -> None:
    """A world row for every chapter and month, countries adding up to it, chapters to totals."""
    keys = {(o.flow, o.chapter, o.year, o.month) for o in rows}
    worlds = {(o.flow, o.chapter, o.year, o.month) for o in rows if o.code == WORLD}
    lacking = sorted(keys - worlds)
    if lacking:
        flow, chapter, year, month = lacking[0]
        raise SourceError(f"the Census API answer has no world total of {FLOW_WORDS[flow]} for HS {chapter} "
                          f"{year}-{month:02d}: {url}", url)
    bad = sector_world_mismatches(rows)
    if bad:
        raise SourceError(f"the Census API figures by HS chapter do not add up to the world: {bad[0]}", url)
    bad = total_mismatches(rows, totals)
    if bad:
        raise SourceError(f"the Census API figures by HS chapter do not add up to the partner's total: {bad[0]}", url)


def totals_for(index: Index, new: list[Observation], rows: list[SectorObservation]) -> dict:
    """(code, flow, year, month) → the all-goods total after this refresh, for the rows' partners
    and months (a country without a row in a published month traded nothing)."""
    totals = {}
    for code, flow, year, month in {(o.code, o.flow, o.year, o.month) for o in rows}:
        values = index.monthly.get((code, flow, year))
        value = values[month - 1] if values else None
        if value is None and is_country(code) and month in index.published.get((flow, year), set()):
            value = 0
        if value is not None:
            totals[(code, flow, year, month)] = value
    totals.update({(o.code, o.flow, o.year, o.month): o.value for o in new if o.month})
    return totals


def changes(store: Store, rows: list[SectorObservation], vintage: int) -> SectorResult:
    """The rows to write: new and revised values, and zeros for rows a re-fetched month lacks."""
    result = SectorResult()
    if not rows:
        return result
    scope = {(o.flow, o.year, o.month) for o in rows}
    stored = store.sector_values(min(o.year for o in rows))
    published = {(flow, year, month) for (code, _, flow, year, month) in stored if code == WORLD}
    incoming = {(o.code, o.chapter, o.flow, o.year, o.month): o for o in rows}
    for key, obs in incoming.items():
        old = stored.get(key)
        if old is None:
            result.values_added += 1
            result.rows.append(obs)
        elif old != obs.value:
            result.revised += 1
            result.rows.append(obs)
    for key, old in stored.items():
        if key not in incoming and key[2:] in scope and old:
            result.revised += 1
            result.rows.append(SectorObservation(*key, 0, vintage))
    result.months_added = sorted({(year, month) for flow, year, month in scope - published})
    return result


def refresh_sectors(client: CensusApi, store: Store, index: Index, new_totals: list[Observation],
                    ranges_for: Callable[[YearMonth | None], list], today: date, forced: bool, vintage: int,
                    progress: Callable | None) -> SectorResult:
    """Fetch, validate and diff the sector data; nothing is written here."""
    sectors = SectorIndex(store.sector_rows)
    ranges = ranges_for(latest_covered(sectors))
    published = {(year, month) for (flow, year), months in sectors.published.items() if flow == "M"
                 for month in months}
    exports_due = forced or any(first[0] < today.year for first, _ in ranges)
    rows, names = fetch(client, ranges, published, exports_due, vintage, progress)
    validate(rows, totals_for(index, new_totals, rows), client.base_url)
    result = changes(store, rows, vintage)
    result.names = names
    return result
