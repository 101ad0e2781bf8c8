"""The ``xl-tdr`` command: a thin face over the Python API.

Every user error prints ``error: <one sentence>`` on stderr and exits 1.
"""

from __future__ import annotations

import argparse
import codecs
import json
import sys
import unicodedata
from pathlib import Path

from .errors import XlTdrError, shown

PARTNER_HELP = 'a partner: name (English or Spanish), ISO code or Census code, e.g. "Mexico", MX, 2010, USMCA, World'
YEAR_HELP = "a calendar year, e.g. 2025 (data start in 2013)"
FORMATS = ["text", "csv", "json"]


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["en", "es"], default="en",
                        help="language of names, readings and headings, also in CSV and JSON (default en)")
    parser.add_argument("--format", "-f", choices=FORMATS, default="text",
                        help="text (default), csv or json (numbers in dollars, unrounded)")


def _add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", "-p", help="month 1-12, Q1-Q4, H1, H2, YTD, R12 or a range like 1-11 "
                        "(default: the full year)")


def _add_sector(parser: argparse.ArgumentParser, help_text: str = "all goods") -> None:
    parser.add_argument("--sector", "-s", help=f'an HS chapter: 87, HS87 or a name such as vehicles, oil, '
                        f'machinery (default: {help_text}; see `xl-tdr chapters`)')


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="xl-tdr", description="Trade Deficit Ratio (TDR) of U.S. "
                                     "goods trade by partner, from U.S. Census Bureau data.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("tdr", help="print the TDR of a partner and year")
    p.add_argument("partner", help=PARTNER_HELP)
    p.add_argument("year", help=YEAR_HELP)
    _add_period(p)
    _add_sector(p)

    p = sub.add_parser("gl", help="the Grubel–Lloyd index of two-way trade (all HS chapters, or one)")
    p.add_argument("partner", help=PARTNER_HELP)
    p.add_argument("year", help="calendar year with sector data, e.g. 2024")
    _add_period(p)
    _add_sector(p, "all chapters, trade-weighted")
    p.add_argument("--adjusted", action="store_true", help="adjust for the partner's overall imbalance")

    p = sub.add_parser("sectors", help="a partner's HS chapters ranked by total trade, with TDR and GL")
    p.add_argument("partner", help=PARTNER_HELP)
    p.add_argument("year", help="calendar year with sector data, e.g. 2024")
    p.add_argument("--top", "-n", type=int, default=10, help="how many chapters (default 10; 0 for all)")
    _add_period(p)
    _add_output(p)

    p = sub.add_parser("chapters", help="list HS chapters (codes, names in English and Spanish, aliases)")
    p.add_argument("query", nargs="?", help="a code or part of a name, e.g. 87 or vehic")

    p = sub.add_parser("table", help="the largest partners by total trade (or chosen ones), with TDR")
    p.add_argument("year", help=YEAR_HELP)
    p.add_argument("--top", "-n", type=int, help="how many of the largest partners (default 5; all with --band)")
    p.add_argument("--partners", help='these partners instead, e.g. "USMCA,China,EU"; rank is their place '
                   "among all countries")
    p.add_argument("--sort", help="sort by rank, partner, exports, imports, deficit, tdr, coverage or share "
                   "(numbers largest first)")
    p.add_argument("--band", help="only partners with this reading: surplus, balanced, moderate, "
                   '"high dependency" (or in Spanish)')
    _add_period(p)
    _add_output(p)

    p = sub.add_parser("series", help="a partner's exports, imports and TDR year by year")
    p.add_argument("partner", help=PARTNER_HELP)
    p.add_argument("start", help="the first year, e.g. 2013")
    p.add_argument("end", help="the last year, e.g. 2025")
    _add_period(p)
    _add_sector(p)
    _add_output(p)

    p = sub.add_parser("partners", help="list partners (codes, names, ISO codes)")
    p.add_argument("query", nargs="?", help="part of a name or code, e.g. korea")

    sub.add_parser("info", help="where the data come from and how recent they are")

    p = sub.add_parser("refresh", help="update the local data from the Census (API with a key, else bulk file)")
    p.add_argument("--source", choices=["auto", "api", "bulk"], default="auto",
                   help="auto (default): the API when a key is configured, else the bulk file")
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="API: ask again from this month on")
    p.add_argument("--full", action="store_true", help="fetch the whole history again (API from 2013)")
    p.add_argument("--key", help="Census API key (default: CENSUS_API_KEY or config.toml)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the one-line summary")
    p.add_argument("--verbose", "-v", action="store_true", help="also print the requests and revisions")
    p.add_argument("--sectors", action="store_true",
                   help="also fetch trade by HS chapter (API only; once the store has refreshed sector "
                        "data, a plain refresh keeps them current)")

    p = sub.add_parser("revisions", help="values of a partner and year that changed between vintages")
    p.add_argument("partner", help=PARTNER_HELP)
    p.add_argument("year", help=YEAR_HELP)

    p = sub.add_parser("build", help="build the formatted TDR report workbook (.xlsx)")
    p.add_argument("-o", "--output", help="file or folder to write (default: tdr_report_<year>.xlsx here; "
                   "a folder, or a path ending with /, gets that name inside)")
    p.add_argument("--year", help="report year (default: the latest complete year)")
    p.add_argument("--top", "-n", type=int, default=5, help="how many of the largest partners (default 5)")
    p.add_argument("--partners", help='partners instead of the largest, e.g. "Mexico,Canada,China"')
    p.add_argument("--lang", choices=["en", "es"], default="en", help="language of the report (default en)")
    p.add_argument("--template", help="a shipped template (en, es) or the path of a .toml copy")
    p.add_argument("--from", dest="first_year", help="first year of the data and yearly tables")
    p.add_argument("--all-months", action="store_true",
                   help="put every month of every partner on the Data sheet")

    _add_chart(sub)

    p = sub.add_parser("addin", help="the Excel add-in (xl_tdr.xlam): build or install it")
    addin = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = addin.add_parser("build", help="build xl_tdr.xlam from the installed xlwings' ribbon template")
    b.add_argument("-o", "--out", type=Path, default=Path("."), help="output folder (default: here)")
    addin.add_parser("install", help="build the add-in and install it into Excel (Windows)")

    sub.add_parser("doctor", help="check the setup (Python, xlwings, the add-in, its config file, the store, the "
                                  "Census key) and say how to fix what fails; exit 1 when something blocks")

    p = sub.add_parser("snapshot", help="maintainer: rebuild the bundled snapshot")
    snap = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    b = snap.add_parser("build", help="build the snapshot from Census files")
    b.add_argument("--from", dest="source", required=True, type=Path,
                   help="folder with the Census API monthly CSVs and the 2025 annual CSV")
    b.add_argument("--out", type=Path, help="output folder (default: the package's _bundled/)")
    return parser


