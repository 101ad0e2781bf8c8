"""The commands of ``xl-tdr``: each one a handler with its options next to it.

A handler receives the parsed arguments and a :class:`~xl_tdr.service.Service`, prints, and
returns the exit status when it is not 0. Modules beyond the standard library (pandas for no
command, openpyxl for ``build``, the HTTP stack for ``refresh``) are imported by the handlers
that need them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import metrics, tables
from ..service import Service
from . import show

PARTNER = 'a partner: name (English or Spanish), ISO code or Census code, e.g. "Mexico", MX, 2010, USMCA, World'
YEAR = "a calendar year, e.g. 2025 (data start in 2013)"
SECTOR_YEAR = "calendar year with sector data, e.g. 2024"


@dataclass(frozen=True)
class Command:
    """A subcommand: its name and help, how its options are declared, and its handler."""

    name: str
    help: str
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Service], int | None]


COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, options: Callable[[argparse.ArgumentParser], None]) -> Callable:
    """Register a handler as the subcommand ``name``."""
    def register(handler: Callable[[argparse.Namespace, Service], int | None]) -> Callable:
        COMMANDS[name] = Command(name, help_text, options, handler)
        return handler

    return register


# -- shared options ---------------------------------------------------------------------------
def partner_year(p: argparse.ArgumentParser, year_help: str = YEAR) -> None:
    p.add_argument("partner", help=PARTNER)
    p.add_argument("year", help=year_help)


def period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", "-p", help="month 1-12 or its name (jan, enero…), Q1-Q4 (T1-T4), H1/H2 (S1/S2), "
                   "YTD, R12 or a range like 1-11 (default: the full year)")


def sector(p: argparse.ArgumentParser, default: str = "all goods") -> None:
    p.add_argument("--sector", "-s", help=f"an HS chapter: 87, HS87 or a name such as vehicles, oil, machinery "
                   f"(default: {default}; see `xl-tdr chapters`)")


def output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=["en", "es"], default="en",
                   help="language of names, readings and headings, also in CSV and JSON (default en)")
    p.add_argument("--format", "-f", choices=show.FORMATS, default="text",
                   help="text (default), csv or json (numbers in dollars, unrounded)")


def _notice(query: object) -> None:
    """Say on stderr which partner a loose match used (``Korea → South Korea (5800)``)."""
    from ..reference.partners import normalise, registry

    partner = registry().resolve(query)
    text = str(query).strip()
    if text not in (partner.code, partner.iso2, partner.iso3) and \
            normalise(text) not in (normalise(partner.name), normalise(partner.name_es)):
        print(f"{text} → {partner.name} ({partner.code})", file=sys.stderr)


# -- numbers -----------------------------------------------------------------------------------
@command("tdr", "print the TDR of a partner and year", lambda p: (partner_year(p), period(p), sector(p)))
def tdr(args: argparse.Namespace, svc: Service) -> None:
    print(repr(svc.scalar(metrics.tdr, args.partner, args.year, args.period, args.sector)))
    _notice(args.partner)


def _gl_options(p: argparse.ArgumentParser) -> None:
    partner_year(p, SECTOR_YEAR)
    period(p)
    sector(p, "all chapters, trade-weighted")
    p.add_argument("--adjusted", action="store_true", help="adjust for the partner's overall imbalance")
    p.add_argument("--bloc", action="store_true", help="for a group: its own flows, netted across its members "
                   "(default: the members' flows pooled, the literature's aggregate index)")


@command("gl", "the Grubel–Lloyd index of two-way trade (all HS chapters, or one)", _gl_options)
def gl(args: argparse.Namespace, svc: Service) -> None:
    print(repr(svc.scalar(metrics.gl_metric(args.adjusted, args.bloc), args.partner, args.year, args.period,
                          args.sector)))
    _notice(args.partner)


# -- tables ------------------------------------------------------------------------------------
def _table_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", help=YEAR)
    p.add_argument("--top", "-n", type=int, help=f"how many of the largest partners (default {tables.TOP_PARTNERS}; "
                   "all with --band)")
    p.add_argument("--partners", help='these partners instead, e.g. "USMCA,China,EU"; rank is their place '
                   "among all countries")
    p.add_argument("--sort", help=f"sort by {', '.join(tables.SORTABLE)} (numbers largest first)")
    p.add_argument("--band", help="only partners with this reading: surplus, balanced, moderate, "
                   '"high dependency" (or in Spanish)')
    period(p)
    output(p)


@command("table", "the largest partners by total trade (or chosen ones), with TDR", _table_options)
def table(args: argparse.Namespace, svc: Service) -> None:
    top = args.top if args.top is not None else (None if args.band else tables.TOP_PARTNERS)
    found = tables.table(svc, args.year, top=top, period=args.period, partners=args.partners, sort=args.sort,
                         band=args.band)
    if not found.rows and args.format == "text":
        print(f"no partner reads {args.band} here" + (f" (of the {top} largest; try without --top)" if top else ""))
        return
    view = show.partners_table(found, args.lang) if args.format == "text" else tables.localized(found, args.lang)
    show.emit(view, args.format)


def _series_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("partner", help=PARTNER)
    p.add_argument("start", help="the first year, e.g. 2013")
    p.add_argument("end", help="the last year, e.g. 2025")
    period(p)
    sector(p)
    output(p)


@command("series", "a partner's exports, imports and TDR year by year", _series_options)
def series(args: argparse.Namespace, svc: Service) -> None:
    found = tables.series(svc, args.partner, args.start, args.end, args.period, args.sector)
    _notice(args.partner)
    if args.format == "text":
        print(found.attrs["partner_es" if args.lang == "es" else "partner"])
        show.emit(show.series_table(found, args.lang), "text")
    else:
        show.emit(tables.localized(found, args.lang), args.format)


def _sectors_options(p: argparse.ArgumentParser) -> None:
    partner_year(p, SECTOR_YEAR)
    p.add_argument("--top", "-n", type=int, default=tables.TOP_CHAPTERS,
                   help=f"how many chapters (default {tables.TOP_CHAPTERS}; 0 for all)")
    period(p)
    output(p)


@command("sectors", "a partner's HS chapters ranked by total trade, with TDR and GL", _sectors_options)
def sectors(args: argparse.Namespace, svc: Service) -> None:
    from ..reference.partners import registry

    found = tables.sectors(svc, args.partner, args.year, args.top or None, args.period)
    if args.format == "text":
        print(f"{registry().by_code[found.attrs['code']].display(args.lang)}, {found.attrs['year']}")
        show.emit(show.sector_table(found, args.lang), "text")
    else:
        show.emit(tables.localized(show.sector_records(found, args.lang), args.lang), args.format)


@command("chapters", "list HS chapters (codes, names in English and Spanish, aliases)",
         lambda p: p.add_argument("query", nargs="?", help="a code or part of a name, e.g. 87 or vehic"))
def chapters(args: argparse.Namespace, svc: Service) -> None:
    found = tables.matching(tables.chapters(args.query), "HS chapter", args.query)
    show.emit(tables.Table([c for c in found.columns if c != "description"], found.rows), "text")


@command("partners", "list partners (codes, names, ISO codes)",
         lambda p: p.add_argument("query", nargs="?", help="part of a name or code, e.g. korea"))
def partners(args: argparse.Namespace, svc: Service) -> None:
    show.emit(tables.matching(tables.partners(args.query), "partner", args.query), "text")


@command("info", "where the data come from and how recent they are", lambda p: None)
def info(args: argparse.Namespace, svc: Service) -> None:
    rows = tables.info_rows(tables.info(svc))
    width = max(len(label) for label, _ in rows) + 2
    print("\n".join(f"{label + ':':<{width}}{value}" for label, value in rows))


def _chart_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", nargs="?", default="exhibit", choices=["exhibit", "trend", "gl", "sector"],
                   help="exhibit (default): deficit and exports with the TDR; trend: TDR by year; gl: "
                        "Grubel-Lloyd by partner; sector: a partner's HS chapters")
    p.add_argument("-o", "--output", help="the image to write; its extension (.png, .svg, .pdf) is the format "
                   "(default: tdr_<kind>.png here)")
    p.add_argument("--partners", help='partners, e.g. "Mexico,Canada,China" (sector: one partner); default: '
                   "the largest")
    p.add_argument("--top", "-n", type=int, help="how many of the largest partners (exhibit 5, gl 10) or "
                   "chapters (sector 10)")
    p.add_argument("--year", help="the year (default: the latest complete one; gl and sector: the latest "
                   "with trade by HS chapter; trend: the last year)")
    p.add_argument("--from", dest="start", help="trend: the first year (default: the first year of data)")
    p.add_argument("--to", dest="end", help="trend: the last year (default: --year or the latest)")
    period(p)
    p.add_argument("--sector", "-s", help="sector: an HS chapter to mark and always show, e.g. 87 or vehicles")
    p.add_argument("--lang", choices=["en", "es"], default="en", help="language of every word (default en)")
    p.add_argument("--guide", action="store_true", help="exhibit: shade the surplus zone and draw the TDR's "
                   "reading lines at 0.50 and 1.00")
    p.add_argument("--size", choices=["web", "social", "print"], default="web",
                   help="web (1200 x 800 px, default), social (1080 px square) or print (16 x 10 cm)")
    p.add_argument("--width", help="width in pixels (1600) or a length (6in, 16cm, 90mm), replacing the size's")
    p.add_argument("--height", help="height in pixels or a length, replacing the size's")
    p.add_argument("--scale", type=float, default=1.0, help="PNG: pixels per point times this (2 for "
                   "high-density screens; default 1)")


@command("chart", "write a chart image (PNG, SVG, PDF): the TDR exhibit, a trend, GL or a partner's sectors, "
                  "with title, source and vintage inside (needs xl-tdr[charts])", _chart_options)
def chart(args: argparse.Namespace, svc: Service) -> None:
    from ..images import chart as draw

    out = args.output or f"tdr_{args.kind}.png"
    draw(args.kind, partners=args.partners, top=args.top, year=args.year, period=args.period,
         sector=args.sector, start=args.start, end=args.end, lang=args.lang, guide=args.guide,
         size=args.size, width=args.width, height=args.height, out=out, scale=args.scale, service=svc)
    print(f"wrote {out}")


# -- the data ----------------------------------------------------------------------------------
def _revisions_options(p: argparse.ArgumentParser) -> None:
    partner_year(p)
    sector(p, "the totals")


@command("revisions", "values of a partner and year that changed between vintages", _revisions_options)
def revisions(args: argparse.Namespace, svc: Service) -> None:
    query = svc.query(args.partner, args.year, None, args.sector)
    rows = svc.revisions(query)
    if not rows:
        print(f"no revisions of {query.label} {query.span.year} in the store")
        return
    for row in rows:
        flow = "exports" if row["flow"] == "X" else "imports"
        when = f"{query.span.year}-{row['month']:02d}" if row["month"] else str(query.span.year)
        chapter = f" HS {row['chapter']}" if row.get("chapter") else ""
        old, new = row["old_source"], row["new_source"]
        print(f"{when}{chapter} {flow}: {row['old']:,} ({old.get('source', '?')}, {old.get('retrieved', '?')}) → "
              f"{row['current']:,} ({new.get('source', '?')}, {new.get('retrieved', '?')})")


def _refresh_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", choices=["auto", "api", "bulk"], default="auto",
                   help="auto (default): the API when a key is configured, else the bulk file")
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="API: ask again from this month on")
    p.add_argument("--full", action="store_true", help="fetch the whole history again (API from 2013)")
    p.add_argument("--key", help="Census API key (default: CENSUS_API_KEY or config.toml)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the one-line summary")
    p.add_argument("--verbose", "-v", action="store_true", help="also print the requests and every revision")
    p.add_argument("--sectors", action="store_true", help="also fetch trade by HS chapter (API only; once the "
                   "store has refreshed sector data, a plain refresh keeps them current)")


@command("refresh", "update the local data from the Census (API with a key, else bulk file)", _refresh_options)
def refresh(args: argparse.Namespace, svc: Service) -> None:
    from .progress import progress_bar, revision_lines

    tty = sys.stderr.isatty() and not args.quiet
    summary = svc.refresh(source=args.source, start=args.start, full=args.full, key=args.key,
                          sectors=args.sectors, progress=progress_bar() if tty else None, wait=600,
                          on_wait=lambda: print("waiting for another refresh to finish…", file=sys.stderr))
    print(summary.sentence())
    if args.quiet:
        return
    print(f"source: {summary.source}; {summary.values_added:,} values added; took {summary.seconds:.1f} s")
    if args.verbose:
        print(f"requests: {summary.requests}")
    print("\n".join(revision_lines(summary, args.verbose)))


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", help="file or folder to write (default: tdr_report_<year>.xlsx here; "
                   "a folder, or a path ending with /, gets that name inside)")
    p.add_argument("--year", help="report year (default: the latest complete year)")
    p.add_argument("--top", "-n", type=int, default=tables.TOP_PARTNERS,
                   help=f"how many of the largest partners (default {tables.TOP_PARTNERS})")
    p.add_argument("--partners", help='partners instead of the largest, e.g. "Mexico,Canada,China"')
    p.add_argument("--lang", choices=["en", "es"], default="en", help="language of the report (default en)")
    p.add_argument("--template", help="a shipped template (en, es) or the path of a .toml copy")
    p.add_argument("--from", dest="first_year", help="first year of the data and yearly tables")
    p.add_argument("--all-months", action="store_true", help="put every month of every partner on the Data sheet")


@command("build", "build the formatted TDR report workbook (.xlsx)", _build_options)
def build(args: argparse.Namespace, svc: Service) -> None:
    import time

    from ..periods import parse_year
    from ..report import build_report

    start = time.perf_counter()
    print("building the report…", file=sys.stderr, flush=True)
    path = build_report(args.output, year=parse_year(args.year) if args.year else None, top=args.top,
                        partners=args.partners, lang=args.lang, template=args.template,
                        first_year=parse_year(args.first_year) if args.first_year else None,
                        all_months=args.all_months, service=svc)
    print(f"wrote {path} in {time.perf_counter() - start:.1f} s")


# -- the add-in and the maintainers ------------------------------------------------------------
def _addin_options(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = actions.add_parser("build", help="build xl_tdr.xlam from the installed xlwings' ribbon template")
    b.add_argument("-o", "--out", type=Path, default=Path("."), help="output folder (default: here)")
    actions.add_parser("install", help="build the add-in and install it into Excel (Windows)")


@command("addin", "the Excel add-in (xl_tdr.xlam): build or install it", _addin_options)
def addin(args: argparse.Namespace, svc: Service) -> None:
    from ..addin.build import build_addin, install_addin

    print(f"wrote {build_addin(args.out)}" if args.action == "build" else "\n".join(install_addin()))


@command("doctor", "check the setup (Python, xlwings, the add-in, its config file, the store, the Census key) "
                   "and say how to fix what fails; exit 1 when something blocks", lambda p: None)
def doctor(args: argparse.Namespace, svc: Service) -> int:
    from ..addin import doctor as checks

    found = checks.run()
    print(checks.report(found))
    return 1 if checks.blocking(found) else 0


def _snapshot_options(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = actions.add_parser("build", help="build the snapshot from Census files")
    b.add_argument("--from", dest="source", required=True, type=Path,
                   help="folder with the Census API monthly CSVs and the 2025 annual CSV")
    b.add_argument("--out", type=Path, help="output folder (default: the package's _bundled/)")


@command("snapshot", "maintainer: rebuild the bundled snapshot", _snapshot_options)
def snapshot(args: argparse.Namespace, svc: Service) -> None:
    from .. import snapshot as builder

    summary = builder.build(args.source, *([args.out] if args.out else []))
    print(f"snapshot: {summary['observations']:,} values, {summary['partners']} partners, {summary['bytes']:,} bytes")
