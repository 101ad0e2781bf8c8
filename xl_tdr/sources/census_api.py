"""Census International Trade API: every partner's totals per month, and by HS chapter.

``GET {base}/exports/hs?get=CTY_CODE,CTY_NAME,ALL_VAL_MO&time=from 2013-01 to 2013-12&key=…``
(``imports/hs`` with ``GEN_VAL_MO``; the names are in :mod:`.census`). The answer is a JSON array
of arrays of strings, header first, rows unsorted, with the filters echoed as extra columns; 204
means no data yet. Every error leaves here with the key redacted.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterator

from ..data.records import MAX_DOLLARS, Observation, SectorObservation
from ..errors import ApiKeyError, SourceError, shown
from ..reference.chapter_facts import CHAPTERS
from ..reference.partner_facts import CODE_SHAPE
from . import census
from .http import Http, Response

MAX_DIGITS = len(str(MAX_DOLLARS))
KEY_HELP = ("get a free key at https://api.census.gov/data/key_signup.html and set CENSUS_API_KEY "
            "(or use --source bulk, which needs no key)")


class CensusApi:
    """Client for the country totals of the Census International Trade API."""

    def __init__(self, key: str, base_url: str, http: Http):
        self.key, self.base_url, self.http = key, base_url.rstrip("/"), http

    def fetch(self, flow: str, first: tuple[int, int], last: tuple[int, int],
              vintage: int) -> tuple[list[Observation], dict[str, str]]:
        """Every partner's value of ``flow`` for the months ``first``…``last`` (empty if none yet)."""
        column = census.VALUE[flow]
        params = {"get": f"{census.CODE},{census.NAME},{column}", census.TIME: _time(first, last), "key": self.key}
        with self._redacting():
            response = self.http.get(f"{self.base_url}/{census.ENDPOINT[flow]}", params=params)
            found, names = parse_rows(self._rows(response), flow, column, vintage, response.url)
            return within(found, first, last, response.url), names

    def fetch_sectors(self, flow: str, first: tuple[int, int], last: tuple[int, int], vintage: int,
                      chapter: str | None = None) -> tuple[list[SectorObservation], dict[str, str]]:
        """Every partner's value of ``flow`` by HS chapter for the months ``first``…``last``:
        imports for every chapter at once; exports for one ``chapter`` (all at once time out) —
        an answer labelled with another chapter is refused."""
        column, commodity = census.VALUE[flow], census.COMMODITY[flow]
        params = {"get": f"{census.CODE},{census.NAME},{column},{commodity}", census.LEVEL: census.CHAPTER_LEVEL,
                  census.TIME: _time(first, last), "key": self.key}
        if flow == "X":  # unused dimensions set to "-", or the answer is split by them
            params.update({commodity: chapter, **census.EXPORT_DIMENSIONS})
        with self._redacting():
            response = self.http.get(f"{self.base_url}/{census.ENDPOINT[flow]}", params=params)
            found, names = parse_rows(self._rows(response), flow, column, vintage, response.url, commodity=commodity)
            stray = next((row.chapter for row in found if chapter and row.chapter != chapter), None)
            if stray:
                raise SourceError(f"the Census API answered a request for exports of HS {chapter} with figures "
                                  f"for HS {stray}; refusing it: {response.url}", response.url)
            return within(found, first, last, response.url), names

    @contextmanager
    def _redacting(self) -> Iterator[None]:
        """Any SourceError leaves with the key out of its message and URL (an answer may echo it)."""
        try:
            yield
        except SourceError as exc:
            raise self.http.redacted(exc) from None

    def _rows(self, response: Response) -> list:
        status, url, body = response.status, response.url, response.body
        if status == 204 or (status == 200 and not body.strip()):
            return []
        if status in (301, 302, 303, 307, 308) or "X-DataWebAPI-KeyError" in response.headers:
            raise ApiKeyError(f"the Census API refused the request for lack of a valid key; {KEY_HELP}",
                              url, status)
        text = body.decode("utf-8", "replace")
        if status == 400:
            message = " ".join(text.split())[:200] or "no details"
            raise SourceError(f"the Census API rejected the query (HTTP 400): {self.http.redact(message)}", url, 400)
        if status != 200:
            raise SourceError(f"the Census API answered HTTP {status}: {url}", url, status)
        if text.lstrip().startswith("<"):
            if "invalid key" in text.lower():
                raise ApiKeyError(f"the Census API rejected the key as invalid; {KEY_HELP}", url, status)
            raise SourceError(f"the Census API sent a web page where JSON data were expected: {url}", url, status)
        try:
            rows = json.loads(text)
        except (ValueError, RecursionError):
            raise SourceError(f"the Census API sent malformed or truncated JSON: {url}", url, status) from None
        if not (isinstance(rows, list) and rows and all(isinstance(r, list) for r in rows)):
            raise SourceError(f"the Census API sent JSON of an unexpected shape: {url}", url, status)
        return rows