def _add_chart(sub) -> None:
    """``xl-tdr chart``: a chart image (PNG, SVG or PDF) with its title, source and notes inside."""
    p = sub.add_parser("chart", help="write a chart image (PNG, SVG, PDF): the TDR exhibit, a trend, GL or a "
                       "partner's sectors, with title, source and vintage inside (needs xl-tdr[charts])")
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
    _add_period(p)
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


def _chart(args: argparse.Namespace, svc) -> None:
    from .images import chart

    out = args.output or f"tdr_{args.kind}.png"
    chart(args.kind, partners=args.partners, top=args.top, year=args.year, period=args.period,
          sector=args.sector, start=args.start, end=args.end, lang=args.lang, guide=args.guide,
          size=args.size, width=args.width, height=args.height, out=out, scale=args.scale, service=svc)
    print(f"wrote {out}")


def _emit(frame, fmt: str) -> None:
    """Print a table; CSV and JSON carry empty cells (null) where a number is undefined, never NaN."""
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=1))
    else:
        print(frame.to_string(index=False))


def _millions(value: float) -> str:
    return f"{round(value / 1e6, 1) + 0.0:,.1f}"  # (+ 0.0: never "-0.0")


def _text_table(frame, lang: str):
    """The partners table for reading: millions, two decimals, the chosen language."""
    from .labels import MILLIONS, TABLE, band_name, headings

    view = frame.copy()
    view["partner"] = frame["partner_es"] if lang == "es" else frame["partner"]
    view["rank"] = frame["rank"].astype("string").fillna("")
    for column in ("exports", "imports", "deficit"):
        view[column] = frame[column].map(_millions)
    view["tdr"] = frame["tdr"].map(lambda v: _decimals(v, lang))
    view["coverage"] = frame["coverage"].map(lambda v: _decimals(v, lang))
    view["share"] = frame["share"].map(lambda v: _na(lang) if v is None or v != v else f"{v:.1%}")
    view["band"] = [band_name(b if isinstance(b, str) else None, lang) for b in frame["band"]]
    titles = headings(TABLE, lang)
    titles[0] = "#"
    titles[2:5] = [MILLIONS[lang].format(t) for t in titles[2:5]]
    return view[TABLE].set_axis(titles, axis=1)


def _na(lang: str) -> str:
    from .labels import NA

    return NA[lang]


def _decimals(value, lang: str) -> str:
    """Two decimals; n/a for an undefined value; never -0.00."""
    return _na(lang) if value is None or value != value else f"{round(value, 2) + 0.0:.2f}"


