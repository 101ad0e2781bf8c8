"""The Sectors sheet and its Sector data sheet: the automotive chapter for the report's partners,
who co-produces across all chapters (Grubel–Lloyd), and the top chapters of the focus partner.

Every number is a live formula over the Sector data sheet (through the ``sec_*`` names), like
the dashboard over the Data sheet.
"""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from . import charts
from .dashboard import flow_sum
from .layout import (
    SECTOR_NAMES,
    SECTOR_NOTES,
    SECTOR_TABLE,
    SECTOR_YEAR_CELL,
    SECTORS_BLOCKS,
    SECTORS_FIRST_BLOCK,
    SECTORS_SOURCE_CELL,
    absolute,
    sector_reference,
    sector_table_range,
)
from .layout import SECTOR_YEAR_NAME as YEAR_NAME
from .model import ReportData
from .styles import Styles, formula, number, print_setup, row_below, text, title, widths
from .template import Template

AUTO = "87"  # vehicles and parts: where co-production in North America lives
#: A partner's rows on Sector data are together, its chapters in rank order (layout.SECTOR_NAMES):
#: its chapter ranked n is n − 1 rows below its first row.
TOP = 10


def sector_rows(data: ReportData, template: Template, first_row: int):
    """Sector data rows from ``first_row``: code, partner, chapter, sector, year, exports,
    imports, |X − M| (a formula) and rank — for the writer and the ribbon's Refresh alike."""
    names = _names(data, template)
    chapter_names = dict(zip(data.chapters["chapter"], data.chapters["name_es" if template.lang == "es" else "name"]))
    for row, r in enumerate(data.sectors.itertuples(index=False), start=first_row):
        yield (r.code, names.get(r.code, r.code), r.chapter, chapter_names[r.chapter], r.year, r.exports, r.imports,
               f"=ABS(F{row}-G{row})", r.rank)


def sector_texts(data: ReportData, template: Template) -> dict[str, str]:
    """The Sectors and Sector data sheets' words that name the sector year or its vintage."""
    t, year = template.text, data.sector_year
    chapter = _chapter_name(data, template, AUTO)
    return {"title": t["sectors_title"].format(year=year), "source": t["sector_source"].format(vintage=data.sector_vintage),
            "auto_title": t["auto_title"].format(chapter=chapter, code=AUTO, year=year),
            "auto_chart": t["auto_chart"].format(chapter=chapter, code=AUTO, year=year),
            "gl_title": t["gl_title"].format(year=year), "gl_chart": t["gl_chart"].format(year=year),
            "top_title": t["top_title"].format(year=year)}


def sector_partners(data: ReportData) -> tuple[list[str], list[str]]:
    """The partners of the Sectors sheet's auto block and of its GL block."""
    return data.ranked + [c for c in data.summary if c != "-"], data.ranked + data.summary


def write_sector_data(wb, ws, data: ReportData, template: Template, styles: Styles) -> int:
    """One row per partner, chapter and year, as an Excel Table; defines the ``sec_*`` names."""
    t, s = template.text, styles.s
    styles.header_row(ws, 1, 1, [t["code"], t["partner"], t["chapter"], t["sector"], t["year"], t["exports"],
                                 t["imports"], "|X − M|", t["rank"]])
    row, dollars = 1, s["dollars"]
    for row, values in enumerate(sector_rows(data, template, 2), start=2):
        ws.append(values)
        for col, value in enumerate(values[:4], start=1):
            if value[:1] == "=":
                ws.cell(row, col).data_type = "s"  # text from data is text, never a formula
        for col in (6, 7, 8):
            ws.cell(row, col).number_format = dollars
    last = max(row, 2)
    table = Table(displayName=SECTOR_TABLE, ref=sector_table_range(last))
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    widths(ws, [11, 26, 6, 34, 7, 18, 18, 18, 7, 2, 90])
    notes = ws[SECTOR_NOTES]
    for offset, line in enumerate((t["sector_data_title"], sector_texts(data, template)["source"],
                                   t["sector_note"], t["rank_note"], t["units"].split(".")[0] + ".")):
        text(ws, notes.row + offset, notes.column, line, font=styles.bold if not offset else styles.font)
    print_setup(ws, template, t["sector_data_title"])
    for name in SECTOR_NAMES:
        wb.defined_names[name] = DefinedName(name, attr_text=sector_reference(ws.title, name, last))
    return last


