"""Build the report workbook: gather frames from the service (one version of the data), then
write them with the template."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from . import tables
from .config import version
from .errors import ArgumentError, OutputError
from .periods import parse_year
from .reference.partner_facts import USMCA, WORLD
from .reference.partners import registry
from .service import Service
from .workbook import ReportData, load_template, write_report
from .workbook.layout import SECTOR_CHAPTERS
from .workbook.package import reason, regular_file, shown_path

SUMMARY = [USMCA, WORLD]  # the USMCA and World lines under the ranking


def build_report(output: str | Path | None = None, year: object = None, top: int = tables.TOP_PARTNERS,
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
    if output is not None:  # a place that cannot take a file is said before the work, not after
        regular_file(output_path(output, 0))
    data = gather(service or Service(), year, top, partners, first_year, all_months)
    path = output_path(output, data.year)
    try:
        write_report(data, chosen_template, path)
    except OSError as exc:
        raise OutputError(f"cannot write {shown_path(path)}: {reason(exc)}; an earlier file there is unchanged",
                          str(path)) from None
    return path


def output_path(output: str | Path | None, year: int) -> Path:
    """Where the report goes: the given file; in a given folder (an existing one, or a path
    ending with a separator), or here, as ``tdr_report_<year>.xlsx``."""
    name = f"tdr_report_{year}.xlsx"
    if output is None:
        return Path.cwd() / name
    text = str(output)
    path = Path(output)
    try:
        folder = path.is_dir()
    except OSError as exc:  # a name too long for the file system
        raise OutputError(f"cannot write {shown_path(path)}: {reason(exc)}", text) from None
    return path / name if folder or text.endswith(("/", "\\")) else path


def gather(svc: Service, year: object = None, top: int = tables.TOP_PARTNERS, partners: list | str | None = None,
           first_year: object = None, all_months: bool = False, monthly_too: list[str] = ()) -> ReportData:
    """Everything the report shows, from one version of the data (``monthly_too``: partners whose
    months the Data sheet carries besides the report's own)."""
    return svc.retrying(lambda service: _gather(service, year, top, partners, first_year, all_months, monthly_too))


def _gather(svc: Service, year: object, top: int, partners: list | str | None, first_year: object,
            all_months: bool, monthly_too: list[str]) -> ReportData:
    coverage = svc.coverage()
    year = parse_year(year) if year is not None else svc.latest_full_year()
    table = tables.table(svc, year, top=top, partners=partners or None)
    ranked = table.column("code")
    ranks = dict(zip(ranked, table.column("rank")))
    summary = [code for code in SUMMARY if code not in ranked]  # a chosen USMCA is not shown twice
    trends = list(dict.fromkeys(ranked + list(tables.TREND_ALSO)))
    start = parse_year(first_year) if first_year is not None else coverage["years"][0]
    if start > year:
        raise ArgumentError(f"the first year {start} is after the report year {year}")
    vintages = svc.vintages()
    sector_years = [y for y in coverage["sector_years"] if y <= year]
    sectors = sector_frame(svc, sector_years[-1], ranked + summary) if sector_years else None
    monthly = None if all_months else list(dict.fromkeys([*trends, *monthly_too]))
    return ReportData(
        year=year, ranked=ranked, summary=summary, trends=trends, ranks=ranks,
        annual=pd.DataFrame(svc.annual_rows(start, year), columns=["code", "year", "exports", "imports"]),
        monthly=pd.DataFrame(svc.monthly_rows(monthly, start, year),
                             columns=["code", "year", "month", "exports", "imports"]),
        partners=frame(tables.partners()), provenance=vintages,
        recent=_recent_months(svc, coverage["years"], year), version=version(),
        built=time.strftime("%Y-%m-%d %H:%M"), all_months=all_months, chosen=bool(partners),
        sectors=sectors, sector_year=sector_years[-1] if sector_years else None,
        chapters=frame(tables.chapters()) if sectors is not None else None, sector_partners=ranked + summary,
        band_limits=svc.band_limits())


def frame(found: tables.Table) -> pd.DataFrame:
    """A table as a DataFrame with its columns."""
    return pd.DataFrame(found.rows, columns=found.columns)


def sector_frame(svc: Service, year: int, complete: list[str], top: int = SECTOR_CHAPTERS) -> pd.DataFrame:
    """Full-year trade by HS chapter in ``year``: every chapter of the ``complete`` partners, the
    ``top`` chapters of every other partner (for the focus sheet); ``rank`` orders a partner's
    chapters by total trade; ``gap`` is |X − M|, for a group the sum of its members' (pooled)."""
    rows = []
    for code, chapters in sorted(svc.sector_year(year).items()):
        if code not in registry().by_code:
            continue
        ranked = sorted(((x + m, chapter, x, m, gap) for chapter, (x, m, gap) in chapters.items() if x or m),
                        key=lambda t: (-t[0], t[1]))
        keep = ranked if code in complete else ranked[:top]
        rows += [(code, chapter, year, x, m, gap, rank) for rank, (_, chapter, x, m, gap) in enumerate(keep, 1)]
    found = pd.DataFrame(rows, columns=["code", "chapter", "year", "exports", "imports", "gap", "rank"])
    found.attrs["year"] = year
    return found


def _recent_months(svc: Service, years: list[int], year: int) -> list[tuple[int, int]]:
    """The last 12 months with monthly data for both flows, up to the report year."""
    months = [(y, m) for y in years if y <= year for m in svc.monthly_months(y)]
    return months[-12:]
