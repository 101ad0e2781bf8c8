"""The Data, Partners, About and hidden ``_xl_tdr`` sheets, and the defined names over Data."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from .context import Context
from .layout import (
    DATA,
    DATA_FIRST_ROW,
    DATA_NAMES,
    DATA_TABLE,
    PROVENANCE_FIRST,
    PROVENANCE_TITLE,
    REPORT_KIND,
)
from .model import ReportData
from .sheetdata import data_rows, partner_rows
from .sources import provenance_rows, vintage_text
from .styles import Styles, number, print_setup, text, title, widths
from .template import Template

__all__ = ["DataLayout", "data_rows", "provenance_rows", "write_about", "write_data", "write_meta", "write_partners"]


@dataclass(frozen=True)
class DataLayout:
    sheet: str
    first_row: int
    last_row: int


def write_data(ctx: Context, wb, ws) -> DataLayout:
    """The source data as an Excel Table, with provenance beside it; defines the tdr_* names."""
    t, data, styles = ctx.template.text, ctx.data, ctx.styles
    headers = [t["code"], t["partner"], t["year"], t["month"], t["period"], t["exports"],
               t["imports"], t["month_index"]]
    styles.header_row(ws, 1, 1, headers)
    dollars = styles.s["dollars"]
    row = DATA_FIRST_ROW - 1
    for row, values in enumerate(data_rows(data, ctx.names), start=DATA_FIRST_ROW):
        ws.append(values)
        for col in (1, 2, 5):
            ws.cell(row, col).data_type = "s"  # codes, names and periods are text, never formulas
        ws.cell(row, 6).number_format = dollars
        ws.cell(row, 7).number_format = dollars
    table = Table(displayName=DATA_TABLE, ref=DATA.range(row))
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    widths(ws, [11, 26, 7, 7, 10, 20, 20, 11, 2, 14, 70])
    _provenance(ws, data, ctx.template, styles)
    layout = DataLayout(ws.title, DATA_FIRST_ROW, max(row, DATA_FIRST_ROW))
    print_setup(ws, ctx.template, t["data_title"])
    for name in DATA_NAMES:
        wb.defined_names[name] = DefinedName(name, attr_text=DATA.reference(ws.title, name, layout.last_row))
    return layout


def _provenance(ws, data: ReportData, template: Template, styles: Styles) -> None:
    title_cell, first = ws[PROVENANCE_TITLE], ws[PROVENANCE_FIRST]
    text(ws, title_cell.row, title_cell.column, template.text["provenance"], font=styles.header, fill=styles.header_fill)
    text(ws, title_cell.row, title_cell.column + 1, None, fill=styles.header_fill)
    rows = provenance_rows(data, template)
    for row, (label, value) in enumerate(rows, start=first.row):
        small = row >= len(rows) and not value
        text(ws, row, first.column, label or None, font=styles.small if small else styles.bold)
        text(ws, row, first.column + 1, value or None, font=styles.font)


def write_partners(ctx: Context, ws) -> int:
    """Codes, names in both languages, ISO codes, kind and group memberships, in alphabetical order
    of the report's language (the focus sheet's dropdown lists this column); returns the last row."""
    t, styles = ctx.template.text, ctx.styles
    styles.header_row(ws, 1, 1, [t["code"], t["name_en"], t["name_es"], t["census_name"],
                                 t["iso2"], t["iso3"], t["kind"], t["groups"]])
    row = 1
    for row, p in enumerate(partner_rows(ctx.data, ctx.template.lang), start=2):
        groups = ", ".join(ctx.names.get(g, g) for g in (p.groups.split(", ") if p.groups else []))
        for col, value in enumerate((p.code, p.name, p.name_es, p.census_name, p.iso2, p.iso3,
                                     p.kind, groups), start=1):
            text(ws, row, col, value, font=styles.font)
    table = Table(displayName="TDRPartners", ref=f"A1:H{max(row, 2)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "B2"
    widths(ws, [11, 30, 30, 34, 10, 10, 11, 60])
    print_setup(ws, ctx.template, ctx.template.names["partners"])
    return max(row, 2)


def write_about(ctx: Context, ws) -> None:
    """Definition, formula, reading guide, basis, sources, how to update, generator."""
    about, t, styles = ctx.template.about, ctx.template.text, ctx.styles
    title(ws, about["title"], styles)
    row = 3
    for line in about["lines"]:
        text(ws, row, 1, line.format(bands=ctx.template.bands_text(ctx.data.band_limits)), font=styles.font,
             align=styles.wrap)
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    text(ws, row, 1, t["guide_title"], font=styles.bold)
    for label, meaning in t["guide"]:
        row += 1
        text(ws, row, 1, f"{t['tdr']} {label}: {meaning}", font=styles.font)
    text(ws, row + 2, 1, about["generator"].format(version=ctx.data.version, date=ctx.data.built), font=styles.small)
    widths(ws, [100])
    print_setup(ws, ctx.template, about["title"], pages_tall=1)


def write_meta(ws, data: ReportData, template: Template, layout: DataLayout, sheets: dict[str, str],
               source_cell: str | None = None, places: dict[str, int] | None = None) -> None:
    """The hidden sheet the ribbon's refresh reads to find and update this report (``places``:
    rows the writer chose, such as the Sectors sheet's blocks)."""
    facts = {"kind": REPORT_KIND, "version": data.version, "built": data.built,
             "year": data.year, "lang": template.lang, "template": template.source,
             "data_sheet": layout.sheet, "data_first_row": layout.first_row,
             "data_last_row": layout.last_row, "ranked": ",".join(data.ranked),
             "selection": "chosen" if data.chosen else "largest",
             "trends": ",".join(data.trends), "first_year": data.years[0] if data.years else data.year,
             "all_months": int(data.all_months), "vintage": vintage_text(data.provenance, data.year, template.lang),
             "source_cell": source_cell or "", **{f"sheet_{key}": name for key, name in sheets.items()},
             **(places or {})}
    for row, (key, value) in enumerate(facts.items(), start=1):
        text(ws, row, 1, key)
        if isinstance(value, int):
            number(ws, row, 2, value)
        else:
            text(ws, row, 2, value)
    ws.sheet_state = "hidden"
