"""Rewrite an open report from the store, through xlwings: the Data and Sector data sheets (rows,
tables, names, source lines), the partners of the dashboard and of the Sectors sheet in a report
of the largest partners, the sector year and titles, the charts' axis bounds, the cells their
series take their names from and each partner's colour in them, and the report's facts. Every
place comes from ``workbook.layout`` or the facts the writer recorded; every value, formula and
bound from the writer's own functions.

What it writes are data and formulas: the results stored in the other formula cells (and the
charts' caches) are the build's until Excel recalculates — which the ribbon's Refresh has it do
in full right after (``Application.CalculateFull``), so nobody sees them stale in Excel.

A report with a protected sheet among those rewritten is left exactly as it was (one sentence
says which sheets and what to do).
"""

from __future__ import annotations

import re

from .. import palette
from ..errors import XlTdrError
from ..scales import Bounds
from ..workbook import dashboard, layout, source_line, trends
from ..workbook.context import Context
from ..workbook.datasheets import data_rows, provenance_rows
from ..workbook.formulas import Expr
from ..workbook.sectors import sector_partners, sector_rows, sector_texts
from ..workbook.sheetdata import partner_names
from ..workbook.sources import vintage_text
from ..workbook.template import load as load_template

X_VALUE, PRIMARY, SECONDARY = 2, 1, 2  # Excel's xlValue, xlPrimary, xlSecondary
#: Excel's XlMarkerStyle and MsoLineDashStyle for the palette's marker shapes and dashes.
MARKER_STYLES = {"circle": 8, "square": 1, "triangle": 3, "diamond": 2, "none": -4142}
DASH_STYLES = {None: 1, "dash": 4, "sysDash": 10}


class ReportLocked(XlTdrError):
    """A sheet the refresh rewrites is protected."""


def report_facts(book) -> dict[str, object] | None:
    """The report's hidden facts (year, partners, data rows…), or None for another workbook."""
    try:
        sheet = book.sheets[layout.META_SHEET]
    except Exception:  # noqa: BLE001 — xlwings raises a COM or key error for a missing sheet
        return None
    rows = sheet.range(layout.META_RANGE).value or []
    facts = {str(key): value for key, value in rows if key}
    return facts if facts.get("kind") == layout.REPORT_KIND else None


_NUMBER_OR_DATE = re.compile(r"[\d\s.,:/+-]+")


def _as_text(value: object) -> object:
    """A string as Excel shows it typed: one that Excel would read as a formula, a number or a
    date (``=…``, ``0020``, ``2024-01``) gets a leading apostrophe, so it stays the text it is."""
    if isinstance(value, str) and value != "-" and (value[:1] in ("=", "+", "-", "@")
                                                    or _NUMBER_OR_DATE.fullmatch(value)):
        return "'" + value
    return value


def _cell(value: object) -> object:
    """A value for a cell: text as text, and every number a float (a Python int beyond 32 bits
    would cross COM as a 64-bit integer, which Excel's cells and 32-bit VBA do not take)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return _as_text(value)


def service():
    """The worksheet functions' service: what the ribbon changes, the cells see at once."""
    from ..udfs import service as udf_service

    return udf_service()


def update_report(book, facts: dict | None = None) -> int:
    """Rewrite the report from the store (``facts``: its hidden facts, when already read);
    returns the last Data row."""
    from ..report import gather

    facts = facts or report_facts(book)
    template = load_template(None, str(facts.get("lang") or "en"))
    ranked = str(facts["ranked"]).split(",")
    largest = facts.get("selection") == "largest"
    data = gather(service(), year=int(facts["year"]), top=len(ranked), partners=None if largest else ranked,
                  first_year=int(facts["first_year"]),
                  all_months=bool(int(facts.get("all_months") or 0)), monthly_too=str(facts["trends"]).split(","))
    _check_unlocked(book, facts)
    ctx = Context.of(data, template, {})
    names = partner_names(data, template.lang)
    last = _write_data(book, str(facts["data_sheet"]), data, names, template, int(facts["data_last_row"]))
    _write_dashboard(book, facts, ctx)
    if data.sectors is not None and facts.get("sheet_sector_data"):
        _write_sectors(book, facts, data, names, template)
    _set_trends_chart(book, facts, ctx)
    _set_facts(book, data_last_row=last, vintage=vintage_text(data.provenance, data.year, template.lang),
               ranked=",".join(data.ranked))
    return last


def _sheets_rewritten(facts: dict) -> list[str]:
    keys = ("data", "dashboard", "trends", "sectors", "sector_data")
    return [str(facts[f"sheet_{key}"]) for key in keys if facts.get(f"sheet_{key}")] + [layout.META_SHEET]


