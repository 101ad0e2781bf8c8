"""Tables over a service: the largest partners of a year, a partner's series, its sectors, the
registries, info. These return pandas DataFrames (pandas is imported here, off the scalar path).
"""

from __future__ import annotations

import pandas as pd

from . import labels, metrics
from .errors import DataNotAvailable, UndefinedMetric, XlTdrError, shown
from .periods import parse_period, parse_year, span_text
from .query import Query, Span
from .reference.chapters import chapters as chapter_registry
from .reference.partners import registry
from .service import Service, prefixed

TABLE_COLUMNS = ["rank", "code", "partner", "partner_es", "exports", "imports", "deficit",
                 "tdr", "coverage", "share", "band"]
SECTOR_COLUMNS = ["rank", "chapter", "name", "name_es", "exports", "imports", "deficit", "tdr", "gl", "share"]


def ratio(metric, *args) -> float | None:
    """A metric's value, or None where it is undefined (never inf or NaN)."""
    try:
        return metric(*args)
    except UndefinedMetric:
        return None


def row(svc: Service, code: str, span: Span, world: int) -> dict:
    """One table row: names, flows and every metric for a resolved partner."""
    partner = registry().by_code[code]
    x, m = svc.flows(Query(code, partner.name, span))
    tdr = ratio(metrics.tdr, x, m)
    return {"code": code, "partner": partner.name, "partner_es": partner.name_es,
            "exports": x, "imports": m, "deficit": metrics.deficit(x, m), "tdr": tdr,
            "coverage": ratio(metrics.coverage, x, m), "share": ratio(metrics.share, x + m, world),
            "band": metrics.band(tdr) if tdr is not None else None}


SORTABLE = ["rank", "partner", "exports", "imports", "deficit", "tdr", "coverage", "share"]


def table(svc: Service, year: object, top: int | None = 5, period: object = None,
          partners: list | str | None = None, sort: str | None = None, band: str | None = None) -> pd.DataFrame:
    """The ``top`` countries by total trade (every country with ``top=None``), or the given
    ``partners`` (a list, or names separated by commas) by total trade; ``rank`` is a country's place among all countries (none for a
    group such as USMCA). ``sort``: a column (numbers largest first, names A to Z); ``band``: only
    the partners with that reading (its name in English or Spanish)."""
    wanted_band = band_key(band) if band is not None else None
    sort = sort_key(sort) if sort is not None else None
    if isinstance(partners, str):
        partners = [part.strip() for part in partners.split(",") if part.strip()]
    frame = _ranked(svc, year, top, period, partners)
    if wanted_band:
        frame = frame[frame["band"] == wanted_band]
    if sort:
        frame = frame.sort_values(sort, ascending=sort in ("rank", "partner"), kind="stable", na_position="last")
    return frame.reset_index(drop=True)


def band_key(text: object) -> str:
    """The band a user names, by its name in either language (labels.BANDS)."""
    wanted = str(text).strip().lower()
    for names in labels.BANDS.values():
        for key, name in names.items():
            if wanted in (key, name.lower()):
                return key
    raise XlTdrError(f'unknown reading "{shown(text)}" (choose from {", ".join(labels.BANDS["en"])})')


def sort_key(text: object) -> str:
    wanted = str(text).strip().lower()
    if wanted not in SORTABLE:
        raise XlTdrError(f'cannot sort by "{shown(text)}" (choose from {", ".join(SORTABLE)})')
    return wanted


def _ranked(svc: Service, year: object, top: int | None, period: object, partners: list | None) -> pd.DataFrame:
    """The table rows before any filter or sort."""
    span = svc.span(year, period)
    world = svc.world_total(span)
    if partners:
        codes = list(dict.fromkeys(registry().resolve(p).code for p in partners))
        places = {code: place for place, code in enumerate(largest(svc, span, None), 1)}
    else:
        codes = largest(svc, span, whole_top(top))
        places = {code: place for place, code in enumerate(codes, 1)}
    frame = pd.DataFrame([row(svc, code, span, world) for code in codes], columns=TABLE_COLUMNS[1:])
    frame.insert(0, "rank", pd.array([places.get(code) for code in codes], dtype="Int64"))
    if partners:
        total = frame["exports"] + frame["imports"]
        frame = frame.iloc[total.sort_values(ascending=False, kind="stable").index].reset_index(drop=True)
    return frame


def whole_top(top: object) -> int | None:
    """``top`` as a count of rows: a whole number ≥ 1, or None for all."""
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, (int, float)) or top != top or top in (float("inf"), float("-inf")) \
            or int(top) != top:
        raise XlTdrError(f'top must be a whole number, not "{top}"')
    if top < 1:
        raise XlTdrError(f"top must be at least 1, not {top}")
    return int(top)


def largest(svc: Service, span: Span, top: int | None) -> list[str]:
    """Codes of the ``top`` countries (all with None) by total trade over a span."""
    totals = []
    for partner in registry().by_code.values():
        if partner.kind == "country":
            try:
                totals.append((sum(svc.index.flows(partner.code, span)), partner.code))
            except DataNotAvailable:
                continue
    return [code for _, code in sorted(totals, key=lambda t: (-t[0], t[1]))[:top]]


