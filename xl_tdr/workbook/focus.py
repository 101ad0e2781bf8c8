"""Partner focus: a dropdown of partners; the yearly table and two charts follow the choice."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.chart.series import SeriesLabel, StrRef
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import charts
from .dashboard import flow_sum
from .model import ReportData
from .styles import Styles, formula, number, print_setup, text, title, widths
from .template import Template

CHOICE, CODE, HEADER_ROW = "B3", "$F$3", 5


def write_focus(ws, data: ReportData, template: Template, styles: Styles, partners_sheet: str,
                partners_last: int) -> None:
    """The focus sheet for ``data.ranked[0]`` by default; any partner can be chosen."""
    t, s = template.text, styles.s
    na = t["na"].replace('"', '""')
    name_col = "C" if template.lang == "es" else "B"
    names = dict(zip(data.partners["code"], data.partners["name_es" if template.lang == "es" else "name"]))
    sheet = quote_sheetname(partners_sheet)
    title(ws, t["focus_title"], styles)
    text(ws, 3, 1, t["focus_choose"], font=styles.bold)
    text(ws, 3, 2, names[data.ranked[0]], font=styles.bold, fill=styles.band_fill)
    choices = f"{sheet}!${name_col}$2:${name_col}${partners_last}"
    validation = DataValidation(type="list", formula1=choices, allow_blank=False, showDropDown=False,
                                showErrorMessage=True, errorStyle="stop", showInputMessage=True)
    validation.error, validation.errorTitle = t["focus_invalid"][:255], t["partner"][:32]
    validation.prompt, validation.promptTitle = t["focus_choose"][:255], t["partner"][:32]
    ws.add_data_validation(validation)
    validation.add(CHOICE)
    text(ws, 3, 5, t["focus_code"], font=styles.small)
    formula(ws, 3, 6, f'IFERROR(INDEX({sheet}!$A$2:$A${partners_last},MATCH({CHOICE},{choices},0)),"")',
            font=styles.small)
    headers = [t["year"], t["exports"], t["imports"], t["deficit"], t["tdr"], t["coverage"]]
    styles.header_row(ws, HEADER_ROW, 1, headers)
    years = data.years
    for row, year in enumerate(years, start=HEADER_ROW + 1):
        number(ws, row, 1, year, font=styles.bold, align=styles.center)
        present = f"COUNTIFS(tdr_code,{CODE},tdr_year,$A{row},tdr_month,0)=0"
        for col, flow in ((2, "exports"), (3, "imports")):
            formula(ws, row, col, f'IF({present},"{na}",{flow_sum(flow, CODE, f"$A{row}")}/1000000)',
                    font=styles.font, fmt=s["millions"])
        both = f"ISNUMBER(B{row}),ISNUMBER(C{row})"
        formula(ws, row, 4, f'IF(AND({both}),C{row}-B{row},"{na}")', font=styles.font, fmt=s["millions"])
        formula(ws, row, 5, f'IF(AND({both}),IF(B{row}=0,"{na}",(C{row}-B{row})/B{row}),"{na}")',
                font=styles.bold, fmt=s["ratio"])
        formula(ws, row, 6, f'IF(AND({both}),IF(C{row}=0,"{na}",B{row}/C{row}),"{na}")',
                font=styles.font, fmt=s["ratio"])
    last = HEADER_ROW + len(years)
    _charts(ws, template, last, f"{quote_sheetname(ws.title)}!${CHOICE[0]}${CHOICE[1:]}", years)
    widths(ws, [18, 16, 16, 16, 12, 12, 3, 12])
    print_setup(ws, template, t["focus_title"])


def _charts(ws, template: Template, last: int, choice_ref: str, years: list[int]) -> None:
    t, s = template.text, template.style

    def ref(col: int) -> Reference:
        return Reference(ws, min_col=col, min_row=HEADER_ROW + 1, max_row=last)

    span = {"first": years[0], "last": years[-1]}
    tdr = charts.lines(ref(1), [(ref(5), t["tdr"], s["tdr_color"])],
                       t["focus_tdr_chart"].format(**span), t["tdr"], s["ratio"],
                       size=(18, 9), labels=True)
    tdr.series[0].tx = SeriesLabel(strRef=StrRef(choice_ref))  # the legend names the chosen partner
    ws.add_chart(tdr, "H3")
    flows = charts.columns(ref(1), [(ref(2), t["exports"], s["exports_color"]),
                                    (ref(3), t["imports"], s["imports_color"])],
                           t["focus_flow_chart"], None, s["millions"].replace(".0", ""), size=(18, 9))
    ws.add_chart(flows, "H22")
