"""The in-memory index over the store: sums of exports and imports for any set of months.

Built once from the store (tens of milliseconds), then answers in microseconds. A month counts
as published for a flow when the world row has it; within a published month a country with no
row traded nothing (the Census API sends no row for zero), while a group or continent with no
row is simply not available.
"""

from __future__ import annotations

from collections import defaultdict

from ..errors import DataNotAvailable
from ..query import Span
from ..reference.partner_facts import WORLD
from .records import is_country

Key = tuple[str, str, int]  # code, flow, year
ALL_MONTHS = list(range(1, 13))
YearMonth = tuple[int, int]


class Index:
    """Monthly values, annual-only totals and what is published, per flow and year."""

    def __init__(self, rows: list[tuple[str, str, int, int, int, int]]):
        self.monthly: dict[Key, list[int | None]] = defaultdict(lambda: [None] * 12)
        self.annual: dict[Key, int] = {}
        for code, flow, year, month, value, _ in rows:
            if month:
                self.monthly[(code, flow, year)][month - 1] = value
            else:
                self.annual[(code, flow, year)] = value
        self.monthly = dict(self.monthly)
        self.published = {(flow, year): {m + 1 for m, v in enumerate(values) if v is not None}
                          for (code, flow, year), values in self.monthly.items() if code == WORLD}
        self.annual_years = {(flow, year) for (code, flow, year) in self.annual if code == WORLD}
        self.years = sorted({year for _, year in self.published} | {y for _, y in self.annual_years})
        self._ends = self._month_ends()
        self.latest: YearMonth | None = self._ends[-1] if self._ends else None  # annual-only year: December
        self.full_year: dict[tuple[str, int], tuple[int, int]] = {}
        for code, _, year in list(self.monthly) + list(self.annual):
            try:
                self.full_year[(code, year)] = (self._sum(code, "X", year, ALL_MONTHS, True),
                                                self._sum(code, "M", year, ALL_MONTHS, True))
            except DataNotAvailable:
                pass

    def _month_ends(self, monthly_only: bool = False) -> list[YearMonth]:
        """Per year with data, its last month published for both flows, ascending."""
        ends = [(year, max(self.both_published(year, monthly_only), default=0)) for year in self.years]
        return [end for end in ends if end[1]]

    def both_published(self, year: int, monthly_only: bool = False) -> set[int]:
        """Months of ``year`` published for both flows (an annual-only year: all 12, unless
        ``monthly_only``)."""
        if monthly_only:
            return self.published.get(("X", year), set()) & self.published.get(("M", year), set())
        return self.published_months("X", year) & self.published_months("M", year)

    def latest_monthly(self) -> YearMonth | None:
        """The last month with monthly figures for both flows."""
        ends = self._month_ends(monthly_only=True)
        return ends[-1] if ends else None

    def latest_through(self, year: int) -> YearMonth | None:
        """The last month published for both flows up to the end of ``year``."""
        ends = [end for end in self._ends if end[0] <= year]
        return ends[-1] if ends else None

    def published_months(self, flow: str, year: int) -> set[int]:
        """Months of ``year`` published for ``flow`` (all 12 for an annual-only year)."""
        months = self.published.get((flow, year), set())
        return set(range(1, 13)) if (flow, year) in self.annual_years and not months else months

    def flows(self, code: str, span: Span) -> tuple[int, int]:
        """(exports, imports) of ``code`` over ``span``; raises DataNotAvailable when missing."""
        if span.annual:
            found = self.full_year.get((code, span.year))
            if found is not None:
                return found
        return self.total(code, "X", span), self.total(code, "M", span)

    def total(self, code: str, flow: str, span: Span) -> int:
        """Sum of ``flow`` for ``code`` over ``span``; raises when any month is missing."""
        return sum(self._sum(code, flow, year, wanted, span.annual) for year, wanted in span.by_year().items())

    def _sum(self, code: str, flow: str, year: int, wanted: list[int], annual: bool) -> int:
        key = (code, flow, year)
        values = self.monthly.get(key)
        published = self.published.get((flow, year), set())
        if annual and len(published) < 12 and (flow, year) in self.annual_years:
            if key in self.annual:
                return self.annual[key]
            if not is_country(code):
                raise DataNotAvailable(f"the store has no {year} total for this partner")
            return 0
        missing = [m for m in wanted if m not in published]
        if missing:
            raise DataNotAvailable(self._explain_missing(flow, year, wanted, published))
        if values is None and not is_country(code):
            raise DataNotAvailable(f"the store has no {year} data for this partner")
        values = values or [None] * 12
        if not is_country(code) and any(values[m - 1] is None for m in wanted):
            raise DataNotAvailable(f"the store has only part of {year} for this partner")
        return sum(values[m - 1] or 0 for m in wanted)

    def _explain_missing(self, flow: str, year: int, wanted: list[int], published: set[int]) -> str:
        if (flow, year) in self.annual_years and not published:
            return (f"{year} has only annual totals in the store, no monthly figures — "
                    f"ask for the full year, or run `xl-tdr refresh` for monthly figures")
        if not published and self.years and year < self.years[0]:
            return f"no data for {year}: the data start in {self.years[0]}"
        if not published:
            last = f"; data end in {self.latest[0]}-{self.latest[1]:02d}" if self.latest else ""
            return f"no data for {year} in the store{last}"
        have = month_ranges(sorted(published))
        return f"{year} is not complete: only months {have} are published (try YTD or {have})"


def month_ranges(months: list[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1-3, 5"``."""
    parts, start = [], None
    for i, month in enumerate(months):
        start = month if start is None else start
        if i + 1 == len(months) or months[i + 1] != month + 1:
            parts.append(f"{start}" if start == month else f"{start}-{month}")
            start = None
    return ", ".join(parts)
