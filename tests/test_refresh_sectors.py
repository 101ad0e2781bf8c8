"""Refresh of trade by HS chapter from the loopback Census (``xl-tdr refresh --sectors``): the
full history to the dollar, increments, revisions, and every way an answer by chapter can be
wrong — refused with the store byte-identical."""

import csv
import re
import sqlite3
from collections import defaultdict
from datetime import date

import pytest
from census_server import HS_ANNUAL, HS_IMPORTS, KEY
from conftest import SHARED
from stores import content_hash
from faults import API_FAULTS, refused

import xl_tdr
from xl_tdr import cli
from xl_tdr.data.bundle import Bundle
from xl_tdr.data.store import Store
from xl_tdr.data.view import View
from xl_tdr.errors import ApiKeyError, ArgumentError, SourceError, XlTdrError
from xl_tdr.refresh import refresh

TODAY = date(2025, 7, 1)


def sector_values(flow: str) -> dict:
    """(code, chapter, year, month) → every effective value by chapter of ``flow``."""
    view = View(Store(), Bundle())
    return {(code, chapter, year, month): value
            for (code, chapter, f, year, month), (value, _) in view.sector_values(2013).items() if f == flow}


def requests_of(server, kind: str) -> list[str]:
    return [r for r in server.replay.requests if "COMM_LVL" in r and f"/{kind}/" in r]


def test_full_hs2_history_reproduces_the_shared_files_in_at_most_250_requests(census_env, data_until):
    data_until((2024, 12), sectors_until=(2012, 12))  # no trade by chapter at all
    summary = refresh("api", sectors=True, full=True, today=date(2026, 11, 28))
    assert summary.requests <= 250
    assert len(requests_of(census_env, "imports")) == 14 and len(requests_of(census_env, "exports")) == 97
    print(f"full history: {summary.requests} requests ({len(census_env.replay.requests)} seen by the server)")
    with (SHARED / HS_IMPORTS).open() as handle:
        shared = {(r["CTY_CODE"], r["I_COMMODITY"], int(r["YEAR"]), int(r["MONTH"])): int(r["GEN_VAL_MO"])
                  for r in csv.DictReader(handle)}
    assert {k: v for k, v in sector_values("M").items() if k[3]} == shared
    yearly = defaultdict(int)
    for (code, chapter, year, month), value in sector_values("X").items():
        if month:
            yearly[(code, chapter, year)] += value
    with (SHARED / HS_ANNUAL).open() as handle:
        for row in csv.DictReader(handle):
            assert yearly.get((row["CTY_CODE"], row["HS2"], int(row["YEAR"])), 0) == int(row["exports_usd"])
    xl_tdr.api.use()
    assert xl_tdr.exports("Mexico", 2024, sector=87) == 28_931_081_847
    quarters = [xl_tdr.exports("Mexico", 2024, f"Q{q}", 87) for q in range(1, 5)]  # monthly now
    assert sum(quarters) == 28_931_081_847
    assert "; by HS chapter: 24 months added" in summary.sentence()


def test_nothing_new_costs_at_most_four_requests(census_env):
    refresh("api", sectors=True, today=TODAY)
    census_env.replay.requests.clear()
    summary = refresh("api", today=date(2025, 8, 1))  # a plain refresh keeps the sectors current
    assert summary.requests <= 4 and len(census_env.replay.requests) == summary.requests
    assert len(requests_of(census_env, "imports")) == 1 and requests_of(census_env, "exports") == []
    assert summary.sectors is not None and summary.sectors.rows == []
    assert summary.sentence().endswith("; by HS chapter: 0 months added, 0 values revised")


def test_waiting_for_december_costs_no_exports_requests(census_env, data_until):
    """January: December's figures are not out yet. The imports answers (December, and the new
    year) show nothing new, so the 97 exports requests are not made (the calendar alone never
    makes them due)."""
    data_until((2024, 11), sectors_until=(2024, 11))
    census_env.replay.published = (2024, 11)
    refresh("api", sectors=True, today=date(2025, 1, 20), start="2024-01")  # once: the store refreshes chapters
    census_env.replay.requests.clear()
    summary = refresh("api", today=date(2025, 1, 27))
    assert len(requests_of(census_env, "imports")) == 2 and requests_of(census_env, "exports") == []
    assert summary.sectors.rows == []


