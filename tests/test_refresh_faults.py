"""The fault matrix: every way the Census is known to fail leaves the store exactly as it was,
with one plain sentence — and the API key appears nowhere."""

import io
import sqlite3
import zipfile
from datetime import date

import pytest
from census_server import KEY, bulk_xlsx
from faults import API_FAULTS, TODAY, no_key_anywhere, refused
from stores import content_hash

from xl_tdr.data.store import Store
from xl_tdr.errors import ApiKeyError, RefreshBusy, SourceError, StoreError, XlTdrError
from xl_tdr.refresh import refresh

@pytest.mark.parametrize("fault, requests, kind, pattern", API_FAULTS, ids=[f[0] for f in API_FAULTS])
def test_api_fault_leaves_the_store_unchanged(census_env, fault, requests, kind, pattern):
    refused(census_env, fault, requests, kind, pattern)


def test_retries_recover_from_a_passing_429_and_500(census_env):
    census_env.replay.faults = {1: "rate_limit", 2: "server_error"}
    summary = refresh("api", today=TODAY)
    assert summary.requests == 2 + 4  # two retried, then four good answers (2024, 2025 × 2 flows)


def test_no_key_says_how_to_get_one(census_env, monkeypatch):
    monkeypatch.delenv("CENSUS_API_KEY")
    before = content_hash(Store())
    with pytest.raises(ApiKeyError, match=r"needs a key since May 2026; get a free key .* \(or use --source bulk"):
        refresh("api")
    assert census_env.replay.requests == [] and content_hash(Store()) == before


def test_a_wrong_key_is_rejected_and_not_shown(census_env, monkeypatch):
    wrong = "f" * 40
    monkeypatch.setenv("CENSUS_API_KEY", wrong)
    with pytest.raises(ApiKeyError, match="rejected the key as invalid") as caught:
        refresh("api", today=TODAY)
    assert wrong not in str(caught.value) and wrong not in (caught.value.url or "")
    assert "key=***" in caught.value.url


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 2**20))
    return buffer.getvalue()


BULK_FAULTS = [
    ("corrupt_xlsx", None, r"not an xlsx workbook \(damaged or truncated\)|cannot be read as a workbook"),
    ("server_error", None, r"did not answer properly \(HTTP 500\) after 3 tries"),
    (None, _zip_bomb, r"looks like a zip bomb"),
    (None, lambda: b"<html>Access denied</html>", r"not an xlsx workbook"),
]


@pytest.mark.parametrize("fault, body, pattern", BULK_FAULTS, ids=["corrupt", "500", "zip-bomb", "html"])
def test_bulk_fault_leaves_the_store_unchanged(census_env, fault, body, pattern):
    census_env.replay.bulk = body() if body else bulk_xlsx(census_env.replay.data, published=(2024, 12))
    census_env.replay.always = fault
    store = Store()
    before = content_hash(store)
    with pytest.raises(SourceError, match=pattern):
        refresh("bulk")
    assert content_hash(store) == before


