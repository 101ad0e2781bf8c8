"""Census bulk file ``country.xlsx``: every partner, 1985 → now, no key, $ millions.

Columns ``year, CTY_CODE, CTYNAME, IJAN…IDEC, IYR, EJAN…EDEC, EYR`` (the names are in
:mod:`.census`). Months not yet published are written as 0: a month counts as published for a
flow only when its countries' total is not zero, and unpublished months become missing values,
not zero trade. The file numbers its groupings differently from the API: the ones that match an
API group by code and name are kept, the rest left out; the World and every group and continent
whose members are known are derived from the countries.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..data.records import Observation, is_country
from ..data.rules import derive_groups
from ..reference.partner_facts import BULK_GROUPS
from ..reference.partners import registry
from . import census
from ..errors import SourceError, shown
from .http import Http

MAX_DOWNLOAD = 50 * 2**20
MAX_UNZIPPED = 400 * 2**20
MAX_RATIO = 200
MAX_MILLIONS = 1e9  # $ millions: a thousand times a year of U.S. trade with the world
FIRST_YEAR = 1985  # the bulk file's first year


@dataclass
class BulkResult:
    observations: list[Observation]
    names: dict[str, str]
    etag: str | None
    last_modified: str | None


class CensusBulk:
    """Downloads and reads ``country.xlsx`` (conditionally, with ETag / Last-Modified)."""

    def __init__(self, url: str, http: Http):
        self.url, self.http = url, http

    def fetch(self, vintage: int, etag: str | None = None, last_modified: str | None = None) -> BulkResult | None:
        """The file's observations, or None when the server says it has not changed (304)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = self.http.get(self.url, headers=headers, max_bytes=MAX_DOWNLOAD)
        if response.status == 304:
            return None
        if response.status != 200:
            raise SourceError(f"the Census bulk file could not be downloaded (HTTP {response.status}): "
                              f"{response.url}", response.url, response.status)
        observations, names = read_country_xlsx(response.body, vintage, self.url)
        return BulkResult(observations, names, response.headers.get("ETag"),
                          response.headers.get("Last-Modified"))


def _check_zip(body: bytes, url: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile:
        raise SourceError(f"the Census bulk file is not an xlsx workbook (damaged or truncated): {url}", url) from None
    total = 0
    for item in archive.infolist():
        total += item.file_size
        if item.file_size > MAX_RATIO * max(item.compress_size, 1) and item.file_size > 2**20:
            raise SourceError(f"the Census bulk file looks like a zip bomb ({item.filename}); refusing it", url)
    if total > MAX_UNZIPPED:
        raise SourceError(f"the Census bulk file unpacks to {total // 2**20} MB; refusing it", url)


def read_country_xlsx(body: bytes, vintage: int, url: str = "country.xlsx") -> tuple[list[Observation], dict[str, str]]:
    """Observations (whole dollars) and names from the bytes of ``country.xlsx``."""
    _check_zip(body, url)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SourceError(f"the Census bulk file cannot be read as a workbook ({type(exc).__name__}): {url}", url) from None
    return observations_of(rows, vintage, url)


def observations_of(rows: list[tuple], vintage: int, url: str = "country.xlsx") -> tuple[list[Observation], dict[str, str]]:
    """Observations and names from the bulk file's rows (its header row among the first 20),
    every cell checked."""
    header_at = next((i for i, row in enumerate(rows[:20]) if row and census.BULK_CODE in row), None)
    if header_at is None:
        raise SourceError(f"the Census bulk file has no header row with {census.BULK_CODE}: {url}", url)
    header = [str(h).strip() if h is not None else "" for h in rows[header_at]]
    wanted = [census.BULK_YEAR, census.BULK_CODE, census.BULK_NAME] + [
        f"{letter}{month}" for letter in census.BULK_FLOW.values() for month in census.MONTHS]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise SourceError(f"the Census bulk file lacks the column {missing[0]}: {url}", url)
    where = {name: header.index(name) for name in wanted}
    return _observations(rows[header_at + 1:], where, header_at + 2, vintage, url)


def _observations(rows, where, first_line: int, vintage: int, url: str):
    values, names, seen, lines = {}, {}, set(), {}
    for line, row in enumerate(rows, start=first_line):
        if not row or row[where[census.BULK_CODE]] in (None, ""):
            continue
        code = _code(row[where[census.BULK_CODE]])
        name = str(row[where[census.BULK_NAME]] or "").strip()
        if not (is_country(code) or BULK_GROUPS.get(code) == name.lower()):
            continue
        year = _number(row[where[census.BULK_YEAR]], line, census.BULK_YEAR, url)
        if year is None or not year.is_integer() or not FIRST_YEAR <= year <= date.today().year:
            raise SourceError(f"the Census bulk file has the year {shown(row[where[census.BULK_YEAR]])!r} on line {line}, "
                              f"not one from {FIRST_YEAR} to {date.today().year}: {url}", url)
        year = int(year)
        if (code, year) in seen:
            raise SourceError(f"the Census bulk file repeats {code} {year} (line {line}): {url}", url)
        seen.add((code, year))
        names[code] = name
        for flow, letter in census.BULK_FLOW.items():
            for month, label in enumerate(census.MONTHS, start=1):
                millions = _number(row[where[f"{letter}{label}"]], line, f"{letter}{label}", url)
                values[(code, flow, year, month)] = None if millions is None else round(millions * 1_000_000)
                lines[(code, flow, year, month)] = line
    published = _published(values)
    blank = next((key for key, value in values.items() if value is None and key[1:] in published), None)
    if blank:
        code, flow, year, month = blank
        raise SourceError(f"the Census bulk file has an empty cell for {code} {year}-{month:02d} "
                          f"({'imports' if flow == 'M' else 'exports'}, line {lines[blank]}) in a published month: {url}", url)
    observations = [Observation(code, flow, year, month, value, vintage)
                    for (code, flow, year, month), value in values.items() if (flow, year, month) in published]
    return observations + derive_groups(observations, vintage, registry().memberships()), names


def _published(values: dict) -> set[tuple[str, int, int]]:
    """(flow, year, month) that Census has published: zeros mean 'not yet', and a month counts
    only when at least half as many countries trade in it as in the flow's busiest month (a stray
    figure in an unpublished month does not publish it for everyone)."""
    trading = defaultdict(int)
    for (code, flow, year, month), value in values.items():
        if is_country(code) and value:
            trading[(flow, year, month)] += 1
    busiest = defaultdict(int)
    for (flow, _, _), count in trading.items():
        busiest[flow] = max(busiest[flow], count)
    return {key for key, count in trading.items() if count * 2 >= busiest[key[0]]}


def _code(raw) -> str:
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    return text.zfill(4) if text.isdigit() else text


def _number(raw, line: int, column: str, url: str) -> float | None:
    """A cell as a number of $ millions (None for an empty cell); refuses text, negatives and
    absurd sizes."""
    if raw is None or raw == "":
        return None
    try:
        number = float(raw) if isinstance(raw, (int, float)) or str(raw).strip().isascii() else float("nan")
    except (TypeError, ValueError, OverflowError):
        number = float("nan")
    if not (math.isfinite(number) and 0 <= number < MAX_MILLIONS):
        what = "negative" if number < 0 else "non-numeric" if number != number else "implausibly large"
        raise SourceError(f"the Census bulk file has the {what} value {shown(raw)!r} in {column}, "
                          f"line {line}: {url}", url) from None
    return number
