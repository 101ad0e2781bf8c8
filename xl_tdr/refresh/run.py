"""Refresh the local store from the Census: the API (with a key) or the bulk file (without).

Everything is fetched and validated first, then written in one SQLite transaction: a refresh
that fails anywhere leaves the store exactly as it was. Readers keep the old data until the
commit. A month that changed is written whole; a month where nothing changed is not written;
each replaced value stays in the history.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from .. import config
from ..data.bundle import Bundle, bundle
from ..data.store import Batch, Store
from ..data.view import View
from ..errors import ApiKeyError, ArgumentError
from ..sources.census_api import KEY_HELP, CensusApi
from ..sources.http import Http
from .months import Replacement, Revision
from .plan import Plan, Progress, check_key, overdue, parse_month
from .sectors import SectorResult, TotalsAfter, refresh_sectors
from .totals import Fetched, from_api, from_bulk

SOURCES = {"api": "Census International Trade API (intltrade exports/hs, imports/hs)",
           "bulk": "Census bulk file country.xlsx",
           "sectors": "Census International Trade API (intltrade exports/hs, imports/hs, COMM_LVL=HS2)"}


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
    sectors: Replacement | None = None  # when trade by HS chapter was refreshed too

    def sentence(self) -> str:
        """E.g. ``Census data through Sep 2026: 2 months added, 14 values revised``."""
        through = date(self.latest[0], self.latest[1], 1).strftime("%b %Y") if self.latest else "—"
        if self.unchanged_file:
            return f"Census data through {through}: the bulk file has not changed since the last refresh"
        text = f"Census data through {through}: {_counts(len(self.months_added), len(self.revisions))}"
        if self.sectors is not None:
            text += f"; by HS chapter: {_counts(len(set(self.sectors.new_months)), len(self.sectors.revisions))}"
        return text


def _counts(months: int, revised: int) -> str:
    return f"{months:,} month{'s' * (months != 1)} added, {revised:,} value{'s' * (revised != 1)} revised"


def refresh(source: str = "auto", start: str | None = None, full: bool = False, key: str | None = None,
            sectors: bool = False, progress: Progress | None = None, store: Store | None = None,
            http: Http | None = None, today: date | None = None, wait: float = 0.0,
            on_wait: Callable[[], None] | None = None, data: Bundle | None = None) -> RefreshSummary:
    """Bring the store up to date; see the module docstring. Returns the summary.

    With ``sectors`` (or once the store holds refreshed trade by HS chapter, on every API refresh)
    the trade by chapter is refreshed too, in the same transaction.
    """
    began = time.monotonic()
    store, today = store or Store(), today or date.today()
    source, key = _source(source, key, sectors)
    first = parse_month(start, today) if start else None
    http = http or Http.from_config()
    if key and key not in http.secrets:
        http.secrets.append(key)  # redacted from every URL and message
    deadline = began + config.refresh_deadline()
    http.ends, http.ends_message = deadline, overdue()
    with store.refresh_lock(wait, on_wait):
        view = View(store, data or bundle())
        plan = Plan(source, key, view, today, first, full, _next_vintage(view), deadline, progress)
        fetched = from_api(plan, http) if source == "api" else from_bulk(plan, http)
        found = None
        if source == "api" and (sectors or view.refreshes["sectors"]):
            client = CensusApi(key or "", config.census_api_url(), http)
            found = refresh_sectors(plan, client, TotalsAfter(plan, fetched.replacement))
            fetched.meta["refresh:sectors"] = json.dumps({"time": today.isoformat(), "vintage": plan.vintage + 1})
        plan.check_deadline()
        batch = _batch(plan, fetched, found)
        if batch.meta or batch.total_months or batch.sector_months:
            store.write(batch)
    summary = _summary(source, fetched, found)
    summary.requests = http.requests_sent
    summary.latest = View(store, data or bundle()).totals.latest if summary.months_added else view.totals.latest
    summary.seconds = time.monotonic() - began
    return summary


def _source(source: str, key: str | None, sectors: bool) -> tuple[str, str | None]:
    """The source to use and its key; refuses what cannot work, before anything is fetched."""
    key = config.census_api_key(key)
    if source == "auto":
        source = "api" if key else "bulk"
    if source not in ("api", "bulk"):
        raise ArgumentError(f'unknown source "{source}" (use auto, api or bulk)')
    if sectors and source == "bulk":
        raise ArgumentError("the bulk file country.xlsx has no trade by HS chapter: --sectors needs the "
                            f"Census API and its key; {KEY_HELP.split(' (or')[0]}")
    if source == "api" and not key:
        raise ApiKeyError(f"the Census API needs a key since May 2026; {KEY_HELP}")
    if source == "api":
        check_key(key or "")
    return source, key


def _next_vintage(view: View) -> int:
    """The id of this refresh's vintage (trade by chapter takes the next one)."""
    return max((v["id"] for v in view.stored_vintages), default=0) + 1


def _batch(plan: Plan, fetched: Fetched, found: SectorResult | None) -> Batch:
    """What the store writes: the replaced months, their history, vintages, names and meta."""
    totals = fetched.replacement
    sectors = found.replacement if found else Replacement()
    retrieved = plan.today.isoformat()
    vintages = []
    if totals.months:
        note = f"refresh: {totals.added} values added, {len(totals.revisions)} revised" + (
            "; $ millions to one decimal, groups derived from countries" if plan.source == "bulk" else "")
        vintages.append({"id": plan.vintage, "source": SOURCES[plan.source], "key": f"census_{plan.source}",
                         "kind": "totals", "derived": False, "retrieved": retrieved, "url": _url(plan.source),
                         "note": note})
    if sectors.months:
        vintages.append({"id": plan.vintage + 1, "source": SOURCES["sectors"], "key": "census_api", "kind": "sectors",
                         "derived": False, "retrieved": retrieved, "url": _url("api"),
                         "note": f"refresh by HS chapter: {sectors.added} values added, {len(sectors.revisions)} revised"})
    known = plan.view.names
    names = {**(found.names if found else {}), **fetched.names}
    written = {v["id"] for v in vintages}
    return Batch(totals.months, totals.rows, sectors.months, sectors.rows, totals.history, sectors.history,
                 vintages, {code: name for code, name in names.items() if name and known.get(code) != name},
                 {name: _vintage_if_written(text, written) for name, text in fetched.meta.items()})


def _vintage_if_written(text: str, written: set[int]) -> str:
    """A refresh's meta entry, naming its vintage only when this refresh wrote one (a refresh
    that found nothing new names none: the next refresh will take that number)."""
    facts = json.loads(text)
    if isinstance(facts, dict) and facts.get("vintage") not in written:
        facts.pop("vintage", None)
    return json.dumps(facts)


def _url(source: str) -> str:
    return config.census_api_url() if source == "api" else config.census_bulk_url()


def _summary(source: str, fetched: Fetched, found: SectorResult | None) -> RefreshSummary:
    totals = fetched.replacement
    return RefreshSummary(source, months_added=sorted(set(totals.new_months)), values_added=totals.added,
                          revisions=totals.revisions, unchanged_file=fetched.unchanged_file,
                          sectors=found.replacement if found else None)