def test_a_plain_refresh_leaves_sectors_alone_until_they_were_refreshed_once(census_env):
    refresh("api", today=TODAY)
    assert requests_of(census_env, "imports") == []


def test_the_first_sector_refresh_of_a_new_data_folder(server, private_home, monkeypatch):
    """A data folder that never had a store: the first refresh with --sectors makes it, in one go
    (it used to fail with "UNIQUE constraint failed: vintages.id")."""
    monkeypatch.setenv("XL_TDR_CENSUS_API_URL", server.api_url)
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    server.replay.reset()
    summary = refresh("api", sectors=True, today=TODAY, start="2024-01")
    assert summary.sectors is not None and Store().exists()
    assert [v["kind"] for v in xl_tdr.info()["vintages"] if v["id"] > 0] == ["sectors"]  # totals unchanged


def test_a_new_month_by_chapter_is_added_and_checked_against_the_totals(census_env, data_until):
    data_until((2024, 12), sectors_until=(2024, 10))
    summary = refresh("api", sectors=True, today=date(2025, 3, 1), start="2024-11")
    assert sorted(set(summary.sectors.new_months)) == [(2024, 11), (2024, 12)]
    xl_tdr.api.use()
    assert xl_tdr.imports("Mexico", 2024, 12, 87) == sector_values("M")[("2010", "87", 2024, 12)]
    assert "exports/hs" in requests_of(census_env, "exports")[0]
    assert all("DF=-" in r and "DISTRICT=-" in r for r in requests_of(census_env, "exports"))


def test_a_re_fetched_year_keeps_every_groups_value(census_env):
    """Re-fetching 2024 by chapter brings monthly exports where the bundle had annual ones: every
    group keeps its value (it used to read 0 for groups: `gl EU 2024` 0.556 → 0.0)."""
    groups = ("EU", "Asia", "South America", "USMCA", "World", "ASEAN", "OECD")
    before = {g: xl_tdr.exports(g, 2024, sector=87) if g != "OECD" else None for g in groups}
    gl_before = {g: xl_tdr.gl(g, 2024) for g in ("EU", "Asia", "South America", "USMCA")}
    refresh("api", sectors=True, today=TODAY, start="2024-01")
    xl_tdr.api.use()
    for group, value in before.items():
        if value is not None:
            assert xl_tdr.exports(group, 2024, sector=87) == value, group
    for group, value in gl_before.items():
        assert xl_tdr.gl(group, 2024) == pytest.approx(value, rel=1e-12), group
    assert xl_tdr.exports("OECD", 2024, sector=87) > 0  # the refresh brought the OECD's own rows


def test_chapters_that_do_not_add_up_to_the_total_are_refused(census_env):
    """Mexico's HS 87 imports of March 2024 revised, and the world with it: the countries still
    add up to the world, but Mexico's chapters no longer add up to Mexico's total."""
    store = Store()
    before = content_hash(store)
    for code in ("2010", "-"):
        old = sector_values("M")[(code, "87", 2024, 3)]
        census_env.replay.revise[("imports", code, "87", 2024, 3)] = str(old + 1_000)
    with pytest.raises(SourceError, match=r"by HS chapter do not add up to the partner's total: (World|2010) imports "
                                          r"2024-03: chapters [\d,]+ ≠ total [\d,]+"):
        refresh("api", sectors=True, today=TODAY)
    assert content_hash(store) == before


def test_a_group_missing_from_an_answer_by_chapter_is_refused(census_env):
    census_env.replay.faults = {5: "missing_group"}
    refused(census_env, "missing_group", {5}, SourceError,
            r"by HS chapter do not add up to the partner's total: 0003 imports 2024-\d\d: chapters 0 ≠ total [\d,]+",
            sectors=True, start="2024-01")


def test_an_exports_answer_for_another_chapter_is_refused(census_env):
    refused(census_env, "wrong_chapter", {7}, SourceError,
            r"answered a request for exports of HS 01 with figures for HS 99; refusing it",
            sectors=True, start="2024-01")


