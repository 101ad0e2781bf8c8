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
    width, body = len(header), rows[1:]
    short = next((n for n, row in enumerate(body, 2) if len(row) != width), None)
    if short:
        raise SourceError(f"row {short} of the Census API answer has {len(rows[short - 1])} values, "
                          f"not {width}: {url}", url)
    stamps = [row[where[census.TIME]] for row in body] if census.TIME in where else \
        list(zip((row[where[census.YEAR]] for row in body), (row[where[census.MONTH]] for row in body)))
    periods = {stamp: _period(stamp) for stamp in _distinct(stamps, url)}  # each distinct period is read once
    codes = [row[where[census.CODE]] for row in body]
    odd = {code for code in _distinct(codes, url) if not (code.__class__ is str and CODE_SHAPE.fullmatch(code))}
    if odd:
        number = next(n for n, code in enumerate(codes, 2) if code in odd)
        raise SourceError(f"row {number} of the Census API answer has the unknown partner code "
                          f"{codes[number - 2]!r}: {url}", url)
    values = [row[where[column]] for row in body]
    bad = next((n for n, v in enumerate(values, 2)
                if not (v.__class__ is str and v.isascii() and v.isdigit() and len(v) <= MAX_DIGITS)), None)
    if bad:
        value, (year, month) = values[bad - 2], periods[stamps[bad - 2]]
        raise SourceError(f"row {bad} of the Census API answer has the {_kind(value)} value "
                          f"{shown(value)!r} for {codes[bad - 2]} {year}-{month:02d}: {url}", url)
    chapters = [row[where[commodity]] for row in body] if commodity else [None] * len(body)
    unknown = {c for c in _distinct(chapters, url) if c.__class__ is not str or c not in CHAPTERS} if commodity else ()
    if unknown:
        chapter = next(c for c in chapters if c in unknown)
        raise SourceError(f"row {chapters.index(chapter) + 2} of the Census API answer has the unknown HS chapter "
                          f"{chapter!r}: {url}", url)
    _no_repeats(list(zip(codes, chapters, stamps)), periods, url)
    if commodity:
        make = SectorObservation._make
        observations = [make((code, chapter, flow, *periods[stamp], int(value), vintage))
                        for code, chapter, stamp, value in zip(codes, chapters, stamps, values)]
    else:
        make = Observation._make
        observations = [make((code, flow, *periods[stamp], int(value), vintage))
                        for code, stamp, value in zip(codes, stamps, values)]
    names = dict(zip(codes, (str(row[where[census.NAME]] or "") for row in body)))
    return observations, names


def _distinct(cells: list, url: str) -> set:
    """The distinct cells of a column; a list or an object among them is one sentence."""
    try:
        return set(cells)
    except TypeError:
        raise SourceError(f"the Census API sent JSON of an unexpected shape (a list or an object in a cell): {url}",
                          url) from None


def _no_repeats(keys: list[tuple], periods: dict, url: str) -> None:
    """Refuse an answer with a partner (and chapter) twice in one month."""
    if len(set(keys)) == len(keys):
        return
    seen = set()
    for code, chapter, stamp in keys:
        if (code, chapter, stamp) in seen:
            year, month = periods[stamp]
            what = f"{code} {year}-{month:02d}" + (f" chapter {chapter}" if chapter else "")
            raise SourceError(f"the Census API answer repeats {what}: {url}", url)
        seen.add((code, chapter, stamp))


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


def _period(stamp: object) -> tuple[int, int]:
    """(year, month) of a row's ``time`` (``"2024-03"``) or (``YEAR``, ``MONTH``) pair."""
    try:
        year, month = str(stamp).split("-") if stamp.__class__ is not tuple else stamp
        year, month = int(year), int(month)
    except (ValueError, TypeError):
        raise SourceError(f"a Census API row has an unreadable period: {shown(stamp)}") from None
    if not 1 <= month <= 12:
        raise SourceError(f"a Census API row has the month {month}")
    return year, month
