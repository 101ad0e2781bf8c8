"""Tables over a service: the largest partners of a year, a partner's series, its sectors, the
registries, where the data come from. Plain rows (standard library only), so the worksheet
functions need no pandas; the Python API turns them into DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import labels, metrics, provenance
from .errors import ArgumentError, DataNotAvailable, UndefinedMetric, closest, did_you_mean, shown
from .periods import parse_period, parse_year, span_text
from .query import Query, Span
from .reference.chapters import chapters as chapter_registry
from .reference.partner_facts import CHINA, USMCA, WORLD
from .reference.partners import registry
from .service import Service, prefixed

TABLE_COLUMNS = ["rank", "code", "partner", "partner_es", "exports", "imports", "deficit",
                 "tdr", "coverage", "share", "band"]
SERIES_COLUMNS = ["partner", "partner_es", "code", "year", "exports", "imports", "deficit", "tdr", "note"]
SECTOR_COLUMNS = ["rank", "chapter", "name", "name_es", "exports", "imports", "deficit", "tdr", "gl", "share"]
CHAPTER_COLUMNS = ["chapter", "name", "name_es", "description", "aliases"]
PARTNER_COLUMNS = ["code", "name", "name_es", "census_name", "iso2", "iso3", "kind", "groups"]
SORTABLE = ["rank", "partner", "exports", "imports", "deficit", "tdr", "coverage", "share"]
#: How many rows a table shows by default, on every face.
TOP_PARTNERS, TOP_CHAPTERS = 5, 10
TREND_ALSO = (CHINA, USMCA, WORLD)  # the trend lines besides the largest partners (report and chart)


@dataclass
class Table:
    """Rows (dicts) under named columns, with facts about the whole table in ``attrs``."""

    columns: list[str]
    rows: list[dict]
    attrs: dict = field(default_factory=dict)

    def column(self, name: str) -> list:
        return [row[name] for row in self.rows]


def ratio(metric, *args) -> float | None:
    """A metric's value, or None where it is undefined (never inf or NaN)."""
    try:
        return metric(*args)
    except UndefinedMetric:
        return None


def row(svc: Service, code: str, span: Span, world: int, limits: tuple[float, ...]) -> dict:
    """One table row: names, flows and every metric for a resolved partner (``limits``: the
    reading bands' thresholds)."""
    partner = registry().by_code[code]
    x, m = svc.flows(Query(code, partner.name, span))
    tdr = ratio(metrics.tdr, x, m)
    return {"code": code, "partner": partner.name, "partner_es": partner.name_es,
            "exports": x, "imports": m, "deficit": metrics.deficit(x, m), "tdr": tdr,
            "coverage": ratio(metrics.coverage, x, m), "share": ratio(metrics.share, x + m, world),
            "band": metrics.band(tdr, limits) if tdr is not None else None}


def table(svc: Service, year: object, top: object = TOP_PARTNERS, period: object = None,
          partners: list | str | None = None, sort: str | None = None, band: str | None = None) -> Table:
    """The ``top`` countries by total trade (every country with ``top=None``), or the given
    ``partners`` (a list, or names separated by commas) by total trade; ``rank`` is a country's
    place among all countries (none for a group such as USMCA). ``sort``: a column (numbers
    largest first, names A to Z); ``band``: only the partners with that reading (its name in
    English or Spanish)."""
    wanted_band = band_key(band) if band is not None else None
    sort = sort_key(sort) if sort is not None else None
    if isinstance(partners, str):
        partners = [part.strip() for part in partners.split(",") if part.strip()]
    rows = _ranked(svc, year, whole_top(top), period, partners)
    if wanted_band:
        rows = [r for r in rows if r["band"] == wanted_band]
    if sort:
        named = sort in ("rank", "partner")
        present = [r for r in rows if r[sort] is not None]
        present.sort(key=lambda r: r[sort], reverse=not named)
        rows = present + [r for r in rows if r[sort] is None]
    return Table(TABLE_COLUMNS, rows)


def band_key(text: object) -> str:
    """The band a user names, by its name in either language (labels.BANDS)."""
    wanted = str(text).strip().lower()
    names = {name.lower(): key for words in labels.BANDS.values() for key, name in words.items()}
    names.update({key: key for key in labels.BANDS["en"]})
    if wanted in names:
        return names[wanted]
    hint = did_you_mean(closest(wanted, list(names), 1))
    raise ArgumentError(f'unknown reading "{shown(text)}"{hint} (choose from {", ".join(labels.BANDS["en"])})')


def sort_key(text: object) -> str:
    wanted = str(text).strip().lower()
    if wanted not in SORTABLE:
        raise ArgumentError(f'cannot sort by "{shown(text)}"{did_you_mean(closest(wanted, SORTABLE, 1))} '
                            f'(choose from {", ".join(SORTABLE)})')
    return wanted


def _ranked(svc: Service, year: object, top: int | None, period: object, partners: list | None) -> list[dict]:
    """The table rows before any filter or sort."""
    span = svc.span(year, period)
    world = svc.world_total(span)
    ranking = largest(svc, span, None)
    places = {code: place for place, code in enumerate(ranking, 1)}
    if partners:
        codes = list(dict.fromkeys(registry().resolve(p).code for p in partners))
    else:
        codes = ranking[:top]
    limits = svc.band_limits()  # (read once: a setting, checked, for every row)
    rows = [{"rank": places.get(code), **row(svc, code, span, world, limits)} for code in codes]
    if partners:
        rows.sort(key=lambda r: -(r["exports"] + r["imports"]))
    return rows