def sector_sum(flow: str, code: str, chapter: str | None = None) -> str:
    """SUMIFS of a flow over the Sector data sheet for a partner (and chapter) in the sector year."""
    where = f",sec_chapter,{chapter}" if chapter else ""
    return f"SUMIFS(sec_{flow},sec_code,{code}{where},sec_year,{YEAR_NAME})"


def write_sectors(wb, ws, data: ReportData, template: Template, styles: Styles, focus: str | None) -> dict[str, int]:
    """The Sectors sheet: the auto chapter, the all-chapter GL, the focus partner's top chapters;
    returns each block's title row (layout.SECTORS_BLOCKS; 0: no such block), for the facts."""
    t, words = template.text, sector_texts(data, template)
    year = data.sector_year
    title(ws, words["title"], styles, t["sectors_subtitle"].format(report_year=data.year))
    year_cell, source_cell = ws[SECTOR_YEAR_CELL], ws[SECTORS_SOURCE_CELL]
    text(ws, year_cell.row, year_cell.column - 1, t["sector_year"], font=styles.bold)
    number(ws, year_cell.row, year_cell.column, year, font=styles.bold, align=styles.center)
    wb.defined_names[YEAR_NAME] = DefinedName(YEAR_NAME, attr_text=f"{quote_sheetname(ws.title)}!{absolute(SECTOR_YEAR_CELL)}")
    text(ws, source_cell.row, source_cell.column, words["source"], font=styles.small)
    auto, everyone = sector_partners(data)
    tops = [SECTORS_FIRST_BLOCK]
    tops.append(_auto_block(ws, data, template, styles, auto, tops[0]) + 2)
    end = _gl_block(ws, data, template, styles, everyone, tops[1])
    tops.append(end + 2 if focus else 0)
    if focus:
        _top_block(ws, data, template, styles, focus, tops[2])
    widths(ws, [36, 9, 14, 14, 14, 10, 10, 15, 3])
    print_setup(ws, template, words["title"])
    return dict(zip(SECTORS_BLOCKS, tops))


def _auto_block(ws, data, template, styles, partners: list[str], top: int) -> int:
    """HS 87 for the report's partners and USMCA: flows, deficit, TDR, GL, and the chart."""
    t, s, na = template.text, styles.s, _na(template)
    words = sector_texts(data, template)
    text(ws, top, 1, words["auto_title"], font=styles.bold)
    head = top + 1
    styles.header_row(ws, head, 1, [t["partner"], t["code"], t["exports"], t["imports"], t["deficit"], t["tdr"], t["gl"]])
    ws.row_dimensions[head].height = 32
    names = _names(data, template)
    for row, code in enumerate(partners, start=head + 1):
        text(ws, row, 1, names[code], font=styles.bold if code in data.summary else styles.font)
        text(ws, row, 2, code, font=styles.small, align=styles.center)
        for col, flow in ((3, "exports"), (4, "imports")):
            formula(ws, row, col, f'{sector_sum(flow, f"$B{row}", f"{chr(34)}{AUTO}{chr(34)}")}/1000000',
                    fmt=s["millions"])
        formula(ws, row, 5, f"D{row}-C{row}", fmt=s["millions"])
        formula(ws, row, 6, f'IF(C{row}=0,"{na}",(D{row}-C{row})/C{row})', font=styles.bold, fmt=s["ratio"])
        formula(ws, row, 7, _gl(f"C{row}", f"D{row}", f"ABS(D{row}-C{row})", na), font=styles.bold, fmt=s["ratio"])
    last = head + len(partners)
    chart = charts.tdr_combo(
        _ref(ws, 1, head + 1, last), [(_ref(ws, 3, head + 1, last), t["exports"], s["exports_color"]),
                                      (_ref(ws, 4, head + 1, last), t["imports"], s["imports_color"])],
        (_ref(ws, 7, head + 1, last), t["gl"], s["gl_color"]),
        words["auto_chart"], t["chart_values"],
        s["millions"].replace(".0", ""), s["ratio"], size=(max(20, 8 + 1.4 * len(partners)), 10), line_bounds=(0, 1))
    ws.add_chart(chart, f"J{top}")
    return max(last, row_below(ws, top, chart.height))


