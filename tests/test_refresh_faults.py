"""The fault matrix: every way the Census is known to fail leaves the store exactly as it was,
with one plain sentence — and the API key appears nowhere."""

import io
import re
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date

import pytest

from xl_tdr.errors import ApiKeyError, RefreshBusy, SourceError, StoreError, XlTdrError
from xl_tdr.refresh import refresh
from xl_tdr.store import Store

from census_server import KEY, bulk_xlsx
from test_refresh import census_env, server  # noqa: F401 — fixtures
from test_store import content_hash

TODAY = date(2025, 7, 1)

API_FAULTS = [
    # (scripted fault, on which requests, expected error type, message pattern)
    ("redirect", {1}, ApiKeyError, r"^the Census API refused the request for lack of a valid key; get a free key"),
    ("invalid_key_html", {1}, ApiKeyError, r"^the Census API rejected the key as invalid"),
    ("bad_request", {1}, SourceError, r"^the Census API rejected the query \(HTTP 400\): error: unknown predicate variable: 'FOO'"),
    ("rate_limit", "always", SourceError, r"kept refusing requests as too frequent \(HTTP 429\) after 3 tries"),
    ("server_error", "always", SourceError, r"did not answer properly \(HTTP 500\) after 3 tries"),
    ("slow", "always", SourceError, r"did not answer properly \(no answer within 1 s\) after 3 tries"),
    ("truncated_json", {1}, SourceError, r"^the Census API sent malformed or truncated JSON"),
    ("html", {1}, SourceError, r"^the Census API sent a web page where JSON data were expected"),
    ("renamed_column", {1}, SourceError, r"^the Census API answer lacks the column ALL_VAL_MO"),
    ("non_numeric", {2}, SourceError, r"non-numeric value '\(D\)'"),  # exports fine, imports damaged
    ("reset", "always", SourceError, r"the connection was cut off in the middle of the answer"),
    ("world_mismatch", {1}, SourceError, r"^the Census API figures do not add up: X 2024-\d\d"),
    ("duplicate_row", {1}, SourceError, r"^the Census API answer repeats"),
    ("missing_world", {1}, SourceError, r"^the Census API answer has no world total"),
    ("bad_code", {1}, SourceError, r"has the unknown partner code 'MEXICO'"),
]


def _script(server, requests, fault):
    if requests == "always":
        server.replay.always = fault
    else:
        server.replay.faults = {n: fault for n in requests}


def _no_key_anywhere(store: Store, *texts: str) -> None:
    for text in texts:
        assert KEY not in text
    for path in store.path.parent.iterdir():
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def refused(server, fault, requests, kind, pattern, **options) -> str:
    """Script ``fault``, refresh: the refresh fails with one sentence matching ``pattern``, the
    store is byte-identical and the key is nowhere. Returns the message."""
    store = Store()
    before = content_hash(store)
    _script(server, requests, fault)
    with pytest.raises(kind) as caught:
        refresh("api", today=TODAY, **options)
    message = str(caught.value)
    assert re.search(pattern, message), message
    assert "\n" not in message and "Traceback" not in message
    assert content_hash(store) == before
    _no_key_anywhere(store, message, repr(caught.value.__dict__))
    return message


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
    with sqlite3.connect(store.path) as db:
        db.execute("DELETE FROM obs WHERE year = 2024 AND month > 6")
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


def test_cli_errors_are_one_plain_line_without_the_key(census_env):
    census_env.replay.always = "bad_request"
    store = Store()
    before = content_hash(store)
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "refresh", "--verbose"], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: the Census API rejected the query (HTTP 400)")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "key=***" in result.stderr
    _no_key_anywhere(store, result.stdout, result.stderr)
    assert content_hash(store) == before


def test_bad_arguments(census_env):
    with pytest.raises(XlTdrError, match='"2024-13" is not a month like 2024-07'):
        refresh("api", start="2024-13")
    with pytest.raises(XlTdrError, match='unknown source "ftp"'):
        refresh("ftp")
