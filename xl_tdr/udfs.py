"""Excel worksheet functions: ``=TDR("Mexico", 2025)`` and its family, for every Excel runtime.

Each function is defined once, here, as a plain Python function: its docstring is the
description Excel's function list shows, ``udf`` records the help of each argument. It answers
from the local data only (never the network), takes what Excel passes — floats for years,
text, empty cells, error cells, ranges — and never raises: a bad input gives a short text
beginning with ``#N/A`` and the reason. A range of partners or years returns a matching array.

Registration happens where a runtime exists, when it imports this module (``register``):
- classic xlwings (Windows, the add-in, whose VBA wrappers ``UDFS`` describes): xlwings'
  ``func``/``arg`` decorators mark each function; a failure is the ``#N/A …`` text in the cell;
- xlwings Lite (Pyodide in Excel for Windows, Mac and the web; xlwings sets
  ``XLWINGS_ON_SERVER=true`` there): the same decorators, and a failed one-cell answer *raises*
  its reason, which Lite shows as ``#VALUE!`` with the sentence on the cell's error flag (a
  failed cell inside a spilled array stays ``#N/A …`` text: one error cannot carry a message);
- no xlwings (a plain install): plain functions, importable without xlwings or pandas.
The parameters carry no type hints on purpose: xlwings takes a hint as a converter.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from dataclasses import dataclass
from typing import Callable

from . import config, metrics
from .errors import ArgumentError, XlTdrError
from .labels import PARTNERS, SECTORS, TABLE, band_name, headings, lang_of
from .service import FaceService
from .tables import TOP_CHAPTERS, TOP_PARTNERS, matching, partners as partner_table

CATEGORY = "xl_tdr"
NA = "#N/A"
log = logging.getLogger("xl_tdr.udfs")


@dataclass(frozen=True)
class UdfSpec:
    """What Excel's function wizard shows, and what a runtime's decorators and the VBA wrapper get."""

    name: str
    description: str
    args: tuple[tuple[str, str, bool], ...]  # (name, help, optional)
    arrays: bool = False  # every argument arrives as a 2-D list (a single cell as [[v]])


UDFS: list[UdfSpec] = []
_PLAIN: dict[str, Callable] = {}  # the worksheet functions as defined, before any runtime marks them
_face = FaceService()
service = _face.get  # the service behind the worksheet functions
use = _face.use  # point them at another store (tests; the add-in never needs to)


def udf(arrays: bool = False, **arg_help: str) -> Callable:
    """Describe a worksheet function: its docstring is the description, ``arg_help`` the help of
    each argument. With ``arrays``, every argument arrives as a 2-D list (a single cell as
    ``[[v]]``), so a column of partners and a row of years keep their orientation."""
    def describe(function: Callable) -> Callable:
        names = function.__code__.co_varnames[: function.__code__.co_argcount]
        args = tuple((name, arg_help.get(name, name)[:255], name in _optional(function)) for name in names)
        function.__doc__ = " ".join(function.__doc__.split())[:255]  # one line: what Excel shows (Lite reads it)
        UDFS.append(UdfSpec(function.__name__, function.__doc__, args, arrays))
        _PLAIN[function.__name__] = function
        return function

    return describe


def register(func: Callable, arg: Callable, raising: bool = False) -> dict[str, Callable]:
    """Every worksheet function marked with a runtime's ``func`` and ``arg`` decorators (xlwings',
    classic or Lite: they record on the function what Excel needs). With ``raising`` (Lite), a
    failed one-cell answer raises its reason instead of returning ``#N/A …`` text."""
    marked = {}
    for spec in UDFS:
        function = _raising(_PLAIN[spec.name]) if raising else _PLAIN[spec.name]
        options = {"ndim": 2} if spec.arrays else {}
        for name, help_text, _ in spec.args:
            function = arg(name, doc=help_text, err_to_str=True, **options)(function)
        marked[spec.name] = func(category=CATEGORY)(function)
    return marked


class CellReason(XlTdrError):
    """A one-cell answer's ``#N/A`` reason, raised in xlwings Lite (which shows it on ``#VALUE!``)."""


def _raising(function: Callable) -> Callable:
    def answer(*args):
        result = function(*args)
        if result.__class__ is str and result.startswith(NA):
            raise CellReason(result[len(NA):].strip())
        return result

    # name, docstring and signature (xlwings reads them), but not the attributes a runtime set
    return functools.update_wrapper(answer, function, updated=())


