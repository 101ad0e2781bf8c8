"""Refresh the local store from the Census: the API (with a key) or the bulk file (without).

Everything is fetched and validated first, then written in one SQLite transaction: a refresh
that fails anywhere leaves the store exactly as it was. Readers keep the old data until the
commit. Only new and revised values are written; each replaced value stays in the history.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from .. import config
from ..data.index import Index
from ..data.records import Observation, is_country
from ..data.rules import derived_targets, world_mismatches
from ..data.store import Store
from ..errors import ApiKeyError, SourceError, XlTdrError
from ..periods import parse_year
from ..reference.partner_facts import WORLD
from ..sources.census_api import FLOWS, KEY_HELP, CensusApi
from ..sources.census_bulk import CensusBulk
from ..sources.http import Http
from .sectors import SOURCE as SECTOR_SOURCE
from .sectors import SectorResult, refresh_sectors

FIRST_API_MONTH = (2013, 1)
REVISION_MONTH = 6  # Census publishes its annual revision with the April data, in June
BULK_TOLERANCE = 50_000  # half of the bulk file's $0.1 million rounding
Progress = Callable[[int, int, str], None]


@dataclass
class Revision:
    code: str
    flow: str
    year: int
    month: int
    old: int
    new: int


@dataclass
class RefreshSummary:
    """What a refresh did; ``sentence()`` is the one-line summary shown to users."""

    source: str
    requests: int = 0
    months_added: list[tuple[int, int]] = field(default_factory=list)
    values_added: int = 0
    revisions: list[Revision] = field(default_factory=list)
    latest: tuple[int, int] | None = None
    seconds: float = 0.0
    unchanged_file: bool = False
    sectors: SectorResult | None = None  # when trade by HS chapter was refreshed too

    def sentence(self) -> str:
        """E.g. ``Census data through Sep 2026: 2 months added, 14 values revised``."""
        through = date(self.latest[0], self.latest[1], 1).strftime("%b %Y") if self.latest else "—"
        if self.unchanged_file:
            return f"Census data through {through}: the bulk file has not changed since the last refresh"
        text = f"Census data through {through}: {_counts(len(self.months_added), len(self.revisions))}"
        if self.sectors is not None:
            text += f"; by HS chapter: {_counts(len(self.sectors.months_added), self.sectors.revised)}"
        return text


def _counts(months: int, revised: int) -> str:
    return f"{months:,} month{'s' * (months != 1)} added, {revised:,} value{'s' * (revised != 1)} revised"


def refresh(source: str = "auto", start: str | None = None, full: bool = False, key: str | None = None,
            sectors: bool = False,
            progress: Progress | None = None, store: Store | None = None, http: Http | None = None,
            today: date | None = None, wait: float = 0.0, on_wait: Callable[[], None] | None = None) -> RefreshSummary:
    """Bring the store up to date; see the module docstring. Returns the summary.

    With ``sectors`` (or once the store holds refreshed sector data, on every API refresh) the
    trade by HS chapter is refreshed too, in the same transaction.
    """
    began = time.perf_counter()
    store = (store or Store()).ensure()
    key = config.census_api_key(key)
    if source == "auto":
        source = "api" if key else "bulk"
    if source not in ("api", "bulk"):
        raise XlTdrError(f'unknown source "{source}" (use auto, api or bulk)')
    if sectors and source == "bulk":
        raise XlTdrError("the bulk file country.xlsx has no trade by HS chapter: --sectors needs the "
                         f"Census API and its key; {KEY_HELP.split(' (or')[0]}")
    if source == "api" and not key:
        raise ApiKeyError(f"the Census API needs a key since May 2026; {KEY_HELP}")
    if source == "api":
        check_key(key)
    http = http or Http.from_config()
    if key and key not in http.secrets:
        http.secrets.append(key)  # redacted from every URL and message
    with store.refresh_lock(wait, on_wait):
        index = Index(store.observations())
        vintage = store.next_vintage()
        today = today or date.today()
        if source == "api":
            summary, rows, names, meta = _from_api(store, index, key, http, vintage, start, full, today, progress)
        else:
            summary, rows, names, meta = _from_bulk(store, index, http, vintage, full, progress)
        if source == "api" and (sectors or store.meta("refresh:sectors")):
            summary.sectors = _sectors(store, index, rows, key, http, vintage + 1, start, full, today, progress)
            meta["refresh:sectors"] = json.dumps({"time": today.isoformat(), "vintage": vintage + 1})
        if rows or (summary.sectors and summary.sectors.rows):
            _commit(store, summary, rows, names, meta, vintage, source)
        elif meta:
            store.write([], [], {}, meta)  # nothing new: only remember when we looked
    summary.requests = http.requests_sent
    summary.latest = Index(store.observations()).latest if rows else index.latest
    summary.seconds = time.perf_counter() - began
    return summary


def check_key(key: str) -> None:
    """Refuse a key that is not 40 hexadecimal characters (describing it, never showing it)."""
    if re.fullmatch(r"[0-9a-fA-F]{40}", key):
        return
    odd = sum(1 for c in key if not (c.isascii() and c.isprintable()) or c.isspace())
    extra = f", {odd} of them invisible, a space or not ASCII" if odd else ""
    raise ApiKeyError(f"the Census API key must be 40 hexadecimal characters (0-9, a-f); the one configured "
                      f"has {len(key)} characters{extra} — paste it again from the Census e-mail")


def api_months(latest: tuple[int, int] | None, last_api_refresh: str | None, today: date, start: str | None,
               full: bool) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The month ranges to ask the API for, one request per flow and calendar year.

    ``full``: everything from 2013. ``start``: from that month on. Otherwise: the months after
    ``latest`` (the latest stored month), this calendar year's earlier months again (Census revises them
    month by month), and last year again once its June annual revision is out and the last
    API refresh predates it.
    """
    if full:
        first = FIRST_API_MONTH
    elif start:
        first = _parse_month(start)
    else:
        first = FIRST_API_MONTH if latest is None else (
            (latest[0] + 1, 1) if latest[1] == 12 else (latest[0], latest[1] + 1))
        first = min(first, (today.year, 1))  # this year's earlier months again: revisions
        revision_day = date(today.year, REVISION_MONTH, 1)
        if today >= revision_day and (last_api_refresh or "") < revision_day.isoformat():
            first = min(first, (today.year - 1, 1))  # last year again, once the annual revision is out
    return [((year, first[1] if year == first[0] else 1), (year, 12)) for year in range(first[0], today.year + 1)]


