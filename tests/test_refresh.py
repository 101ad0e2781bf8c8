"""Refresh from a loopback Census (API and bulk file): happy paths, increments, revisions."""

import csv
import sqlite3
from datetime import date

import pytest
from census_server import KEY, bulk_xlsx

import xl_tdr
from xl_tdr import cli
from xl_tdr.data.bundle import Bundle
from xl_tdr.data.store import Store
from xl_tdr.data.view import View
from xl_tdr.refresh import refresh
from xl_tdr.refresh.plan import api_ranges
from xl_tdr.service import Service


def shared_values(census, flow_file, column):
    with (census / flow_file).open() as handle:
        return {(r["CTY_CODE"], int(r["YEAR"]), int(r["MONTH"])): int(r[column]) for r in csv.DictReader(handle)}


def effective(flow: str) -> dict:
    """Every monthly value of ``flow`` every face sees now (the bundle with the store over it)."""
    view = View(Store(), Bundle())
    return {(code, year, month): value for code, f, year, month, value, _ in view.rows if f == flow and month}


def test_incremental_api_refresh_adds_the_missing_months_exactly(census_env, census, data_until):
    data_until((2024, 6))
    summary = refresh("api", today=date(2025, 3, 1))
    assert summary.months_added == [(2024, m) for m in range(7, 13)]
    assert summary.revisions == [] and summary.requests == 4  # 2024 and 2025, both flows
    assert summary.sentence() == "Census data through Dec 2025: 6 months added, 0 values revised"
    exports = shared_values(census, "census_api_exports_monthly_2013-2024.csv", "ALL_VAL_MO")
    assert effective("X") == exports
    assert xl_tdr.tdr("Mexico", 2024) == (505_523_174_525 - 334_031_930_350) / 334_031_930_350
    assert "time=from+2024-07+to+2024-12" in census_env.replay.requests[0]
    assert census_env.replay.agents == {f"xl_tdr/{xl_tdr.__version__} (+https://pypi.org/project/xl-tdr/)"}
    with sqlite3.connect(Store().path) as db:  # the store holds what the refresh brought: whole months
        months = {row for row in db.execute("SELECT DISTINCT year, month FROM obs")}
    assert months == {(2024, m) for m in range(7, 13)}


def test_full_history_in_at_most_30_requests_reproduces_the_shared_files(census_env, census, data_until):
    data_until((2012, 12))  # no monthly figures at all
    summary = refresh("api", full=True, today=date(2026, 11, 28))
    assert summary.requests == 28 <= 30
    assert len(summary.months_added) == 144
    for flow, name, column in (("X", "exports", "ALL_VAL_MO"), ("M", "imports", "GEN_VAL_MO")):
        assert effective(flow) == shared_values(census, f"census_api_{name}_monthly_2013-2024.csv", column)


def test_nothing_new_costs_two_requests(census_env):
    refresh("api", today=date(2025, 7, 1))
    census_env.replay.requests.clear()
    summary = refresh("api", today=date(2025, 8, 1))
    assert summary.requests == 2 and len(census_env.replay.requests) == 2
    assert Service().facts()["refreshes"]["api"] == "2025-08-01"  # it wrote no vintage, and names none
    assert summary.months_added == [] and summary.revisions == [] and summary.values_added == 0


def test_the_plan_rereads_this_year_and_last_year_after_the_june_revision():
    latest = View(Store(), Bundle()).totals.publication.latest_monthly()  # monthly data end 2024-12
    assert api_ranges(latest, None, date(2025, 3, 1), None, False) == [((2025, 1), (2025, 12))]
    assert api_ranges(latest, None, date(2025, 7, 1), None, False) == [((2024, 1), (2024, 12)), ((2025, 1), (2025, 12))]
    assert api_ranges(latest, "2025-06-15", date(2025, 7, 1), None, False) == [((2025, 1), (2025, 12))]
    assert api_ranges(latest, None, date(2025, 3, 1), (2023, 5), False)[0] == ((2023, 5), (2023, 12))
    assert len(api_ranges(latest, None, date(2026, 11, 28), None, True)) == 14


def test_revisions_are_reported_kept_in_history_and_listed(census_env, capsys):
    """Census revises Mexico's March 2024 imports (and, consistently, the World and USMCA rows)."""
    march = {code: int(value) for code, _, value in census_env.replay.data["imports"][(2024, 3)]}
    change = 42_000_000_000 - march["2010"]
    for code in ("2010", "-", "0020", "1XXX"):
        census_env.replay.revise[("imports", code, 2024, 3)] = str(march[code] + change)
    summary = refresh("api", today=date(2025, 7, 1))
    assert {(r.code, r.flow, r.year, r.month) for r in summary.revisions} == {
        (code, "M", 2024, 3) for code in ("2010", "-", "0020", "1XXX")}
    assert summary.revisions[0].new - summary.revisions[0].old == change
    xl_tdr.api.use()
    assert xl_tdr.imports("Mexico", 2024, 3) == 42_000_000_000
    svc = Service()
    rows = svc.revisions(svc.query("Mexico", 2024))
    assert [(r["flow"], r["month"], r["old"], r["current"]) for r in rows] == [("M", 3, march["2010"], 42_000_000_000)]
    assert cli.main(["revisions", "Mexico", "2024"]) == 0
    out = capsys.readouterr().out
    assert f"2024-03 imports: {march['2010']:,}" in out and "→ 42,000,000,000" in out


