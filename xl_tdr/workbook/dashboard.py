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
from openpyxl.utils import column_index_from_string, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from .. import metrics
from ..metrics import BANDS
from . import charts
from .layout import DASHBOARD_CODE_COLUMN as CODE
from .layout import DASHBOARD_FIRST_ROW as FIRST_ROW
from .layout import DASHBOARD_HEADER_ROW as HEADER_ROW
from .layout import DASHBOARD_NAME_COLUMN as NAME
from .layout import YEAR_CELL, YEAR_NAME, absolute
from .model import ReportData
from .styles import Styles, formula, number, print_setup, row_below, text, title, widths
from .template import Template

COLUMNS = ["rank", "partner", "code", "exports", "imports", "deficit", "tdr", "coverage", "share", "band"]


def flow_sum(flow: str, code_cell: str, year: str = YEAR_NAME, month: str = "0") -> str:
    """SUMIFS of a flow over the Data sheet for one code, year and month (0 = full year)."""
    return f"SUMIFS(tdr_{flow},tdr_code,{code_cell},tdr_year,{year},tdr_month,{month})"


def band_formula(cell: str, template: Template, limits: tuple[float, ...]) -> str:
    """Nested IFs mapping a TDR cell to the template's band names, at ``limits``."""
    label = {k: v.replace('"', '""') for k, v in template.band_names.items()}
    expression = f'"{label[BANDS[-1]]}"'
    for limit, name in reversed(list(zip(limits, BANDS))):
        expression = f'IF({cell}<{limit:g},"{label[name]}",{expression})'
    na = template.text["na"].replace('"', '""')
    return f'IF(ISNUMBER({cell}),{expression},"{na}")'


def _row(ws, row: int, rank: int | None, code: str, name: str, world_row: int,
         template: Template, styles: Styles, limits: tuple[float, ...], total: bool = False) -> None:
    s, na = styles.s, template.text["na"].replace('"', '""')
    font = styles.bold if total else styles.font
    number(ws, row, 1, rank, font=font, align=styles.center)
    text(ws, row, column_index_from_string(NAME), name, font=font)
    text(ws, row, column_index_from_string(CODE), code, font=styles.small, align=styles.center)
    formula(ws, row, 4, f"{flow_sum('exports', f'${CODE}{row}')}/1000000", font=font, fmt=s["millions"])
    formula(ws, row, 5, f"{flow_sum('imports', f'${CODE}{row}')}/1000000", font=font, fmt=s["millions"])
    formula(ws, row, 6, f"E{row}-D{row}", font=font, fmt=s["millions"])
    formula(ws, row, 7, f'IF(D{row}=0,"{na}",(E{row}-D{row})/D{row})', font=styles.bold, fmt=s["ratio"])
    formula(ws, row, 8, f'IF(E{row}=0,"{na}",D{row}/E{row})', font=font, fmt=s["ratio"])
    formula(ws, row, 9, f'IF($D${world_row}+$E${world_row}=0,"{na}",(D{row}+E{row})/($D${world_row}+$E${world_row}))',
            font=font, fmt=s["percent"])
    formula(ws, row, 10, band_formula(f"G{row}", template, limits), font=font, align=styles.center)
    for col in range(1, 11):
        ws.cell(row, col).border = styles.box


