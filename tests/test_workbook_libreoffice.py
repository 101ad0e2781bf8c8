"""The report recomputed and rendered by a real spreadsheet engine (LibreOffice headless).

Every formula cell is compared with the Python metrics for the same inputs (relative error
≤ 1e-9) and no cell may evaluate to an error. Skips only when soffice is absent and
XL_TDR_REQUIRE_SOFFICE is unset (CI sets it).
"""

import math
import subprocess
import sys

import openpyxl
import pytest
from spreadsheet import ink, page_texts, printed_all, recalc, recalc_all, render_all, soffice

import xl_tdr
from xl_tdr import labels, metrics
from xl_tdr.api import service
from xl_tdr.periods import parse_period, shift
from xl_tdr.query import Query, Span

REL = 1e-9
BANDS_ES = labels.BANDS["es"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, built_report):
    soffice()
    folder = tmp_path_factory.mktemp("lo")
    reports = {lang: built_report(year=2025, lang=lang) for lang in ("en", "es")}
    computed = {lang: openpyxl.load_workbook(path, data_only=True)
                for lang, path in zip(reports, recalc_all(list(reports.values()), folder / "recalc"))}
    formulas = {lang: openpyxl.load_workbook(path) for lang, path in reports.items()}
    return reports, formulas, computed, folder


def close(value, expected):
    assert isinstance(value, (int, float)), f"expected a number, got {value!r}"
    assert math.isclose(value, expected, rel_tol=REL, abs_tol=1e-12), (value, expected)


def test_no_formula_evaluates_to_an_error(built):
    _, formulas, computed, _ = built
    for lang in formulas:
        checked = 0
        for ws in formulas[lang].worksheets:
            values = computed[lang][ws.title]
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        result = values[cell.coordinate].value
                        assert result is not None, f"{lang} {ws.title}!{cell.coordinate} was not computed"
                        assert not (isinstance(result, str) and result.startswith("#")), \
                            f"{lang} {ws.title}!{cell.coordinate} = {result}"
                        checked += 1
        assert checked > 300


def test_dashboard_equals_the_python_table(built):
    _, _, computed, _ = built
    table = xl_tdr.table(2025, top=5)
    extra = xl_tdr.table(2025, partners=["USMCA", "World"]).sort_values("share")  # the dashboard's order
    for lang, sheet in (("en", "TDR 2025"), ("es", "RDC 2025")):
        ws = computed[lang][sheet]
        for row, item in zip([6, 7, 8, 9, 10, 12, 13], list(table.itertuples()) + list(extra.itertuples())):
            assert ws.cell(row, 3).value == item.code
            close(ws.cell(row, 4).value, item.exports / 1e6)
            close(ws.cell(row, 5).value, item.imports / 1e6)
            close(ws.cell(row, 6).value, item.deficit / 1e6)
            close(ws.cell(row, 7).value, item.tdr)
            close(ws.cell(row, 8).value, item.coverage)
            close(ws.cell(row, 9).value, item.share)
            band = item.band if lang == "en" else BANDS_ES[item.band]
            assert ws.cell(row, 10).value == band


def test_dashboard_tdr_matches_the_cli_to_the_last_digit(built):
    _, _, computed, _ = built
    out = subprocess.run([sys.executable, "-m", "xl_tdr", "table", "2025", "--top", "5", "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout.splitlines()[1:]
    cli = [float(line.split(",")[7]) for line in out]
    sheet = [computed["en"]["TDR 2025"].cell(row, 7).value for row in range(6, 11)]
    assert [f"{v:.2f}" for v in sheet] == [f"{v:.2f}" for v in cli] == ["0.58", "0.14", "1.91", "2.68", "0.88"]
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(sheet, cli))


def test_partner_focus_follows_the_default_partner(built):
    _, _, computed, _ = built
    ws = computed["en"]["Partner focus"]
    assert ws["B3"].value == "Mexico" and ws["F3"].value == "2010"
    series = xl_tdr.series("Mexico", 2013, 2025)
    for row, item in zip(range(6, 19), series.itertuples()):
        assert ws.cell(row, 1).value == item.year
        close(ws.cell(row, 2).value, item.exports / 1e6)
        close(ws.cell(row, 3).value, item.imports / 1e6)
        close(ws.cell(row, 5).value, item.tdr)


def _rows_with(ws, column: int, first_text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, column).value or "").startswith(first_text))


def _top_chapters_equal_python(ws, partner: str, lang: str = "en") -> None:
    frame = xl_tdr.sectors(partner, 2024, top=10)
    first = _rows_with(ws, 1, "1. ")
    for row, item in zip(range(first, first + 10), frame.itertuples()):
        name = item.name_es if lang == "es" else item.name
        assert ws.cell(row, 1).value == f"{item.rank}. {name}" and ws.cell(row, 2).value == item.chapter
        close(ws.cell(row, 3).value, item.exports / 1e6)
        close(ws.cell(row, 4).value, item.imports / 1e6)
        close(ws.cell(row, 6).value, item.tdr)
        close(ws.cell(row, 7).value, item.gl)
        close(ws.cell(row, 8).value, item.share)


