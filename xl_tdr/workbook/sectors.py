"""The Sectors sheet and its Sector data sheet: the automotive chapter for the report's partners,
who co-produces across all chapters (Grubel–Lloyd), and the top chapters of the focus partner.

Every number is a live formula over the Sector data sheet (through the ``sec_*`` names), like
the dashboard over the Data sheet. A group's GL (USMCA, the EU, the World) is pooled over its
member countries: its |X − M| on Sector data is the sum of its members' (a value, not ABS(F − G)),
so GL = 1 − Σ|X − M| / Σ(X + M) over members and chapters — as every other face computes it.
"""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from .. import palette
from ..reference.partner_facts import WORLD
from . import charts
from .context import Context
from .formulas import Expr, Formulas, quoted
from .layout import (
    SECTOR_CHAPTERS,
    SECTOR_DATA,
    SECTOR_FIRST_ROW,
    SECTOR_GAP_COLUMN,
    SECTOR_NAMES,
    SECTOR_NOTES,
    SECTOR_TABLE,
    SECTOR_YEAR_CELL,
    SECTOR_YEAR_NAME,
    SECTORS_BLOCKS,
    SECTORS_CODE_COLUMN,
    SECTORS_FIRST_BLOCK,
    SECTORS_NAME_COLUMN,
    SECTORS_SOURCE_CELL,
    absolute,
    chart_data_column,
)
from .model import ReportData
from .package import record
from .sheetdata import chapter_names, partner_names
from .sources import sector_source_line
from .styles import (
    column_after,
    formula,
    hide_columns,
    number,
    print_pages,
    print_setup,
    row_below,
    text,
    title,
    widths,
)
from .template import Template

AUTO = "87"  # vehicles and parts: where co-production in North America lives
CHART_COLUMN = 10


def _sector_cells(data: ReportData, template: Template, first_row: int):
    """(row, the Sector data row's values, its gap formula or None) from ``first_row``."""
    kinds = dict(zip(data.partners["code"], data.partners["kind"]))
    names, chapters = partner_names(data, template.lang), chapter_names(data, template.lang)
    for row, r in enumerate(data.sectors.itertuples(index=False), start=first_row):
        x, m = (Expr(f"{SECTOR_NAMES[name]}{row}", value) for name, value in (("sec_exports", r.exports),
                                                                                ("sec_imports", r.imports)))
        gap = Formulas.gap(x, m) if kinds.get(r.code) == "country" else None
        yield row, (r.code, names.get(r.code, r.code), r.chapter, chapters[r.chapter], r.year, r.exports, r.imports,
                    f"={gap.text}" if gap else r.gap, r.rank), gap


def sector_rows(data: ReportData, template: Template, first_row: int):
    """Sector data rows from ``first_row``: code, partner, chapter, sector, year, exports,
    imports, |X − M| and rank — a country's gap a formula (ABS(F − G)), a group's the sum of its
    members' (a value: the pooled gap) — for the writer and the ribbon's Refresh alike."""
    for _, values, _ in _sector_cells(data, template, first_row):
        yield values


def sector_texts(data: ReportData, template: Template) -> dict[str, str]:
    """The Sectors and Sector data sheets' words that name the sector year or its vintage."""
    t, year = template.text, data.sector_year
    chapter = chapter_names(data, template.lang)[AUTO]
    return {"title": t["sectors_title"].format(year=year), "source": sector_source_line(data, template),
            "auto_title": t["auto_title"].format(chapter=chapter, code=AUTO, year=year),
            "auto_chart": t["auto_chart"].format(chapter=chapter, code=AUTO, year=year),
            "gl_title": t["gl_title"].format(year=year), "gl_chart": t["gl_chart"].format(year=year),
            "top_title": t["top_title"].format(year=year)}


def sector_partners(data: ReportData) -> tuple[list[str], list[str]]:
    """The partners of the Sectors sheet's auto block and of its GL block."""
    return data.ranked + [c for c in data.summary if c != WORLD], data.ranked + data.summary