def test_a_month_by_chapter_without_a_published_total_is_refused(census_env, data_until):
    """The totals are published to October, the answers by chapter to December."""
    data_until((2024, 10), sectors_until=(2024, 10))
    census_env.replay.published, census_env.replay.published_sectors = (2024, 10), (2024, 12)
    store = Store()
    before = content_hash(store)
    with pytest.raises(SourceError, match=r"has imports for 2024-11, a month whose all-goods total is not published"):
        refresh("api", sectors=True, today=date(2025, 3, 1), start="2024-01")
    assert content_hash(store) == before


def test_a_month_by_chapter_that_has_not_ended_is_refused(census_env):
    store = Store()
    before = content_hash(store)
    with pytest.raises(SourceError, match=r"figures for 2024-10, a month that has not ended yet"):
        refresh("api", sectors=True, today=date(2024, 10, 15), start="2024-01")
    assert content_hash(store) == before


def test_revisions_by_chapter_are_kept_and_shown(census_env, capsys):
    """Census revises Mexico's March 2024 imports: chapter 87 and the total, consistently."""
    march = {code: int(v) for code, _, v in census_env.replay.data["imports"][(2024, 3)]}
    stored = sector_values("M")
    for code in ("2010", "-", "0020", "1XXX", "0021", "0024", "0026"):
        census_env.replay.revise[("imports", code, "87", 2024, 3)] = str(stored[(code, "87", 2024, 3)] + 5_000)
        census_env.replay.revise[("imports", code, 2024, 3)] = str(march[code] + 5_000)
    summary = refresh("api", sectors=True, today=TODAY)
    xl_tdr.api.use()
    assert xl_tdr.imports("Mexico", 2024, 3, "vehicles") == stored[("2010", "87", 2024, 3)] + 5_000
    assert len(summary.sectors.revisions) == 7 and summary.sectors.added > 0  # the 2024 monthly exports
    with sqlite3.connect(Store().path) as db:
        history = db.execute("SELECT code, value FROM sector_history WHERE flow = 'M' ORDER BY code").fetchall()
    assert ("2010", stored[("2010", "87", 2024, 3)]) in history
    assert cli.main(["revisions", "Mexico", "2024", "--sector", "87"]) == 0
    out = capsys.readouterr().out
    assert f"2024-03 HS 87 imports: {stored[('2010', '87', 2024, 3)]:,}" in out
    from xl_tdr.cli.progress import revision_lines  # what `xl-tdr refresh --sectors -v` prints after the summary

    lines = revision_lines(summary, verbose=True)
    old_value = stored[("2010", "87", 2024, 3)]
    assert "by HS chapter, 7 revised; the largest:" in lines
    assert f"  revised Mexico HS 87 2024-03 imports: {old_value:,} → {old_value + 5_000:,} (+5,000)" in lines
    assert len(revision_lines(summary, verbose=False)) < len(lines)


def test_a_withdrawn_row_becomes_zero(census_env):
    """Census sends no row for zero: a stored (partner, chapter, month) the re-fetched month lacks is zero."""
    store = Store()
    with sqlite3.connect(store.path) as db:
        db.execute("INSERT INTO sector_obs VALUES ('1010', '87', 'M', 2024, 3, 777, 1)")
    summary = refresh("api", sectors=True, today=TODAY)
    assert sector_values("M")[("1010", "87", 2024, 3)] == 0
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT value FROM sector_history WHERE code = '1010' AND chapter = '87'").fetchall() == [(777,)]
    assert any(r.code == "1010" and r.new == 0 for r in summary.sectors.revisions)


SECTOR_FAULTS = []
for fault, requests, kind, pattern in API_FAULTS:
    requests = {7} if fault == "non_numeric" else ({5, 6, 7} if requests == "always" else {5})
    pattern = {"renamed_column": r"^the Census API answer lacks the column GEN_VAL_MO",
               "world_mismatch": r"^the Census API figures by HS chapter do not add up to the World: imports of HS "
                                 r"\d\d 2024-\d\d: countries [\d,]+ ≠ World [\d,]+",
               "missing_world": r"^the Census API answer has no World total of imports for HS \d\d 2024-\d\d",
               "non_numeric": r"row 6 of the Census API answer has the non-numeric value '\(D\)'"}.get(fault, pattern)
    pattern = pattern.replace("after 3 tries", "after 3 tries: http://127.0.0.1:\\d+/data/timeseries/intltrade/imports/hs")
    SECTOR_FAULTS.append((fault, requests, kind, pattern))