def whole_top(top: object) -> int | None:
    """``top`` as a count of rows: a whole number ≥ 1, or None for all."""
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, (int, float)) or top != top or top in (float("inf"), float("-inf")) \
            or int(top) != top:
        raise ArgumentError(f'top must be a whole number, not "{shown(top)}"')
    if top < 1:
        raise ArgumentError(f"top must be at least 1, not {shown(top)}")
    return int(top)


def largest(svc: Service, span: Span, top: int | None) -> list[str]:
    """Codes of the ``top`` countries (all with None) by total trade over a span."""
    totals = sorted(((x + m, code) for code, (x, m) in svc.country_flows(span).items()), key=lambda t: (-t[0], t[1]))
    return [code for _, code in totals[:top]]


def series(svc: Service, partner: object, start: object, end: object, period: object = None,
           sector: object = None) -> Table:
    """Year by year exports, imports, deficit and TDR for one partner (and sector); a year that
    cannot give the period is kept, empty, with a note saying why."""
    found = registry().resolve(partner)
    first, last = parse_year(start), parse_year(end)
    if first > last:
        raise ArgumentError(f"the series starts after it ends ({first} > {last})")
    parse_period(period)
    names = {"partner": found.name, "partner_es": found.name_es, "code": found.code}
    rows, failures = [], []
    for year in range(first, last + 1):
        query = svc.query(found.code, year, period, sector)
        try:
            x, m = svc.flows(query)
        except DataNotAvailable as exc:  # this year cannot give the period: marked, the others stand
            failures.append(exc)
            rows.append({**names, "year": year, "exports": None, "imports": None, "deficit": None, "tdr": None,
                         "note": reason(exc, query)})
            continue
        rows.append({**names, "year": year, "exports": x, "imports": m, "deficit": metrics.deficit(x, m),
                     "tdr": ratio(metrics.tdr, x, m), "note": ""})
    if len(failures) == len(rows):
        raise failures[0]
    return Table(SERIES_COLUMNS, rows, {"partner": found.name, "partner_es": found.name_es, "code": found.code})


def reason(error: DataNotAvailable, query: Query) -> str:
    """Why a year is empty, without the partner's name and without advice."""
    return str(error).removeprefix(f"{query.label}: ").split(" — ")[0]


def sectors(svc: Service, partner: object, year: object, top: object = TOP_CHAPTERS, period: object = None) -> Table:
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
    rows = [{"rank": rank, **r} for rank, r in enumerate(rows[:top], 1)]
    return Table(SECTOR_COLUMNS, rows, {"partner": query.name, "code": query.code, "year": query.span.year})


def chapters(query: str | None = None) -> Table:
    """The HS chapter registry (or the chapters matching ``query``) as a table."""
    found = chapter_registry().search(None if query is None else str(query))
    return Table(CHAPTER_COLUMNS, [{"chapter": c.code, "name": c.name, "name_es": c.name_es,
                                    "description": c.description, "aliases": ", ".join(c.aliases)} for c in found])


def partners(query: str | None = None) -> Table:
    """The registry (or the partners matching ``query``) as a table."""
    found = registry().search(query)
    return Table(PARTNER_COLUMNS, [{"code": p.code, "name": p.name, "name_es": p.name_es,
                                    "census_name": p.census_name, "iso2": p.iso2, "iso3": p.iso3,
                                    "kind": p.kind, "groups": ", ".join(p.groups)} for p in found])


def matching(found: Table, what: str, query: object) -> Table:
    """A listing, or one sentence when nothing matches the search (as every face says it)."""
    if not found.rows:
        raise ArgumentError(f'no {what} matches "{shown(query)}"')
    return found


def localized(found: Table, lang: str) -> Table:
    """A table as a face shows it in Spanish: names, readings and headings in that language
    (English keeps the API's column names)."""
    if labels.lang_of(lang) == "en":
        return found
    words = {**labels.HEADINGS["es"], "name": labels.HEADINGS["es"]["sector"]}
    spanish = {"partner": "partner_es", "name": "name_es"}
    columns = [c for c in found.columns if c not in spanish.values()]
    rows = []
    for r in found.rows:
        shown_row = {c: r[spanish[c]] if c in spanish and spanish[c] in r else r[c] for c in columns}
        if "band" in shown_row:
            shown_row["band"] = labels.band_name(shown_row["band"], "es")
        rows.append({words.get(c, c): v for c, v in shown_row.items()})
    return Table([words.get(c, c) for c in columns], rows, dict(found.attrs))


def info_rows(facts: dict, lang: str = "en") -> list[tuple[str, str]]:
    """``info`` as (label, value) lines, the same on every face."""
    words = labels.INFO[labels.lang_of(lang)]
    store = facts["store"] if facts.get("store_exists", True) else f"{facts['store']} ({words['bundled_only']})"
    rows = [(words["store"], store), (words["years"], facts["years"]),
            (words["latest_month"], facts["latest_month"] or ""),
            (words["monthly_through"], facts["monthly_through"] or ""),
            (words["sector_years"], facts["sector_years"])]
    rows += [(words["refresh"].format(source=name), when) for name, when in facts["refreshes"].items()]
    rows += [(words["source"].format(years=span_text(v["years"])), provenance.described(v, lang))
             for v in facts["vintages"] if v["years"]]
    return rows


def info(svc: Service) -> dict:
    """Store location, sources and vintages, years and latest month (totals and sectors)."""
    facts = svc.facts()
    return {"store": facts["store"], "store_exists": facts["store_exists"], "refreshes": facts["refreshes"],
            "years": span_text(facts["years"]) or "none",
            "latest_month": _month_text(facts["latest"]),
            "monthly_through": _month_text(facts["latest_monthly"]),
            "sector_years": span_text(facts["sector_years"]) or "none",
            "vintages": facts["vintages"]}


def _month_text(month: tuple[int, int] | None) -> str | None:
    return f"{month[0]}-{month[1]:02d}" if month else None
