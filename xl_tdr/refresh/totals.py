"""Refresh the totals: fetch every partner's monthly figures from the API, or the bulk file, then
validate them and say which months they replace. Nothing is written here."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from .. import config
from ..data.records import FLOW_WORDS, Observation, is_country
from ..data.rules import world_mismatches
from ..errors import SourceError
from ..reference.partner_facts import BULK_GROUPS, CURRENT_MEMBERSHIP, WORLD
from ..reference.partners import registry
from ..sources.census_api import CensusApi
from ..sources.census_bulk import CensusBulk
from ..sources.http import Http
from .months import Replacement, replace_months
from .plan import Plan

BULK_TOLERANCE = 50_000  # half of the bulk file's $0.1 million rounding


@dataclass
class Fetched:
    """What the totals' source gave: the replacement of the fetched months, the new rows as
    fetched, names, meta entries, and whether the bulk file was unchanged."""

    replacement: Replacement
    rows: list[Observation]
    names: dict[str, str]
    meta: dict[str, str]
    unchanged_file: bool = False


def from_api(plan: Plan, http: Http) -> Fetched:
    """Every partner's totals for the months the plan asks for, validated."""
    client = CensusApi(plan.key or "", config.census_api_url(), http)
    published = plan.view.totals.publication
    ranges = plan.ranges(published.latest_monthly(), plan.view.refreshes["api"].get("time"))
    rows, names, total, done = [], {}, len(ranges) * 2, 0
    for first, last in ranges:
        for flow in ("X", "M"):
            found, found_names = client.fetch(flow, first, last, plan.vintage)
            rows += found
            names.update(found_names)
            done += 1
            plan.report(done, total, f"{FLOW_WORDS[flow]} {first[0]}")
    validate(rows, client.base_url)
    not_yet(rows, plan, client.base_url)
    meta = {"refresh:api": json.dumps({"time": plan.today.isoformat(), "vintage": plan.vintage,
                                       "requests": http.requests_sent})}
    return Fetched(replace(plan, rows, 0), rows, names, meta)


def from_bulk(plan: Plan, http: Http) -> Fetched:
    """Every partner's totals in the bulk file (unless it has not changed), validated."""
    client = CensusBulk(config.census_bulk_url(), http)
    previous = plan.view.refreshes["bulk"]
    plan.report(0, 1, "country.xlsx")
    result = client.fetch(plan.vintage, None if plan.full else previous.get("etag"),
                          None if plan.full else previous.get("last_modified"))
    plan.report(1, 1, "country.xlsx")
    if result is None:
        return Fetched(Replacement(), [], {}, {}, unchanged_file=True)
    not_yet(result.observations, plan, client.url)
    meta = {"refresh:bulk": json.dumps({"time": plan.today.isoformat(), "vintage": plan.vintage,
                                        "etag": result.etag, "last_modified": result.last_modified})}
    return Fetched(replace(plan, result.observations, BULK_TOLERANCE), result.observations, result.names, meta)


def replace(plan: Plan, rows: list[Observation], rounding: int) -> Replacement:
    """The fetched months against the data before the refresh. ``rounding`` is one source
    value's; a group summed from N rounded countries may differ from an exact total by N times
    that, and is not a revision within it."""
    members = Counter(target for code in {o.code for o in rows if is_country(o.code)}
                      for target in (WORLD, *registry().memberships().get(code, ())))
    old = {row[:4]: (row[4], row[5]) for row in plan.view.rows}
    new = {tuple(o[:4]): o.value for o in rows}
    return replace_months(old, new, plan.vintage, lambda code: rounding * members.get(code, 1),
                          census_groups(plan, old) if rounding else frozenset())


def census_groups(plan: Plan, old: dict) -> frozenset:
    """The group figures Census gave that the bulk file's sums of today's members must not
    replace (membership has changed): not the file's own group rows, not earlier sums."""
    summed = CURRENT_MEMBERSHIP - BULK_GROUPS.keys()
    ours = plan.view.vintage_ids("census_bulk")
    return frozenset(key for key, (_, vintage) in old.items() if key[0] in summed and vintage not in ours)


def validate(rows: list[Observation], url: str) -> None:
    """A world row in every month, and the countries adding up to it."""
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


def not_yet(rows: list, plan: Plan, url: str) -> None:
    """Refuse figures for a month that has not ended (Census publishes a month weeks after)."""
    today = plan.today
    future = [o for o in rows if o.month and (o.year, o.month) >= (today.year, today.month)]
    if future:
        first = min((o.year, o.month) for o in future)
        raise SourceError(f"the Census answer has figures for {first[0]}-{first[1]:02d}, a month that has "
                          f"not ended yet; refusing it: {url}", url)
