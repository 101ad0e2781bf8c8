"""The report workbook, read back independently (zip + XML, openpyxl)."""

import re
import zipfile

import openpyxl
import pytest
from lxml import etree

import xl_tdr
from xl_tdr.errors import XlTdrError
from xl_tdr.report import build_report

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture
def report(built_report):
    return built_report(year=2025)


def test_sheets_tables_and_names(report):
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["TDR 2025", "Partner focus", "Trends", "Sectors", "Data", "Sector data", "Partners",
                             "About", "_xl_tdr"]
    assert set(wb["Sector data"].tables) == {"TDRSectors"}
    assert wb.defined_names["sec_gap"].attr_text == f"'Sector data'!$H$2:$H${wb['Sector data'].max_row}"
    assert wb.defined_names["tdr_sector_year"].attr_text == "'Sectors'!$B$3" and wb["Sectors"]["B3"].value == 2024
    sector_rows = list(wb["Sector data"].iter_rows(min_row=2, values_only=True))
    mexico = [row for row in sector_rows if row[0] == "2010"]
    assert len(mexico) > 90 and mexico[0][2:5] == ("87", "Vehicles and parts", 2024) and mexico[0][8] == 1
    japan = [row for row in sector_rows if row[0] == "5880"]  # not a report partner: its top 10 chapters
    assert [row[8] for row in japan] == list(range(1, 11))
    assert all(isinstance(row[2], str) for row in sector_rows)  # chapters stay text ("01", not 1)
    assert wb["_xl_tdr"].sheet_state == "hidden"
    assert set(wb["Data"].tables) == {"TDRData"} and set(wb["Partners"].tables) == {"TDRPartners"}
    assert wb["Data"].freeze_panes == "A2"
    names = {name: wb.defined_names[name].attr_text for name in wb.defined_names}
    last = wb["Data"].max_row
    assert names["tdr_exports"] == f"'Data'!$F$2:$F${last}"
    assert names["tdr_report_year"] == "'TDR 2025'!$C$3"
    meta = {row[0].value: row[1].value for row in wb["_xl_tdr"].iter_rows()}
    assert meta["kind"] == "xl_tdr report" and meta["data_last_row"] == last
    assert meta["ranked"] == "2010,1220,5700,5830,4280"


def test_dashboard_formulas_are_live(report):
    ws = openpyxl.load_workbook(report)["TDR 2025"]
    assert [ws.cell(r, 2).value for r in range(6, 11)] == ["Mexico", "Canada", "China", "Taiwan", "Germany"]
    assert [ws.cell(r, 2).value for r in (12, 13)] == ["USMCA", "World"]
    assert ws["D6"].value == "=SUMIFS(tdr_exports,tdr_code,$C6,tdr_year,tdr_report_year,tdr_month,0)/1000000"
    assert ws["G6"].value == '=IF(D6=0,"n/a",(E6-D6)/D6)'
    assert ws["I6"].value.startswith("=IF($D$13+$E$13=0")
    formulas = [c.value for row in ws.iter_rows(min_row=6, max_row=13, min_col=4, max_col=10) for c in row if c.value]
    assert all(isinstance(f, str) and f.startswith("=") for f in formulas) and len(formulas) == 7 * 7


def test_conditional_formats_and_validation(report):
    wb = openpyxl.load_workbook(report)
    rules = {(str(rng.sqref), rule.type) for rng in wb["TDR 2025"].conditional_formatting for rule in rng.rules}
    assert {("G6:G13", "cellIs"), ("G6:G13", "colorScale"), ("F6:F10", "dataBar"), ("A6:F13", "expression")} <= rules
    validations = wb["Partner focus"].data_validations.dataValidation
    assert len(validations) == 1 and str(validations[0].sqref) == "B3"
    assert validations[0].type == "list" and validations[0].formula1 == "'Partners'!$B$2:$B$257"


def _chart_xml(path, index):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(f"xl/charts/chart{index}.xml"))