def write_sector_data(ctx: Context, wb, ws) -> int:
    """One row per partner, chapter and year, as an Excel Table; defines the ``sec_*`` names."""
    t, s = ctx.template.text, ctx.styles.s
    ctx.styles.header_row(ws, 1, 1, [t["code"], t["partner"], t["chapter"], t["sector"], t["year"], t["exports"],
                                     t["imports"], t["gap"], t["rank"]])
    row, dollars = 1, s["dollars"]
    for row, values, gap in _sector_cells(ctx.data, ctx.template, SECTOR_FIRST_ROW):
        ws.append(values)
        if gap:
            record(ws, f"{SECTOR_GAP_COLUMN}{row}", gap.value)
        for col, value in enumerate(values[:4], start=1):
            if value[:1] == "=":
                ws.cell(row, col).data_type = "s"  # text from data is text, never a formula
        for col in (6, 7, 8):
            ws.cell(row, col).number_format = dollars
    last = max(row, SECTOR_FIRST_ROW)
    table = Table(displayName=SECTOR_TABLE, ref=SECTOR_DATA.range(last))
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    widths(ws, [11, 26, 6, 34, 7, 18, 18, 18, 7, 2, 90])
    notes = (t["sector_data_title"], sector_texts(ctx.data, ctx.template)["source"], t["sector_note"],
             t["rank_note"], t["gap_note"], t["sector_units"])
    first = ws[SECTOR_NOTES]
    for offset, line in enumerate(notes):
        text(ws, first.row + offset, first.column, line, font=ctx.styles.bold if not offset else ctx.styles.font)
    print_setup(ws, ctx.template, t["sector_data_title"])
    for name in SECTOR_NAMES:
        wb.defined_names[name] = DefinedName(name, attr_text=SECTOR_DATA.reference(ws.title, name, last))
    return last


def write_sectors(ctx: Context, wb, ws) -> dict[str, int]:
    """The Sectors sheet: the auto chapter, the all-chapter GL, the focus partner's top chapters;
    returns each block's title row (layout.SECTORS_BLOCKS; 0: no such block), for the facts."""
    t, st, data = ctx.template.text, ctx.styles, ctx.data
    words = sector_texts(data, ctx.template)
    title(ws, words["title"], st, t["sectors_subtitle"].format(report_year=data.year))
    cell = ws[SECTOR_YEAR_CELL]
    text(ws, cell.row, cell.column - 1, t["sector_year"], font=st.bold)
    number(ws, cell.row, cell.column, data.sector_year, font=st.bold, align=st.center)
    wb.defined_names[SECTOR_YEAR_NAME] = DefinedName(
        SECTOR_YEAR_NAME, attr_text=f"{quote_sheetname(ws.title)}!{absolute(SECTOR_YEAR_CELL)}")
    source = ws[SECTORS_SOURCE_CELL]
    text(ws, source.row, source.column, words["source"], font=st.small)
    widths(ws, [36, 9, 14, 14, 14, 10, 10, 15, 3])
    auto, everyone = sector_partners(data)
    right = column_after(ws, CHART_COLUMN, _auto_width(everyone))
    helper = chart_data_column(right)
    tops = [SECTORS_FIRST_BLOCK]
    auto_end = _auto_block(ctx, ws, auto, tops[0], helper)
    tops.append(auto_end + 2)
    gl_end = _gl_block(ctx, ws, everyone, tops[1], helper + 1)
    pages = [(1, auto_end), (tops[1], gl_end)]
    tops.append(gl_end + 2 if ctx.focus_cells else 0)
    if ctx.focus_cells:
        pages.append((tops[2], _top_block(ctx, ws, tops[2])))
    hide_columns(ws, helper, helper + 1)
    print_pages(ws, ctx.template, words["title"], right, pages)
    return dict(zip(SECTORS_BLOCKS, tops))


def _partner_rows(ctx: Context, ws, partners: list[str], head: int, headers: list[str]) -> None:
    ctx.styles.header_row(ws, head, 1, headers)
    ws.row_dimensions[head].height = 32
    name, code_column = (column_index_from_string(c) for c in (SECTORS_NAME_COLUMN, SECTORS_CODE_COLUMN))
    for row, code in enumerate(partners, start=head + 1):
        text(ws, row, name, ctx.names[code], font=ctx.styles.bold if code in ctx.data.summary else ctx.styles.font)
        text(ws, row, code_column, code, font=ctx.styles.small, align=ctx.styles.center)