def _gl_block(ws, data, template, styles, partners: list[str], top: int) -> int:
    """The all-chapter, trade-weighted GL of each partner, with a bar chart."""
    t, s, na = template.text, styles.s, _na(template)
    text(ws, top, 1, sector_texts(data, template)["gl_title"], font=styles.bold)
    head = top + 1
    styles.header_row(ws, head, 1, [t["partner"], t["code"], t["total_trade"], t["gl_all"]])
    ws.row_dimensions[head].height = 32
    names = _names(data, template)
    for row, code in enumerate(partners, start=head + 1):
        text(ws, row, 1, names[code], font=styles.bold if code in data.summary else styles.font)
        text(ws, row, 2, code, font=styles.small, align=styles.center)
        total = f"({sector_sum('exports', f'$B{row}')}+{sector_sum('imports', f'$B{row}')})"
        formula(ws, row, 3, f"{total}/1000000", fmt=s["millions"])
        formula(ws, row, 4, f'IF(C{row}=0,"{na}",1-{sector_sum("gap", f"$B{row}")}/{total})',
                font=styles.bold, fmt=s["ratio"])
    last = head + len(partners)
    chart = charts.columns(_ref(ws, 1, head + 1, last), [(_ref(ws, 4, head + 1, last), t["gl_all"], s["gl_color"])],
                           sector_texts(data, template)["gl_chart"], t["gl"], s["ratio"],
                           size=(20, max(10, 4 + 0.7 * len(partners))),
                           horizontal=True, bounds=(0, 1), labels=True)
    ws.add_chart(chart, f"J{top}")
    return max(last, row_below(ws, top, chart.height))


def _top_block(ws, data, template, styles, focus: str, top: int) -> None:
    """The top chapters of the partner chosen on the focus sheet (its dropdown drives them)."""
    t, s, na = template.text, styles.s, _na(template)
    sheet = quote_sheetname(focus)
    text(ws, top, 1, sector_texts(data, template)["top_title"], font=styles.bold)
    text(ws, top + 1, 1, t["top_partner"], font=styles.bold)
    formula(ws, top + 1, 2, f"{sheet}!$B$3", font=styles.bold)
    code = f"{sheet}!$F$3"
    head = top + 2
    styles.header_row(ws, head, 1, [t["sector"], t["chapter"], t["exports"], t["imports"], t["deficit"],
                                    t["tdr"], t["gl"], t["share_partner"]])
    ws.row_dimensions[head].height = 32
    total = f"({flow_sum('exports', code, YEAR_NAME)}+{flow_sum('imports', code, YEAR_NAME)})"
    for rank, row in enumerate(range(head + 1, head + 1 + TOP), start=1):
        at = f"MATCH({code},sec_code,0)+{rank - 1}"  # the partner's chapter ranked ``rank``
        mine = f"INDEX(sec_code,{at})={code}"  # (a partner with fewer chapters: the next one's row)
        formula(ws, row, 1, f'IFERROR(IF({mine},"{rank}. "&INDEX(sec_name,{at}),""),"")')
        formula(ws, row, 2, f'IFERROR(IF({mine},INDEX(sec_chapter,{at}),""),"")', font=styles.small,
                align=styles.center)
        for col, flow in ((3, "exports"), (4, "imports")):
            formula(ws, row, col, f'IF($B{row}="","",{sector_sum(flow, code, f"$B{row}")}/1000000)', fmt=s["millions"])
        formula(ws, row, 5, f'IF($B{row}="","",D{row}-C{row})', fmt=s["millions"])
        formula(ws, row, 6, f'IF($B{row}="","",IF(C{row}=0,"{na}",(D{row}-C{row})/C{row}))', font=styles.bold,
                fmt=s["ratio"])
        formula(ws, row, 7, f'IF($B{row}="","",{_gl(f"C{row}", f"D{row}", f"ABS(D{row}-C{row})", na)})',
                font=styles.bold, fmt=s["ratio"])
        formula(ws, row, 8, f'IF($B{row}="","",IF({total}=0,"{na}",(C{row}+D{row})*1000000/{total}))',
                fmt=s["percent"])


def _gl(x: str, m: str, gap: str, na: str) -> str:
    return f'IF({x}+{m}=0,"{na}",1-{gap}/({x}+{m}))'


def _ref(ws, col: int, first: int, last: int) -> Reference:
    return Reference(ws, min_col=col, min_row=first, max_row=last)


def _na(template: Template) -> str:
    return template.text["na"].replace('"', '""')


def _names(data: ReportData, template: Template) -> dict[str, str]:
    return dict(zip(data.partners["code"], data.partners["name_es" if template.lang == "es" else "name"]))


def _chapter_name(data: ReportData, template: Template, code: str) -> str:
    row = data.chapters[data.chapters["chapter"] == code].iloc[0]
    return row["name_es"] if template.lang == "es" else row["name"]
