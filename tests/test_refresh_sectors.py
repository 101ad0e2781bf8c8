"""Refresh of trade by HS chapter from the loopback Census (``xl-tdr refresh --sectors``)."""

import csv
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import date

import pytest
from census_server import HS_ANNUAL, HS_IMPORTS, KEY
from conftest import SHARED
from test_refresh import census_env, server  # noqa: F401 — fixtures
from test_refresh_faults import API_FAULTS, refused
from test_store import content_hash

import xl_tdr
from xl_tdr.data.store import Store
from xl_tdr.errors import ApiKeyError, SourceError, XlTdrError
from xl_tdr.refresh import refresh

TODAY = date(2025, 7, 1)


@pytest.fixture(autouse=True)
def patient(census_env, monkeypatch):
    """Answers of 140,000 rows take the loopback server a moment: a 3 s timeout, a 4 s "slow"."""
    monkeypatch.setenv("XL_TDR_HTTP_TIMEOUT", "3")
    census_env.replay.slow = 4.0


def sector_rows(store: Store, flow: str, where: str = "") -> dict:
    with sqlite3.connect(store.path) as db:
        return {row[:-1]: row[-1] for row in db.execute(
            f"SELECT code, chapter, year, month, value FROM sector_obs WHERE flow = ? {where}", (flow,))}


def requests_of(server, kind: str) -> list[str]:
    return [r for r in server.replay.requests if "COMM_LVL" in r and f"/{kind}/" in r]


def test_full_hs2_history_reproduces_the_shared_files_in_at_most_250_requests(census_env):
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("DELETE FROM sector_obs WHERE code != '-' OR year < 2023")  # (the world rows stay: published months)
    summary = refresh("api", sectors=True, full=True, today=date(2026, 11, 28))
    assert summary.requests <= 250
    assert len(requests_of(census_env, "imports")) == 14 and len(requests_of(census_env, "exports")) == 97
    print(f"full history: {summary.requests} requests ({len(census_env.replay.requests)} seen by the server)")
    with (SHARED / HS_IMPORTS).open() as handle:
        shared = {(r["CTY_CODE"], r["I_COMMODITY"], int(r["YEAR"]), int(r["MONTH"])): int(r["GEN_VAL_MO"])
                  for r in csv.DictReader(handle)}
    assert sector_rows(store, "M", "AND month > 0") == shared
    yearly = defaultdict(int)
    for (code, chapter, year, month), value in sector_rows(store, "X", "AND month > 0").items():
        yearly[(code, chapter, year)] += value
    with (SHARED / HS_ANNUAL).open() as handle:
        for row in csv.DictReader(handle):
            assert yearly.get((row["CTY_CODE"], row["HS2"], int(row["YEAR"])), 0) == int(row["exports_usd"])
    assert xl_tdr.exports("Mexico", 2024, sector=87) == 28_931_081_847
    quarters = [xl_tdr.exports("Mexico", 2024, f"Q{q}", 87) for q in range(1, 5)]  # monthly now
    assert sum(quarters) == 28_931_081_847
    assert "; by HS chapter: 24 months added" in summary.sentence()  # monthly exports by chapter are new


def test_nothing_new_costs_at_most_four_requests(census_env):
    refresh("api", sectors=True, today=TODAY)
    census_env.replay.requests.clear()
    summary = refresh("api", today=date(2025, 8, 1))  # a plain refresh keeps the sectors current
    assert summary.requests <= 4 and len(census_env.replay.requests) == summary.requests
    assert len(requests_of(census_env, "imports")) == 1 and requests_of(census_env, "exports") == []
    assert summary.sectors is not None and summary.sectors.rows == []
    assert summary.sentence().endswith("; by HS chapter: 0 months added, 0 values revised")


def test_a_plain_refresh_leaves_sectors_alone_until_they_were_refreshed_once(census_env):
    refresh("api", today=TODAY)
    assert requests_of(census_env, "imports") == []


def test_a_new_month_by_chapter_is_added_and_checked_against_the_totals(census_env):
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("DELETE FROM sector_obs WHERE year = 2024 AND month > 10")
        db.execute("DELETE FROM sector_obs WHERE year = 2024 AND month = 0 AND flow = 'X'")
    summary = refresh("api", sectors=True, today=date(2025, 3, 1), start="2024-11")
    assert summary.sectors.months_added == [(2024, 11), (2024, 12)]
    assert xl_tdr.imports("Mexico", 2024, 12, 87) == sector_rows(store, "M")[("2010", "87", 2024, 12)]
    assert "exports/hs" in requests_of(census_env, "exports")[0]
    assert all("DF=-" in r and "DISTRICT=-" in r for r in requests_of(census_env, "exports"))