def parse_rows(rows: list[list], flow: str, column: str, vintage: int, url: str,
               commodity: str | None = None) -> tuple[list, dict[str, str]]:
    """Validate an API table (header first) and turn it into observations and names.

    With ``commodity`` (the chapter column, ``I_COMMODITY`` or ``E_COMMODITY``) the rows are
    per HS chapter and become :class:`SectorObservation` values.
    """
    if not rows:
        return [], {}
    header = rows[0]
    where = {name: i for i, name in enumerate(header)}
    wanted = (census.CODE, census.NAME, column) + ((commodity,) if commodity else ())
    missing = [name for name in wanted if name not in where]
    if missing or not (census.TIME in where or {census.YEAR, census.MONTH} <= where.keys()):
        missing = missing or [census.TIME]
        raise SourceError(f"the Census API answer lacks the column {missing[0]} "
                          f"(it has {', '.join(map(str, header))}): {url}", url)
    period_at = [where[census.TIME]] if census.TIME in where else [where[census.YEAR], where[census.MONTH]]
    observations, names, seen = [], {}, set()
    width, code_at, value_at, name_at = len(header), where[census.CODE], where[column], where[census.NAME]
    chapter_at = where[commodity] if commodity else None
    periods: dict[tuple, tuple[int, int]] = {}  # each distinct period and code is checked once
    good_codes: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise SourceError(f"row {number} of the Census API answer has {len(row)} values, "
                              f"not {width}: {url}", url)
        stamp = tuple(row[i] for i in period_at)
        year, month = periods.get(stamp) or periods.setdefault(stamp, _period(row, where))
        code, value = row[code_at], row[value_at]
        if code not in good_codes:
            if not (isinstance(code, str) and CODE_SHAPE.fullmatch(code)):
                raise SourceError(f"row {number} of the Census API answer has the unknown partner code "
                                  f"{code!r}: {url}", url)
            good_codes.add(code)
        if not (value.__class__ is str and value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS):
            raise SourceError(f"row {number} of the Census API answer has the {_kind(value)} value "
                              f"{shown(value)!r} for {code} {year}-{month:02d}: {url}", url)
        chapter = row[chapter_at] if commodity else None
        if commodity and (chapter.__class__ is not str or chapter not in CHAPTERS):
            raise SourceError(f"row {number} of the Census API answer has the unknown HS chapter {chapter!r}: {url}", url)
        key = (code, chapter, year, month)
        if key in seen:
            what = f"{code} {year}-{month:02d}" + (f" chapter {chapter}" if chapter else "")
            raise SourceError(f"the Census API answer repeats {what}: {url}", url)
        seen.add(key)
        observations.append(SectorObservation(code, chapter, flow, year, month, int(value), vintage) if chapter
                            else Observation(code, flow, year, month, int(value), vintage))
        names[code] = str(row[name_at] or "")
    return observations, names


def _kind(value: object) -> str:
    """What is wrong with a value that is not a plain whole number of dollars."""
    text = str(value)
    if text[:1] == "-" and text[1:].isascii() and text[1:].isdigit():
        return "negative"
    if text.isascii() and text.isdigit():
        return "implausibly large"
    return "non-numeric"


def within(observations: list, first: tuple[int, int], last: tuple[int, int], url: str) -> list:
    """``observations`` if every one is in the months asked for (``first``…``last``)."""
    for obs in observations:
        if not first <= (obs.year, obs.month) <= last:
            raise SourceError(f"the Census API answer has figures for {obs.year}-{obs.month:02d}, which were not "
                              f"asked for ({first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}): {url}", url)
    return observations


def _time(first: tuple[int, int], last: tuple[int, int]) -> str:
    return f"from {first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}"


def _period(row: list, where: dict[str, int]) -> tuple[int, int]:
    try:
        if census.TIME in where:
            year, month = str(row[where[census.TIME]]).split("-")
        else:
            year, month = row[where[census.YEAR]], row[where[census.MONTH]]
        year, month = int(year), int(month)
    except (ValueError, TypeError):
        raise SourceError(f"a Census API row has an unreadable period: {row[:3]}") from None
    if not 1 <= month <= 12:
        raise SourceError(f"a Census API row has the month {month}")
    return year, month
