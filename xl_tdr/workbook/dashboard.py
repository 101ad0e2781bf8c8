"""The dashboard: ranked partners with live formulas, conditional formats, the TDR chart."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.formatting.rule import (
    CellIsRule,
    ColorScaleRule,
    DataBarRule,
    FormulaRule,
)
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from .. import palette
from ..reference.partner_facts import WORLD
from ..scales import Bounds, aligned_bounds, capped_points
from . import charts
from .context import Context
from .formulas import MILLION, Expr, is_number
from .layout import DASHBOARD_CODE_COLUMN as CODE
from .layout import DASHBOARD_FIRST_ROW as FIRST_ROW
from .layout import DASHBOARD_HEADER_ROW as HEADER_ROW
from .layout import DASHBOARD_NAME_COLUMN as NAME
from .layout import YEAR_CELL, YEAR_NAME, absolute, chart_data_column
from .model import ReportData
from .package import signed_data_bars
from .styles import (
    column_after,
    formula,
    hide_columns,
    number,
    print_setup,
    row_below,
    text,
    title,
    widths,
)

COLUMNS = ["rank", "partner", "code", "exports", "imports", "deficit", "tdr", "coverage", "share", "band"]
LAST_COLUMN = 13  # M: the reading guide's meanings
CHART_SIZE = (24, 12)  # cm


#: The formula columns of a partner's line (rank, name and code before them).
FORMULA_COLUMNS = {"exports": 4, "imports": 5, "deficit": 6, "tdr": 7, "coverage": 8, "share": 9, "band": 10}


def _cell(row: int, key: str, expr: Expr) -> Expr:
    return Expr(f"{get_column_letter(FORMULA_COLUMNS[key])}{row}", expr.value)


def line(ctx: Context, row: int, code: str, world: tuple[Expr, Expr]) -> dict[str, Expr]:
    """One partner's formulas on row ``row`` (key → formula), each reading the cells before it."""
    f, code_cell = ctx.f, Expr(f"${CODE}{row}", code)
    found = {flow: f.millions(ctx.data_sum(flow, code_cell, ctx.year)) for flow in ("exports", "imports")}
    x, m = _cell(row, "exports", found["exports"]), _cell(row, "imports", found["imports"])
    found.update(deficit=f.deficit(x, m), tdr=f.tdr(x, m), coverage=f.coverage(x, m), share=f.share(x, m, *world))
    found["band"] = f.band(_cell(row, "tdr", found["tdr"]))
    return found


def line_cells(ctx: Context, row: int, code: str, found: dict[str, Expr]) -> dict[str, Expr]:
    """A line's cells (name, code, and each formula's) that the chart and other sheets read."""
    return {"name": Expr(f"${NAME}${row}", ctx.names[code]), "code": Expr(f"${CODE}${row}", code),
            **{key: _cell(row, key, expr) for key, expr in found.items()}}


def line_rows(data: ReportData) -> dict[str, int]:
    """The row of each partner: the ranked ones from the first row, then — after a blank row —
    the summary lines (USMCA, World)."""
    rows = {code: FIRST_ROW + offset for offset, code in enumerate(data.ranked)}
    summary_first = FIRST_ROW + len(data.ranked) + 1
    rows.update({code: summary_first + offset for offset, code in enumerate(data.summary)})
    if WORLD not in rows:
        raise ValueError("the dashboard needs the World line for shares")
    return rows


def _world(ctx: Context, row: int) -> tuple[Expr, Expr]:
    """The World line's exports and imports cells, which every share reads."""
    flows = ctx.sheets.total(WORLD, ctx.data.year)
    return Expr(f"$D${row}", flows.exports / MILLION), Expr(f"$E${row}", flows.imports / MILLION)


def ranked_cells(ctx: Context) -> list[dict[str, Expr]]:
    """The ranked partners' cells as the writer fills them (for the chart's scale)."""
    rows = line_rows(ctx.data)
    world = _world(ctx, rows[WORLD])
    return [line_cells(ctx, rows[code], code, line(ctx, rows[code], code, world)) for code in ctx.data.ranked]