def in_browser() -> bool:
    """Whether these functions run in a browser (Pyodide: xlwings Lite), where a file is lost on
    reload and the user cannot open it."""
    return sys.platform == "emscripten"


def _optional(function: Callable) -> set[str]:
    code, defaults = function.__code__, function.__defaults__ or ()
    names = code.co_varnames[: code.co_argcount]
    return set(names[len(names) - len(defaults):])


def internal_error(message: str, *args: object) -> str:
    """Log a bug with its traceback and give the cell text: on a desktop the traceback goes to
    ``xl_tdr.log`` in the data folder, and the text says where; in xlwings Lite it goes to
    stderr, which Lite shows in its output pane, and the text names the error."""
    if in_browser():
        log.exception(message, *args)
        kind, error = sys.exc_info()[:2]
        return na(f"internal error in xl_tdr ({kind.__name__}: {error}); "
                  "the details are in xlwings Lite's output pane")
    path = (config.home() / "xl_tdr.log").absolute()
    handler = next((h for h in log.handlers if isinstance(h, logging.FileHandler)), None)
    if handler is None or handler.baseFilename != str(path):
        if handler:
            log.removeHandler(handler)
            handler.close()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8", delay=True)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.addHandler(handler)
        except OSError:
            path = None  # a read-only data folder: Python's default stderr handler only
    log.exception(message, *args)
    return na(f"internal error in xl_tdr (see {path})" if path else "internal error in xl_tdr")


def na(reason: str) -> str:
    """The cell text for a failure: ``#N/A`` and a short reason (Excel caps text at 255)."""
    return f"{NA} {reason}"[:255]


def _cell_error(value: object) -> str | None:
    """The Excel error a cell holds (``#DIV/0!``…), as xlwings passes it, or None."""
    kind = value.__class__
    if kind is str:
        if value[:1] == "#" and value.rstrip("!?").lstrip("#").replace("/", "").isalnum():
            return value
    elif kind is int and value < -2146826000:
        return "an error value"
    return None


def _grid(value: object) -> list[list]:
    """A scalar, a 1-D list (a row or column from xlwings) or a 2-D list, as rows."""
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(row, (list, tuple)) for row in value):
            return [list(row) for row in value]
        return [list(value)]
    return [[value]]


def _single(value: object) -> object:
    """``[[v]]`` (one cell, as xlwings passes it with ndim=2) → ``v``."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
        return value[0][0]
    return value


def _broadcast(*grids: list[list]) -> tuple[int, int] | None:
    """The result shape of combining ranges (each 1×1, a row, a column or equal), or None."""
    rows = {len(g) for g in grids} - {1}
    cols = {len(g[0]) if g else 0 for g in grids} - {1}
    if len(rows) > 1 or len(cols) > 1:
        return None
    return (rows.pop() if rows else 1), (cols.pop() if cols else 1)


def _pick(grid: list[list], row: int, col: int) -> object:
    return grid[row if len(grid) > 1 else 0][col if len(grid[0]) > 1 else 0]


def _orient(partner: object, year: object) -> tuple[list[list], list[list]]:
    """A column of partners with a row of years gives a table; a list is a column for partners
    and a row for years, as they usually sit on a sheet."""
    partners, years = _grid(partner), _grid(year)
    if isinstance(partner, (list, tuple)) and partner and not isinstance(partner[0], (list, tuple)):
        partners = [[p] for p in partner]  # a 1-D list of partners: a column
    return partners, years


def one(metric: Callable, partner: object, year: object, period: object, sector: object = None) -> object:
    """One cell: the metric's value, or ``#N/A`` and the reason."""
    for value, what in ((partner, "partner"), (year, "year"), (period, "period"), (sector, "sector")):
        if value.__class__ is str or value.__class__ is int:  # (years arrive as floats)
            error = _cell_error(value)
            if error:
                return na(f"the {what} cell holds {error}")
    if partner is None or partner == "":
        return na("the partner is empty")
    try:
        return service().scalar(metric, partner, year, period, sector)
    except XlTdrError as exc:
        return na(str(exc))
    except Exception:  # a bug: log it, but never a traceback or a message box in Excel
        return internal_error("TDR function failed for %r %r %r %r", partner, year, period, sector)