def series(svc: Service, partner: object, start: object, end: object, period: object = None,
           sector: object = None) -> pd.DataFrame:
    """Year by year exports, imports, deficit and TDR for one partner (and sector)."""
    found = registry().resolve(partner)
    first, last = parse_year(start), parse_year(end)
    if first > last:
        raise XlTdrError(f"the series starts after it ends ({first} > {last})")
    parse_period(period)
    rows, failures = [], []
    for year in range(first, last + 1):
        query = svc.query(found.code, year, period, sector)
        try:
            x, m = svc.flows(query)
        except DataNotAvailable as exc:  # this year cannot give the period: marked, the others stand
            failures.append(exc)
            note = str(exc).removeprefix(f"{query.label}: ").split(" — ")[0]  # the reason, without advice
            rows.append({"year": year, "exports": None, "imports": None, "deficit": None, "tdr": None,
                         "note": note})
            continue
        rows.append({"year": year, "exports": x, "imports": m, "deficit": metrics.deficit(x, m),
                     "tdr": ratio(metrics.tdr, x, m), "note": ""})
    if len(failures) == len(rows):
        raise failures[0]
    frame = pd.DataFrame(rows, columns=["year", "exports", "imports", "deficit", "tdr", "note"])
    for column in ("exports", "imports", "deficit"):
        frame[column] = frame[column].astype("Int64")
    frame.insert(0, "partner", found.name)
    frame.insert(1, "partner_es", found.name_es)
    frame.insert(2, "code", found.code)
    frame.attrs["partner"] = found.name
    return frame


def sectors(svc: Service, partner: object, year: object, top: int | None = 10,
            period: object = None) -> pd.DataFrame:
    """A partner's HS chapters ranked by total trade, with TDR, Grubel–Lloyd and share."""
    top = whole_top(top)
    query = svc.query(partner, year, period)
    flows = svc.by_chapter(query)
    trade = sum(x + m for x, m in flows.values())
    if not trade:
        raise prefixed(DataNotAvailable(f"no trade by HS chapter in {query.span.year}"), query.name)
    names = chapter_registry().by_code
    rows = [{"chapter": code, "name": names[code].name, "name_es": names[code].name_es,
             "exports": x, "imports": m, "deficit": metrics.deficit(x, m),
             "tdr": ratio(metrics.tdr, x, m), "gl": ratio(metrics.grubel_lloyd, [(x, m)]),
             "share": (x + m) / trade}
            for code, (x, m) in flows.items() if x or m]
    rows.sort(key=lambda r: (-(r["exports"] + r["imports"]), r["chapter"]))
    frame = pd.DataFrame(rows[:top], columns=SECTOR_COLUMNS[1:])
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame.attrs.update(partner=query.name, code=query.code, year=query.span.year)
    return frame


def chapters(query: str | None = None) -> pd.DataFrame:
    """The HS chapter registry (or the chapters matching ``query``) as a table."""
    found = chapter_registry().search(None if query is None else str(query))
    return pd.DataFrame([{"chapter": c.code, "name": c.name, "name_es": c.name_es,
                          "description": c.description, "aliases": ", ".join(c.aliases)} for c in found],
                        columns=["chapter", "name", "name_es", "description", "aliases"])


def partners(query: str | None = None) -> pd.DataFrame:
    """The registry (or the partners matching ``query``) as a table."""
    found = registry().search(query)
    return pd.DataFrame([{"code": p.code, "name": p.name, "name_es": p.name_es,
                          "census_name": p.census_name, "iso2": p.iso2, "iso3": p.iso3,
                          "kind": p.kind, "groups": ", ".join(p.groups)} for p in found])


def localized(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table as a face shows it in Spanish: names, readings and headings in that language
    (English keeps the API's column names)."""
    if labels.lang_of(lang) == "en":
        return frame
    view = frame.copy()
    for english, spanish in (("partner", "partner_es"), ("name", "name_es")):
        if spanish in view:
            view[english] = view.pop(spanish)
    if "band" in view:
        view["band"] = [labels.band_name(b if isinstance(b, str) else None, "es") for b in view["band"]]
    words = {**labels.HEADINGS["es"], "name": labels.HEADINGS["es"]["sector"]}
    return view.rename(columns={c: words[c] for c in view.columns if c in words})


def info_rows(facts: dict, lang: str = "en") -> list[tuple[str, str]]:
    """``info`` as (label, value) lines, the same on every face."""
    words = labels.INFO[labels.lang_of(lang)]
    rows = [(words["store"], facts["store"]), (words["years"], facts["years"]),
            (words["latest_month"], facts["latest_month"] or ""),
            (words["monthly_through"], facts["monthly_through"] or ""),
            (words["sector_years"], facts["sector_years"])]
    rows += [(words["refresh"].format(source=name), when) for name, when in facts["refreshes"].items()]
    rows += [(words["source"].format(years=span_text(v["years"])), f"{v['source']}, {words['retrieved']} {v['retrieved']}")
             for v in facts["vintages"] if v["years"]]
    return rows


def info(svc: Service) -> dict:
    """Store location, sources and vintages, years and latest month (totals and sectors)."""
    index = svc.index
    refreshes = {}
    for source in ("api", "bulk", "sectors"):
        facts = svc.store.meta_json(f"refresh:{source}")
        if facts:
            refreshes[source] = f"{facts.get('time')} (vintage {facts.get('vintage')})"
    return {"store": str(svc.store.path), "refreshes": refreshes,
            "years": span_text(index.years) or "none",
            "latest_month": _month_text(index.latest),
            "monthly_through": _month_text(index.latest_monthly()),
            "sector_years": span_text(svc.sectors.years) or "none",
            "vintages": svc.store.vintages()}


def _month_text(month: tuple[int, int] | None) -> str | None:
    return f"{month[0]}-{month[1]:02d}" if month else None
