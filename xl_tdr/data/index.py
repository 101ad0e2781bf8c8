"""The in-memory index of totals: sums of exports and imports for any set of months.

Built once from the store (tens of milliseconds), then answers in microseconds, by the one
publication rule of :mod:`xl_tdr.data.publication`.
"""

from __future__ import annotations

from ..errors import DataNotAvailable
from ..query import Span
from ..reference.partner_facts import WORLD
from .publication import ALL_MONTHS, Publication, Reported
from .records import is_country

Key = tuple[str, str, int]  # code, flow, year
EVERY_MONTH = sorted(ALL_MONTHS)


class Index:
    """Monthly values and annual totals per partner, flow and year, and what is published."""

    def __init__(self, rows: list[tuple[str, str, int, int, int, int]]):
        monthly: dict[Key, list[int | None]] = {}
        annual: dict[Key, int] = {}
        for code, flow, year, month, value, _ in rows:
            if month:
                monthly.setdefault((code, flow, year), [None] * 12)[month - 1] = value
            else:
                annual[(code, flow, year)] = value
        self._set(monthly, annual)

    @classmethod
    def from_tables(cls, monthly: dict[Key, list[int | None]], annual: dict[Key, int]) -> "Index":
        """An index of the tables another one kept (``monthly`` and ``annual``)."""
        index = cls.__new__(cls)
        index._set(monthly, annual)
        return index

    def _set(self, monthly: dict[Key, list[int | None]], annual: dict[Key, int]) -> None:
        self.monthly, self.annual = monthly, annual
        self._row_years = sorted({year for _, _, year in monthly} | {year for _, _, year in annual})
        self._reported: dict[str, Reported] = {}
        self.publication = Publication(self.reported(WORLD))
        self.latest = self.publication.latest
        self._full_year: dict[tuple[str, int], tuple[int, int] | None] = {}

    def flows(self, code: str, span: Span) -> tuple[int, int]:
        """(exports, imports) of ``code`` over ``span``; raises DataNotAvailable when missing."""
        if not span.annual:
            return self.total(code, "X", span), self.total(code, "M", span)
        key = (code, span.year)
        found = self._full_year.get(key, False)
        if found is False:
            try:
                found = self._full_year[key] = (self.total(code, "X", span), self.total(code, "M", span))
            except DataNotAvailable:
                self._full_year[key] = None
                raise
        if found is None:
            return self.total(code, "X", span), self.total(code, "M", span)  # (raises the reason)
        return found

    def full_years(self, first: int, last: int) -> list[tuple[str, int, int, int]]:
        """(code, year, exports, imports) of every partner and full year from ``first`` to ``last``."""
        found = []
        for code, year in sorted({(code, year) for code, _, year in (*self.monthly, *self.annual)}):
            if first <= year <= last:
                try:
                    x, m = (self._sum(code, flow, year, EVERY_MONTH, True) for flow in ("X", "M"))
                except DataNotAvailable:
                    continue
                found.append((code, year, x, m))
        return found

    def total(self, code: str, flow: str, span: Span) -> int:
        """Sum of ``flow`` for ``code`` over ``span``; raises when any month is missing."""
        return sum(self._sum(code, flow, year, months, span.annual) for year, months in span.by_year().items())

    def reported(self, code: str) -> Reported:
        """The months and annual totals ``code`` has rows for, worked out when first asked (a
        cold start reads a few partners, not all of them)."""
        found = self._reported.get(code)
        if found is None:
            found = self._reported[code] = Reported()
            for key in ((code, flow, year) for flow in ("X", "M") for year in self._row_years):
                values = self.monthly.get(key)
                if values is not None:
                    found.months[key[1:]] = {m for m, v in enumerate(values, 1) if v is not None}
                if key in self.annual:
                    found.annual.add(key[1:])
        return found

    def _sum(self, code: str, flow: str, year: int, months: list[int], whole_year: bool) -> int:
        group = None if is_country(code) else self.reported(code)
        if self.publication.annual_serves(group, flow, year, months, whole_year):
            return self.annual.get((code, flow, year), 0)
        values = self.monthly.get((code, flow, year))
        return sum(values[m - 1] or 0 for m in months) if values else 0
