"""One refresh, planned: its source, key, store, the data before it, the months to ask for, and
the clock it runs against — one value passed down instead of a dozen loose arguments."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Callable

from .. import config
from ..data.view import View
from ..errors import ApiKeyError, ArgumentError, SourceError
from ..periods import parse_year

FIRST_API_MONTH = (2013, 1)
REVISION_MONTH = 6  # Census publishes its annual revision with the April data, in June
YearMonth = tuple[int, int]
Range = tuple[YearMonth, YearMonth]
Progress = Callable[[int, int, str], None]

@dataclass
class Plan:
    """What one refresh does and with what."""

    source: str  # "api" or "bulk"
    key: str | None
    view: View  # the data before the refresh
    today: date
    start: YearMonth | None  # --from
    full: bool
    vintage: int  # this refresh's vintage of totals; trade by chapter gets the next
    deadline: float  # time.monotonic() by which the whole refresh ends
    progress: Progress | None = None

    def report(self, done: int, total: int, label: str) -> None:
        """Tell the progress callback, and stop once the refresh's deadline has passed."""
        if self.progress:
            self.progress(done, total, label)
        self.check_deadline()

    def check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise SourceError(overdue())

    def ranges(self, latest: YearMonth | None, last_refresh: str | None) -> list[Range]:
        """The month ranges to ask the API for (see :func:`api_ranges`)."""
        return api_ranges(latest, last_refresh, self.today, self.start, self.full)


def overdue() -> str:
    """The sentence for a refresh that ran past its deadline."""
    return (f"the refresh did not finish within {config.refresh_deadline():g} s (XL_TDR_REFRESH_DEADLINE); "
            "nothing was changed — try again later")


def api_ranges(latest: YearMonth | None, last_refresh: str | None, today: date, start: YearMonth | None,
               full: bool) -> list[Range]:
    """The month ranges to ask the API for, one request per flow and calendar year.

    ``full``: everything from 2013. ``start``: from that month on. Otherwise: the months after
    ``latest`` (the latest month covered), this calendar year's earlier months again (Census
    revises them month by month), and last year again once its June annual revision is out and
    the last refresh predates it.
    """
    if full:
        first = FIRST_API_MONTH
    elif start:
        first = start
    else:
        first = FIRST_API_MONTH if latest is None else (
            (latest[0] + 1, 1) if latest[1] == 12 else (latest[0], latest[1] + 1))
        first = min(first, (today.year, 1))  # this year's earlier months again: revisions
        revision_day = date(today.year, REVISION_MONTH, 1)
        if today >= revision_day and (last_refresh or "") < revision_day.isoformat():
            first = min(first, (today.year - 1, 1))  # last year again, once the annual revision is out
    return [((year, first[1] if year == first[0] else 1), (year, 12)) for year in range(first[0], today.year + 1)]


def parse_month(text: str, today: date) -> YearMonth:
    """``"2024-07"`` → (2024, 7); refuses other shapes and months that have not ended."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(text))
    if not match or not 1 <= int(match[2]) <= 12:
        raise ArgumentError(f'"{str(text)[:20]}" is not a month like 2024-07')
    year, month = parse_year(int(match[1])), int(match[2])
    if (year, month) >= (today.year, today.month):
        raise ArgumentError(f"{year}-{month:02d} has not ended yet: Census publishes a month weeks after it "
                            f"ends — ask --from an earlier month")
    if (year, month) < FIRST_API_MONTH:
        raise ArgumentError(f"the Census API's monthly data start in {FIRST_API_MONTH[0]}-{FIRST_API_MONTH[1]:02d}; "
                            f"ask --from that month or later")
    return year, month


def check_key(key: str) -> None:
    """Refuse a key that is not 40 hexadecimal characters (describing it, never showing it)."""
    if re.fullmatch(r"[0-9a-fA-F]{40}", key):
        return
    odd = sum(1 for c in key if not (c.isascii() and c.isprintable()) or c.isspace())
    extra = f", {odd} of them invisible, a space or not ASCII" if odd else ""
    raise ApiKeyError(f"the Census API key must be 40 hexadecimal characters (0-9, a-f); the one configured "
                      f"has {len(key)} characters{extra} — paste it again from the Census e-mail")
