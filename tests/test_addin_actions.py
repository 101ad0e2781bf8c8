"""Ribbon actions against a stand-in Book that starts from a real generated report."""

import openpyxl
import pytest
from fake_excel import FakeBook
from spreadsheet import recalc, soffice

import xl_tdr
from xl_tdr import addin
from xl_tdr.data.records import Observation
from xl_tdr.data.store import Store
from xl_tdr.errors import SourceError
from xl_tdr.report import build_report, gather
from xl_tdr.service import Service
from xl_tdr.workbook.datasheets import data_rows

NEW_EXPORTS = 400_000_000_000  # Mexico 2025, as a refresh might revise it


class Summary:
    def sentence(self):
        return "Census data through Dec 2025: 0 months added, 1 value revised"


def fake_refresh(progress=None, **kwargs):
    """A refresh that really changes the store: Mexico's 2025 exports are revised."""
    if progress:
        progress(1, 2, "exports 2025")
    Store().write([Observation("2010", "X", 2025, 0, NEW_EXPORTS, 77)],
                  [{"id": 77, "source": "Census bulk file country.xlsx", "retrieved": "2026-11-28",
                    "url": None, "note": "test revision"}], {})
    return Summary()


@pytest.fixture
def report(private_home, tmp_path):
    path = build_report(tmp_path / "report.xlsx", year=2025)
    return path, openpyxl.load_workbook(path)


def test_refresh_rewrites_the_data_sheet_with_exactly_the_new_values(report, tmp_path):
    path, wb = report
    book = FakeBook(wb)
    message = addin.refresh_data(book, run_refresh=fake_refresh)
    assert message == Summary().sentence() and book.app.status_bar == message
    assert book.app.alerts == [] and book.app.calculations == 1
    assert any("1/2 exports 2025" in str(text) for text in book.app.status_history)
    data = gather(Service(), year=2025, partners=["2010", "1220", "5700", "5830", "4280"], first_year=2013)
    names = dict(zip(data.partners["code"], data.partners["name"]))
    expected = [list(row) for row in data_rows(data, names)]
    ws = wb["Data"]
    written = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=len(expected) + 1, max_col=8)]
    assert written == expected
    assert [r for r in written if r[0] == "2010" and r[2] == 2025][0][5] == NEW_EXPORTS
    last = len(expected) + 1
    assert wb.defined_names["tdr_exports"].attr_text == f"'Data'!$F$2:$F${last}"
    assert ws.tables["TDRData"].ref == f"A1:H{last}"
    meta = {row[0].value: row[1].value for row in wb["_xl_tdr"].iter_rows()}
    assert meta["data_last_row"] == last
    assert any(str(v).startswith("2025") for v in [c.value for c in ws["K"]] if v)  # provenance rewritten
    # ... and the report's formulas, recomputed by a real spreadsheet engine, follow the new data
    soffice()
    updated = tmp_path / "updated.xlsx"
    wb.save(updated)
    dashboard = openpyxl.load_workbook(recalc(updated, tmp_path / "lo"), data_only=True)["TDR 2025"]
    assert dashboard["D6"].value == NEW_EXPORTS / 1e6
    assert dashboard["G6"].value == pytest.approx(xl_tdr.tdr("Mexico", 2025), rel=1e-12)


def test_a_failed_refresh_writes_nothing_and_alerts_once(report):
    _, wb = report
    book = FakeBook(wb)
    before = [[c.value for c in row] for row in wb["Data"].iter_rows()]

    def failing(**kwargs):
        raise SourceError("the Census server did not answer properly (HTTP 500) after 4 tries: https://x/?key=***")

    message = addin.refresh_data(book, run_refresh=failing)
    assert book.log == [] and book.app.calculations == 0
    assert book.app.alerts == [("xl_tdr: the data were not refreshed", message)]
    assert message.startswith("the Census server did not answer properly")
    assert book.app.status_bar is False
    assert [[c.value for c in row] for row in wb["Data"].iter_rows()] == before


def test_refresh_from_another_workbook_only_refreshes(private_home):
    wb = openpyxl.Workbook()
    book = FakeBook(wb)
    addin.refresh_data(book, run_refresh=fake_refresh)
    assert book.log == [] and book.app.calculations == 1
    assert xl_tdr.exports("Mexico", 2025) == NEW_EXPORTS


def test_text_that_looks_like_a_formula_is_written_as_text():
    from xl_tdr.addin.actions import _as_text

    assert _as_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _as_text("+1") == "'+1"
    assert _as_text("-") == "-" and _as_text("Mexico") == "Mexico" and _as_text(5) == 5