def write_dashboard(wb, ws, data: ReportData, template: Template, styles: Styles) -> dict:
    """Fill the dashboard sheet; returns where things are (rows) for tests and the meta sheet."""
    t, names = template.text, _names(data, template)
    title(ws, t["title"].format(year=data.year), styles, t["subtitle_chosen" if data.chosen else "subtitle"])
    year = ws[YEAR_CELL]
    text(ws, year.row, year.column - 1, t["year_label"], font=styles.bold)
    number(ws, year.row, year.column, data.year, font=styles.bold, align=styles.center)
    wb.defined_names[YEAR_NAME] = DefinedName(YEAR_NAME, attr_text=f"{quote_sheetname(ws.title)}!{absolute(YEAR_CELL)}")
    styles.header_row(ws, HEADER_ROW, 1, [t[c] for c in COLUMNS])
    ws.row_dimensions[HEADER_ROW].height = 32
    last_ranked = FIRST_ROW + len(data.ranked) - 1
    summary_first = last_ranked + 2
    rows = {code: FIRST_ROW + offset for offset, code in enumerate(data.ranked)}
    rows.update({code: summary_first + offset for offset, code in enumerate(data.summary)})
    if "-" not in rows:
        raise ValueError("the dashboard needs the World line for shares")
    for code in data.ranked:
        _row(ws, rows[code], data.ranks.get(code, rows[code] - FIRST_ROW + 1), code, names[code], rows["-"],
             template, styles, data.band_limits)
    for code in data.summary:
        _row(ws, rows[code], None, code, names[code], rows["-"], template, styles, data.band_limits, total=True)
    last_row = summary_first + len(data.summary) - 1
    _conditional_formats(ws, last_ranked, last_row, styles)
    chart_row = last_row + 3
    _guide(ws, template, styles, chart_row)
    chart = _chart(ws, data, template, last_ranked, chart_row)
    source_row = row_below(ws, chart_row, chart.height)
    text(ws, source_row, 1, t["source"].format(vintage=data.vintage), font=styles.small)
    guide = max(len(meaning) for _, meaning in t["guide"])
    widths(ws, [6, max(22, *(len(names[c]) + 2 for c in data.ranked + data.summary)), 9, 14, 14, 14, 9, 11, 13,
                max(17, *(len(label) + 2 for label in template.band_names.values())), 3, 17, min(110, max(50, guide + 4))])
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_setup(ws, template, t["title"].format(year=data.year))
    return {"first_row": FIRST_ROW, "last_ranked": last_ranked, "summary_first": summary_first,
            "last_row": last_row, "chart_row": chart_row, "source_cell": f"A{source_row}"}


def _names(data: ReportData, template: Template) -> dict[str, str]:
    column = "name_es" if template.lang == "es" else "name"
    return dict(zip(data.partners["code"], data.partners[column]))


def _conditional_formats(ws, last_ranked: int, last_row: int, styles: Styles) -> None:
    s = styles.s
    tdr_range = f"G{FIRST_ROW}:G{last_row}"
    surplus = PatternFill("solid", fgColor=s["surplus_fill"], bgColor=s["surplus_fill"])
    ws.conditional_formatting.add(tdr_range, CellIsRule(operator="lessThan", formula=["0"],
                                                        fill=surplus, stopIfTrue=True))
    ws.conditional_formatting.add(tdr_range, ColorScaleRule(
        start_type="num", start_value=0, start_color=s["scale_low"],
        mid_type="num", mid_value=1, mid_color=s["scale_mid"],
        end_type="num", end_value=3, end_color=s["scale_high"]))
    ws.conditional_formatting.add(f"F{FIRST_ROW}:F{last_ranked}", DataBarRule(
        start_type="num", start_value=0, end_type="max", color=s["deficit_color"]))
    ws.conditional_formatting.add(f"A{FIRST_ROW}:F{last_row}", FormulaRule(
        formula=[f"$F{FIRST_ROW}<0"], font=Font(color=s["surplus_font"], italic=True)))


def _chart(ws, data: ReportData, template: Template, last_ranked: int, row: int):
    t, s = template.text, template.style

    def ref(col: int) -> Reference:
        return Reference(ws, min_col=col, min_row=FIRST_ROW, max_row=last_ranked)

    chart = charts.tdr_combo(
        ref(2), [(ref(6), t["deficit"], s["deficit_color"]), (ref(4), t["exports"], s["exports_color"])],
        (ref(7), t["tdr"], s["tdr_color"]), t["chart_title"].format(year=data.year),
        t["chart_values"], s["millions"].replace(".0", ""), s["ratio"], values=chart_values(data))
    ws.add_chart(chart, f"A{row}")
    return chart


def chart_values(data: ReportData) -> tuple[list[float], list[float]]:
    """What the dashboard chart draws, as built: deficits and exports (millions), and TDRs."""
    year = data.annual[data.annual["year"] == data.year].set_index("code")
    bars, ratios = [], []
    for code in data.ranked:
        if code in year.index:
            x, m = year.at[code, "exports"] / 1e6, year.at[code, "imports"] / 1e6
            bars += [m - x, x]
            ratios += [metrics.tdr(x, m)] if x else []
    return bars, ratios


def _guide(ws, template: Template, styles: Styles, row: int) -> None:
    text(ws, row, 12, template.text["guide_title"], font=styles.bold)
    for offset, (label, meaning) in enumerate(template.text["guide"], start=1):
        text(ws, row + offset, 12, f"{template.text['tdr']} {label}", font=styles.bold, fill=styles.band_fill, align=styles.wrap)
        text(ws, row + offset, 13, meaning, font=styles.font, align=styles.wrap)
        ws.row_dimensions[row + offset].height = 30
