"""Ribbon actions against the stand-in Excel (tests/fake_excel.py), starting from real reports."""

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import stores
from conftest import SHARED, require_shared
from fake_excel import FakeApp, FakeBook
from spreadsheet import recalc, soffice

import xl_tdr
from xl_tdr import addin, palette
from xl_tdr.addin.actions import calling_book
from xl_tdr.data.records import Observation, SectorObservation
from xl_tdr.errors import SourceError
from xl_tdr.report import build_report, gather
from xl_tdr.scales import aligned_bounds
from xl_tdr.service import Service
from xl_tdr.workbook import charts, load_template
from xl_tdr.workbook.context import Context
from xl_tdr.workbook.dashboard import chart_scale, chart_values, ranked_cells
from xl_tdr.workbook.datasheets import data_rows
from xl_tdr.workbook.sectors import sector_partners, sector_rows, sector_texts
from xl_tdr.workbook.trends import chart_series, column_heads, followed

NEW_EXPORTS = 400_000_000_000  # Mexico 2025, as a refresh might revise it
VINTAGE = {"source": "Census bulk file country.xlsx", "retrieved": "2026-11-28", "url": None, "note": "test revision"}


class Summary:
    def sentence(self):
        return "Census data through Dec 2025: 0 months added, 1 value revised"


def revise(*observations, sectors=()):
    """A refresh that really changes the store (as a refresh writes: whole months)."""
    def run(progress=None, **kwargs):
        if progress:
            progress(1, 2, "exports 2025")
        stores.revise({tuple(o[:4]): o.value for o in observations},
                      sectors={tuple(s[:5]): s.value for s in sectors})
        return Summary()
    return run


fake_refresh = revise(Observation("2010", "X", 2025, 0, NEW_EXPORTS, 0))
boost_vietnam = revise(Observation("5520", "M", 2025, 0, 2_000_000_000_000, 0))  # Vietnam becomes the largest


@pytest.fixture
def default_report(built_report) -> Path:
    """The 2025 report of the bundled data, built once per worker (tests update copies of it)."""
    return built_report(year=2025)


def copy_of(default: Path, folder: Path, name: str = "report.xlsx") -> Path:
    return Path(shutil.copy(default, folder / name))


@pytest.fixture
def report(private_home, tmp_path, default_report):
    path = copy_of(default_report, tmp_path)
    return path, openpyxl.load_workbook(path)


def meta(wb):
    return {row[0].value: row[1].value for row in wb["_xl_tdr"].iter_rows()}


def test_refresh_rewrites_the_data_sheet_with_exactly_the_new_values(report, tmp_path):
    path, wb = report
    book = FakeBook(wb, "report.xlsx")
    message = addin.refresh_data(book, run_refresh=fake_refresh)
    assert message == Summary().sentence() + "; 1 open report updated" and book.app.status_bar == message
    assert book.app.alerts == [] and book.app.full_calculations == 1
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
    assert meta(wb)["data_last_row"] == last
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
    book = FakeBook(wb, "report.xlsx")
    before = [[c.value for c in row] for row in wb["Data"].iter_rows()]

    def failing(**kwargs):
        raise SourceError("the Census server did not answer properly (HTTP 500) after 4 tries: https://x/?key=***")

    message = addin.refresh_data(book, run_refresh=failing)
    assert book.log == [] and book.app.full_calculations == 0
    assert book.app.alerts == [("xl_tdr: the data were not refreshed", message)]
    assert message.startswith("the Census server did not answer properly")
    assert book.app.status_bar is False
    assert [[c.value for c in row] for row in wb["Data"].iter_rows()] == before