def test_chapters_that_do_not_add_up_to_the_total_are_refused(census_env):
    """Mexico's HS 87 imports of March 2024 revised, and the world with it: the countries still
    add up to the world, but Mexico's chapters no longer add up to Mexico's total."""
    store = Store()
    before = content_hash(store)
    for code in ("2010", "-"):
        old = sector_rows(store, "M")[(code, "87", 2024, 3)]
        census_env.replay.revise[("imports", code, "87", 2024, 3)] = str(old + 1_000)
    with pytest.raises(SourceError, match=r"by HS chapter do not add up to the partner's total: (-|2010) M 2024-03: "
                                          r"chapters [\d,]+ ≠ total [\d,]+"):
        refresh("api", sectors=True, today=TODAY)
    assert content_hash(store) == before


def test_revisions_by_chapter_are_kept(census_env):
    """Census revises Mexico's March 2024 imports: chapter 87 and the total, consistently."""
    store = Store()
    march = {code: int(v) for code, _, v in census_env.replay.data["imports"][(2024, 3)]}
    stored = sector_rows(store, "M")
    for code in ("2010", "-", "0020", "1XXX"):
        census_env.replay.revise[("imports", code, "87", 2024, 3)] = str(stored[(code, "87", 2024, 3)] + 5_000)
        census_env.replay.revise[("imports", code, 2024, 3)] = str(march[code] + 5_000)
    summary = refresh("api", sectors=True, today=TODAY)
    assert xl_tdr.imports("Mexico", 2024, 3, "vehicles") == stored[("2010", "87", 2024, 3)] + 5_000
    assert summary.sectors.revised == 4 and summary.sectors.values_added > 0  # the 2024 monthly exports
    with sqlite3.connect(store.path) as db:
        history = db.execute("SELECT code, value FROM sector_history WHERE flow = 'M' ORDER BY code").fetchall()
    assert ("2010", stored[("2010", "87", 2024, 3)]) in history


def test_a_withdrawn_row_becomes_zero(census_env):
    """Census sends no row for zero: a stored (partner, chapter, month) the re-fetched month lacks is zero."""
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO sector_obs VALUES ('1010', '87', 'M', 2024, 3, 777, 1)")
    summary = refresh("api", sectors=True, today=TODAY)
    assert sector_rows(store, "M")[("1010", "87", 2024, 3)] == 0
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT value FROM sector_history WHERE code = '1010' AND chapter = '87'").fetchall() == [(777,)]
    assert summary.sectors.revised >= 1


SECTOR_FAULTS = []
for fault, requests, kind, pattern in API_FAULTS:
    requests = {7} if fault == "non_numeric" else ({5, 6, 7} if requests == "always" else {5})
    pattern = {"renamed_column": r"^the Census API answer lacks the column GEN_VAL_MO",
               "world_mismatch": r"^the Census API figures by HS chapter do not add up to the world: M\d\d 2024-\d\d",
               "missing_world": r"^the Census API answer has no world total of imports for HS \d\d 2024-\d\d",
               "non_numeric": r"row 6 of the Census API answer has the non-numeric value '\(D\)'"}.get(fault, pattern)
    pattern = pattern.replace("after 3 tries", "after 3 tries: http://127.0.0.1:\\d+/data/timeseries/intltrade/imports/hs")
    pattern = pattern.replace("within 1 s", "within 3 s")
    SECTOR_FAULTS.append((fault, requests, kind, pattern))


@pytest.mark.parametrize("fault, requests, kind, pattern", SECTOR_FAULTS, ids=[f[0] for f in SECTOR_FAULTS])
def test_every_fault_of_the_matrix_holds_for_the_sector_endpoints(census_env, fault, requests, kind, pattern):
    """Requests 1–4 are the totals (2024, 2025 × both flows), 5–6 imports by chapter, 7 on exports."""
    refused(census_env, fault, requests, kind, pattern, sectors=True)
    assert any("COMM_LVL" in r for r in census_env.replay.requests)


def test_the_bulk_file_has_no_sectors(census_env, monkeypatch):
    with pytest.raises(XlTdrError, match="the bulk file country.xlsx has no trade by HS chapter: --sectors needs"):
        refresh("bulk", sectors=True)
    monkeypatch.delenv("CENSUS_API_KEY")
    with pytest.raises(XlTdrError, match="has no trade by HS chapter"):
        refresh("auto", sectors=True)
    with pytest.raises(ApiKeyError):
        refresh("api", sectors=True)
    assert census_env.replay.requests == []


def test_cli_refresh_sectors_prints_both_summaries(census_env):
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "refresh", "--sectors", "-q"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.match(r"Census data through \w+ 20\d\d: .* revised; by HS chapter: .* revised$", result.stdout.strip())
    assert KEY not in result.stdout + result.stderr
    bulk = subprocess.run([sys.executable, "-m", "xl_tdr", "refresh", "--source", "bulk", "--sectors"],
                          capture_output=True, text=True)
    assert bulk.returncode == 1 and bulk.stderr.startswith("error: the bulk file country.xlsx has no trade by HS chapter")
