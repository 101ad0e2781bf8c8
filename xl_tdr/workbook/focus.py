"""Partner focus: a dropdown of partners; the yearly table and two charts follow the choice."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import charts
from .context import Context
from .formulas import Expr
from .layout import FOCUS_CHOICE, FOCUS_CODE, FOCUS_HEADER_ROW, PARTNER_NAME_COLUMNS, absolute, chart_data_column
from .styles import column_after, formula, hide_columns, number, print_setup, text, title, widths

CHART_COLUMN = 8  # H: the charts' left edge
CHART_SIZE = (18, 9)  # cm


def write_focus(ctx: Context, ws, partners_sheet: str, partners_last: int) -> None:
    """The focus sheet for ``data.ranked[0]`` by default; any partner can be chosen."""
    t, st, data = ctx.template.text, ctx.styles, ctx.data
    s, f = st.s, ctx.f
    sheet = quote_sheetname(partners_sheet)
    title(ws, t["focus_title"], st)
    row, col = ws[FOCUS_CHOICE].row, ws[FOCUS_CHOICE].column
    text(ws, row, col - 1, t["focus_choose"], font=st.bold)
    chosen = ctx.names[data.ranked[0]]
    text(ws, row, col, chosen, font=st.bold, fill=st.band_fill)
    names_column = PARTNER_NAME_COLUMNS.get(ctx.template.lang, "B")
    choices = f"{sheet}!${names_column}$2:${names_column}${partners_last}"
    _dropdown(ws, t, choices)
    code_cell = ws[FOCUS_CODE]
    text(ws, code_cell.row, code_cell.column - 1, t["focus_code"], font=st.small)
    choice = Expr(absolute(FOCUS_CHOICE), chosen)
    code = formula(ws, code_cell.row, code_cell.column,
                   f.lookup(choice, choices, f"{sheet}!$A$2:$A${partners_last}", ctx.sheets.code_of(chosen)),
                   font=st.small)
    code = Expr(absolute(code.text), code.value)
    own = quote_sheetname(ws.title)
    ctx.focus_cells = (Expr(f"{own}!{choice.text}", chosen), Expr(f"{own}!{code.text}", code.value))
    st.header_row(ws, FOCUS_HEADER_ROW, 1, [t["year"], t["exports"], t["imports"], t["deficit"], t["tdr"], t["coverage"]])
    rows = []
    for row, year in enumerate(data.years, start=FOCUS_HEADER_ROW + 1):
        number(ws, row, 1, year, font=st.bold, align=st.center)
        year_cell = Expr(f"$A{row}", year)
        x, m = (formula(ws, row, col, f.unless_missing(ctx.data_count(code, year_cell),
                                                       f.millions(ctx.data_sum(flow, code, year_cell))),
                        font=st.font, fmt=s["millions"]) for col, flow in ((2, "exports"), (3, "imports")))
        formula(ws, row, 4, f.if_numbers([x, m], f.deficit), font=st.font, fmt=s["millions"])
        ratio = formula(ws, row, 5, f.if_numbers([x, m], f.tdr), font=st.bold, fmt=s["ratio"])
        formula(ws, row, 6, f.if_numbers([x, m], f.coverage), font=st.font, fmt=s["ratio"])
        rows.append((x, m, ratio))
    last = FOCUS_HEADER_ROW + len(data.years)
    source_row = last + 2
    ctx.write_source(ws, source_row)
    widths(ws, [18, 16, 16, 16, 12, 12, 3, 12])
    _charts(ctx, ws, choice, rows)
    print_setup(ws, ctx.template, t["focus_title"], pages_tall=1)


def _dropdown(ws, t: dict, choices: str) -> None:
    validation = DataValidation(type="list", formula1=choices, allow_blank=False, showDropDown=False,
                                showErrorMessage=True, errorStyle="stop", showInputMessage=True)
    validation.error, validation.errorTitle = t["focus_invalid"][:255], t["partner"][:32]
    validation.prompt, validation.promptTitle = t["focus_choose"][:255], t["partner"][:32]
    ws.add_data_validation(validation)
    validation.add(FOCUS_CHOICE)


def _charts(ctx: Context, ws, choice: Expr, rows: list[tuple[Expr, Expr, Expr]]) -> None:
    """The TDR line and the flows' columns of the chosen partner, titled with its name; their
    values come from hidden cells that give #N/A for a year without data (a gap, not a zero)."""
    t, s, f = ctx.template.text, ctx.template.style, ctx.f
    first, last = FOCUS_HEADER_ROW + 1, FOCUS_HEADER_ROW + len(rows)
    column = chart_data_column(column_after(ws, CHART_COLUMN, CHART_SIZE[0]))
    for row, cells in zip(range(first, last + 1), rows):
        for offset, (cell, fmt) in enumerate(zip(cells, ("millions", "millions", "ratio"))):
            formula(ws, row, column + offset, f.chart_point(cell), fmt=s[fmt])
    span = {"first": ctx.data.years[0], "last": ctx.data.years[-1]}
    titles = [formula(ws, FOCUS_HEADER_ROW - 1, column + offset, f.text(t[key], partner=choice, **span))
              for offset, key in enumerate(("focus_tdr_chart", "focus_flow_chart"))]
    hide_columns(ws, column, column + 2)
    sheet = quote_sheetname(ws.title)

    def ref(col: int) -> Reference:
        return Reference(ws, min_col=col, min_row=first, max_row=last)

    def cell(where: str) -> str:
        return f"{sheet}!{absolute(where)}"

    tdr = charts.lines(ref(1), [charts.Line(ref(column + 2), cell(FOCUS_CHOICE), s["tdr_color"])],
                       f"={cell(titles[0].text)}", t["tdr"], s["ratio"], size=CHART_SIZE, labels=True)
    ws.add_chart(tdr, f"{get_column_letter(CHART_COLUMN)}3")
    flows = charts.columns(ref(1), [charts.Line(ref(column), cell(f"B{FOCUS_HEADER_ROW}"), s["exports_color"]),
                                    charts.Line(ref(column + 1), cell(f"C{FOCUS_HEADER_ROW}"), s["imports_color"])],
                           f"={cell(titles[1].text)}", None, s["millions"].replace(".0", ""), size=CHART_SIZE)
    ws.add_chart(flows, f"{get_column_letter(CHART_COLUMN)}22")