def test_bulk_refresh_stores_unpublished_months_as_missing_then_costs_one_304(census_env, data_until):
    census_env.replay.bulk = bulk_xlsx(census_env.replay.data, published=(2024, 9), extra_year=2026)
    data_until((2024, 6))
    summary = refresh("bulk")
    assert summary.months_added == [(2024, 7), (2024, 8), (2024, 9)]
    assert summary.requests == 1
    with pytest.raises(xl_tdr.XlTdrError, match=r"2024 is not complete: only months 1-9 are published"):
        xl_tdr.tdr("Mexico", 2024)
    assert xl_tdr.tdr("Mexico", 2024, "YTD") == xl_tdr.tdr("Mexico", 2024, "1-9")
    with pytest.raises(xl_tdr.XlTdrError, match="no data for 2026"):
        xl_tdr.tdr("Mexico", 2026)  # the 2026 row is all zeros: not published, not zero trade
    with sqlite3.connect(Store().path) as db:
        codes = {c for (c,) in db.execute("SELECT DISTINCT code FROM obs WHERE vintage = (SELECT max(id) FROM vintages)")}
    assert "0003" in codes and "-" in codes and "0020" in codes and "1XXX" in codes
    assert "0010" not in codes  # the bulk file's own numbering is left out: its 0021 (2.0 a month) too
    with sqlite3.connect(Store().path) as db:
        value = db.execute("SELECT value FROM obs WHERE code = '0021' AND flow = 'M' AND year = 2024 AND month = 8")
        assert value.fetchone()[0] == xl_tdr.imports("Twenty Latin American Republics", 2024, 8) > 2_000_000
    # Bulk values are $0.1 M roundings: within rounding they do not replace the API's dollars
    assert summary.revisions == []
    again = refresh("bulk")
    assert again.requests == 1 and again.unchanged_file
    assert "has not changed" in again.sentence()


def test_bulk_values_are_millions_to_dollars(census_env, census, data_until):
    census_env.replay.bulk = bulk_xlsx(census_env.replay.data, published=(2024, 12))
    data_until((2023, 12))
    refresh("bulk")
    exports = shared_values(census, "census_api_exports_monthly_2013-2024.csv", "ALL_VAL_MO")
    mine = effective("X")
    for key in [("2010", 2024, 5), ("5700", 2024, 12), ("1220", 2024, 1)]:
        assert mine[key] == round(round(exports[key] / 1e6, 1) * 1e6)  # $ millions, one decimal
    assert mine[("2010", 2023, 5)] == exports[("2010", 2023, 5)]  # within rounding: the API's dollars stay


def test_a_bulk_refresh_fills_the_euro_area_from_its_members_but_never_replaces_census_figures(census_env):
    """The bulk file has no Euro Area or ASEAN rows: their sums of today's members fill a month
    that has none, and never replace a figure Census gave (membership has changed)."""
    census_env.replay.bulk = bulk_xlsx(census_env.replay.data, published=(2024, 12))
    before = {year: xl_tdr.exports("Euro Area", year, 5) for year in (2015, 2024)}
    refresh("bulk")
    xl_tdr.api.use()
    assert {year: xl_tdr.exports("Euro Area", year, 5) for year in (2015, 2024)} == before


def test_a_bulk_refresh_revises_the_files_own_group_rows(census_env):
    """The bulk file has its own European Union row: a month Census revised moves the EU with its
    members (it used to keep its old figure), while the Euro Area, a sum of today's members there,
    keeps the figure Census gave."""
    data = {flow: dict(months) for flow, months in census_env.replay.data.items()}
    data["exports"][(2024, 5)] = [(code, name, str(int(value) + 10**9) if code in ("4280", "0003") else value)
                                  for code, name, value in data["exports"][(2024, 5)]]
    census_env.replay.bulk = bulk_xlsx(data, published=(2024, 12))
    partners = ("Germany", "European Union", "Euro Area")
    before = {p: xl_tdr.exports(p, 2024, 5) for p in partners}
    refresh("bulk")
    xl_tdr.api.use()
    moved = {p: xl_tdr.exports(p, 2024, 5) - before[p] for p in partners}
    assert abs(moved["Germany"] - 10**9) <= 50_000 and abs(moved["European Union"] - 10**9) <= 50_000
    assert moved["Euro Area"] == 0


def test_cli_refresh_prints_the_summary(census_env, data_until, capsys):
    data_until((2024, 10))
    assert cli.main(["refresh", "--verbose"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("Census data through") and "2 months added" in lines[0]
    assert any(line.startswith("requests: ") for line in lines)
    assert KEY not in out + err
    assert cli.main(["info"]) == 0
    assert "Last refresh (api):" in capsys.readouterr().out