def test_refresh_recalculates_every_tdr_cell_fully(private_home):
    """Application.Calculate would skip =TDR("Mexico", 2025): its arguments did not change."""
    book = FakeBook(openpyxl.Workbook(), "Book1")
    before = book.enter_function("Sheet", "A1", "TDR", "Mexico", 2025.0)
    addin.refresh_data(book, run_refresh=fake_refresh)
    assert book.app.full_calculations == 1 and book.app.calculations == 0
    after = book.shown[("Sheet", "A1")]
    assert after == pytest.approx(xl_tdr.tdr("Mexico", 2025), rel=1e-15) and after != pytest.approx(before)
    assert book.log == [] and xl_tdr.exports("Mexico", 2025) == NEW_EXPORTS


def test_every_open_report_is_updated_not_only_the_active_one(report, tmp_path):
    """Refresh pressed in a plain workbook: the two reports open in this Excel follow the data."""
    _, wb = report
    app = FakeApp()
    first = FakeBook(wb, "report.xlsx", app)
    second = FakeBook(openpyxl.load_workbook(build_report(tmp_path / "chosen.xlsx", year=2025, partners="Japan")),
                      "chosen.xlsx", app)
    plain = FakeBook(openpyxl.Workbook(), "Book1", app)  # the active book, the one clicked in
    message = addin.refresh_data("Book1", run_refresh=fake_refresh, caller=plain)
    assert message.endswith("; 2 open reports updated") and app.alerts == []
    for book in (first, second):
        mexico = [row for row in book.wb["Data"].iter_rows(min_row=2, max_col=8, values_only=True)
                  if row[0] == "2010" and row[2] == 2025 and row[3] == 0]
        assert mexico[0][5] == NEW_EXPORTS, book.name
    assert plain.log == []


def test_another_excel_instance_is_left_alone(report, tmp_path, default_report):
    """Two Excel instances: the action works in the one whose ribbon was clicked, never in the other."""
    _, wb = report
    clicked, other = FakeApp(), FakeApp()
    mine = FakeBook(wb, "report.xlsx", clicked)
    theirs = FakeBook(openpyxl.load_workbook(copy_of(default_report, tmp_path, "theirs.xlsx")), "report.xlsx", other)
    addin.refresh_data("report.xlsx", run_refresh=fake_refresh, caller=mine)
    assert mine.log and theirs.log == [] and other.status_history == [] and other.alerts == []
    assert other.full_calculations == 0 and clicked.full_calculations == 1
    addin.data_info("report.xlsx", caller=mine)
    assert [title for title, _ in clicked.alerts] == ["xl_tdr: data"] and other.alerts == []


def test_the_book_is_found_by_the_name_the_ribbon_passes():
    app = FakeApp()
    active = FakeBook(openpyxl.Workbook(), "Book1", app)
    named = FakeBook(openpyxl.Workbook(), "Informe O'Brien.xlsx", app)
    assert calling_book("Informe O'Brien.xlsx", caller=active) is named
    assert calling_book("informe o'brien.XLSX", caller=active) is named  # Excel's names ignore case
    assert calling_book("", caller=active) is active  # no window (none open: the stand-in is the caller)
    assert calling_book("closed meanwhile.xlsx", caller=active) is active
    assert calling_book(named) is named


def protect(ws, objects=True):
    ws.protection.sheet, ws.protection.objects = True, objects


def test_a_protected_report_is_left_as_it_was_and_the_alert_says_the_data_were_refreshed(report, tmp_path,
                                                                                         default_report):
    _, wb = report
    protect(wb["TDR 2025"])
    app = FakeApp()
    locked = FakeBook(wb, "report.xlsx", app)
    free = FakeBook(openpyxl.load_workbook(copy_of(default_report, tmp_path, "free.xlsx")), "free.xlsx", app)
    before = [[c.value for c in row] for row in wb["Data"].iter_rows()]
    message = addin.refresh_data(locked, run_refresh=fake_refresh)
    assert xl_tdr.exports("Mexico", 2025) == NEW_EXPORTS  # the store was refreshed
    assert message == Summary().sentence() + "; 1 open report updated" and app.status_bar == message
    assert locked.log == [] and [[c.value for c in row] for row in wb["Data"].iter_rows()] == before
    assert meta(wb)["vintage"] == meta(openpyxl.load_workbook(tmp_path / "report.xlsx"))["vintage"]  # facts untouched
    assert free.log  # the other report was updated
    [(title, text)] = app.alerts
    assert title == "xl_tdr: a report was not updated" and "not refreshed" not in title
    assert text.startswith("The data were refreshed and the formulas recalculated, but:")
    assert 'report.xlsx was not updated: its sheet "TDR 2025" is protected; unprotect it (Review > Unprotect ' \
           "Sheet) and press Refresh data again" in text
    assert app.full_calculations == 1