def test_the_tdr_chart(report):
    chart = _chart_xml(report, 1)
    bars, lines = chart.findall(".//c:barChart", NS), chart.findall(".//c:lineChart", NS)
    assert len(bars) == 1 and len(lines) == 1
    assert bars[0].find("c:barDir", NS).get("val") == "col" and bars[0].find("c:grouping", NS).get("val") == "clustered"
    refs = [f.text for f in chart.findall(".//c:ser/c:val//c:f", NS)]
    assert refs[:2] == ["'TDR 2025'!$F$6:$F$10", "'TDR 2025'!$D$6:$D$10"]
    column = refs[2].split("!$")[1].split("$")[0]  # the TDR markers read hidden cells: the TDR or #N/A
    assert refs[2] == f"'TDR 2025'!${column}$6:${column}$10"
    ws = openpyxl.load_workbook(report)["TDR 2025"]
    assert ws[f"{column}6"].value == "=IF(ISNUMBER(G6),G6,NA())" and ws.column_dimensions[column].hidden
    assert chart.find(".//c:plotVisOnly", NS).get("val") == "0"  # hidden cells are drawn
    shown_as_blank = chart.find("c:chart/c:extLst/c:ext/{http://schemas.microsoft.com/office/drawing/2017/03/chart}"
                                "dataDisplayOptions16/{http://schemas.microsoft.com/office/drawing/2017/03/chart}"
                                "dispNaAsBlank", NS)
    assert shown_as_blank.get("val") == "1" and chart.find(".//c:dispBlanksAs", NS).get("val") == "gap"  # #N/A: a gap
    names = [f.text for f in chart.findall(".//c:ser/c:tx/c:strRef/c:f", NS)]  # series names from cells
    assert names == ["'TDR 2025'!$F$5", "'TDR 2025'!$D$5", f"'TDR 2025'!${column}$5"]
    assert [v.text for v in chart.findall(".//c:ser/c:tx//c:v", NS)] == ["Trade deficit", "Exports", "TDR"]
    title = "".join(chart.find(".//c:title", NS).itertext())
    assert title == "Trade deficit and exports, 2025 — millions of dollars and TDR"
    for part in ("c:title", "c:legend"):  # never drawn over the plot
        assert chart.find(f".//{part}/c:overlay", NS).get("val") == "0"
    line_axes = [a.get("val") for a in lines[0].findall("c:axId", NS)]
    value_axes = {a.find("c:axId", NS).get("val"): a for a in chart.findall(".//c:valAx", NS)}
    secondary = value_axes[line_axes[1]]
    assert secondary.find("c:crosses", NS).get("val") == "max"
    assert lines[0].find(".//c:dLbls/c:showVal", NS).get("val") == "1"
    assert lines[0].find(".//c:spPr/a:ln/a:noFill", {**NS, "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}) is not None


def test_focus_and_trends_charts(report):
    focus = _chart_xml(report, 2)
    assert focus.find(".//c:ser/c:tx/c:strRef/c:f", NS).text == "'Partner focus'!$B$3"
    trends = _chart_xml(report, 4)
    assert len(trends.findall(".//c:lineChart/c:ser", NS)) == 7  # top 5 + USMCA + World (China is ranked)


def test_trends_prints_in_two_pages(report):
    ws = openpyxl.load_workbook(report)["Trends"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == 1 and breaks[0] > 18 + 20  # the yearly table and its chart, then the monthly tables
    assert ws.cell(breaks[0], 1).value.startswith("=")  # the source line (the dashboard's) ends the first page
    assert 10 <= ws.page_setup.scale <= 100 and ws.page_setup.orientation == "landscape"


def test_source_line_and_reading_guide(report):
    ws = openpyxl.load_workbook(report)["TDR 2025"]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("Source: Census bulk file country.xlsx, retrieved 2026-10. Exports: total") for v in cells)
    assert "TDR 0.50" in cells and "How to read the TDR" in cells


def test_data_sheet_holds_the_store_values(report):
    ws = openpyxl.load_workbook(report)["Data"]
    rows = {(r[0], r[2], r[3]): (r[5], r[6]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[("2010", 2024, 0)] == (334_031_930_350, 505_523_174_525)
    assert rows[("2010", 2025, 0)] == (xl_tdr.exports("Mexico", 2025), xl_tdr.imports("Mexico", 2025))
    assert rows[("2010", 2024, 3)] == (xl_tdr.exports("Mexico", 2024, 3), xl_tdr.imports("Mexico", 2024, 3))
    assert ("-", 2025, 0) in rows and ("0020", 2013, 0) in rows
    assert ws["F2"].number_format == "#,##0"


def test_spanish_report(built_report):
    path = built_report(year=2025, lang="es")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["RDC 2025", "Socio", "Tendencias"]
    ws = wb["RDC 2025"]
    assert ws["B6"].value == "México" and ws["B12"].value == "T-MEC" and ws["B13"].value == "Mundo"
    assert "superávit" in ws["J6"].value and "alta dependencia" in ws["J6"].value
    assert wb["Socio"].data_validations.dataValidation[0].formula1 == "'Socios'!$C$2:$C$257"
    title = "".join(_chart_xml(path, 1).find(".//c:title", NS).itertext())
    assert title == "Déficit comercial y exportaciones, 2025 — millones de dólares y RDC"


def test_partner_names_are_unique_for_the_dropdown():
    frame = xl_tdr.partners()
    assert frame["name"].is_unique and frame["name_es"].is_unique


def test_options_partners_top_year_from(built_report):
    path = built_report(year=2024, partners="Japan, Mexico", first_year=2020)
    wb = openpyxl.load_workbook(path)
    ws = wb["TDR 2024"]
    assert [ws.cell(r, 2).value for r in (6, 7)] == ["Mexico", "Japan"]  # by total trade, not as typed
    years = {r[2] for r in wb["Data"].iter_rows(min_row=2, values_only=True)}
    assert years == {2020, 2021, 2022, 2023, 2024}
    assert len(_chart_xml(path, 4).findall(".//c:lineChart/c:ser", NS)) == 5  # + China, USMCA, World


def test_default_output_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert build_report().name == "tdr_report_2025.xlsx"


def test_templates(tmp_path):
    custom = tmp_path / "mine.toml"
    custom.write_text('lang = "en"\nsheets = ["dashboard", "about"]\n[text]\ntitle = "Our TDR view, {year}"\n')
    wb = openpyxl.load_workbook(build_report(tmp_path / "c.xlsx", template=str(custom)))
    assert wb.sheetnames == ["TDR 2025", "About", "Data", "Partners", "_xl_tdr"]
    assert wb["TDR 2025"]["A1"].value == "Our TDR view, 2025"
    assert wb["TDR 2025"]["D5"].value == "Exports"  # the rest comes from the shipped template
    for text, message in (('sheets = ["pie"]', "unknown sheet 'pie'"), ("title = ", "not valid TOML")):
        custom.write_text(text)
        with pytest.raises(XlTdrError, match=message):
            build_report(tmp_path / "d.xlsx", template=str(custom))
    with pytest.raises(XlTdrError, match="does not exist"):
        build_report(tmp_path / "d.xlsx", template=str(tmp_path / "missing.toml"))


def test_text_from_data_never_becomes_a_formula(tmp_path):
    from xl_tdr.report import gather
    from xl_tdr.service import Service
    from xl_tdr.workbook import load_template, write_report

    data = gather(Service(), year=2025)
    hostile = {"2010": '=HYPERLINK("http://x","y")', "1220": "+1", "5700": "@SUM(A1)", "5830": "-2"}
    data.partners = data.partners.assign(name=[hostile.get(c, n) for c, n in zip(data.partners["code"], data.partners["name"])])
    path = tmp_path / "hostile.xlsx"
    write_report(data, load_template("en"), path)
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/sheet"):
                for cell in etree.fromstring(archive.read(part)).iter(f"{{{NS['m']}}}c"):
                    formula = cell.find("m:f", NS)
                    if formula is not None:
                        assert "HYPERLINK" not in formula.text and not formula.text.startswith("@")
    ws = openpyxl.load_workbook(path)["TDR 2025"]
    assert [ws.cell(r, 2).value for r in range(6, 10)] == list(hostile.values())
    assert all(ws.cell(r, 2).data_type == "s" for r in range(6, 10))


def test_no_sectors_sheet_for_a_year_before_sector_data(built_report):
    wb = openpyxl.load_workbook(built_report(year=2020))
    assert "Sectors" not in wb.sheetnames and "Sector data" not in wb.sheetnames
    assert "Trends" in wb.sheetnames


def test_the_report_is_readable_as_a_plain_save_would_leave_it(tmp_path):
    import os

    previous = os.umask(0o022)
    try:
        path = build_report(tmp_path / "shared.xlsx", year=2025, top=1)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644  # not the temporary file's private 0600


def test_the_partner_dropdown_is_alphabetical_in_the_reports_language(built_report):
    import unicodedata

    def plain(name):
        return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()

    for lang, column in (("en", 2), ("es", 3)):
        wb = openpyxl.load_workbook(built_report(year=2025, lang=lang, top=1))
        sheet = wb["Partners" if lang == "en" else "Socios"]
        names = [sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)]
        assert [plain(n) for n in names] == sorted(plain(n) for n in names)
        wanted = ["Germany", "Japan", "Mexico"] if lang == "en" else ["Alemania", "Japón", "México"]
        assert [names.index(n) for n in wanted] == sorted(names.index(n) for n in wanted)
        assert sheet.cell(2 + names.index(wanted[-1]), 1).value == "2010"  # each row keeps its code


ENGLISH = ["Source", "retrieved", "Month index", "bulk file", "by HS chapter", "whole dollars", "annual totals",
           "monthly", "summed", "off the scale", "Exports", "Imports", "Partner", "Year", "Reading", "deficit",
           "refresh", "values added", "Units", "Basis", "Provenance", "Rank", "trade", "pooled", "members"]


def _chart_texts(path):
    A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        for part in (n for n in archive.namelist() if n.startswith("xl/charts/chart")):
            root = etree.fromstring(archive.read(part))
            yield from (t.text for t in root.iter(f"{A}t") if t.text)
            yield from (v.text for v in root.iter(f"{{{NS['c']}}}v") if v.text and not v.text[:1].isdigit())


def test_the_spanish_report_is_entirely_spanish(built_report):
    path = built_report(year=2025, lang="es")
    wb = openpyxl.load_workbook(path, data_only=True)  # formulas' stored results too
    english_columns = {"Socios": {2, 4}}  # the English and Census names, by design
    found = [(ws.title, cell.coordinate, cell.value) for ws in wb.worksheets if ws.title != "_xl_tdr"
             for row in ws.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.column not in english_columns.get(ws.title, set())
             and not cell.value.startswith("http") and not (ws.title in ("Datos", "Datos sectoriales") and cell.column == 2)]
    found += [("chart", "", text) for text in _chart_texts(path)]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH)) + r")\b")
    english = [item for item in found if pattern.search(re.sub(r"`[^`]*`", "", item[2]))]  # (commands aside)
    assert not english, english[:10]
    assert len(found) > 3000