def test_sectors_sheet_equals_the_python_metrics(built):
    """HS 87 for the report's partners and USMCA, the all-chapter GL, the focus partner's chapters."""
    _, _, computed, _ = built
    for lang, sheet in (("en", "Sectors"), ("es", "Sectores")):
        ws = computed[lang][sheet]
        assert ws["B3"].value == 2024  # the latest sector year up to the 2025 report
        first = _rows_with(ws, 2, "2010")
        for row, code in zip(range(first, first + 6), ["2010", "1220", "5700", "5830", "4280", "0020"]):
            assert ws.cell(row, 2).value == code
            close(ws.cell(row, 3).value, xl_tdr.exports(code, 2024, sector=87) / 1e6)
            close(ws.cell(row, 4).value, xl_tdr.imports(code, 2024, sector=87) / 1e6)
            close(ws.cell(row, 6).value, xl_tdr.tdr(code, 2024, sector=87))
            close(ws.cell(row, 7).value, xl_tdr.gl(code, 2024, sector=87))
        assert f"{ws.cell(first, 6).value:.2f}" == "3.72" and f"{ws.cell(first + 1, 7).value:.2f}" == "0.94"
        second = next(
            r for r in range(first + 7, ws.max_row + 1) if ws.cell(r, 2).value == "2010")
        for row, code in zip(range(second, second + 7), ["2010", "1220", "5700", "5830", "4280", "0020", "-"]):
            close(ws.cell(row, 4).value, xl_tdr.gl(code, 2024))
        _top_chapters_equal_python(ws, "Mexico", lang)


def test_partner_focus_recomputes_for_another_choice(built, tmp_path):
    reports, _, _, _ = built
    wb = openpyxl.load_workbook(reports["en"])
    wb["Partner focus"]["B3"].value = "Taiwan"
    changed = tmp_path / "taiwan.xlsx"
    wb.save(changed)
    book = openpyxl.load_workbook(recalc(changed, tmp_path / "out"), data_only=True)
    ws = book["Partner focus"]
    assert ws["F3"].value == "5830"
    close(ws["E18"].value, xl_tdr.tdr("Taiwan", 2025))
    close(ws["B10"].value, xl_tdr.exports("Taiwan", 2017) / 1e6)
    _top_chapters_equal_python(book["Sectors"], "Taiwan")  # the same dropdown drives the top chapters


def test_trends_matrix_monthly_and_rolling(built):
    _, formulas, computed, _ = built
    ws, raw = computed["en"]["Trends"], formulas["en"]["Trends"]
    codes = [ws.cell(4, col).value for col in range(2, 9)]
    assert codes == ["2010", "1220", "5700", "5830", "4280", "0020", "-"]
    for row in range(5, 18):
        year = ws.cell(row, 1).value
        for col, code in enumerate(codes, start=2):
            close(ws.cell(row, col).value, xl_tdr.tdr(code, year))
    svc = service()
    monthly_rows = [r for r in range(19, ws.max_row + 1)
                    if isinstance(ws.cell(r, 1).value, str) and ws.cell(r, 1).value.startswith("2024-")]
    assert len(monthly_rows) == 24  # 12 months, monthly block and rolling block
    for r in monthly_rows[:12]:
        month = int(ws.cell(r, 1).value[-2:])
        for col, code in enumerate(codes, start=2):
            close(ws.cell(r, col).value, xl_tdr.tdr(code, 2024, month))
    for r in monthly_rows[12:]:
        end = (2024, int(ws.cell(r, 1).value[-2:]))
        window = [shift(end, back) for back in range(11, -1, -1)]
        for col, code in enumerate(codes, start=2):
            x, m = svc.flows(Query(code, code, Span(end[0], parse_period("R12"), tuple(window))))
            close(ws.cell(r, col).value, metrics.tdr(x, m))
            assert "COUNTIFS" in raw.cell(r, col).value


def test_every_sheet_renders_with_content(built):
    reports, _, _, folder = built
    for (lang, path), (pdf, pngs) in zip(reports.items(), render_all(list(reports.values()), folder / "png")):
        assert len(pngs) >= 8
        for page in (1, 2, 3, 4):  # dashboard, focus, trends, sectors: charts and tables
            assert ink(pdf, page) > 0.01, f"{lang} page {page} looks blank"
        assert all(png.stat().st_size > 2000 for png in pngs[:6])


def test_printed_the_report_sheets_take_at_most_eight_landscape_pages_each_with_its_source(built):
    reports, _, _, folder = built
    # the report sheets come first: 12 pages show whether they take more than 8
    for (lang, path), pdf in zip(reports.items(), printed_all(list(reports.values()), folder / "print", pages=12)):
        pages = page_texts(pdf)
        titles = openpyxl.load_workbook(path, read_only=True).sheetnames[:4]  # dashboard, focus, trends, sectors
        headers = {"en": ["Trade Deficit Ratio (TDR) of U.S. goods trade, 2025", "Partner focus", "TDR by year",
                          "Trade by sector (HS chapter), 2024"],
                   "es": ["Razón de déficit comercial (RDC) del comercio de bienes de EE. UU., 2025",
                          "Socio en detalle", "RDC por año", "Comercio por sector (capítulo SA), 2024"]}[lang]
        report_pages = {title: [p for p in pages if p.strip().splitlines()[0].strip() == header]
                        for title, header in zip(titles, headers)}
        assert all(report_pages.values()) and sum(map(len, report_pages.values())) <= 8, \
            {t: len(p) for t, p in report_pages.items()}
        word = "Source:" if lang == "en" else "Fuente:"
        assert all(any(word in page for page in found) for found in report_pages.values())  # each with its source
        assert pages.index(report_pages[titles[-1]][-1]) == sum(map(len, report_pages.values())) - 1  # first, in order
        size = subprocess.run(["pdfinfo", "-f", "1", "-l", "8", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert size.count("792 x 612 pts") == 8  # landscape letter
