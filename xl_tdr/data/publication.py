"""What Census has published, and how one partner's value is read from it: one rule for the
totals and the trade by HS chapter alike.

- **Published.** A month counts as published for a flow and year when the World has a row for it
  (for trade by chapter: a row for any chapter); a year whose World has an annual row (month 0)
  has an annual total.
- **Absent means zero — for a country.** Within what is published, a country with no row traded
  nothing (Census sends no row for zero). A group or continent reports what it reports: a month,
  or an annual total, it has no row for is not available — never zero.
- **When the annual total serves.** A full year is the sum of its months when all 12 are published
  and the partner reports them; otherwise the annual total serves.
- **Latest covered.** Per year, the last month both flows are published (a year of annual totals
  only counts to December).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..errors import DataNotAvailable
from ..periods import span_text
from .records import FLOW_WORDS

YearMonth = tuple[int, int]
FlowYear = tuple[str, int]
ALL_MONTHS = frozenset(range(1, 13))


@dataclass
class Reported:
    """What one partner (or the World) has rows for: months and annual totals, per flow and year."""

    months: dict[FlowYear, set[int]] = field(default_factory=lambda: defaultdict(set))
    annual: set[FlowYear] = field(default_factory=set)

    def add(self, flow: str, year: int, month: int) -> None:
        if month:
            self.months[(flow, year)].add(month)
        else:
            self.annual.add((flow, year))

    def any(self, flow: str, year: int) -> bool:
        return bool(self.months.get((flow, year))) or (flow, year) in self.annual


class Publication:
    """The published months and annual totals (from the World's rows), and the reading rule."""

    def __init__(self, world: Reported, subject: str = "", scope: str = "", hint: str = ""):
        """``subject`` follows a flow in messages (" by HS chapter"), ``scope`` names the data
        when a year is missing ("sector data"), ``hint`` says how to get more."""
        self.world, self.subject, self.scope, self.hint = world, subject, scope, hint
        self.years = sorted({year for _, year in world.months} | {year for _, year in world.annual})
        ends = [(year, max(self.both(year), default=0)) for year in self.years]
        self._ends = [end for end in ends if end[1]]
        self.latest: YearMonth | None = self._ends[-1] if self._ends else None

    def months(self, flow: str, year: int) -> set[int]:
        """Months of ``year`` with monthly figures for ``flow``."""
        return self.world.months.get((flow, year), set())

    def covered(self, flow: str, year: int) -> set[int]:
        """Months of ``year`` published for ``flow``, counting an annual-only year as all 12."""
        months = self.months(flow, year)
        return set(ALL_MONTHS) if not months and (flow, year) in self.world.annual else months

    def both(self, year: int, monthly_only: bool = False) -> set[int]:
        """Months of ``year`` published for both flows (an annual-only year: all 12, unless
        ``monthly_only``)."""
        read = self.months if monthly_only else self.covered
        return read("X", year) & read("M", year)

    def latest_through(self, year: int) -> YearMonth | None:
        """The last month covered for both flows up to the end of ``year``."""
        ends = [end for end in self._ends if end[0] <= year]
        return ends[-1] if ends else None

    def latest_monthly(self) -> YearMonth | None:
        """The last month with monthly figures for both flows."""
        ends = [(year, max(self.both(year, monthly_only=True), default=0)) for year in self.years]
        ends = [end for end in ends if end[1]]
        return ends[-1] if ends else None

    def annual_serves(self, group: Reported | None, flow: str, year: int, months: list[int], whole_year: bool) -> bool:
        """How ``months`` of ``year`` are read for a partner: False for the sum of its months, True
        for its annual total (``whole_year``: January to December are asked for). ``group`` is what
        a group reports, None for a country (absent means zero). Raises :class:`DataNotAvailable`
        saying why when they cannot be read."""
        published = self.months(flow, year)
        if all(m in published for m in months):
            if group is None or all(m in group.months.get((flow, year), ()) for m in months):
                return False
            if not (whole_year and (flow, year) in group.annual):
                raise DataNotAvailable(self._partner_lacks(group, flow, year))
            return True
        if whole_year and (flow, year) in self.world.annual:
            if group is None or (flow, year) in group.annual:
                return True
            raise DataNotAvailable(self._partner_lacks(group, flow, year))
        raise DataNotAvailable(self.explain(flow, year, published))

    def _partner_lacks(self, partner: Reported, flow: str, year: int) -> str:
        if not partner.any(flow, year):
            if self.subject:
                return f"the store has no {FLOW_WORDS[flow]}{self.subject} for this partner in {year}"
            return f"the store has no {year} {'total' if (flow, year) in self.world.annual else 'data'} for this partner"
        return f"the store has only part of {year} for this partner"

    def explain(self, flow: str, year: int, published: set[int]) -> str:
        """Why ``year`` cannot give the months asked for."""
        words = f"{year} {FLOW_WORDS[flow]}{self.subject}" if self.subject else str(year)
        if (flow, year) in self.world.annual and not published:
            if self.subject:
                return f"{words} are annual totals only in the store, not monthly — ask for the full year"
            return (f"{year} has only annual totals in the store, no monthly figures — "
                    f"ask for the full year, or run `xl-tdr refresh` for monthly figures")
        if not published and self.subject:
            return f"{self.scope} cover {span_text(self.years) or 'no years'}; {self.hint}"
        if not published and self.years and year < self.years[0]:
            return f"no data for {year}: the data start in {self.years[0]}"
        if not published:
            last = f"; data end in {self.latest[0]}-{self.latest[1]:02d}" if self.latest else ""
            return f"no data for {year} in the store{last}"
        have = month_ranges(sorted(published))
        if self.subject:
            return f"{words} are published for months {have} only"
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