def _series_table(frame, lang: str):
    """A partner's series for reading; a year that cannot give the period reads n/a, with its note."""
    import pandas as pd

    from .labels import MILLIONS, headings

    view = frame.copy()
    for column in ("exports", "imports", "deficit"):
        view[column] = [_na(lang) if pd.isna(v) else _millions(v) for v in frame[column]]
    view["tdr"] = frame["tdr"].map(lambda v: _decimals(v, lang))
    keys = ["year", "exports", "imports", "deficit", "tdr", "note"]
    titles = headings(keys, lang)
    titles[1:4] = [MILLIONS[lang].format(t) for t in titles[1:4]]
    return view[keys].set_axis(titles, axis=1)


def _sector_table(frame, lang: str, fmt: str):
    """The sectors frame for printing: the chapter's name in the chosen language; in text,
    millions and two decimals."""
    from .labels import MILLIONS, SECTORS, headings
    from .reference.partners import registry
    from .tables import localized

    view = frame.copy()
    view["sector"] = frame["name_es"] if lang == "es" else frame["name"]
    view = view.drop(columns=["name", "name_es"])
    if fmt != "text":
        return localized(view, lang)
    for column in ("exports", "imports", "deficit"):
        view[column] = frame[column].map(_millions)
    for column in ("tdr", "gl"):
        view[column] = frame[column].map(lambda v: _decimals(v, lang))
    view["share"] = frame["share"].map(lambda v: f"{v:.1%}")
    titles = headings(SECTORS, lang)
    titles[3:6] = [MILLIONS[lang].format(t) for t in titles[3:6]]
    print(f"{registry().by_code[frame.attrs['code']].display(lang)}, {frame.attrs['year']}")
    return view[SECTORS].set_axis(titles, axis=1)


def _notice(query: object) -> None:
    """Say on stderr which partner a loose match used (``Korea → Korea, South (5800)``)."""
    from .reference.partners import normalise, registry

    partner = registry().resolve(query)
    text = str(query).strip()
    if text not in (partner.code, partner.iso2, partner.iso3) and \
            normalise(text) not in (normalise(partner.name), normalise(partner.name_es)):
        print(f"{text} → {partner.name} ({partner.code})", file=sys.stderr)


def run(args: argparse.Namespace) -> int | None:
    """Execute one parsed command; returns the exit status when it is not 0."""
    from . import metrics, tables
    from .service import Service

    if args.command == "doctor":
        from .addin import doctor

        checks = doctor.run()
        print(doctor.report(checks))
        return 1 if doctor.blocking(checks) else 0
    svc = Service()
    if args.command in ("tdr", "gl"):
        metric = metrics.tdr if args.command == "tdr" else \
            metrics.grubel_lloyd_adjusted if args.adjusted else metrics.grubel_lloyd
        value = svc.scalar(metric, args.partner, args.year, args.period, args.sector)
        _notice(args.partner)
        print(repr(value))
    elif args.command == "table":
        top = args.top if args.top is not None else (None if args.band else 5)
        frame = tables.table(svc, args.year, top=top, period=args.period, partners=args.partners,
                             sort=args.sort, band=args.band)
        if frame.empty and args.format == "text":
            print(f"no partner reads {args.band} here" + (f" (of the {top} largest; try without --top)" if top else ""))
            return 0
        _emit(_text_table(frame, args.lang) if args.format == "text" else tables.localized(frame, args.lang),
              args.format)
    elif args.command == "series":
        frame = tables.series(svc, args.partner, args.start, args.end, args.period, args.sector)
        _notice(args.partner)
        if args.format == "text":
            print(frame.attrs["partner"] if args.lang == "en" else frame["partner_es"].iloc[0])
        _emit(_series_table(frame, args.lang) if args.format == "text" else tables.localized(frame, args.lang),
              args.format)
    elif args.command == "sectors":
        frame = tables.sectors(svc, args.partner, args.year, args.top or None, args.period)
        _emit(_sector_table(frame, args.lang, args.format), args.format)
    elif args.command == "chapters":
        frame = tables.chapters(args.query)
        if frame.empty:
            raise XlTdrError(f'no HS chapter matches "{shown(args.query)}"')
        print(frame.drop(columns="description").to_string(index=False))
    elif args.command == "partners":
        frame = tables.partners(args.query)
        if frame.empty:
            raise XlTdrError(f'no partner matches "{shown(args.query)}"')
        print(frame.to_string(index=False))
    elif args.command == "info":
        rows = tables.info_rows(tables.info(svc))
        width = max(len(label) for label, _ in rows) + 2
        print("\n".join(f"{label + ':':<{width}}{value}" for label, value in rows))
    elif args.command == "refresh":
        _refresh(args)
    elif args.command == "revisions":
        _revisions(args, svc)
    elif args.command == "build":
        _build(args, svc)
    elif args.command == "chart":
        _chart(args, svc)
    elif args.command == "addin":
        from .addin.build import build_addin, install_addin

        if args.action == "build":
            print(f"wrote {build_addin(args.out)}")
        else:
            print("\n".join(install_addin()))
    elif args.command == "snapshot":
        from . import snapshot

        summary = snapshot.build(args.source, *( [args.out] if args.out else []))
        print(f"snapshot: {summary['observations']:,} values, {summary['partners']} partners, "
              f"{summary['bytes']:,} bytes")