def compute(metric: Callable, partner: object, year: object, period: object = None,
            sector: object = None) -> object:
    """A scalar for scalar inputs, an array matching the ranges otherwise."""
    partner, year, period, sector = _single(partner), _single(year), _single(period), _single(sector)
    if not any(isinstance(v, (list, tuple)) for v in (partner, year, period, sector)):
        return one(metric, partner, year, period, sector)
    partners, years = _orient(partner, year)
    periods, sectors = _grid(period), _grid(sector)
    grids = (partners, years, periods, sectors)
    if any(not grid or not grid[0] or len({len(row) for row in grid}) > 1 for grid in grids):
        return na("a range is empty or not rectangular")
    shape = _broadcast(*grids)
    if shape is None:
        return na("the ranges have different sizes")
    return [[one(metric, _pick(partners, r, c), _pick(years, r, c), _pick(periods, r, c), _pick(sectors, r, c))
             for c in range(shape[1])] for r in range(shape[0])]


PARTNER = 'a partner: name (English or Spanish), ISO code or Census code, e.g. "Mexico", "MX", 2010, "USMCA", "World"; or a range of them'
YEAR = "a calendar year, e.g. 2025; or a range of years"
PERIOD = "[optional] month 1-12, Q1-Q4, H1, H2, YTD, R12 or a range like 1-11; empty for the full year"
SECTOR = '[optional] an HS chapter: 87 or "vehicles", "HS85", "oil"; empty for all goods'
LANG = '[optional] "en" (default) or "es" for Spanish names and headers'
SCALAR_HELP = {"partner": PARTNER, "year": YEAR, "period": PERIOD, "sector": SECTOR}


def _scalar(name: str, metric: Callable, description: str) -> Callable:
    """The worksheet function ``name`` of one metric of (partner, year, [period], [sector]): one
    cell, or an array matching the ranges."""
    def function(partner, year, period=None, sector=None):
        return compute(metric, partner, year, period, sector)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = description
    return udf(arrays=True, **SCALAR_HELP)(function)


TDR = _scalar("TDR", metrics.tdr, "Trade Deficit Ratio, (U.S. imports − exports) / exports, for a partner and year.")
TDR_EXPORTS = _scalar("TDR_EXPORTS", metrics.exports, "U.S. total exports (F.A.S.) to a partner, in dollars.")
TDR_IMPORTS = _scalar("TDR_IMPORTS", metrics.imports,
                      "U.S. general imports (customs value) from a partner, in dollars.")
TDR_DEFICIT = _scalar("TDR_DEFICIT", metrics.deficit,
                      "U.S. trade deficit with a partner, imports − exports, in dollars.")
TDR_BALANCE = _scalar("TDR_BALANCE", metrics.balance,
                      "U.S. trade balance with a partner, exports − imports (Census's sign), in dollars.")
TDR_COVERAGE = _scalar("TDR_COVERAGE", metrics.coverage,
                       "Export coverage of imports, exports / imports, for a partner and year.")


@udf(arrays=True, **{**SCALAR_HELP, "sector": '[optional] an HS chapter: 87 or "vehicles"; empty for all chapters',
                     "bloc": "[optional] TRUE for a group's own flows, netted across its members (the bloc view)"})
def TDR_GL(partner, year, period=None, sector=None, bloc=None):  # noqa: N802
    """Grubel–Lloyd index of two-way trade: of one HS chapter, or over all chapters
    (trade-weighted); near 1 = co-production, near 0 = one-way trade. A group pools its member
    countries' flows."""
    flag = _single(bloc)
    if not (flag is None or flag == "" or flag.__class__ is bool):  # (1 or "yes" must not read as pooled)
        return na("bloc is TRUE or FALSE (empty: the pooled index)")
    return compute(metrics.gl_metric(bloc=flag is True), partner, year, period, sector)


def _guard(build: Callable[[], list[list]]) -> object:
    """A table function's rows, every number a float: a Python int beyond 32 bits (dollars) would
    cross COM as a 64-bit integer, which 32-bit VBA cannot hold ("Automation type not supported")."""
    try:
        return [[float(v) if v.__class__ is int else v for v in row] for row in build()]
    except XlTdrError as exc:
        return na(str(exc))
    except Exception:
        return internal_error("TDR table function failed")


def _optional_number(value: object, default: int, what: str = "partners") -> int:
    value = _single(value)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
            or value in (float("inf"), float("-inf")) or value != int(value) or value < 1:
        raise ArgumentError(f'"{value}" is not a whole number of {what}')
    return int(value)


def _or_na(value: float | None) -> object:
    return NA if value is None or value != value else value


