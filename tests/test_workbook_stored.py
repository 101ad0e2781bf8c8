"""Every formula cell carries its result: what a viewer that never recalculates shows (Excel's
Protected View, a phone or mail preview, pandas) equals what LibreOffice computes when it does
recalculate — numbers to 1e-9 relative, text and errors equal — and the charts' caches hold the
values their cells store, with a gap (#N/A) where a year has no value.

Skips only when soffice is absent and XL_TDR_REQUIRE_SOFFICE is unset (CI sets it).
"""

import functools
import math
import zipfile

import openpyxl
import pandas
import pytest
from lxml import etree
from openpyxl.utils.cell import range_boundaries
from spreadsheet import recalc_all, soffice

import xl_tdr

REL = 1e-9
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
REPORTS = {
    "en": {"year": 2025},
    "es": {"year": 2025, "lang": "es"},
    "surplus": {"year": 2024, "partners": "Netherlands,Australia,Mexico,China"},
    "one": {"year": 2025, "partners": "Mexico"},
    "fifteen": {"year": 2025, "top": 15},
    "months": {"year": 2025, "all_months": True},
    "north_korea": {"year": 2025, "partners": "North Korea"},  # TDR n/a 2017–2022: #N/A chart points
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory, built_report):
    """Name → (the report, LibreOffice's recalculated copy)."""
    soffice()
    folder = tmp_path_factory.mktemp("stored")
    paths = [built_report(**options) for options in REPORTS.values()]
    return dict(zip(REPORTS, zip(paths, recalc_all(paths, folder / "recalc"))))


@functools.lru_cache(maxsize=None)
def values_of(path):
    """A workbook's stored values (read once per path; the tests only read them)."""
    return openpyxl.load_workbook(path, data_only=True)


def same(stored, computed) -> bool:
    if isinstance(stored, (int, float)) and isinstance(computed, (int, float)):
        return math.isclose(stored, computed, rel_tol=REL, abs_tol=1e-12)
    return stored == computed


def formula_cells(path):
    """(sheet, coordinate, cell type, stored text) of every formula cell, read from the XML."""
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        names = [sheet.get("name") for sheet in book.iter(f"{MAIN}sheet")]
        for index, name in enumerate(names, start=1):
            for cell in etree.fromstring(archive.read(f"xl/worksheets/sheet{index}.xml")).iter(f"{MAIN}c"):
                if cell.find(f"{MAIN}f") is not None:
                    yield name, cell.get("r"), cell.get("t"), cell.findtext(f"{MAIN}v")


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_formula_cell_stores_what_libreoffice_computes(reports, name):
    path, recalculated = reports[name]
    cells = list(formula_cells(path))
    assert len(cells) > 2500
    assert all(text not in (None, "") or kind == "str" for _, _, kind, text in cells), "a formula without a result"
    stored, computed = values_of(path), values_of(recalculated)
    wrong = [(sheet, where, stored[sheet][where].value, computed[sheet][where].value) for sheet, where, _, _ in cells
             if not same(stored[sheet][where].value, computed[sheet][where].value)]
    assert not wrong, f"{name}: {len(wrong)} stored results differ from LibreOffice's, e.g. {wrong[:5]}"
    kinds = {kind for _, _, kind, _ in cells}
    assert {None, "str"} <= kinds  # numbers and text ("n/a", names, bands)
    if name == "north_korea":
        errors = [(sheet, where) for sheet, where, kind, text in cells if kind == "e"]
        assert errors and all(stored[s][w].value == "#N/A" == computed[s][w].value for s, w in errors)


@pytest.mark.parametrize("name", ["en", "es"])
def test_pandas_reads_the_dashboards_numbers(reports, name):
    path = reports[name][0]
    sheets = pandas.read_excel(path, sheet_name=None, header=None)
    dashboard = sheets["TDR 2025" if name == "en" else "RDC 2025"]
    table = xl_tdr.table(2025, top=5)
    rows = dashboard.iloc[5:10]  # rows 6–10: the five largest partners
    assert rows[2].tolist() == table["code"].tolist()
    for column, field in ((3, "exports"), (4, "imports"), (5, "deficit")):
        assert rows[column].tolist() == pytest.approx((table[field] / 1e6).tolist(), rel=REL)
    assert rows[6].tolist() == pytest.approx(table["tdr"].tolist(), rel=REL)


@pytest.mark.parametrize("name", list(REPORTS))
def test_the_charts_caches_hold_the_stored_values(reports, name):
    path = reports[name][0]
    stored = values_of(path)
    checked = 0
    with zipfile.ZipFile(path) as archive:
        for part in (n for n in archive.namelist() if n.startswith("xl/charts/chart")):
            for series in etree.fromstring(archive.read(part)).iter(f"{C}ser"):
                reference = series.findtext(f"{C}val/{C}numRef/{C}f")
                sheet, cells = reference.rsplit("!", 1)
                low_col, low_row, _, high_row = range_boundaries(cells.replace("$", ""))
                values = [stored[sheet.strip("'")].cell(row, low_col).value for row in range(low_row, high_row + 1)]
                cache = series.find(f"{C}val/{C}numRef/{C}numCache")
                points = {int(p.get("idx")): float(p.findtext(f"{C}v")) for p in cache.iter(f"{C}pt")}
                assert int(cache.find(f"{C}ptCount").get("val")) == len(values)
                assert points == pytest.approx({i: v for i, v in enumerate(values) if isinstance(v, (int, float))})
                assert all(values[i] == "#N/A" for i in range(len(values)) if i not in points)  # gaps, never zeros
                checked += 1
    assert checked >= 8


def test_north_korea_draws_no_tdr_for_the_years_without_exports(reports):
    path = reports["north_korea"][0]
    ws = values_of(path)["Partner focus"]
    tdr = {ws.cell(row, 1).value: ws.cell(row, 5).value for row in range(6, 19)}
    assert [year for year, value in tdr.items() if value == "n/a"] == list(range(2017, 2023))
    with zipfile.ZipFile(path) as archive:
        focus = etree.fromstring(archive.read("xl/charts/chart2.xml"))
    title = focus.findtext(f"{C}chart/{C}title/{C}tx/{C}strRef/{C}strCache/{C}pt/{C}v")  # from the cell
    assert title == "North Korea: TDR by year, 2013–2025"
    points = {int(p.get("idx")) for p in focus.find(f".//{C}ser/{C}val/{C}numRef/{C}numCache").iter(f"{C}pt")}
    assert points == {0, 1, 2, 3, 10, 11, 12}  # 2017–2022 are gaps
