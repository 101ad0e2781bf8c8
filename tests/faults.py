"""The Census faults the refresh tests script on the loopback server, and the check that a
refresh refused one: one sentence, the store byte-identical, the API key nowhere."""

import os
import re
from datetime import date

import pytest
from census_server import KEY
from stores import content_hash

from xl_tdr.data.store import Store
from xl_tdr.errors import ApiKeyError, SourceError
from xl_tdr.refresh import refresh

TODAY = date(2025, 7, 1)

API_FAULTS = [
    # (scripted fault, on which requests, expected error type, message pattern)
    ("redirect", {1}, ApiKeyError, r"^the Census API refused the request for lack of a valid key; get a free key"),
    ("invalid_key_html", {1}, ApiKeyError, r"^the Census API rejected the key as invalid"),
    ("bad_request", {1}, SourceError, r"^the Census API rejected the query \(HTTP 400\): error: unknown predicate variable: 'FOO'"),
    ("rate_limit", "always", SourceError, r"kept refusing requests as too frequent \(HTTP 429\) after 3 tries"),
    ("server_error", "always", SourceError, r"did not answer properly \(HTTP 500\) after 3 tries"),
    ("slow", "always", SourceError, r"did not answer properly \(no answer within 1 s\) after 3 tries"),  # timeout 1 s
    ("truncated_json", {1}, SourceError, r"^the Census API sent malformed or truncated JSON"),
    ("html", {1}, SourceError, r"^the Census API sent a web page where JSON data were expected"),
    ("renamed_column", {1}, SourceError, r"^the Census API answer lacks the column ALL_VAL_MO"),
    ("non_numeric", {2}, SourceError, r"non-numeric value '\(D\)'"),  # exports fine, imports damaged
    ("reset", "always", SourceError, r"the connection was cut off in the middle of the answer"),
    ("world_mismatch", {1}, SourceError, r"^the Census API figures do not add up: X 2024-\d\d"),
    ("duplicate_row", {1}, SourceError, r"^the Census API answer repeats"),
    ("missing_world", {1}, SourceError, r"^the Census API answer has no world total"),
    ("bad_code", {1}, SourceError, r"has the unknown partner code 'MEXICO'"),
    ("list_cell", {1}, SourceError,
     r"^the Census API sent JSON of an unexpected shape \(a list or an object in a cell\)"),
    ("extra_months", {1}, SourceError, r"^the Census API answer has figures for 2013-01, which were not asked for "
                                      r"\(2024-01 to 2024-12\)"),
    ("negative", {1}, SourceError, r"row 6 of the Census API answer has the negative value '-5'"),
    ("huge", {1}, SourceError, r"has the implausibly large value '99999999999999999999…'"),
    ("superscript", {1}, SourceError, r"has the non-numeric value '²'"),
    ("arabic_digits", {2}, SourceError, r"has the non-numeric value '١٢٣'"),
    ("nested_json", {1}, SourceError, r"^the Census API sent malformed or truncated JSON"),
]


def script(server, requests, fault):
    if requests == "always":
        server.replay.always = fault
    else:
        server.replay.faults = {n: fault for n in requests}


def no_key_anywhere(store: Store, *texts: str) -> None:
    for text in texts:
        assert KEY not in text
    for path in store.path.parent.iterdir():
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def refused(server, fault, requests, kind, pattern, **options) -> str:
    """Script ``fault``, refresh: the refresh fails with one sentence matching ``pattern``, the
    store is byte-identical and the key is nowhere. Returns the message."""
    if fault == "slow":
        os.environ["XL_TDR_HTTP_TIMEOUT"] = "1"  # (census_env's monkeypatch restores it)
    store = Store()
    before = content_hash(store)
    script(server, requests, fault)
    with pytest.raises(kind) as caught:
        refresh("api", today=TODAY, **options)
    message = str(caught.value)
    assert re.search(pattern, message), message
    assert "\n" not in message and "Traceback" not in message
    assert content_hash(store) == before
    no_key_anywhere(store, message, repr(caught.value.__dict__))
    return message