def _auto_block(ctx: Context, ws, partners: list[str], top: int, helper: int) -> int:
    """HS 87 for the report's partners and USMCA: flows, deficit, TDR, GL, and the chart."""
    t, s, f, st = ctx.template.text, ctx.template.style, ctx.f, ctx.styles
    words = sector_texts(ctx.data, ctx.template)
    text(ws, top, 1, words["auto_title"], font=st.bold)
    head = top + 1
    _partner_rows(ctx, ws, partners, head, [t["partner"], t["code"], t["exports"], t["imports"], t["deficit"],
                                            t["tdr"], t["gl"]])
    auto = Expr(quoted(AUTO), AUTO)
    for row, code in enumerate(partners, start=head + 1):
        cell = Expr(f"$B{row}", code)
        x, m = (formula(ws, row, col, f.millions(ctx.sector_sum(flow, cell, auto)), fmt=s["millions"])
                for col, flow in ((3, "exports"), (4, "imports")))
        formula(ws, row, 5, f.deficit(x, m), fmt=s["millions"])
        formula(ws, row, 6, f.tdr(x, m), font=st.bold, fmt=s["ratio"])
        gl = formula(ws, row, 7, f.gl(x, m, f.millions(ctx.sector_sum("gap", cell, auto))), font=st.bold, fmt=s["ratio"])
        formula(ws, row, helper, f.chart_point(gl), fmt=s["ratio"])
    last = head + len(partners)
    note = last + 1
    text(ws, note, 1, t["gl_pooled_note"], font=st.small)
    sheet = quote_sheetname(ws.title)
    formula(ws, head, helper, Expr(f"$G${head}", t["gl"]))
    chart = charts.tdr_combo(
        _ref(ws, 1, head + 1, last), [charts.Line(_ref(ws, 3, head + 1, last), f"{sheet}!$C${head}", s["exports_color"]),
                                      charts.Line(_ref(ws, 4, head + 1, last), f"{sheet}!$D${head}", s["imports_color"])],
        charts.Line(_ref(ws, helper, head + 1, last), f"{sheet}!${get_column_letter(helper)}${head}", "595959"),
        words["auto_chart"], t["chart_values"], s["millions"].replace(".0", ""), s["ratio"], t["gl"],
        size=(_auto_width(partners), 10), bounds=(None, (0.0, 1.0, 0.2)))
    charts.point_colors(charts.markers(chart), [palette.colour(code) for code in partners], marker=True)
    ws.add_chart(chart, f"{get_column_letter(CHART_COLUMN)}{top}")
    return max(note, row_below(ws, top, chart.height))


def _gl_block(ctx: Context, ws, partners: list[str], top: int, helper: int) -> int:
    """The all-chapter, trade-weighted GL of each partner (pooled over a group's members), with a
    bar chart in the partners' colours."""
    t, s, f, st = ctx.template.text, ctx.template.style, ctx.f, ctx.styles
    words = sector_texts(ctx.data, ctx.template)
    text(ws, top, 1, words["gl_title"], font=st.bold)
    head = top + 1
    _partner_rows(ctx, ws, partners, head, [t["partner"], t["code"], t["total_trade"], t["gl_all"]])
    for row, code in enumerate(partners, start=head + 1):
        cell = Expr(f"$B{row}", code)
        x, m = ctx.sector_sum("exports", cell), ctx.sector_sum("imports", cell)
        formula(ws, row, 3, f.millions(Expr(f"({x.text}+{m.text})", x.value + m.value)), fmt=s["millions"])
        gl = formula(ws, row, 4, f.gl(x, m, ctx.sector_sum("gap", cell)), font=st.bold, fmt=s["ratio"])
        formula(ws, row, helper, f.chart_point(gl), fmt=s["ratio"])
    last = head + len(partners)
    text(ws, last + 1, 1, t["gl_pooled_note"], font=st.small)
    formula(ws, head, helper, Expr(f"$D${head}", t["gl_all"]))
    sheet = quote_sheetname(ws.title)
    chart = charts.columns(_ref(ws, 1, head + 1, last),
                           [charts.Line(_ref(ws, helper, head + 1, last), f"{sheet}!${get_column_letter(helper)}${head}",
                                        s["gl_color"])],
                           words["gl_chart"], t["gl"], s["ratio"],
                           size=(20, max(10, 4 + 0.7 * len(partners))), horizontal=True, bounds=(0, 1), labels=True)
    charts.point_colors(chart.series[0], [palette.colour(code) for code in partners])
    chart.legend = None  # one series; the partners are named on the axis
    ws.add_chart(chart, f"{get_column_letter(CHART_COLUMN)}{top}")
    return max(last + 1, row_below(ws, top, chart.height))