def test_a_write_that_fails_half_way_is_rolled_back(census_env):
    store = Store()
    march = {code: int(value) for code, _, value in census_env.replay.data["exports"][(2024, 3)]}
    for code in ("5700", "-", "5XXX"):  # a revision: March 2024 is written again, China's row with it
        census_env.replay.revise[("exports", code, 2024, 3)] = str(march[code] + 1)
    with sqlite3.connect(store.path) as db:
        db.execute("CREATE TRIGGER disk_full BEFORE INSERT ON obs WHEN NEW.code = '5700' "
                   "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    before = content_hash(store)
    with pytest.raises(StoreError, match=r"^the data store was left unchanged: the write failed \(database or disk is full\)"):
        refresh("api", today=TODAY)
    assert content_hash(store) == before


def test_a_second_refresh_waits_or_says_so(census_env):
    store = Store()
    with store.refresh_lock():
        with pytest.raises(RefreshBusy, match="another refresh of the data store is running"):
            refresh("api", today=TODAY, wait=0.3)
    assert refresh("api", today=TODAY).requests == 4


def test_cli_errors_are_one_plain_line_without_the_key(census_env, cli):
    census_env.replay.always = "bad_request"
    store = Store()
    before = content_hash(store)
    result = cli("refresh", "--verbose", ok=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: the Census API rejected the query (HTTP 400)")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "key=***" in result.stderr
    no_key_anywhere(store, result.stdout, result.stderr)
    assert content_hash(store) == before


def test_bad_arguments(census_env):
    with pytest.raises(XlTdrError, match='"2024-13" is not a month like 2024-07'):
        refresh("api", start="2024-13")
    with pytest.raises(XlTdrError, match='unknown source "ftp"'):
        refresh("ftp")


def test_a_month_that_has_not_ended_is_refused(census_env):
    store = Store()
    before = content_hash(store)
    with pytest.raises(SourceError, match=r"figures for 2024-10, a month that has not ended yet; refusing it"):
        refresh("api", today=date(2024, 10, 15))  # the server has 2024-10 … 2024-12 "already"
    assert content_hash(store) == before


def test_a_partner_missing_from_a_refetched_month_is_zero(census_env):
    """Census sends no row for zero: a stored value the re-fetched month lacks becomes 0."""
    march = {code for code, _, _ in census_env.replay.data["exports"][(2024, 3)]}
    absent = next(p.code for p in __import__("xl_tdr").partners().itertuples()
                  if p.kind == "country" and p.code not in march)
    with sqlite3.connect(Store().path) as db:
        db.execute("INSERT OR REPLACE INTO obs VALUES (?, 'X', 2024, 3, 123456, 1)", (absent,))
    summary = refresh("api", today=TODAY)
    with sqlite3.connect(Store().path) as db:
        assert db.execute("SELECT value FROM obs WHERE code = ? AND flow = 'X' AND year = 2024 AND month = 3",
                          (absent,)).fetchone() == (0,)
        assert db.execute("SELECT value FROM obs_history WHERE code = ?", (absent,)).fetchall() == [(123456,)]
        countries = db.execute("SELECT sum(value) FROM obs WHERE flow = 'X' AND year = 2024 AND month = 3 "
                               "AND code GLOB '[1-9][0-9][0-9][0-9]'").fetchone()[0]
        world = db.execute("SELECT value FROM obs WHERE code = '-' AND flow = 'X' AND year = 2024 AND month = 3").fetchone()[0]
    assert countries == world  # the countries still add up to the world after the write
    assert any(r.code == absent and r.new == 0 for r in summary.revisions)


def _bulk_with(census_env, edit) -> None:
    """Serve country.xlsx with one edit (row list → row list) applied to its data rows."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(bulk_xlsx(census_env.replay.data, published=(2024, 12))))
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    rows = edit(rows)
    out = openpyxl.Workbook(write_only=True)
    sheet = out.create_sheet("country")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    out.save(buffer)
    census_env.replay.bulk = buffer.getvalue()


def _set(column: str, value, code: str = "2010", year: int = 2024):
    def edit(rows):
        at = rows[0].index(column)
        for row in rows[1:]:
            if row[1] == code and row[0] == year:
                row[at] = value
        return rows
    return edit


BULK_VALUE_FAULTS = [
    (_set("year", 1900), r"has the year '1900' on line \d+, not one from 1985 to 20\d\d"),
    (_set("year", 99999), r"has the year '99999'"),
    (_set("IMAR", None), r"has an empty cell for 2010 2024-03 \(imports, line \d+\) in a published month"),
    (_set("EJAN", -3.5), r"has the negative value '-3.5' in EJAN"),
    (_set("EJAN", "inf"), r"has the implausibly large value .inf. in EJAN"),
    (_set("EJAN", 1e30), r"has the implausibly large value '1e\+30' in EJAN"),
    (_set("EJAN", "12x"), r"has the non-numeric value '12x' in EJAN"),
    (_set("EJAN", "²"), r"has the non-numeric value '²' in EJAN"),
]


@pytest.fixture(scope="session")
def bulk_rows(server) -> list[list]:
    """The rows of the loopback Census's country.xlsx (read once)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(bulk_xlsx(server.replay.data, published=(2024, 12))), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("edit, pattern", BULK_VALUE_FAULTS, ids=["1900", "99999", "blank", "negative", "inf",
                                                                   "1e30", "text", "superscript"])
def test_implausible_bulk_values_are_refused(bulk_rows, edit, pattern):
    """Every cell of the bulk file is checked as it is read (before anything is written)."""
    from xl_tdr.sources.census_bulk import observations_of

    with pytest.raises(SourceError, match=pattern):
        observations_of(edit([list(row) for row in bulk_rows]), 9)