def test_a_chart_protected_alone_also_stops_the_update(report):
    _, wb = report
    protect(wb["Trends"])
    book = FakeBook(wb, "report.xlsx")
    addin.refresh_data(book, run_refresh=fake_refresh)
    assert book.log == [] and '"Trends" is protected' in book.app.alerts[0][1]


def test_a_bug_in_refresh_is_one_alert_and_a_reset_status_bar(report):
    _, wb = report
    book = FakeBook(wb, "report.xlsx")

    def broken(**kwargs):
        raise ZeroDivisionError("boom")
    message = addin.refresh_data(book, run_refresh=broken)
    assert message.startswith("internal error in xl_tdr (see ") and "xl_tdr.log)" in message
    assert len(book.app.alerts) == 1 and "the store was left as it was" in book.app.alerts[0][1]
    assert book.app.status_bar is False


def dashboard_partners(wb, sheet="TDR 2025"):
    ws = wb[sheet]
    return [(ws[f"B{row}"].value, ws[f"C{row}"].value) for row in range(6, 11)]


def point_colours(series) -> list[str]:
    """Each point's colour (a marker's fill, else the point's fill), in point order."""
    points = sorted(series.dPt, key=lambda p: p.idx)
    return [str((p.marker.spPr if p.marker and p.marker.spPr else p.graphicalProperties).solidFill.srgbClr)
            for p in points]


def partner_colours(wb) -> dict[str, list]:
    """The colours that say which partner is which: the dashboard's TDR markers, the Sectors
    auto chart's GL markers and GL bars, and each Trends line (colour, marker, dash)."""
    sectors = wb["Sectors"]._charts
    return {"dashboard": point_colours(charts.markers(wb["TDR 2025"]._charts[0])),
            "auto": point_colours(charts.markers(sectors[0])), "gl": point_colours(sectors[1].series[0]),
            "trends": [(str(s.graphicalProperties.line.solidFill.srgbClr), s.marker.symbol or "none",
                        {"solid": None}.get(s.graphicalProperties.line.prstDash, s.graphicalProperties.line.prstDash))
                       for s in wb["Trends"]._charts[0].series]}


def expected_colours(codes: list[str], auto: list[str], everyone: list[str], trends: list[str]) -> dict[str, list]:
    return {"dashboard": [palette.colour(c) for c in codes], "auto": [palette.colour(c) for c in auto],
            "gl": [palette.colour(c) for c in everyone],
            "trends": [(style.color, style.marker, style.dash) for style in palette.styles(trends)]}


