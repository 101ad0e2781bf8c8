"""Trends: TDR by year for the top partners, USMCA, China and World; recent and rolling months."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter, quote_sheetname

from .. import palette
from ..scales import Bounds, capped
from . import charts
from .context import Context
from .formulas import Expr, is_number
from .layout import chart_data_column
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

HEADER_ROW = 3
CHART_SIZE = (24, 12)  # cm


def write_trends(ctx: Context, ws) -> None:
    """The yearly TDR matrix with its line chart, then the recent-months blocks."""
    t, st, data = ctx.template.text, ctx.styles, ctx.data
    codes, years = data.trends, data.years
    title(ws, t["trends_title"], st)
    widths(ws, [12] + [header_width(ctx.names[code]) for code in codes])
    last_column = max(len(codes) + 1, column_after(ws, 1, CHART_SIZE[0]))
    heads = _partner_heads(ctx, ws, codes)
    first = HEADER_ROW + 2
    matrix = []
    for row, year in enumerate(years, start=first):
        number(ws, row, 1, year, font=st.bold, align=st.center)
        year_cell = Expr(f"$A{row}", year)
        matrix.append([formula(ws, row, col, ctx.f.tdr(ctx.data_sum("exports", code, year_cell),
                                                       ctx.data_sum("imports", code, year_cell)),
                               font=st.font, fmt=st.s["ratio"])
                       for col, (_, code) in enumerate(heads, start=2)])
    last = first + len(years) - 1
    anchor = last + 2
    chart = _chart(ctx, ws, heads, matrix, first, chart_data_column(last_column))
    ws.add_chart(chart, f"A{anchor}")
    source_row = row_below(ws, anchor, chart.height)
    ctx.write_source(ws, source_row)
    top = source_row + 2
    end = _recent(ctx, ws, heads, top)
    print_pages(ws, ctx.template, t["trends_title"], last_column, [(1, top - 2), (top, end)])


def _partner_heads(ctx: Context, ws, codes: list[str]) -> list[tuple[Expr, Expr]]:
    """The name and code above each partner's column: a partner of the dashboard follows its cells
    there (the ribbon's Refresh re-ranks the dashboard); returns (name, code) cells."""
    st = ctx.styles
    st.header_row(ws, HEADER_ROW, 1, [ctx.template.text["year"]] + [ctx.names[c] for c in codes])
    ws.row_dimensions[HEADER_ROW].height = 32
    heads = []
    for col, code in enumerate(codes, start=2):
        letter = get_column_letter(col)
        if code in ctx.partner_cells:
            name_cell, code_cell = ctx.partner_cells[code]
            formula(ws, HEADER_ROW, col, name_cell)
            formula(ws, HEADER_ROW + 1, col, code_cell, font=st.small, align=st.center)
        else:
            text(ws, HEADER_ROW + 1, col, code, font=st.small, align=st.center)
        heads.append((Expr(f"{letter}${HEADER_ROW}", ctx.names[code]), Expr(f"{letter}${HEADER_ROW + 1}", code)))
    return heads


def _chart(ctx: Context, ws, heads: list[tuple[Expr, Expr]], matrix: list[list[Expr]], first: int, column: int):
    """The lines, one colour per partner (the same in every report), read from hidden cells that
    give #N/A for a year without a TDR; capped above the rest when one partner is far off the
    scale, its legend entry saying so."""
    t, s, f = ctx.template.text, ctx.template.style, ctx.f
    codes = [code.value for _, code in heads]
    last = first + len(matrix) - 1
    for row, cells in zip(range(first, last + 1), matrix):
        for offset, cell in enumerate(cells):
            formula(ws, row, column + offset, f.chart_point(cell), fmt=s["ratio"])
    bounds, _ = scale({code: [row[i].value for row in matrix if is_number(row[i].value)] for i, code in enumerate(codes)})
    sheet, names = quote_sheetname(ws.title), []
    for offset, (name, _) in enumerate(heads):
        letter = get_column_letter(offset + 2)
        peak = Expr(f"MAX({letter}{first}:{letter}{last})",
                    max((row[offset].value for row in matrix if is_number(row[offset].value)), default=0))
        label = f.labelled_if_above(name, peak, bounds[1], t["off_scale"]) if bounds else name
        names.append(formula(ws, HEADER_ROW + 1, column + offset, label))
    hide_columns(ws, column, column + len(codes) - 1)
    series = [charts.Line(Reference(ws, min_col=column + i, min_row=first, max_row=last),
                          f"{sheet}!${get_column_letter(column + i)}${HEADER_ROW + 1}", style.color, style)
              for i, style in enumerate(palette.styles(codes))]
    years = ctx.data.years
    return charts.lines(Reference(ws, min_col=1, min_row=first, max_row=last), series,
                        t["trends_chart"].format(first=years[0], last=years[-1]), t["tdr"], s["ratio"],
                        size=CHART_SIZE, bounds=bounds)


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