def test_an_implausible_bulk_value_leaves_the_store_as_it_was(census_env):
    _bulk_with(census_env, BULK_VALUE_FAULTS[2][0])  # an empty cell in a published month
    store = Store()
    before = content_hash(store)
    with pytest.raises(SourceError, match=BULK_VALUE_FAULTS[2][1]):
        refresh("bulk")
    assert content_hash(store) == before


def test_a_stray_figure_does_not_publish_a_month(census_env):
    """One non-zero cell in a month Census has not published is not a published month of zeros."""
    import xl_tdr

    def edit(rows):
        rows.append([2026, "2010", "Mexico"] + [5.0] + [0.0] * 12 + [0.0] * 13)  # a stray January 2026
        return rows
    _bulk_with(census_env, edit)
    refresh("bulk")
    with pytest.raises(xl_tdr.XlTdrError, match="no data for 2026"):
        xl_tdr.tdr("Mexico", 2026, 1)


@pytest.mark.parametrize("variable, value, message", [
    ("XL_TDR_HTTP_TIMEOUT", "abc", "XL_TDR_HTTP_TIMEOUT must be a number of seconds from 0.1 to 3600, not 'abc'"),
    ("XL_TDR_HTTP_RETRIES", "-1", "XL_TDR_HTTP_RETRIES must be a whole number from 0 to 10, not '-1'"),
    ("XL_TDR_HTTP_BACKOFF", "nan", "XL_TDR_HTTP_BACKOFF must be a number of seconds from 0 to 600, not 'nan'"),
    ("XL_TDR_HTTP_DEADLINE", "0", "XL_TDR_HTTP_DEADLINE must be a number of seconds from 1 to 86400, not '0'"),
    ("XL_TDR_CENSUS_API_URL", "ftp://example.org/x", "XL_TDR_CENSUS_API_URL must be an http:// or https:// address"),
    ("XL_TDR_CENSUS_BULK_URL", "country.xlsx", "XL_TDR_CENSUS_BULK_URL must be an http:// or https:// address"),
])
def test_bad_settings_are_one_sentence(census_env, monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    store = Store()
    before = content_hash(store)
    source = "bulk" if "BULK" in variable else "api"
    with pytest.raises(XlTdrError) as caught:
        refresh(source, today=TODAY)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert content_hash(store) == before and census_env.replay.requests == []


def test_a_trickling_server_is_cut_off_at_the_deadline(census_env, monkeypatch):
    import time

    monkeypatch.setenv("XL_TDR_HTTP_DEADLINE", "2")
    monkeypatch.setenv("XL_TDR_HTTP_RETRIES", "0")
    started = time.monotonic()
    refused(census_env, "trickle", {1}, SourceError, r"^the Census server had not sent its whole answer after 2 s; "
                                                      r"giving up: http://127\.0\.0\.1:\d+/.*key=\*\*\*")
    assert time.monotonic() - started < 20


def test_a_corrupt_compressed_answer_is_one_sentence(census_env):
    refused(census_env, "bad_gzip", "always", SourceError,
            r"did not answer properly \(the answer could not be decoded \(damaged compression\)\) after 3 tries")


def test_the_key_is_redacted_in_every_letter_case(census_env):
    message = refused(census_env, "echo_key_upper", {1}, SourceError, r"HTTP 400\): error: invalid key \*\*\* in \*\*\*")
    assert KEY.upper() not in message and KEY.lower() not in message


@pytest.mark.parametrize("key, described", [
    (KEY + "\u200b", "41 characters, 1 of them invisible, a space or not ASCII"),
    (KEY[:-1] + "g", "40 characters"),
    (KEY[:20], "20 characters"),
    (KEY[:20] + " " + KEY[20:], "41 characters, 1 of them invisible"),
])
def test_a_key_of_the_wrong_shape_is_described_never_shown(census_env, monkeypatch, key, described):
    monkeypatch.setenv("CENSUS_API_KEY", key)
    with pytest.raises(ApiKeyError) as caught:
        refresh("api", today=TODAY)
    message = str(caught.value)
    assert message.startswith("the Census API key must be 40 hexadecimal characters (0-9, a-f); the one configured "
                              f"has {described}")
    assert key.strip() not in message and KEY[:20] not in message
    assert census_env.replay.requests == []