#: Faults in the content of an answer, refused as it is read (the rest: the transport, or the
#: answer against the World and the totals, which a whole refresh checks).
READ_FAULTS = ("renamed_column", "non_numeric", "negative", "huge", "superscript", "arabic_digits", "bad_code", "list_cell",
               "duplicate_row", "extra_months")


@pytest.mark.parametrize("fault, requests, kind, pattern", [f for f in SECTOR_FAULTS if f[0] not in READ_FAULTS],
                         ids=[f[0] for f in SECTOR_FAULTS if f[0] not in READ_FAULTS])
def test_every_fault_of_the_matrix_holds_for_the_sector_endpoints(census_env, fault, requests, kind, pattern):
    """Requests 1–4 are the totals (2024, 2025 × both flows), 5–6 imports by chapter, 7 on exports."""
    refused(census_env, fault, requests, kind, pattern, sectors=True, start="2024-01")
    assert any("COMM_LVL" in r for r in census_env.replay.requests)


@pytest.mark.parametrize("fault, kind, pattern", [(f, k, p) for f, _, k, p in SECTOR_FAULTS if f in READ_FAULTS],
                         ids=list(READ_FAULTS))
def test_every_damaged_answer_by_chapter_is_refused_as_it_is_read(server, fault, kind, pattern):
    """The 2024 answer of imports by chapter as the loopback Census sends it, damaged: refused by
    the client before any comparison or write (a whole refresh of one is checked above)."""
    from census_server import mangle

    from xl_tdr.sources import census
    from xl_tdr.sources.census_api import parse_rows, within

    column, commodity = census.VALUE["M"], census.COMMODITY["M"]
    chapters = sorted({chapter for flow, chapter in server.replay.sectors if flow == "imports"})
    answer = server.replay.sector_table("imports", column, commodity, chapters, (2024, 1), (2024, 12),
                                        {census.LEVEL: census.CHAPTER_LEVEL})
    url = "http://127.0.0.1/data/timeseries/intltrade/imports/hs"
    with pytest.raises(kind, match=pattern):
        found, _ = parse_rows(mangle(fault, answer), "M", column, 9, url, commodity=commodity)
        within(found, (2024, 1), (2024, 12), url)


def test_bad_months_and_sources_are_refused_before_any_request(census_env, monkeypatch):
    with pytest.raises(XlTdrError, match="the bulk file country.xlsx has no trade by HS chapter: --sectors needs"):
        refresh("bulk", sectors=True)
    with pytest.raises(ArgumentError, match="2030-01 has not ended yet"):
        refresh("api", sectors=True, start="2030-01", today=TODAY)
    with pytest.raises(ArgumentError, match="monthly data start in 2013-01"):
        refresh("api", start="2010-05", today=TODAY)
    monkeypatch.delenv("CENSUS_API_KEY")
    with pytest.raises(XlTdrError, match="has no trade by HS chapter"):
        refresh("auto", sectors=True)
    with pytest.raises(ApiKeyError):
        refresh("api", sectors=True)
    assert census_env.replay.requests == []


def test_cli_refresh_sectors_prints_both_summaries(census_env, capsys):
    census_env.replay.revise[("imports", "2010", "87", 2024, 3)] = "1"  # refused: Mexico no longer adds up
    assert cli.main(["refresh", "--sectors", "-q", "--from", "2024-01"]) == 1
    assert capsys.readouterr().err.startswith("error: the Census API figures by HS chapter do not add up")
    census_env.replay.revise.clear()
    assert cli.main(["refresh", "--sectors", "-q", "--from", "2024-01"]) == 0
    out, err = capsys.readouterr()
    assert re.match(r"Census data through \w+ 20\d\d: .* revised; by HS chapter: .* revised$", out.strip())
    assert KEY not in out + err
    assert cli.main(["refresh", "--source", "bulk", "--sectors"]) == 1
    assert capsys.readouterr().err.startswith("error: the bulk file country.xlsx has no trade by HS chapter")
