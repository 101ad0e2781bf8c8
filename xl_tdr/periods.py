"""Periods within a year: parse what users type, and expand it to the months it covers.

Pure: no I/O. A period is one of: the full year (``None``), a month ``1``–``12``, ``Q1``–``Q4``,
``H1``/``H2``, a month range ``"1-11"``, ``YTD`` (January to the latest month published) or
``R12`` (the 12 months ending at the latest month published in that year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import PeriodError, shown

FIRST_YEAR, LAST_YEAR = 1985, 2100
YearMonth = tuple[int, int]

MONTH_NAMES = ("jan feb mar apr may jun jul aug sep oct nov dec").split()
_RANGE = re.compile(r"^(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """A parsed period: ``kind`` is year, month, quarter, half, range, ytd or r12."""

    kind: str
    first: int = 1
    last: int = 12
    label: str = ""


FULL_YEAR = Period("year", 1, 12, "year")


def parse_year(value: object) -> int:
    """A calendar year from ``2025``, ``2025.0`` or ``"2025"``."""
    if isinstance(value, bool) or value is None or value == "":
        raise PeriodError("a year is required (e.g. 2025)")
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        raise PeriodError(f'"{shown(value)}" is not a year (e.g. 2025)') from None
    if number != number or not number.is_integer() or not FIRST_YEAR <= number <= LAST_YEAR:
        raise PeriodError(f'"{shown(value)}" is not a year between {FIRST_YEAR} and {LAST_YEAR}')
    return int(number)


def parse_period(spec: object) -> Period:
    """Parse a period spec; ``None`` or ``""`` is the full year."""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return FULL_YEAR
    if isinstance(spec, bool):
        raise PeriodError(f'"{spec}" is not a period')
    if isinstance(spec, (int, float)):
        return _month(spec, spec)
    text = str(spec).strip().upper().replace(" ", "")
    if text in ("Y", "YEAR", "FY", "ANNUAL"):
        return FULL_YEAR
    if text == "YTD":
        return Period("ytd", label="YTD")
    if text in ("R12", "TTM", "LTM"):
        return Period("r12", label="R12")
    if len(text) == 2 and text[0] in "QH" and text[1].isdigit():
        return _part(text)
    match = _RANGE.match(text)
    if match:
        first, last = int(match[1]), int(match[2])
        if not 1 <= first <= last <= 12:
            raise PeriodError(f'"{spec}" is not a month range within 1-12')
        if (first, last) == (1, 12):
            return FULL_YEAR
        return Period("range", first, last, f"{first}-{last}") if first < last else _month(first, spec)
    if text[:3].lower() in MONTH_NAMES and text.isalpha():
        return _month(MONTH_NAMES.index(text[:3].lower()) + 1, spec)
    return _month(text, spec)


def _month(value: object, spec: object) -> Period:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        number = float("nan")
    if not (number == number and number.is_integer() and 1 <= number <= 12):
        raise PeriodError(
            f'"{shown(spec)}" is not a period (use a month 1-12, Q1-Q4, H1, H2, YTD, R12 or a range like 1-11)'
        )
    month = int(number)
    return Period("month", month, month, MONTH_NAMES[month - 1].title())


def _part(text: str) -> Period:
    index, size = int(text[1]), (3 if text[0] == "Q" else 6)
    if not 1 <= index <= 12 // size:
        raise PeriodError(f'"{text}" is not a period (quarters are Q1-Q4, halves H1-H2)')
    last = index * size
    return Period("quarter" if size == 3 else "half", last - size + 1, last, text)


def expand(period: Period, year: int, latest: YearMonth | None) -> list[YearMonth]:
    """The (year, month) pairs a period covers; ``latest`` is the last month published up to
    the end of ``year`` (YTD runs to it; R12 is the 12 months ending there)."""
    if period.kind not in ("ytd", "r12"):
        return [(year, month) for month in range(period.first, period.last + 1)]
    if latest is None or latest[0] < year:
        have = f"data end in {latest[0]}-{latest[1]:02d}" if latest else "no data are stored"
        raise PeriodError(f"{period.label} {year} is not available yet: {have}")
    end = 12 if latest[0] > year else latest[1]
    if period.kind == "ytd":
        return [(year, month) for month in range(1, end + 1)]
    return [shift((year, end), back) for back in range(11, -1, -1)]


def shift(year_month: YearMonth, back: int) -> YearMonth:
    """The month ``back`` months before ``year_month``."""
    index = year_month[0] * 12 + year_month[1] - 1 - back
    return index // 12, index % 12 + 1


def span_text(years: list[int]) -> str:
    """``[2013, …, 2024]`` → ``"2013–2024"``; one year alone; empty → ``""``."""
    if not years:
        return ""
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def describe(months: list[YearMonth]) -> str:
    """Short text for a list of months: ``2025-01…2025-09`` or ``2024-03``."""
    if not months:
        return "no months"
    first, last = months[0], months[-1]
    text = f"{first[0]}-{first[1]:02d}"
    return text if first == last else f"{text}…{last[0]}-{last[1]:02d}"