def test_new_report_builds_in_the_users_language_and_opens(tmp_path, monkeypatch):
    monkeypatch.setenv("XL_TDR_LANG", "es")
    opened = []
    book = FakeBook(openpyxl.Workbook())
    path = addin.new_report(book, folder=tmp_path, opener=opened.append)
    assert opened == [path] and path.name == "tdr_report.xlsx"
    assert openpyxl.load_workbook(path).sheetnames[0] == "RDC 2025"
    second = addin.new_report(book, folder=tmp_path, opener=opened.append)
    assert second.name == "tdr_report_2.xlsx"  # never overwrites


def test_data_info():
    book = FakeBook(openpyxl.Workbook())
    text = addin.data_info(book)
    assert book.app.alerts[0][0] == "xl_tdr: data" and "Latest month: 2025-12" in text


def test_a_bug_in_refresh_is_one_alert_and_a_reset_status_bar(report):
    _, wb = report
    book = FakeBook(wb)

    def broken(**kwargs):
        raise ZeroDivisionError("boom")
    message = addin.refresh_data(book, run_refresh=broken)
    assert message.startswith("internal error in xl_tdr (see ") and message.endswith("xl_tdr.log)")
    assert len(book.app.alerts) == 1 and "the store was left as it was" in book.app.alerts[0][1]
    assert book.app.status_bar is False


def boost_vietnam(progress=None, **kwargs):
    """A refresh after which Vietnam is the largest partner of 2025."""
    Store().write([Observation("5520", "M", 2025, 0, 2_000_000_000_000, 78)],
                  [{"id": 78, "source": "Census bulk file country.xlsx", "retrieved": "2026-11-28",
                    "url": None, "note": "test revision"}], {})
    return Summary()


def dashboard_partners(wb, sheet="TDR 2025"):
    ws = wb[sheet]
    return [(ws[f"B{row}"].value, ws[f"C{row}"].value) for row in range(6, 11)]


def test_refresh_re_ranks_a_report_of_the_largest_partners(report, tmp_path):
    path, wb = report
    assert [code for _, code in dashboard_partners(wb)] == ["2010", "1220", "5700", "5830", "4280"]
    addin.refresh_data(FakeBook(wb), run_refresh=boost_vietnam)
    assert dashboard_partners(wb) == [("Vietnam", "5520"), ("Mexico", "2010"), ("Canada", "1220"),
                                      ("China", "5700"), ("Taiwan", "5830")]
    meta = {row[0].value: row[1].value for row in wb["_xl_tdr"].iter_rows()}
    assert meta["ranked"] == "5520,2010,1220,5700,5830" and meta["selection"] == "largest"
    data = wb["Data"]
    assert all(isinstance(c.value, str) for c in data["A"][1:] if c.value is not None)  # codes stay text
    assert "2024-01" in [c.value for c in data["E"]]  # periods stay text, never dates
    soffice()
    updated = tmp_path / "reranked.xlsx"
    wb.save(updated)
    dashboard = openpyxl.load_workbook(recalc(updated, tmp_path / "lo"), data_only=True)["TDR 2025"]
    for row, name in zip(range(6, 11), ["Vietnam", "Mexico", "Canada", "China", "Taiwan"]):
        assert dashboard[f"G{row}"].value == pytest.approx(xl_tdr.tdr(name, 2025), rel=1e-12), name
    # the Trends sheet, built for the old ranking, still finds Germany's months on the Data sheet
    assert any(row[0] == "4280" and row[3] for row in data.iter_rows(min_row=2, max_col=4, values_only=True))


def test_refresh_keeps_a_chosen_set_of_partners(private_home, tmp_path):
    path = build_report(tmp_path / "chosen.xlsx", year=2025, partners="Germany,Japan")
    wb = openpyxl.load_workbook(path)
    before = dashboard_partners(wb)[:2]
    addin.refresh_data(FakeBook(wb), run_refresh=boost_vietnam)
    assert dashboard_partners(wb)[:2] == before == [("Germany", "4280"), ("Japan", "5880")]
    meta = {row[0].value: row[1].value for row in wb["_xl_tdr"].iter_rows()}
    assert meta["selection"] == "chosen"


def test_the_updater_knows_no_cell_address_of_its_own():
    """One layout: every sheet, table, name and anchor the updater touches comes from workbook.layout."""
    import inspect
    import re

    from xl_tdr.addin import actions

    source = inspect.getsource(actions)
    assert not re.findall(r'"\$?[A-Z]{1,2}\$?\d+(:\$?[A-Z]{1,2}\$?\d+)?"', source)
    assert "TDRData" not in source and '"_xl_tdr"' not in source
    assert not re.search(r'"tdr_(code|year|month|exports|imports|mindex)"', source)