def _progress_bar():
    """A ``progress(done, total, label)`` callback drawing a tqdm bar (rate and time left) on
    stderr; a new total (the sector requests after the totals) starts a new bar."""
    from tqdm import tqdm

    bars: list = []

    def progress(done: int, total: int, label: str) -> None:
        if not bars or bars[-1].total != total or bars[-1].n > done:
            if bars:
                bars[-1].close()
            bars.append(tqdm(total=total, unit="request", file=sys.stderr, dynamic_ncols=True, leave=True))
        bars[-1].set_postfix_str(label, refresh=False)
        bars[-1].update(done - bars[-1].n)
        if done >= total:
            bars[-1].close()

    return progress


def _refresh(args: argparse.Namespace) -> None:
    from .refresh.run import refresh

    tty = sys.stderr.isatty() and not args.quiet
    summary = refresh(args.source, start=args.start, full=args.full, key=args.key, sectors=args.sectors,
                      progress=_progress_bar() if tty else None, wait=600,
                      on_wait=lambda: print("waiting for another refresh to finish…", file=sys.stderr))
    print(summary.sentence())
    if args.quiet:
        return
    print(f"source: {summary.source}; {summary.values_added:,} values added; "
          f"took {summary.seconds:.1f} s")
    if args.verbose:
        print(f"requests: {summary.requests}")
    for revision in summary.revisions[: 20 if args.verbose else 5]:
        name = _partner_name(revision.code)
        change = revision.new - revision.old
        print(f"  revised {name} {revision.year}-{revision.month:02d} {'exports' if revision.flow == 'X' else 'imports'}: "
              f"{revision.old:,} → {revision.new:,} ({change:+,})")


def _partner_name(code: str) -> str:
    from .reference.partners import registry

    partner = registry().by_code.get(code)
    return partner.name if partner else code


def _revisions(args: argparse.Namespace, svc) -> None:
    from .periods import parse_year
    from .reference.partners import resolve

    partner, year = resolve(args.partner), parse_year(args.year)
    rows = svc.store.history(partner.code, year)
    if not rows:
        print(f"no revisions of {partner.name} {year} in the store")
        return
    for row in rows:
        flow = "exports" if row["flow"] == "X" else "imports"
        period = f"{year}-{row['month']:02d}" if row["month"] else str(year)
        print(f"{period} {flow}: {row['old']:,} ({row['old_source']}, {row['old_retrieved']}) → "
              f"{row['current']:,} ({row['new_source']}, {row['new_retrieved']})")


def _build(args: argparse.Namespace, svc) -> None:
    import time

    from .periods import parse_year
    from .report import build_report

    start = time.perf_counter()
    print("building the report…", file=sys.stderr, flush=True)
    path = build_report(args.output, year=parse_year(args.year) if args.year else None, top=args.top,
                        partners=args.partners, lang=args.lang, template=args.template,
                        first_year=parse_year(args.first_year) if args.first_year else None,
                        all_months=args.all_months, service=svc)
    print(f"wrote {path} in {time.perf_counter() - start:.1f} s")


LOOK_ALIKES = {"→": "->", "−": "-", "–": "-", "—": "--", "≠": "!=", "…": "...", "×": "x", "✓": "ok", "✗": "X"}


def _look_alike(error: UnicodeEncodeError) -> tuple[str, int]:
    """An encoding error handler: a character the console cannot show becomes a look-alike
    (``→`` → ``->``, ``é`` → ``e``) instead of a crash after the work is done."""
    text = error.object[error.start:error.end]
    plain = "".join(LOOK_ALIKES.get(c) or unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
                    or "?" for c in text)
    return plain, error.end


codecs.register_error("xl_tdr_look_alike", _look_alike)


def _tolerant_output() -> None:
    """Let stdout and stderr degrade gracefully on a narrow code page (a Windows console, cp1252)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="xl_tdr_look_alike")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``xl-tdr`` console script."""
    _tolerant_output()
    args = build_parser().parse_args(argv)
    try:
        return run(args) or 0
    except XlTdrError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
