"""Periods within a year: parse what users type, and expand it to the months it covers.

Pure: no I/O. A period is one of: the full year (``None``), a month ``1``–``12`` or its name in
English or Spanish (``mar``, ``March``, ``marzo``; ``ene``, ``enero``…), a quarter ``Q1``–``Q4``
(Spanish ``T1``–``T4``, trimestre), a half ``H1``/``H2`` (``S1``/``S2``, semestre), a month range
``"1-11"``, ``YTD`` (January to the latest month published) or ``R12`` (the 12 months ending at the
latest month published in that year). Exactly these forms: anything else is refused, with a
suggestion when one is close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import PeriodError, closest, did_you_mean, shown

FIRST_YEAR, LAST_YEAR = 1985, 2100
YearMonth = tuple[int, int]

MONTH_NAMES = ("jan feb mar apr may jun jul aug sep oct nov dec").split()
#: Every name of a month users may type: English and Spanish, full and abbreviated.
MONTH_WORDS = {name: number for number, names in enumerate((
    "jan january ene enero", "feb february febrero", "mar march marzo", "apr april abr abril",
    "may mayo", "jun june junio", "jul july julio", "aug august ago agosto",
    "sep sept september septiembre setiembre", "oct october octubre", "nov november noviembre",
    "dec december dic diciembre"), start=1) for name in names.split()}
#: Quarters and halves: Q/T (trimestre) and H/S (semestre).
PARTS = {"Q": 3, "T": 3, "H": 6, "S": 6}
WHOLE_YEAR = ("Y", "YEAR", "FY", "ANNUAL", "AÑO", "ANO", "ANUAL")
#: What a typo is compared with (its lower case) and the word suggested.
KNOWN = {word.lower(): word for word in ["YTD", "R12", *MONTH_WORDS, "year"]}
_RANGE = re.compile(r"^(\d{1,2})\s*(?:-|–|to|a)\s*(\d{1,2})$")


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
    if text in WHOLE_YEAR:
        return FULL_YEAR
    if text in ("YTD", "AAF"):  # (año a la fecha)
        return Period("ytd", label="YTD")
    if text in ("R12", "TTM", "LTM"):
        return Period("r12", label="R12")
    if len(text) == 2 and text[0] in PARTS and text[1].isdigit():
        return _part(text)
    match = _RANGE.match(text.lower())
    if match:
        first, last = int(match[1]), int(match[2])
        if not 1 <= first <= last <= 12:
            raise PeriodError(f'"{shown(spec)}" is not a month range within 1-12')
        if (first, last) == (1, 12):
            return FULL_YEAR
        return Period("range", first, last, f"{first}-{last}") if first < last else _month(first, spec)
    if text.rstrip(".").isalpha():
        word = text.lower().rstrip(".")
        if word in MONTH_WORDS:
            return _month(MONTH_WORDS[word], spec)
        raise PeriodError(f'"{shown(spec)}" is not a period{did_you_mean(closest(word, KNOWN, 2))} ({USE})')
    return _month(text, spec)


def _month(value: object, spec: object) -> Period:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        number = float("nan")
    if not (number == number and number.is_integer() and 1 <= number <= 12):
        raise PeriodError(f'"{shown(spec)}" is not a period ({USE})')
    month = int(number)
    return Period("month", month, month, MONTH_NAMES[month - 1].title())


USE = "use a month 1-12 or its name, Q1-Q4, H1, H2, YTD, R12 or a range like 1-11"


def _part(text: str) -> Period:
    index, size = int(text[1]), PARTS[text[0]]
    if not 1 <= index <= 12 // size:
        raise PeriodError(f'"{text}" is not a period (quarters are Q1-Q4 or T1-T4, halves H1-H2 or S1-S2)')
    last = index * size
    kind, letter = ("quarter", "Q") if size == 3 else ("half", "H")
    return Period(kind, last - size + 1, last, f"{letter}{index}")


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