def _row(ctx: Context, ws, row: int, rank: int | None, code: str, world: tuple[Expr, Expr],
         total: bool = False) -> dict[str, Expr]:
    """Write one partner's line; returns its cells that the chart and other sheets read."""
    st = ctx.styles
    s, font = st.s, st.bold if total else st.font
    number(ws, row, 1, rank, font=font, align=st.center)
    text(ws, row, column_index_from_string(NAME), ctx.names[code], font=font)
    text(ws, row, column_index_from_string(CODE), code, font=st.small, align=st.center)
    found = line(ctx, row, code, world)
    formats = {"exports": "millions", "imports": "millions", "deficit": "millions", "tdr": "ratio",
               "coverage": "ratio", "share": "percent"}
    for key, expr in found.items():
        style = {"fmt": s[formats[key]]} if key in formats else {"align": st.center}
        formula(ws, row, FORMULA_COLUMNS[key], expr, font=st.bold if key == "tdr" else font, **style)
    for col in range(1, 11):
        ws.cell(row, col).border = st.box
    return line_cells(ctx, row, code, found)


def write_dashboard(ctx: Context, wb, ws) -> dict:
    """Fill the dashboard sheet; returns where things are (rows) for tests and the meta sheet."""
    data, t, st = ctx.data, ctx.template.text, ctx.styles
    title(ws, t["title"].format(year=data.year), st, t["subtitle_chosen" if data.chosen else "subtitle"])
    year = ws[YEAR_CELL]
    text(ws, year.row, year.column - 1, t["year_label"], font=st.bold)
    number(ws, year.row, year.column, data.year, font=st.bold, align=st.center)
    wb.defined_names[YEAR_NAME] = DefinedName(YEAR_NAME, attr_text=f"{quote_sheetname(ws.title)}!{absolute(YEAR_CELL)}")
    st.header_row(ws, HEADER_ROW, 1, [t[c] for c in COLUMNS])
    guide = max((len(meaning) for _, meaning in t["guide"]), default=0)  # in two lines at most
    widths(ws, [6, max(22, *(len(ctx.names[c]) + 2 for c in data.ranked + data.summary)), 9, 14, 14, 14, 9, 11, 13,
                max(17, *(len(label) + 2 for label in ctx.template.band_names.values())), 3, 17, min(60, max(36, guide / 2 + 4))])
    ws.row_dimensions[HEADER_ROW].height = 32
    last_ranked = FIRST_ROW + len(data.ranked) - 1
    summary_first = last_ranked + 2
    rows = line_rows(data)
    world = _world(ctx, rows[WORLD])
    cells = {code: _row(ctx, ws, rows[code], data.ranks.get(code, rows[code] - FIRST_ROW + 1), code, world)
             for code in data.ranked}
    cells.update({code: _row(ctx, ws, rows[code], None, code, world, total=True) for code in data.summary})
    sheet = quote_sheetname(ws.title)
    ctx.partner_cells = {code: (Expr(f"{sheet}!{c['name'].text}", c["name"].value),
                                Expr(f"{sheet}!{c['code'].text}", c["code"].value)) for code, c in cells.items()}
    last_row = summary_first + len(data.summary) - 1
    _conditional_formats(ws, last_ranked, last_row, st)
    chart_row = last_row + 3
    _guide(ctx, ws, chart_row)
    points = chart_data_column(max(LAST_COLUMN, column_after(ws, 1, CHART_SIZE[0])))
    chart = _chart(ctx, ws, [cells[code] for code in data.ranked], chart_row, points)
    source_row = row_below(ws, chart_row, chart.height)
    source = text(ws, source_row, 1, ctx.source_text, font=st.small)
    ctx.source_cell = Expr(f"{sheet}!{absolute(source.coordinate)}", ctx.source_text)
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_setup(ws, ctx.template, t["title"].format(year=data.year), pages_tall=1)
    return {"first_row": FIRST_ROW, "last_ranked": last_ranked, "summary_first": summary_first,
            "last_row": last_row, "chart_row": chart_row, "source_cell": f"A{source_row}",
            "points_column": points}