def test_the_first_build_equals_the_second(private_home, tmp_path):
    """A new data folder: the first build reads the bundled data as every later one does."""
    first = build_report(tmp_path / "first.xlsx", year=2025)
    second = build_report(tmp_path / "second.xlsx", year=2025)

    def cells(path):
        wb = openpyxl.load_workbook(path, data_only=True)
        return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None and (ws.title, c.column) not in (("About", 1), ("_xl_tdr", 2))}

    before, after = cells(first), cells(second)
    assert before == after and len(before) > 40000
    sources = [v for (sheet, where), v in before.items() if sheet == "Data" and where.startswith("J") and v == "Source"]
    assert len(sources) == len([v for v in xl_tdr.api.service().vintages() if v["years"]]) == 6
    sector_line = before[("Sectors", "D3")]
    assert "by HS chapter, retrieved" in sector_line and "local" not in sector_line


HOSTILE_TEMPLATES = {
    '[text]\ntitle = "TDR {year!z}"': "title has {year!z}: a placeholder takes no conversion or format",
    '[text]\ntitle = "TDR {year:s}"': "title has {year:s}: a placeholder takes no conversion or format",
    '[text]\ntitle = "TDR {partner}"': "title has the unknown placeholder {partner} (this text fills: {year})",
    '[text]\ntitle = "TDR \\u0001 {year}"': "title has the character U+0001, which a worksheet cannot hold",
    '[names]\ntrends = "Tr\\u0007ends"': "trends has the character U+0007",
    '[names]\ntrends = "Tr\\tends"': "trends has the character U+0009",
    '[style]\nratio = "0.00\\u0000"': "ratio has the character U+0000",
    '[style]\nratio = "0.00\\""': "ratio is not a number format Excel reads",
    "[about]\nlines = [1, 2]": "lines must be a list of texts, not of whole numbers",
    '[text]\nguide = [["a"]]': "guide must be a list of pairs of texts",
    "[text]\nguide = [[1, 2]]": "guide must be a list of pairs of texts",
    '[text]\nguide = ["a", "b"]': "guide must be a list of lists, not of texts",
    "x = " + "[" * 2000 + "]" * 2000: "nested too deeply",
    "[text]\nguide = " + "[" * 2000 + "]" * 2000: "nested too deeply",
    "text = 5": "text must be a table",
    'sheets = "dashboard"': "sheets must be a list",
    "lang = 5": "lang must be text",
}


@pytest.mark.parametrize("body", list(HOSTILE_TEMPLATES))
def test_a_template_is_checked_all_the_way_down(tmp_path, body):
    from xl_tdr.errors import TemplateError
    from xl_tdr.workbook import load_template

    path = tmp_path / "hostile.toml"
    path.write_text(body if body.startswith("lang") else f'lang = "en"\n{body}\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape(HOSTILE_TEMPLATES[body])):
        load_template(str(path))


def test_a_template_may_leave_the_guide_empty_and_start_with_a_bom(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'lang = "en"\n[text]\nguide = []\n')
    wb = openpyxl.load_workbook(build_report(tmp_path / "r.xlsx", year=2025, top=1, template=str(path)))
    assert "TDR 0.50" not in [c.value for row in wb["TDR 2025"].iter_rows() for c in row]