@udf(year=YEAR.split(";")[0], top=f"[optional] how many partners (default {TOP_PARTNERS})", period=PERIOD, lang=LANG)
def TDR_TABLE(year, top=None, period=None, lang=None):  # noqa: N802
    """The largest U.S. partners by total trade with exports, imports, deficit (dollars), TDR,
    coverage, share and reading; spills a table with a header row."""
    def build() -> list[list]:
        from .tables import table

        language = lang_of(_single(lang))
        found = table(service(), _single(year), top=_optional_number(top, TOP_PARTNERS), period=_single(period) or None)
        return [headings(TABLE, language)] + [
            [r["rank"], r["partner_es"] if language == "es" else r["partner"], r["exports"], r["imports"],
             r["deficit"], _or_na(r["tdr"]), _or_na(r["coverage"]), _or_na(r["share"]),
             band_name(r["band"], language) if isinstance(r["band"], str) else NA]
            for r in found.rows]

    return _guard(build)


@udf(partner=PARTNER.split(";")[0], year=YEAR.split(";")[0], top=f"[optional] how many chapters (default {TOP_CHAPTERS})",
     period=PERIOD, lang=LANG)
def TDR_SECTORS(partner, year, top=None, period=None, lang=None):  # noqa: N802
    """A partner's HS chapters ranked by total trade: exports, imports, deficit (dollars), TDR,
    Grubel–Lloyd index and share of the partner's trade; spills a table with a header row."""
    def build() -> list[list]:
        from .tables import sectors

        language = lang_of(_single(lang))
        found = sectors(service(), _single(partner), _single(year), _optional_number(top, TOP_CHAPTERS, "chapters"),
                        _single(period) or None)
        return [headings(SECTORS, language)] + [
            [r["rank"], r["chapter"], r["name_es"] if language == "es" else r["name"], r["exports"], r["imports"],
             r["deficit"], _or_na(r["tdr"]), _or_na(r["gl"]), r["share"]] for r in found.rows]

    return _guard(build)


@udf(partner=PARTNER.split(";")[0], first_year="the first year, e.g. 2013", last_year="the last year, e.g. 2025",
     period=PERIOD, lang='[optional] "en" (default) or "es" for Spanish headers')
def TDR_SERIES(partner, first_year, last_year, period=None, lang=None):  # noqa: N802
    """Year by year TDR of a partner; spills a Year / TDR table."""
    def build() -> list[list]:
        from .periods import parse_year

        first, last = parse_year(first_year), parse_year(last_year)
        if first > last:
            raise ArgumentError(f"the series starts after it ends ({first} > {last})")
        return [headings(["year", "tdr"], lang_of(_single(lang)))] + [
            [year, one(metrics.tdr, partner, year, period)] for year in range(first, last + 1)]

    return _guard(build)


@udf(query="[optional] part of a name or code to filter by, e.g. korea",
     lang='[optional] "en" (default) or "es" for Spanish headers')
def TDR_PARTNERS(query=None, lang=None):  # noqa: N802
    """Partners known to xl_tdr: Census code, names (English, Spanish), ISO codes and kind;
    spills a table."""
    def build() -> list[list]:
        text = _query_text(_single(query))
        found = matching(partner_table(text), "partner", text)
        return [headings(PARTNERS, lang_of(_single(lang)))] + [
            [p["code"], p["name"], p["name_es"], p["iso2"] or "", p["iso3"] or "", p["kind"]] for p in found.rows]

    return _guard(build)


def _query_text(query: object) -> str | None:
    """A search as typed: a cell holding the code 2010 arrives as 2010.0 and searches "2010"."""
    if query is None or query == "":
        return None
    if isinstance(query, float) and query.is_integer():
        return str(int(query))
    return str(query)


@udf(lang='[optional] "en" (default) or "es" for Spanish labels')
def TDR_INFO(lang=None):  # noqa: N802
    """Where the data come from: source, vintage, latest month, last refresh and store location."""
    def build() -> list[list]:
        from .tables import info, info_rows

        return [list(row) for row in info_rows(info(service()), lang_of(_single(lang)))]

    return _guard(build)


__all__ = [spec.name for spec in UDFS]  # what ``from xl_tdr.udfs import *`` gives a Lite main.py


def _register_with_installed_xlwings() -> None:
    """Mark the functions for the xlwings that imports this module, if any (see the module's doc)."""
    try:
        import xlwings as xw
    except ImportError:
        return
    globals().update(register(xw.func, xw.arg, raising=os.environ.get("XLWINGS_ON_SERVER") == "true"))


_register_with_installed_xlwings()