def _conditional_formats(ws, last_ranked: int, last_row: int, styles) -> None:
    s = styles.s
    tdr_range = f"G{FIRST_ROW}:G{last_row}"
    surplus = PatternFill("solid", fgColor=s["surplus_fill"], bgColor=s["surplus_fill"])
    ws.conditional_formatting.add(tdr_range, CellIsRule(operator="lessThan", formula=["0"],
                                                        fill=surplus, stopIfTrue=True))
    ws.conditional_formatting.add(tdr_range, ColorScaleRule(
        start_type="num", start_value=0, start_color=s["scale_low"],
        mid_type="num", mid_value=1, mid_color=s["scale_mid"],
        end_type="num", end_value=3, end_color=s["scale_high"]))
    deficits = f"F{FIRST_ROW}:F{last_ranked}"  # a surplus's bar runs left of the axis, in the surplus colour
    ws.conditional_formatting.add(deficits, DataBarRule(start_type="min", end_type="max", color=s["deficit_color"]))
    signed_data_bars(ws, deficits, s["deficit_color"], s["surplus_font"])
    ws.conditional_formatting.add(f"A{FIRST_ROW}:F{last_row}", FormulaRule(
        formula=[f"$F{FIRST_ROW}<0"], font=Font(color=s["surplus_font"], italic=True)))


def _chart(ctx: Context, ws, ranked: list[dict[str, Expr]], row: int, column: int):
    """Deficit and exports as columns, the TDR as a marker in each partner's colour (read from
    hidden cells in ``column``: #N/A for no TDR); an outlier's TDR is left off a capped axis and
    named in the legend (:func:`chart_scale`)."""
    t, s, f = ctx.template.text, ctx.template.style, ctx.f
    first, last = FIRST_ROW, FIRST_ROW + len(ranked) - 1
    for at, cells in zip(range(first, last + 1), ranked):
        formula(ws, at, column, f.chart_point(cells["tdr"]), fmt=ctx.styles.s["ratio"])
    bounds, label = chart_scale(ctx, ranked)
    formula(ws, HEADER_ROW, column, label)
    hide_columns(ws, column, column)
    sheet = quote_sheetname(ws.title)

    def ref(col: int) -> Reference:
        return Reference(ws, min_col=col, min_row=first, max_row=last)

    chart = charts.tdr_combo(
        ref(2), [charts.Line(ref(6), f"{sheet}!$F${HEADER_ROW}", s["deficit_color"]),
                 charts.Line(ref(4), f"{sheet}!$D${HEADER_ROW}", s["exports_color"])],
        charts.Line(ref(column), f"{sheet}!${get_column_letter(column)}${HEADER_ROW}", "595959"),
        t["chart_title"].format(year=ctx.data.year), t["chart_values"], s["millions"].replace(".0", ""), s["ratio"],
        t["tdr"], size=CHART_SIZE, bounds=bounds)
    charts.point_colors(charts.markers(chart), [palette.colour(c["code"].value) for c in ranked], marker=True)
    ws.add_chart(chart, f"A{row}")
    return chart


def chart_values(ranked: list[dict[str, Expr]]) -> tuple[list[float], list[float]]:
    """What the chart's axes must hold: the deficits and exports (millions), and the TDRs but an
    outlier's (scales.capped_points), which is left off a capped axis."""
    ratios = {c["code"].value: c["tdr"].value for c in ranked if is_number(c["tdr"].value)}
    _, outliers = capped_points(ratios)
    bars = [value for c in ranked for value in (c["deficit"].value, c["exports"].value)]
    return bars, [value for code, value in ratios.items() if code not in outliers]


def chart_scale(ctx: Context, ranked: list[dict[str, Expr]]) -> tuple[tuple[Bounds, Bounds], Expr]:
    """The chart's two value axes (zeros on one gridline) and its TDR series' name: the TDR
    heading, followed by every partner above the axis with its value — for the writer and the
    ribbon's Refresh alike (``ranked``: the ranked partners' cells, :func:`ranked_cells`)."""
    t = ctx.template.text
    bounds = aligned_bounds(*chart_values(ranked))
    header = Expr(f"${get_column_letter(FORMULA_COLUMNS['tdr'])}${HEADER_ROW}", t["tdr"])
    top = bounds[1][1]
    if not any(is_number(c["tdr"].value) and c["tdr"].value > top for c in ranked):
        return bounds, header
    return bounds, ctx.f.flagged(header, [(c["name"], c["tdr"]) for c in ranked], top, t["off_scale_point"])


def _guide(ctx: Context, ws, row: int) -> None:
    t, st = ctx.template.text, ctx.styles
    text(ws, row, 12, t["guide_title"], font=st.bold)
    for offset, (label, meaning) in enumerate(t["guide"], start=1):
        text(ws, row + offset, 12, f"{t['tdr']} {label}", font=st.bold, fill=st.band_fill, align=st.wrap)
        text(ws, row + offset, 13, meaning, font=st.font, align=st.wrap)
        ws.row_dimensions[row + offset].height = 30
