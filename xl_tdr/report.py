"""Build the report workbook: gather frames from the store through the API, then write them."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from . import provenance, tables
from .config import VERSION
from .data.index import Index
from .data.records import is_country
from .errors import DataNotAvailable, XlTdrError
from .periods import parse_year
from .reference.partners import registry
from .service import Service
from .workbook import ReportData, load_template, write_report

SUMMARY = ["0020", "-"]  # USMCA and World lines under the ranking
CHINA = "5700"
SECTOR_TOP = 10  # chapters of every partner on the Sector data sheet (the focus partner's table)


def build_report(output: str | Path | None = None, year: object = None, top: int = 5,
                 partners: list | str | None = None, lang: str = "en",
                 template: str | None = None, first_year: object = None,
                 all_months: bool = False, service: Service | None = None) -> Path:
    """Write the TDR report workbook and return its path.

    Args:
        output: file to write (default ``tdr_report_<year>.xlsx`` in the current folder).
        year: report year (default: the latest complete year in the store).
        top: how many of the largest partners the dashboard ranks.
        partners: names or codes (list or comma-separated) instead of the largest partners.
        lang: ``en`` or ``es`` (a template's own ``lang`` wins).
        template: a shipped template name or the path of a TOML file.
        first_year: first year of the Data sheet and the yearly tables.
        all_months: put every month of every partner on the Data sheet (a full data report).
        service: the caller's service (default: a new one over the default store).
    """
    chosen_template = load_template(template, lang)
    data = gather(service or Service(), year, top, partners, first_year, all_months)
    path = output_path(output, data.year)
    try:
        write_report(data, chosen_template, path)
    except OSError as exc:
        raise XlTdrError(f"cannot write {path}: {exc.strerror or exc}; an earlier file there is unchanged") from None
    return path


def output_path(output: str | Path | None, year: int) -> Path:
    """Where the report goes: the given file; in a given folder (an existing one, or a path
    ending with a separator), or here, as ``tdr_report_<year>.xlsx``."""
    name = f"tdr_report_{year}.xlsx"
    if output is None:
        return Path.cwd() / name
    text = str(output)
    path = Path(output)
    if path.is_dir() or text.endswith(("/", "\\")):
        return path / name
    return path


def gather(svc: Service, year: object = None, top: int = 5, partners: list | str | None = None,
           first_year: object = None, all_months: bool = False, monthly_too: list[str] = ()) -> ReportData:
    """Everything the report shows, fetched from the store through a service (``monthly_too``:
    partners whose months the Data sheet carries besides the report's own)."""
    index = svc.index
    year = parse_year(year) if year is not None else _latest_full_year(index)
    table = tables.table(svc, year, top=top, partners=partners or None)
    ranked = list(table["code"])
    ranks = {code: None if rank is pd.NA else int(rank) for code, rank in zip(table["code"], table["rank"])}
    summary = [code for code in SUMMARY if code not in ranked]  # a chosen USMCA is not shown twice
    trends = list(dict.fromkeys(ranked + [CHINA] + SUMMARY))
    start = parse_year(first_year) if first_year is not None else index.years[0]
    if start > year:
        raise XlTdrError(f"the first year {start} is after the report year {year}")
    sectors = sector_frame(svc, year, ranked + summary)
    vintages = svc.store.vintages()  # (after the sector data: the first use adds them and their vintages)
    return ReportData(
        year=year, ranked=ranked, summary=summary, trends=trends, ranks=ranks,
        annual=annual_frame(index, start, year),
        monthly=monthly_frame(index, None if all_months else list(dict.fromkeys([*trends, *monthly_too])), start, year),
        partners=tables.partners(), provenance=vintages, vintage=_vintage(vintages, year),
        recent=_recent_months(index, year), version=VERSION,
        built=time.strftime("%Y-%m-%d %H:%M"), all_months=all_months, chosen=bool(partners),
        sectors=sectors, sector_year=sectors.attrs.get("year") if sectors is not None else None,
        sector_vintage=_vintage(vintages, sectors.attrs["year"], sector=True) if sectors is not None else "",
        chapters=tables.chapters() if sectors is not None else None, sector_partners=ranked + summary)


def sector_frame(svc: Service, year: int, complete: list[str], top: int = SECTOR_TOP) -> pd.DataFrame | None:
    """Full-year trade by HS chapter in the latest sector year up to ``year``: every chapter of
    the ``complete`` partners, the ``top`` chapters of every other partner (for the focus sheet);
    ``rank`` orders a partner's chapters by total trade. None when no sector year qualifies."""
    years = [y for y in svc.sectors.years if y <= year]
    if not years:
        return None
    by_partner: dict[str, list] = {}
    for (code, chapter), (x, m) in svc.sectors.full_year(years[-1], svc.store.sector_year_sums(years[-1])).items():
        if (x or m) and code in registry().by_code:
            by_partner.setdefault(code, []).append((x + m, chapter, x, m))
    rows = []
    for code, found in sorted(by_partner.items()):
        ranked = sorted(found, key=lambda t: (-t[0], t[1]))
        keep = ranked if code in complete else ranked[:top]
        rows += [(code, chapter, years[-1], x, m, rank) for rank, (_, chapter, x, m) in enumerate(keep, 1)]
    frame = pd.DataFrame(rows, columns=["code", "chapter", "year", "exports", "imports", "rank"])
    frame.attrs["year"] = years[-1]
    return frame


def _latest_full_year(index: Index) -> int:
    full = [y for y in index.years if len(index.both_published(y)) == 12]
    if not full:
        raise DataNotAvailable("the store holds no complete year")
    return full[-1]


def _vintage(vintages: list[dict], year: int, sector: bool = False) -> str:
    """Short provenance for a source line, e.g. 'bulk file country.xlsx, retrieved 2026-10' (of
    the totals, or with ``sector`` of the trade by HS chapter)."""
    return provenance.vintage_text(provenance.covering(vintages, [year], sector))


def annual_frame(index: Index, first: int, last: int) -> pd.DataFrame:
    """Full-year exports and imports of every partner and year with complete data."""
    rows = [(code, year, x, m) for (code, year), (x, m) in index.full_year.items() if first <= year <= last]
    frame = pd.DataFrame(rows, columns=["code", "year", "exports", "imports"])
    return frame.sort_values(["code", "year"], ignore_index=True)


def monthly_frame(index: Index, codes: list[str] | None, first: int, last: int) -> pd.DataFrame:
    """Monthly exports and imports for ``codes`` (all partners when None), published months only.

    A country without a row in a published month traded nothing (0); a group without one is
    left out."""
    wanted = sorted(set(codes) if codes is not None else {code for code, _, _ in index.monthly})
    rows = []
    for year in range(first, last + 1):
        months = sorted(index.both_published(year, monthly_only=True))
        for code in wanted:
            exports, imports = index.monthly.get((code, "X", year)), index.monthly.get((code, "M", year))
            if exports is None and imports is None:
                continue
            exports, imports = exports or [None] * 12, imports or [None] * 12
            for month in months:
                x, m = exports[month - 1], imports[month - 1]
                if is_country(code) or (x is not None and m is not None):
                    rows.append((code, year, month, x or 0, m or 0))
    return pd.DataFrame(rows, columns=["code", "year", "month", "exports", "imports"])


def _recent_months(index: Index, year: int) -> list[tuple[int, int]]:
    """The last 12 months with monthly data for both flows, up to the report year."""
    months = [(y, m) for y in index.years if y <= year for m in sorted(index.both_published(y, monthly_only=True))]
    return months[-12:]