def test_refresh_re_ranks_a_report_of_the_largest_partners(report, tmp_path):
    path, wb = report
    assert [code for _, code in dashboard_partners(wb)] == ["2010", "1220", "5700", "5830", "4280"]
    built = partner_colours(wb)
    trends = meta(wb)["trends"].split(",")
    assert built == expected_colours(trends[:5], trends[:5] + ["0020"], trends[:5] + ["0020", "-"], trends)
    addin.refresh_data(FakeBook(wb, "report.xlsx"), run_refresh=boost_vietnam)
    assert dashboard_partners(wb) == [("Vietnam", "5520"), ("Mexico", "2010"), ("Canada", "1220"),
                                      ("China", "5700"), ("Taiwan", "5830")]
    # one colour per partner after the re-ranking too: Vietnam's points and line in Vietnam's colour
    ranked = ["5520", "2010", "1220", "5700", "5830"]
    assert partner_colours(wb) == expected_colours(ranked, ranked + ["0020"], ranked + ["0020", "-"],
                                                   ranked + trends[5:]) != built
    assert meta(wb)["ranked"] == "5520,2010,1220,5700,5830" and meta(wb)["selection"] == "largest"
    data = wb["Data"]
    assert all(isinstance(c.value, str) for c in data["A"][1:] if c.value is not None)  # codes stay text
    assert "2024-01" in [c.value for c in data["E"]]  # periods stay text, never dates
    # the Trends sheet, built for the old ranking, still finds Germany's months on the Data sheet
    assert any(row[0] == "4280" and row[3] for row in data.iter_rows(min_row=2, max_col=4, values_only=True))


def test_refresh_keeps_a_chosen_set_of_partners(private_home, tmp_path):
    path = build_report(tmp_path / "chosen.xlsx", year=2025, partners="Germany,Japan")
    wb = openpyxl.load_workbook(path)
    before = dashboard_partners(wb)[:2]
    addin.refresh_data(FakeBook(wb, "chosen.xlsx"), run_refresh=boost_vietnam)
    assert dashboard_partners(wb)[:2] == before == [("Germany", "4280"), ("Japan", "5880")]
    assert meta(wb)["selection"] == "chosen"


def value_axes(chart):
    """(min, max, step) of each value axis of a chart, primary first."""
    charts = getattr(chart, "_charts", None) or [chart]
    axes = [charts[0].y_axis] + [c.y_axis for c in charts[1:] if c.y_axis.axId != charts[0].y_axis.axId]
    return [(a.scaling.min, a.scaling.max, a.majorUnit) for a in axes]


def test_a_refresh_that_moves_figures_past_the_axis_bounds_rescales_the_charts(report, tmp_path):
    """Vietnam's imports ×14 and Mexico's ×10: the dashboard's axes and the Trends cap follow, and
    the cell the Vietnam line takes its name from says how far it runs off the scale (Vietnam,
    now second on the dashboard, has the second Trends column: the columns follow the ranking)."""
    path, wb = report
    built_dashboard = value_axes(wb["TDR 2025"]._charts[0])
    assert value_axes(wb["Trends"]._charts[0]) == [(None, None, None)]  # no partner off the scale when built
    addin.refresh_data(FakeBook(wb, "report.xlsx"),
                       run_refresh=revise(Observation("5520", "M", 2025, 0, 2_000_000_000_000, 0),
                                          Observation("2010", "M", 2025, 0, 5_000_000_000_000, 0)))
    data = gather(Service(), year=2025, top=5, first_year=2013, monthly_too=meta(wb)["trends"].split(","))
    ctx = Context.of(data, load_template(None, "en"), {})
    bars, ratios = chart_values(ranked_cells(ctx))
    dashboard = value_axes(wb["TDR 2025"]._charts[0])
    assert dashboard == list(aligned_bounds(bars, ratios)) != built_dashboard
    assert dashboard[0][1] >= max(bars) > built_dashboard[0][1] and dashboard[1][1] >= max(ratios)
    assert dashboard[0][0] / dashboard[0][1] == dashboard[1][0] / dashboard[1][1]  # zeros on one gridline
    bounds, names = chart_series(ctx, column_heads(ctx, followed(meta(wb)["trends"].split(","), data.ranked)))
    labels = [name.value for name in names]
    trends = wb["Trends"]._charts[0]
    assert value_axes(trends) == [bounds] and bounds[1] < xl_tdr.tdr("Vietnam", 2025)
    # the legend still reads the cells it was built to read (they follow a re-ranked dashboard) …
    built = openpyxl.load_workbook(path)["Trends"]._charts[0]
    assert [s.tx.strRef.f for s in trends.series] == [s.tx.strRef.f for s in built.series]
    # … and those cells, recomputed by a real spreadsheet engine, name Vietnam with its peak
    soffice()
    updated = tmp_path / "rescaled.xlsx"
    wb.save(updated)
    computed = openpyxl.load_workbook(recalc(updated, tmp_path / "lo"), data_only=True)["Trends"]
    shown = [computed[s.tx.strRef.f.split("!")[1].replace("$", "")].value for s in trends.series]
    assert shown == labels and labels[1].startswith("Vietnam (off the scale: up to ")
    heads = [computed.cell(3, col).value for col in range(2, 2 + len(labels))]
    assert heads[:2] == ["Mexico", "Vietnam"] and labels[:1] + labels[2:] == heads[:1] + heads[2:]  # the others: names


