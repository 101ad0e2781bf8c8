"""Refresh from a loopback Census (API and bulk file): happy paths, increments, revisions."""

import csv
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from census_server import KEY, Server, bulk_xlsx

import xl_tdr
from xl_tdr.data.index import Index
from xl_tdr.data.store import Store
from xl_tdr.refresh.run import api_months, refresh


@pytest.fixture(scope="module")
def server(census):
    running = Server(census).start()
    yield running
    running.stop()


@pytest.fixture
def census_env(server, private_home, monkeypatch):
    """A writable store (seeded from the bundled snapshot) and a Census that answers on 127.0.0.1."""
    server.replay.reset()
    monkeypatch.setenv("XL_TDR_CENSUS_API_URL", server.api_url)
    monkeypatch.setenv("XL_TDR_CENSUS_BULK_URL", server.bulk_url)
    monkeypatch.setenv("XL_TDR_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("XL_TDR_HTTP_TIMEOUT", "1")
    monkeypatch.setenv("XL_TDR_HTTP_RETRIES", "2")
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    return server


def drop_after(store: Store, year: int, month: int = 12) -> None:
    """Make the store end earlier (test set-up, straight SQL)."""
    with sqlite3.connect(store.path) as db:
        db.execute("DELETE FROM obs WHERE (year * 100 + month) > ? AND month > 0", (year * 100 + month,))
    store._touch()


def shared_values(census, flow_file, column):
    with (census / flow_file).open() as handle:
        return {(r["CTY_CODE"], int(r["YEAR"]), int(r["MONTH"])): int(r[column]) for r in csv.DictReader(handle)}


def stored(store: Store, flow: str) -> dict:
    with sqlite3.connect(store.path) as db:
        return {(c, y, m): v for c, y, m, v in db.execute(
            "SELECT code, year, month, value FROM obs WHERE flow = ? AND month > 0", (flow,))}


def test_incremental_api_refresh_adds_the_missing_months_exactly(census_env, census):
    store = Store()
    drop_after(store, 2024, 6)
    summary = refresh("api", today=date(2025, 3, 1))
    assert summary.months_added == [(2024, m) for m in range(7, 13)]
    assert summary.revisions == [] and summary.requests == 4  # 2024 and 2025, both flows
    assert summary.sentence() == "Census data through Dec 2025: 6 months added, 0 values revised"
    exports = shared_values(census, "census_api_exports_monthly_2013-2024.csv", "ALL_VAL_MO")
    assert stored(store, "X") == exports
    assert xl_tdr.tdr("Mexico", 2024) == (505_523_174_525 - 334_031_930_350) / 334_031_930_350
    assert "time=from+2024-07+to+2024-12" in census_env.replay.requests[0]
    assert census_env.replay.agents == {f"xl_tdr/{xl_tdr.__version__} (+https://pypi.org/project/xl-tdr/)"}


def test_full_history_in_at_most_30_requests_reproduces_the_shared_files(census_env, census):
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("DELETE FROM obs WHERE month > 0")
    store._touch()
    summary = refresh("api", full=True, today=date(2026, 11, 28))
    assert summary.requests == 28 <= 30
    assert len(summary.months_added) == 144
    for flow, name, column in (("X", "exports", "ALL_VAL_MO"), ("M", "imports", "GEN_VAL_MO")):
        assert stored(store, flow) == shared_values(census, f"census_api_{name}_monthly_2013-2024.csv", column)


def test_nothing_new_costs_two_requests(census_env):
    refresh("api", today=date(2025, 7, 1))
    census_env.replay.requests.clear()
    summary = refresh("api", today=date(2025, 8, 1))
    assert summary.requests == 2 and len(census_env.replay.requests) == 2
    assert summary.months_added == [] and summary.revisions == [] and summary.values_added == 0


def test_the_plan_rereads_this_year_and_last_year_after_the_june_revision():
    index = Index(Store().observations())  # monthly data end 2024-12
    assert api_months(index.latest_monthly(), None, date(2025, 3, 1), None, False) == [((2025, 1), (2025, 12))]
    assert api_months(index.latest_monthly(), None, date(2025, 7, 1), None, False) == [((2024, 1), (2024, 12)), ((2025, 1), (2025, 12))]
    assert api_months(index.latest_monthly(), "2025-06-15", date(2025, 7, 1), None, False) == [((2025, 1), (2025, 12))]
    assert api_months(index.latest_monthly(), None, date(2025, 3, 1), "2023-05", False)[0] == ((2023, 5), (2023, 12))
    assert len(api_months(index.latest_monthly(), None, date(2026, 11, 28), None, True)) == 14


def test_revisions_are_reported_kept_in_history_and_listed(census_env):
    """Census revises Mexico's March 2024 imports (and, consistently, the World and USMCA rows)."""
    march = {code: int(value) for code, _, value in census_env.replay.data["imports"][(2024, 3)]}
    change = 42_000_000_000 - march["2010"]
    for code in ("2010", "-", "0020", "1XXX"):
        census_env.replay.revise[("imports", code, 2024, 3)] = str(march[code] + change)
    summary = refresh("api", today=date(2025, 7, 1))
    assert {(r.code, r.flow, r.year, r.month) for r in summary.revisions} == {
        (code, "M", 2024, 3) for code in ("2010", "-", "0020", "1XXX")}
    assert summary.revisions[0].new - summary.revisions[0].old == change
    assert xl_tdr.imports("Mexico", 2024, 3) == 42_000_000_000
    rows = Store().history("2010", 2024)
    assert [(r["flow"], r["month"], r["old"], r["current"]) for r in rows] == [("M", 3, march["2010"], 42_000_000_000)]
    out = subprocess.run([sys.executable, "-m", "xl_tdr", "revisions", "Mexico", "2024"],
                         capture_output=True, text=True, check=True).stdout
    assert f"2024-03 imports: {march['2010']:,}" in out and "→ 42,000,000,000" in out


def test_bulk_refresh_stores_unpublished_months_as_missing_then_costs_one_304(census_env):
    census_env.replay.bulk = bulk_xlsx(census_env.replay.data, published=(2024, 9), extra_year=2026)
    drop_after(Store(), 2024, 6)
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
    assert "0010" not in codes and "0021" not in codes  # the bulk file's own numbering is left out
    # Bulk values are $0.1 M roundings: within rounding they do not replace the API's dollars
    assert summary.revisions == []
    again = refresh("bulk")
    assert again.requests == 1 and again.unchanged_file
    assert "has not changed" in again.sentence()


def test_bulk_values_are_millions_to_dollars(census_env, census):
    census_env.replay.bulk = bulk_xlsx(census_env.replay.data, published=(2024, 12))
    store = Store()
    drop_after(store, 2023, 12)
    refresh("bulk")
    exports = shared_values(census, "census_api_exports_monthly_2013-2024.csv", "ALL_VAL_MO")
    mine = stored(store, "X")
    for key in [("2010", 2024, 5), ("5700", 2024, 12), ("1220", 2024, 1)]:
        assert mine[key] == round(round(exports[key] / 1e6, 1) * 1e6)  # $ millions, one decimal
    assert mine[("2010", 2023, 5)] == exports[("2010", 2023, 5)]  # within rounding: the API's dollars stay


def test_cli_refresh_prints_the_summary(census_env):
    drop_after(Store(), 2024, 10)
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "refresh", "--verbose"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Census data through") and "2 months added" in lines[0]
    assert any(line.startswith("requests: ") for line in lines)
    assert KEY not in result.stdout + result.stderr
    info = subprocess.run([sys.executable, "-m", "xl_tdr", "info"], capture_output=True, text=True).stdout
    assert "Last refresh (api):" in info
