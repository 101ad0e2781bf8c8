"""Trends: TDR by year for the top partners, USMCA, China and World; recent and rolling months."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter, quote_sheetname

from .. import palette
from ..scales import Bounds, capped
from . import charts
from .context import Context
from .formulas import Expr, is_number
from .layout import TRENDS_FIRST_COLUMN, TRENDS_HEADER_ROW, TRENDS_POINTS, chart_data_column
from .styles import (
    column_after,
    formula,
    hide_columns,
    number,
    print_pages,
    row_below,
    text,
    title,
    widths,
)

HEADER_ROW = TRENDS_HEADER_ROW
FIRST_ROW = HEADER_ROW + 2  # the first year's TDRs
CHART_SIZE = (24, 12)  # cm


def write_trends(ctx: Context, ws) -> dict[str, int]:
    """The yearly TDR matrix with its line chart, then the recent-months blocks; returns the
    column of the chart's hidden cells (layout.TRENDS_POINTS), for the facts."""
    t, st, data = ctx.template.text, ctx.styles, ctx.data
    codes, years = data.trends, data.years
    title(ws, t["trends_title"], st)
    widths(ws, [12] + [header_width(ctx.names[code]) for code in codes])
    last_column = max(len(codes) + 1, column_after(ws, 1, CHART_SIZE[0]))
    heads = _partner_heads(ctx, ws, codes)
    matrix = []
    for row, (year, formulas) in enumerate(zip(years, yearly_matrix(ctx, heads)), start=FIRST_ROW):
        number(ws, row, 1, year, font=st.bold, align=st.center)
        matrix.append([formula(ws, row, col, tdr, font=st.font, fmt=st.s["ratio"])
                       for col, tdr in enumerate(formulas, start=TRENDS_FIRST_COLUMN)])
    last = FIRST_ROW + len(years) - 1
    anchor = last + 2
    column = chart_data_column(last_column)
    chart = _chart(ctx, ws, heads, matrix, column)
    ws.add_chart(chart, f"A{anchor}")
    source_row = row_below(ws, anchor, chart.height)
    ctx.write_source(ws, source_row)
    top = source_row + 2
    end = _recent(ctx, ws, heads, top)
    print_pages(ws, ctx.template, t["trends_title"], last_column, [(1, top - 2), (top, end)])
    return {TRENDS_POINTS: column}


def column_heads(ctx: Context, codes: list[str]) -> list[tuple[Expr, Expr]]:
    """The (name, code) cells above each partner's column, from column B."""
    return [(Expr(f"{get_column_letter(col)}${HEADER_ROW}", ctx.names[code]),
             Expr(f"{get_column_letter(col)}${HEADER_ROW + 1}", code))
            for col, code in enumerate(codes, start=TRENDS_FIRST_COLUMN)]


def followed(codes: list[str], ranked: list[str]) -> list[str]:
    """The partner of each column once the dashboard ranks ``ranked``: the first columns follow
    the dashboard's ranked rows (the writer links their heads to them), the others keep theirs."""
    return [ranked[i] if i < len(ranked) else code for i, code in enumerate(codes)]


def yearly_matrix(ctx: Context, heads: list[tuple[Expr, Expr]]) -> list[list[Expr]]:
    """The TDR formula of every year (a row from :data:`FIRST_ROW`, its year in column A) and
    partner (a column, its code in the head's cell)."""
    return [[ctx.f.tdr(ctx.data_sum("exports", code, year), ctx.data_sum("imports", code, year)) for _, code in heads]
            for year in (Expr(f"$A{row}", y) for row, y in enumerate(ctx.data.years, start=FIRST_ROW))]


def _partner_heads(ctx: Context, ws, codes: list[str]) -> list[tuple[Expr, Expr]]:
    """The name and code above each partner's column: a partner of the dashboard follows its cells
    there (the ribbon's Refresh re-ranks the dashboard); returns (name, code) cells."""
    st = ctx.styles
    st.header_row(ws, HEADER_ROW, 1, [ctx.template.text["year"]] + [ctx.names[c] for c in codes])
    ws.row_dimensions[HEADER_ROW].height = 32
    for col, code in enumerate(codes, start=TRENDS_FIRST_COLUMN):
        if code in ctx.partner_cells:
            name_cell, code_cell = ctx.partner_cells[code]
            formula(ws, HEADER_ROW, col, name_cell)
            formula(ws, HEADER_ROW + 1, col, code_cell, font=st.small, align=st.center)
        else:
            text(ws, HEADER_ROW + 1, col, code, font=st.small, align=st.center)
    return column_heads(ctx, codes)