def _parse_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
        parse_year(year)
        if not 1 <= month <= 12:
            raise ValueError
    except (ValueError, XlTdrError):
        raise XlTdrError(f'"{text}" is not a month like 2024-07') from None
    return year, month


def _from_api(store, index, key, http, vintage, start, full, today, progress):
    client = CensusApi(key, config.census_api_url(), http)
    last = store.meta_json("refresh:api").get("time")
    ranges = api_months(index.latest_monthly(), last, today, start, full)
    rows, names, total, done = [], {}, len(ranges) * 2, 0
    for first, last_month in ranges:
        for flow in FLOWS:
            found, found_names = client.fetch(flow, first, last_month, vintage)
            rows += found
            names.update(found_names)
            done += 1
            if progress:
                progress(done, total, f"{'exports' if flow == 'X' else 'imports'} {first[0]}")
    _validate_api(rows, client.base_url)
    not_yet(rows, today, client.base_url)
    summary = RefreshSummary("api")
    changes = _changes(index, rows + withdrawn(index, rows, vintage), summary, tolerance=0)
    meta = {"refresh:api": json.dumps({"time": today.isoformat(), "vintage": vintage,
                                       "requests": http.requests_sent})}
    return summary, changes, names, meta


def _validate_api(rows: list[Observation], url: str) -> None:
    by_month: dict[tuple, set] = {}
    for obs in rows:
        by_month.setdefault((obs.flow, obs.year, obs.month), set()).add(obs.code)
    lacking = sorted(key for key, codes in by_month.items() if WORLD not in codes)
    if lacking:
        flow, year, month = lacking[0]
        raise SourceError(f"the Census API answer has no world total for {year}-{month:02d}: {url}", url)
    bad = world_mismatches(rows)
    if bad:
        raise SourceError(f"the Census API figures do not add up: {bad[0]}", url)


def _from_bulk(store, index, http, vintage, full, progress):
    client = CensusBulk(config.census_bulk_url(), http)
    previous = store.meta_json("refresh:bulk")
    if progress:
        progress(0, 1, "country.xlsx")
    result = client.fetch(vintage, None if full else previous.get("etag"),
                          None if full else previous.get("last_modified"))
    if progress:
        progress(1, 1, "country.xlsx")
    summary = RefreshSummary("bulk")
    if result is None:
        summary.unchanged_file = True
        return summary, [], {}, {}
    not_yet(result.observations, date.today(), client.url)
    changes = _changes(index, result.observations + withdrawn(index, result.observations, vintage), summary,
                       tolerance=BULK_TOLERANCE)
    meta = {"refresh:bulk": json.dumps({"time": date.today().isoformat(), "vintage": vintage,
                                        "etag": result.etag, "last_modified": result.last_modified})}
    return summary, changes, result.names, meta