def _check_unlocked(book, facts: dict) -> None:
    """Stop before writing anything when a sheet the refresh rewrites is protected."""
    locked = [name for name in _sheets_rewritten(facts)
              if book.sheets[name].api.ProtectContents or book.sheets[name].api.ProtectDrawingObjects]
    if locked:
        listed = ", ".join(f'"{name}"' for name in locked)
        raise ReportLocked(f"{book.name} was not updated: {'its sheet' if len(locked) == 1 else 'its sheets'} "
                           f"{listed} {'is' if len(locked) == 1 else 'are'} protected; unprotect "
                           f"{'it' if len(locked) == 1 else 'them'} (Review > Unprotect Sheet) and press Refresh "
                           "data again")


def _write_data(book, sheet_name: str, data, names: dict[str, str], template, old_last: int) -> int:
    """The Data sheet's rows, table, defined names and provenance block; returns the last row."""
    rows = [[_cell(value) for value in row] for row in data_rows(data, names)]
    sheet = book.sheets[sheet_name]
    last = _fill_table(book, sheet, layout.DATA, rows, old_last)
    sheet.range(layout.PROVENANCE_BLOCK).clear_contents()
    sheet.range(layout.PROVENANCE_FIRST).value = [[_as_text(a), _as_text(b)]
                                                  for a, b in provenance_rows(data, template)]
    return last


def _fill_table(book, sheet, table: layout.TableLayout, rows: list[list], old_last: int) -> int:
    """``rows`` into a data sheet's table from its first row: the rows an earlier, longer table
    had cleared, the table and its defined names resized; returns the last row."""
    last = table.first_row + len(rows) - 1
    sheet.range(f"A{table.first_row}").value = rows
    if old_last > last:
        sheet.range(f"A{last + 1}:{table.last_column}{old_last}").clear_contents()
    sheet.tables[table.name].resize(sheet.range(table.range(last)))
    for name in table.names:
        book.names[name].refers_to = "=" + table.reference(sheet.name, name, last)
    return last


def _write_dashboard(book, facts: dict, ctx: Context) -> None:
    """The ranking (a report of the largest partners follows the data), the source line, the
    chart's axes (zeros aligned, an outlier left off a capped one, as the writer set them, over
    the new figures) and its TDR series' name cell (naming the outlier)."""
    if not facts.get("sheet_dashboard"):
        return
    sheet = book.sheets[str(facts["sheet_dashboard"])]
    sheet.range(f"{layout.DASHBOARD_NAME_COLUMN}{layout.DASHBOARD_FIRST_ROW}").value = [
        [_as_text(ctx.names[code]), _as_text(code)] for code in ctx.data.ranked]
    if facts.get("source_cell"):
        sheet.range(str(facts["source_cell"])).value = _as_text(source_line(ctx.data, ctx.template))
    (bars, ratios), name = dashboard.chart_scale(ctx, dashboard.ranked_cells(ctx))
    chart = _chart(sheet, layout.DASHBOARD_CHART)
    _set_axis(chart.Axes(X_VALUE, PRIMARY), bars)
    _set_axis(chart.Axes(X_VALUE, SECONDARY), ratios)
    _colour_points(chart, layout.DASHBOARD_PARTNER_SERIES, ctx.data.ranked, marker=True)
    if facts.get(layout.DASHBOARD_POINTS):
        _set_formula(sheet, int(facts[layout.DASHBOARD_POINTS]), layout.DASHBOARD_HEADER_ROW, name)


def _write_sectors(book, facts: dict, data, names: dict[str, str], template) -> None:
    """The Sector data rows, table, names and source line; on the Sectors sheet the year, the
    words that name it, the source line and — in a report of the largest partners — the partners."""
    sheet = book.sheets[str(facts["sheet_sector_data"])]
    gap = layout.column_number(layout.SECTOR_GAP_COLUMN) - 1
    rows = [[value if column == gap and isinstance(value, str) else _cell(value) for column, value in enumerate(row)]
            for row in sector_rows(data, template, layout.SECTOR_FIRST_ROW)]
    _fill_table(book, sheet, layout.SECTOR_DATA, rows, sheet.tables[layout.SECTOR_TABLE].range.last_cell.row)
    words = sector_texts(data, template)
    sheet.range(layout.SECTOR_SOURCE_CELL).value = _as_text(words["source"])
    if facts.get("sheet_sectors"):
        _write_sectors_sheet(book.sheets[str(facts["sheet_sectors"])], facts, data, names, words)