def _chart(ctx: Context, ws, heads: list[tuple[Expr, Expr]], matrix: list[list[Expr]], column: int):
    """The lines, one colour per partner (the same in every report), read from hidden cells that
    give #N/A for a year without a TDR; capped above the rest when one partner is far off the
    scale, its legend entry saying so."""
    t, s, f = ctx.template.text, ctx.template.style, ctx.f
    codes = [code.value for _, code in heads]
    last = FIRST_ROW + len(matrix) - 1
    for row, cells in zip(range(FIRST_ROW, last + 1), matrix):
        for offset, cell in enumerate(cells):
            formula(ws, row, column + offset, f.chart_point(cell), fmt=s["ratio"])
    bounds, names = chart_series(ctx, heads, matrix)
    for offset, name in enumerate(names):
        formula(ws, HEADER_ROW + 1, column + offset, name)
    hide_columns(ws, column, column + len(codes) - 1)
    sheet = quote_sheetname(ws.title)
    series = [charts.Line(Reference(ws, min_col=column + i, min_row=FIRST_ROW, max_row=last),
                          f"{sheet}!${get_column_letter(column + i)}${HEADER_ROW + 1}", style.color, style)
              for i, style in enumerate(palette.styles(codes))]
    years = ctx.data.years
    return charts.lines(Reference(ws, min_col=1, min_row=FIRST_ROW, max_row=last), series,
                        t["trends_chart"].format(first=years[0], last=years[-1]), t["tdr"], s["ratio"],
                        size=CHART_SIZE, bounds=bounds)


def chart_series(ctx: Context, heads: list[tuple[Expr, Expr]],
                 matrix: list[list[Expr]] | None = None) -> tuple[Bounds | None, list[Expr]]:
    """The chart's value axis (capped above the rest when one partner is far off the scale) and
    its lines' names: each the partner's head, or — past a cap — a formula that says how far
    it runs off (in the hidden cells the series read their names from). For the writer and the
    ribbon's Refresh alike (``matrix``: the yearly TDR cells, computed when not given)."""
    matrix = matrix if matrix is not None else yearly_matrix(ctx, heads)
    columns = [[row[i].value for row in matrix if is_number(row[i].value)] for i in range(len(heads))]
    bounds, _ = scale({code.value: values for (_, code), values in zip(heads, columns)})
    last = FIRST_ROW + len(matrix) - 1
    names = []
    for col, ((name, _), values) in enumerate(zip(heads, columns), start=TRENDS_FIRST_COLUMN):
        letter = get_column_letter(col)
        peak = Expr(f"MAX({letter}{FIRST_ROW}:{letter}{last})", max(values, default=0))
        names.append(ctx.f.labelled_if_above(name, peak, bounds[1], ctx.template.text["off_scale"]) if bounds else name)
    return bounds, names


def scale(values: dict[str, list[float]]) -> tuple[Bounds | None, dict[str, float]]:
    """The Trends chart's value axis: capped above the rest when one partner is far off the scale."""
    return capped(values)


def header_width(name: str) -> float:
    """A column wide enough for a partner's name on at most two lines of the header."""
    longest_word = max(len(word) for word in name.split())
    return max(11.0, min(24.0, max(longest_word, len(name) / 2) + 3))


def _recent(ctx: Context, ws, heads: list[tuple[Expr, Expr]], top: int) -> int:
    """The monthly and rolling 12-month TDRs of the latest months; returns the last row."""
    t, st, f, recent = ctx.template.text, ctx.styles, ctx.f, ctx.data.recent
    text(ws, top, 1, t["recent_title"], font=st.bold)
    if not recent:
        text(ws, top + 1, 1, t["no_monthly"], font=st.small)
        return top + 1
    row = top
    for block, (heading, rolling) in enumerate(((t["monthly_tdr"], False), (t["rolling_tdr"], True))):
        start = top + 2 + block * (len(recent) + 3)
        text(ws, start - 1, 1, heading, font=st.bold)
        st.header_row(ws, start, 1, [t["month"]] + [name.value for name, _ in heads])
        for col, (name, _) in enumerate(heads, start=2):
            formula(ws, start, col, name)  # the partner above the yearly column
        ws.row_dimensions[start].height = 32  # a long name takes two lines
        for row, (year, month) in enumerate(recent, start=start + 1):
            text(ws, row, 1, f"{year}-{month:02d}", font=st.bold, align=st.center)
            index = year * 12 + month - 1
            first = index - 11 if rolling else index
            for col, (_, code) in enumerate(heads, start=2):
                ratio = f.tdr(ctx.window_sum("exports", code, first, index), ctx.window_sum("imports", code, first, index))
                if rolling:
                    ratio = f.unless_missing(ctx.window_count(code, first, index), ratio, fewest=12)
                formula(ws, row, col, ratio, font=st.font, fmt=st.s["ratio"])
    return row