def test_a_refresh_that_sends_a_tdr_off_the_scale_names_it_on_the_dashboard(private_home, tmp_path):
    """The top 6 of 2025 have no outlier when built; a refresh that quadruples China's imports
    sends its TDR three times past the next: the dashboard's ratio axis is capped under the others
    and the cell the TDR series takes its name from names China with its value, as the writer would."""
    path = build_report(tmp_path / "top6.xlsx", year=2025, top=6)
    wb = openpyxl.load_workbook(path)
    chart = wb["TDR 2025"]._charts[0]
    name_cell = charts.markers(chart).tx.strRef.f.split("!")[1].replace("$", "")
    built = openpyxl.load_workbook(path, data_only=True)["TDR 2025"][name_cell].value
    assert built == "TDR" and meta(wb)["dashboard_points_column"] == openpyxl.utils.column_index_from_string(
        name_cell.rstrip("0123456789"))
    quadrupled = 4 * xl_tdr.imports("China", 2025)
    addin.refresh_data(FakeBook(wb, "top6.xlsx"), run_refresh=revise(Observation("5700", "M", 2025, 0, quadrupled, 0)))
    data = gather(Service(), year=2025, top=6, first_year=2013, monthly_too=meta(wb)["trends"].split(","))
    ctx = Context.of(data, load_template(None, "en"), {})
    bounds, name = chart_scale(ctx, ranked_cells(ctx))
    china = xl_tdr.tdr("China", 2025)
    assert value_axes(chart) == list(bounds) and bounds[1][1] < china  # left off the capped axis
    soffice()
    updated = tmp_path / "capped.xlsx"
    wb.save(updated)
    computed = openpyxl.load_workbook(recalc(updated, tmp_path / "lo"), data_only=True)["TDR 2025"]
    assert computed[name_cell].value == name.value == f"TDR; China off the scale: {china:.2f}"


def sectors_block(ws, title):
    """The (name, code) rows of the Sectors sheet's block whose title is ``title``."""
    top = next(row for row in range(1, ws.max_row + 1) if ws[f"A{row}"].value == title)
    rows = []
    for row in range(top + 2, ws.max_row + 1):
        if not ws[f"B{row}"].value:
            return rows
        rows.append((ws[f"A{row}"].value, ws[f"B{row}"].value))
    return rows


