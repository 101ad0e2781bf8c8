"""Census International Trade API: country totals per month, both flows.

``GET {base}/exports/hs?get=CTY_CODE,CTY_NAME,ALL_VAL_MO&time=from 2013-01 to 2013-12&key=…``
(``imports/hs`` with ``GEN_VAL_MO``). The answer is a JSON array of arrays of strings, header
first, rows unsorted, with the filters echoed as extra columns; 204 means no data yet.
"""

from __future__ import annotations

import json
import re

from ..data.records import Observation, SectorObservation
from ..errors import ApiKeyError, SourceError, shown
from .http import Http, Response

FLOWS = {"X": ("exports/hs", "ALL_VAL_MO"), "M": ("imports/hs", "GEN_VAL_MO")}
SECTOR_COLUMNS = {"X": "E_COMMODITY", "M": "I_COMMODITY"}
MAX_DIGITS = 15  # a month of U.S. trade with the world is 13 digits of dollars
CHAPTER_CODES = frozenset(f"{n:02d}" for n in range(1, 100) if n != 77)
CODE = re.compile(r"-|\d{4}|\dXXX")  # world, countries and groups, continents
KEY_HELP = ("get a free key at https://api.census.gov/data/key_signup.html and set CENSUS_API_KEY "
            "(or use --source bulk, which needs no key)")


class CensusApi:
    """Client for the country totals of the Census International Trade API."""

    def __init__(self, key: str, base_url: str, http: Http):
        self.key, self.base_url, self.http = key, base_url.rstrip("/"), http

    def fetch(self, flow: str, first: tuple[int, int], last: tuple[int, int],
              vintage: int) -> tuple[list[Observation], dict[str, str]]:
        """Every partner's value of ``flow`` for the months ``first``…``last`` (empty if none yet)."""
        endpoint, column = FLOWS[flow]
        params = {"get": f"CTY_CODE,CTY_NAME,{column}", "time": _time(first, last), "key": self.key}
        response = self.http.get(f"{self.base_url}/{endpoint}", params=params)
        found, names = parse_rows(self._rows(response), flow, column, vintage, response.url)
        return within(found, first, last, response.url), names

    def fetch_sectors(self, flow: str, first: tuple[int, int], last: tuple[int, int], vintage: int,
                      chapter: str | None = None) -> tuple[list[SectorObservation], dict[str, str]]:
        """Every partner's value of ``flow`` by HS chapter for the months ``first``…``last``:
        imports for every chapter at once; exports for one ``chapter`` (all at once time out)."""
        endpoint, column = FLOWS[flow]
        commodity = SECTOR_COLUMNS[flow]
        params = {"get": f"CTY_CODE,CTY_NAME,{column},{commodity}", "COMM_LVL": "HS2",
                  "time": _time(first, last), "key": self.key}
        if flow == "X":  # unused dimensions set to "-", or the answer is split by them
            params.update({commodity: chapter, "DF": "-", "DISTRICT": "-"})
        response = self.http.get(f"{self.base_url}/{endpoint}", params=params)
        found, names = parse_rows(self._rows(response), flow, column, vintage, response.url, commodity=commodity)
        return within(found, first, last, response.url), names

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
    wanted = ("CTY_CODE", "CTY_NAME", column) + ((commodity,) if commodity else ())
    missing = [name for name in wanted if name not in where]
    if missing or not ("time" in where or {"YEAR", "MONTH"} <= where.keys()):
        missing = missing or ["time"]
        raise SourceError(f"the Census API answer lacks the column {missing[0]} "
                          f"(it has {', '.join(map(str, header))}): {url}", url)
    period_at = [where["time"]] if "time" in where else [where["YEAR"], where["MONTH"]]
    observations, names, seen = [], {}, set()
    width, code_at, value_at, name_at = len(header), where["CTY_CODE"], where[column], where["CTY_NAME"]
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
            if not (isinstance(code, str) and CODE.fullmatch(code)):
                raise SourceError(f"row {number} of the Census API answer has the unknown partner code "
                                  f"{code!r}: {url}", url)
            good_codes.add(code)
        if not (value.__class__ is str and value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS):
            raise SourceError(f"row {number} of the Census API answer has the {_kind(value)} value "
                              f"{shown(value)!r} for {code} {year}-{month:02d}: {url}", url)
        chapter = row[chapter_at] if commodity else None
        if commodity and chapter not in CHAPTER_CODES:
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
        if "time" in where:
            year, month = str(row[where["time"]]).split("-")
        else:
            year, month = row[where["YEAR"]], row[where["MONTH"]]
        year, month = int(year), int(month)
    except (ValueError, TypeError):
        raise SourceError(f"a Census API row has an unreadable period: {row[:3]}") from None
    if not 1 <= month <= 12:
        raise SourceError(f"a Census API row has the month {month}")
    return year, month