def _write_sectors_sheet(sheet, facts: dict, data, names: dict[str, str], words: dict[str, str]) -> None:
    sheet.range(layout.TITLE_CELL).value = _as_text(words["title"])
    sheet.range(layout.SECTOR_YEAR_CELL).value = float(data.sector_year)
    sheet.range(layout.SECTORS_SOURCE_CELL).value = _as_text(words["source"])
    auto_top, gl_top, top_top = (int(facts.get(key) or 0) for key in layout.SECTORS_BLOCKS)
    charts = ((layout.SECTORS_AUTO_CHART, layout.SECTORS_AUTO_PARTNER_SERIES, True),
              (layout.SECTORS_GL_CHART, layout.SECTORS_GL_PARTNER_SERIES, False))
    for top, partners, key, (index, series, marker) in zip((auto_top, gl_top), sector_partners(data), ("auto", "gl"),
                                                            charts):
        if not top:
            continue  # a report from before the blocks were recorded keeps its partners
        sheet.range(f"{layout.SECTORS_NAME_COLUMN}{top}").value = _as_text(words[f"{key}_title"])
        sheet.range(f"{layout.SECTORS_NAME_COLUMN}{top + 2}").value = [
            [_as_text(names[code]), _as_text(code)] for code in partners]
        _colour_points(_chart(sheet, index), series, partners, marker)
    if top_top:
        sheet.range(f"{layout.SECTORS_NAME_COLUMN}{top_top}").value = _as_text(words["top_title"])
    for index, key in ((layout.SECTORS_AUTO_CHART, "auto_chart"), (layout.SECTORS_GL_CHART, "gl_chart")):
        _chart(sheet, index).ChartTitle.Text = words[key]


def _set_trends_chart(book, facts: dict, ctx: Context) -> None:
    """The Trends chart's value axis (capped under a partner far off the scale) and the cells its
    lines take their names from (a partner off the scale says how far). The first columns follow
    the dashboard's ranking, as the writer linked them."""
    if not facts.get("sheet_trends"):
        return
    codes = str(facts["trends"]).split(",")
    if facts.get("sheet_dashboard"):
        codes = trends.followed(codes, ctx.data.ranked)
    bounds, names = trends.chart_series(ctx, trends.column_heads(ctx, codes))
    sheet = book.sheets[str(facts["sheet_trends"])]
    chart = _chart(sheet, layout.TRENDS_CHART)
    _set_axis(chart.Axes(X_VALUE, PRIMARY), bounds)
    for number, style in enumerate(palette.styles(codes), start=1):  # a re-ranked column's new partner
        line = chart.SeriesCollection(number)
        line.Format.Line.ForeColor.RGB = _bgr(style.color)
        line.Format.Line.DashStyle = DASH_STYLES[style.dash]
        line.MarkerStyle = MARKER_STYLES[style.marker]
    if facts.get(layout.TRENDS_POINTS):
        for offset, name in enumerate(names):
            _set_formula(sheet, int(facts[layout.TRENDS_POINTS]) + offset, layout.TRENDS_HEADER_ROW + 1, name)


def _colour_points(chart, series: int, codes: list[str], marker: bool) -> None:
    """Each partner's point (its marker, or its bar) in the partner's colour: after a re-ranking
    a row's point belongs to another partner."""
    points = chart.SeriesCollection(series)
    for number, code in enumerate(codes, start=1):
        point, colour = points.Points(number), _bgr(palette.colour(code))
        if marker:
            point.MarkerBackgroundColor = colour
            point.MarkerForegroundColor = colour
        else:
            point.Format.Fill.ForeColor.RGB = colour
            point.Format.Line.ForeColor.RGB = colour


def _bgr(color: str) -> int:
    """Six hexadecimal digits (RGB) as Excel's colour number (BGR: red in the low byte)."""
    red, green, blue = (int(color[at:at + 2], 16) for at in (0, 2, 4))
    return red | green << 8 | blue << 16


def _set_formula(sheet, column: int, row: int, expr: Expr) -> None:
    """A formula the writer would have written there (Excel computes it on the recalculation)."""
    sheet.range(layout.address(column, row)).value = f"={expr.text}"


def _chart(sheet, index: int):
    """Excel's Chart object of a sheet's chart (xlwings gives the ChartObject and the Chart)."""
    return sheet.charts[index].api[1]


def _set_axis(axis, bounds: Bounds | None) -> None:
    """Fixed bounds and step, or Excel's own scale (None). The maximum goes first: every bound
    here spans zero, so it is never below the minimum in force."""
    axis.MinimumScaleIsAuto = axis.MaximumScaleIsAuto = axis.MajorUnitIsAuto = True
    if bounds:
        low, high, step = bounds
        axis.MaximumScale, axis.MinimumScale, axis.MajorUnit = high, low, step


def _set_facts(book, **values) -> None:
    meta = book.sheets[layout.META_SHEET]
    keys = [row[0] for row in meta.range(layout.META_RANGE).value]
    for key, value in values.items():
        meta.range(f"B{keys.index(key) + 1}").value = _as_text(value) if isinstance(value, str) else value