def not_yet(rows: list, today: date, url: str) -> None:
    """Refuse figures for a month that has not ended (Census publishes a month weeks after)."""
    future = [o for o in rows if o.month and (o.year, o.month) >= (today.year, today.month)]
    if future:
        first = min((o.year, o.month) for o in future)
        raise SourceError(f"the Census answer has figures for {first[0]}-{first[1]:02d}, a month that has "
                          f"not ended yet; refusing it: {url}", url)


def withdrawn(index: Index, rows: list[Observation], vintage: int) -> list[Observation]:
    """Zeros for the stored countries a re-fetched month lacks: Census sends no row for zero, so a
    month fetched again replaces the whole month (and the countries still add up to the world)."""
    scope = {(o.flow, o.year, o.month) for o in rows if o.code == WORLD and o.month}
    present = {(o.code, o.flow, o.year, o.month) for o in rows}
    return [Observation(code, flow, year, month, 0, vintage)
            for (code, flow, year), values in index.monthly.items() if is_country(code)
            for month, value in enumerate(values, start=1)
            if value and (flow, year, month) in scope and (code, flow, year, month) not in present]


def _changes(index: Index, rows: list[Observation], summary: RefreshSummary, tolerance: int) -> list[Observation]:
    """New and revised observations (fills the summary); unchanged ones are not rewritten.

    ``tolerance`` is the rounding of one source value; a group summed from N rounded countries
    may differ from an exact total by N times that, and is not a revision within it.
    """
    members = Counter(target for code in {o.code for o in rows if is_country(o.code)}
                      for target in derived_targets(code))
    changed, months = [], set()
    for obs in rows:
        stored = index.monthly.get((obs.code, obs.flow, obs.year))
        old = stored[obs.month - 1] if stored else None
        if old is None:
            changed.append(obs)
            summary.values_added += 1
            if obs.code == WORLD and obs.month not in index.published.get((obs.flow, obs.year), set()):
                months.add((obs.year, obs.month))
        elif abs(old - obs.value) > tolerance * members.get(obs.code, 1):
            changed.append(obs)
            summary.revisions.append(Revision(obs.code, obs.flow, obs.year, obs.month, old, obs.value))
    summary.months_added = sorted(months)
    summary.revisions.sort(key=lambda r: -abs(r.new - r.old))
    return changed


def _sectors(store, index, rows, key, http, vintage, start, full, today, progress) -> SectorResult:
    """Trade by HS chapter: the bundled history first (once), then the API's news."""
    store.ensure_sectors()
    last = store.meta_json("refresh:sectors").get("time")
    return refresh_sectors(CensusApi(key, config.census_api_url(), http), store, index, rows,
                           lambda latest: api_months(latest, last, today, start, full), today,
                           bool(full or start), vintage, progress)


def _commit(store, summary, rows, names, meta, vintage, source) -> None:
    known = store.names()
    sectors = summary.sectors.rows if summary.sectors else []
    names = {**(summary.sectors.names if summary.sectors else {}), **names}
    new_names = {code: name for code, name in names.items() if name and known.get(code) != name}
    url = config.census_api_url() if source == "api" else config.census_bulk_url()
    label = ("Census International Trade API (intltrade exports/hs, imports/hs)" if source == "api"
             else "Census bulk file country.xlsx")
    note = (f"refresh: {summary.values_added} values added, {len(summary.revisions)} revised"
            + ("; $ millions to one decimal, groups derived from countries" if source == "bulk" else ""))
    retrieved = date.today().isoformat()
    vintages = [{"id": vintage, "source": label, "retrieved": retrieved, "url": url, "note": note}] if rows else []
    if sectors:
        vintages.append({"id": vintage + 1, "source": SECTOR_SOURCE, "retrieved": retrieved, "url": url,
                         "note": f"refresh by HS chapter: {summary.sectors.values_added} values added, "
                                 f"{summary.sectors.revised} revised"})
    store.write(rows, vintages, new_names, meta, sectors)
