"""Tables over the API: the largest partners of a year, a partner's series, the registry, info.

These return pandas DataFrames (pandas is imported here, off the scalar path).
"""

from __future__ import annotations

import json

import pandas as pd

from . import metrics
from .api import Service, service
from .errors import DataNotAvailable, UndefinedMetric, XlTdrError
from .registry import registry
from .periods import parse_period, parse_year, span_text

TABLE_COLUMNS = ["rank", "code", "partner", "partner_es", "exports", "imports", "deficit",
                 "tdr", "coverage", "share", "band"]


def _ratio(metric, x: float, m: float) -> float | None:
    try:
        return metric(x, m)
    except UndefinedMetric:
        return None


def row(svc: Service, code: str, year: int, period, months, world: int) -> dict:
    """One table row: names, flows and every metric for a resolved partner."""
    partner = registry().by_code[code]
    x, m = svc.flows_for(code, year, period, months)
    ratio = _ratio(metrics.tdr, x, m)
    return {"code": code, "partner": partner.name, "partner_es": partner.name_es,
            "exports": x, "imports": m, "deficit": metrics.deficit(x, m), "tdr": ratio,
            "coverage": _ratio(metrics.coverage, x, m), "share": _ratio(metrics.share, x + m, world),
            "band": metrics.band(ratio) if ratio is not None else None}


def table(year: object, top: int = 5, period: object = None, partners: list | None = None) -> pd.DataFrame:
    """The ``top`` countries by total trade (or the given ``partners``), ranked."""
    svc = service()
    number, parsed, months = svc.months(year, period)
    world = svc.world_total(number, parsed, months)
    if partners:
        codes = list(dict.fromkeys(registry().resolve(p).code for p in partners))
    else:
        codes = _largest(svc, number, parsed, months, int(top))
    rows = [row(svc, code, number, parsed, months, world) for code in codes]
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS[1:])
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def _largest(svc: Service, year: int, period, months, top: int) -> list[str]:
    if top < 1:
        raise XlTdrError(f"top must be at least 1, not {top}")
    totals = []
    for partner in registry().by_code.values():
        if partner.kind == "country":
            try:
                totals.append((sum(svc.flows_for(partner.code, year, period, months)), partner.code))
            except DataNotAvailable:
                continue
    return [code for _, code in sorted(totals, key=lambda t: (-t[0], t[1]))[:top]]


def series(partner: object, start: object, end: object, period: object = None) -> pd.DataFrame:
    """Year by year exports, imports, deficit and TDR for one partner."""
    svc, found = service(), registry().resolve(partner)
    first, last = parse_year(start), parse_year(end)
    if first > last:
        raise XlTdrError(f"the series starts after it ends ({first} > {last})")
    parse_period(period)
    rows = []
    for year in range(first, last + 1):
        number, parsed, months = svc.months(year, period)
        try:
            x, m = svc.flows_for(found.code, number, parsed, months)
        except XlTdrError as exc:
            raise type(exc)(f"{found.name}: {exc}") from None
        rows.append({"year": year, "exports": x, "imports": m, "deficit": metrics.deficit(x, m),
                     "tdr": _ratio(metrics.tdr, x, m)})
    frame = pd.DataFrame(rows)
    frame.attrs["partner"] = found.name
    return frame


def partners(query: str | None = None) -> pd.DataFrame:
    """The registry (or the partners matching ``query``) as a table."""
    found = registry().search(query)
    return pd.DataFrame([{"code": p.code, "name": p.name, "name_es": p.name_es,
                          "census_name": p.census_name, "iso2": p.iso2, "iso3": p.iso3,
                          "kind": p.kind, "groups": ", ".join(p.groups)} for p in found])


def info() -> dict:
    """Store location, sources and vintages, years and latest month."""
    svc = service()
    index = svc.index
    latest = index.latest
    refreshes = {}
    for source in ("api", "bulk"):
        raw = svc.store.meta(f"refresh:{source}")
        if raw:
            facts = json.loads(raw)
            refreshes[source] = f"{facts['time']} (vintage {facts['vintage']})"
    return {"store": str(svc.store.path), "refreshes": refreshes,
            "years": span_text(index.years) or "none",
            "latest_month": _month_text(latest),
            "monthly_through": _month_text(index.latest_monthly()),
            "vintages": svc.store.vintages()}


def _month_text(month: tuple[int, int] | None) -> str | None:
    return f"{month[0]}-{month[1]:02d}" if month else None