def _top_block(ctx: Context, ws, top: int) -> int:
    """The top chapters of the partner chosen on the focus sheet (its dropdown drives them);
    returns the last row."""
    t, s, f, st = ctx.template.text, ctx.styles.s, ctx.f, ctx.styles
    chosen, code = ctx.focus_cells
    text(ws, top, 1, sector_texts(ctx.data, ctx.template)["top_title"], font=st.bold)
    text(ws, top + 1, 1, t["top_partner"], font=st.bold)
    formula(ws, top + 1, 2, chosen, font=st.bold)
    head = top + 2
    st.header_row(ws, head, 1, [t["sector"], t["chapter"], t["exports"], t["imports"], t["deficit"],
                                t["tdr"], t["gl"], t["share_partner"]])
    ws.row_dimensions[head].height = 32
    year = Expr(SECTOR_YEAR_NAME, ctx.data.sector_year)
    total = ctx.data_sum("exports", code, year), ctx.data_sum("imports", code, year)
    total = Expr(f"({total[0].text}+{total[1].text})", total[0].value + total[1].value)
    for rank, row in enumerate(range(head + 1, head + 1 + SECTOR_CHAPTERS), start=1):
        found = ctx.sheets.ranked_chapter(code.value, rank)
        at = f"MATCH({code.text},sec_code,0)+{rank - 1}"  # the partner's chapter ranked ``rank``
        mine = f"INDEX(sec_code,{at})={code.text}"  # (a partner with fewer chapters: the next one's row)
        formula(ws, row, 1, Expr(f'IFERROR(IF({mine},"{rank}. "&INDEX(sec_name,{at}),""),"")',
                                 f"{rank}. {found.name}" if found else ""))
        chapter = formula(ws, row, 2, Expr(f'IFERROR(IF({mine},INDEX(sec_chapter,{at}),""),"")',
                                           found.chapter if found else ""), font=st.small, align=st.center)
        chapter = Expr(f"$B{row}", chapter.value)
        x, m = (formula(ws, row, col, f.blank_unless(chapter, lambda flow=flow, at=chapter: f.millions(ctx.sector_sum(flow, code, at))),
                        fmt=s["millions"]) for col, flow in ((3, "exports"), (4, "imports")))
        formula(ws, row, 5, f.blank_unless(chapter, f.deficit, x, m), fmt=s["millions"])
        formula(ws, row, 6, f.blank_unless(chapter, f.tdr, x, m), font=st.bold, fmt=s["ratio"])
        formula(ws, row, 7, f.blank_unless(chapter, lambda x, m, at=chapter: f.gl(x, m, f.millions(ctx.sector_sum("gap", code, at))),
                                           x, m), font=st.bold, fmt=s["ratio"])
        formula(ws, row, 8, f.blank_unless(chapter, lambda x, m: f.share_of(x, m, total), x, m), fmt=s["percent"])
    return head + SECTOR_CHAPTERS


def _auto_width(partners: list[str]) -> float:
    """The automotive chart's width in cm: wider for more partners (never below the GL chart's)."""
    return max(20, 8 + 1.4 * len(partners))


def _ref(ws, col: int, first: int, last: int) -> Reference:
    return Reference(ws, min_col=col, min_row=first, max_row=last)