def test_refresh_updates_sectors_and_sector_data(report, tmp_path):
    """A refresh brings 2025 trade by chapter and makes Vietnam the largest partner: the Sector
    data rows, the sector year and every title naming it, the partners of both Sectors blocks."""
    path, wb = report
    assert wb["Sectors"]["B3"].value == 2024
    chapters = [SectorObservation(code, "87", flow, 2025, 0, value, 0) for code, flow, value in
                (("2010", "X", 31_000_000_000), ("2010", "M", 140_000_000_000), ("5520", "X", 1_000_000_000),
                 ("5520", "M", 9_000_000_000), ("-", "X", 80_000_000_000), ("-", "M", 250_000_000_000))]
    addin.refresh_data(FakeBook(wb, "report.xlsx"),
                       run_refresh=revise(Observation("5520", "M", 2025, 0, 2_000_000_000_000, 0), sectors=chapters))
    data = gather(Service(), year=2025, top=5, first_year=2013, monthly_too=meta(wb)["trends"].split(","))
    template = load_template(None, "en")
    words = sector_texts(data, template)
    assert data.sector_year == 2025
    expected = [list(row) for row in sector_rows(data, template, 2)]
    sheet = wb["Sector data"]
    written = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_col=9)]
    assert written[:len(expected)] == expected and not any(map(any, written[len(expected):]))  # old rows cleared
    assert sheet.tables["TDRSectors"].ref == f"A1:I{len(expected) + 1}" and sheet["K2"].value == words["source"]
    assert wb.defined_names["sec_exports"].attr_text == f"'Sector data'!$F$2:$F${len(expected) + 1}"
    sectors = wb["Sectors"]
    assert (sectors["A1"].value, sectors["B3"].value, sectors["D3"].value) == (words["title"], 2025, words["source"])
    names = dict(zip(data.partners["code"], data.partners["name"]))
    auto, everyone = sector_partners(data)
    assert sectors_block(sectors, words["auto_title"]) == [(names[c], c) for c in auto] and auto[0] == "5520"
    assert sectors_block(sectors, words["gl_title"]) == [(names[c], c) for c in everyone]
    titles = [c.title.tx.rich.p[0].r[0].t for c in sectors._charts]
    assert titles == [words["auto_chart"], words["gl_chart"]] and "2025" in titles[0]
    soffice()  # the Sectors formulas, recomputed, read the new chapters
    updated = tmp_path / "sectors.xlsx"
    wb.save(updated)
    require_shared()  # the updated report is still one Excel opens without a repair
    for tool in ("validate.py", "checks.py"):
        result = subprocess.run([sys.executable, str(SHARED / "tools" / "ooxml" / tool), str(updated)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-2000:]
    computed = openpyxl.load_workbook(recalc(updated, tmp_path / "lo"), data_only=True)["Sectors"]
    row = next(r for r in range(1, 40) if computed[f"B{r}"].value == "2010")
    assert computed[f"C{row}"].value == pytest.approx(31_000.0) and computed[f"D{row}"].value == pytest.approx(140_000.0)
    assert computed[f"F{row}"].value == pytest.approx(xl_tdr.tdr("Mexico", 2025, sector=87), rel=1e-12)


def test_text_that_looks_like_a_formula_is_written_as_text():
    from xl_tdr.addin.updater import _as_text, _cell

    assert _as_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _as_text("+1") == "'+1"
    assert _as_text("-") == "-" and _as_text("Mexico") == "Mexico" and _as_text(5) == 5
    assert _cell(400_000_000_000) == 4e11 and type(_cell(400_000_000_000)) is float and _cell(True) is True


def test_new_report_builds_in_the_users_language_and_opens_in_the_same_excel(tmp_path, monkeypatch):
    monkeypatch.setenv("XL_TDR_LANG", "es")
    book = FakeBook(openpyxl.Workbook())
    path = addin.new_report(book, folder=tmp_path)
    assert book.app.opened == [path] and path.name == "tdr_report.xlsx"
    assert book.app.books["tdr_report.xlsx"].wb.sheetnames[0] == "RDC 2025"
    second = addin.new_report(book, folder=tmp_path)
    assert second.name == "tdr_report_2.xlsx"  # never overwrites


def test_new_reports_go_where_excel_saves_by_default(tmp_path, monkeypatch):
    """Excel's default file location (a OneDrive-redirected Documents), else the Documents folder
    the platform knows, never a guessed ~/Documents."""
    from xl_tdr.addin.actions import documents_folder

    onedrive = tmp_path / "OneDrive - Contoso" / "Documents"
    onedrive.mkdir(parents=True)
    app = FakeApp(default_file_path=str(onedrive))
    assert documents_folder(app) == onedrive
    path = addin.new_report(FakeBook(openpyxl.Workbook(), "Book1", app), opener=lambda made: None)
    assert path == onedrive / "tdr_report.xlsx" and path.is_file()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "docs"))
    (tmp_path / "docs").mkdir()
    assert documents_folder(FakeApp(default_file_path=str(tmp_path / "gone"))) == tmp_path / "docs"


def test_export_chart_writes_the_reports_exhibit_beside_it(tmp_path, monkeypatch):
    """The ribbon's Export chart: the exhibit of the report's own partners, year and language."""
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("XL_TDR_LANG", "es")
    app = FakeApp()
    path = addin.new_report(FakeBook(openpyxl.Workbook(), "Book1", app), folder=tmp_path)
    report = app.books[path.name]
    svg = addin.export_chart(report.name, caller=report, fmt="svg")
    assert svg == tmp_path / "tdr_report_chart.svg" and app.status_bar == f"xl_tdr: chart written to {svg}"
    text = svg.read_text(encoding="utf-8")
    partners = meta(report.wb)["ranked"].split(",")
    names = {row["code"]: row["partner_es"] for row in xl_tdr.table(2025, top=None).to_dict("records")}
    assert all(names[code] in text for code in partners) and "México" in text and "RDC" in text
    png = addin.export_chart(report)
    assert png.name == "tdr_report_chart.png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.alerts == []


def test_export_chart_outside_a_report_says_what_it_needs():
    book = FakeBook(openpyxl.Workbook())
    assert addin.export_chart(book) is None
    assert book.app.alerts == [("xl_tdr: no chart", "Export chart draws the chart of an xl_tdr report: open one "
                                "(New report builds it), then click Export chart in its window.")]


def test_data_info():
    book = FakeBook(openpyxl.Workbook())
    text = addin.data_info(book)
    assert book.app.alerts[0][0] == "xl_tdr: data" and "Latest month: 2025-12" in text


def test_a_bug_in_new_report_or_data_info_is_one_alert_naming_the_log(private_home, tmp_path, monkeypatch):
    """Excel refusing to open the new report, or a bug behind Data info: one alert naming the log
    and a reset status bar — never xlwings' traceback dialog."""
    import xl_tdr.tables

    book = FakeBook(openpyxl.Workbook())

    def refuse(path):
        raise RuntimeError("(-2147352567, 'Exception occurred.')")
    assert addin.new_report(book, folder=tmp_path, opener=refuse) is None
    title, text = book.app.alerts[-1]
    assert title == "xl_tdr: no report" and text.startswith("internal error in xl_tdr (see ") and "\n" not in text
    assert book.app.status_bar is False

    def broken(svc):
        raise KeyError("years")
    monkeypatch.setattr(xl_tdr.tables, "info", broken)
    text = addin.data_info(book)
    assert book.app.alerts[-1] == ("xl_tdr", text) and text.startswith("internal error in xl_tdr (see ")
    assert (private_home / "xl_tdr.log").is_file()  # the traceback is in the log the alert names


def test_the_updater_knows_no_cell_address_of_its_own():
    """One layout: every sheet, table, name and anchor the updater touches comes from workbook.layout."""
    import inspect
    import re

    from xl_tdr.addin import actions, updater

    for module in (actions, updater):
        source = inspect.getsource(module)
        assert not re.findall(r'"\$?[A-Z]{1,2}\$?\d+(:\$?[A-Z]{1,2}\$?\d+)?"', source), module
        assert "TDRData" not in source and "TDRSectors" not in source and '"_xl_tdr"' not in source
        assert not re.search(r'"(tdr|sec)_(code|year|month|exports|imports|mindex|chapter|name|gap)"', source)
