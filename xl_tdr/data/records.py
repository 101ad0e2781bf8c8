"""Records: one value per partner, flow, year and month (and HS chapter, for sector data).

``month`` 0 marks an annual-only total (a year whose months are not known). Values are whole
U.S. dollars. Flow ``X`` is total exports F.A.S., ``M`` general imports (customs value).
"""

from __future__ import annotations

from typing import NamedTuple

from ..periods import FIRST_YEAR, LAST_YEAR
from ..reference.chapter_facts import CHAPTERS
from ..reference.partner_facts import CODE_SHAPE

FLOWS = ("X", "M")
FLOW_WORDS = {"X": "exports", "M": "imports"}
MAX_DOLLARS = 10**15 - 1  # a month of U.S. trade with the world is 13 digits of dollars


class Observation(NamedTuple):
    code: str
    flow: str
    year: int
    month: int
    value: int
    vintage: int


def is_country(code: str) -> bool:
    """True for an individual country code (4 digits, not a ``0xxx`` group)."""
    return len(code) == 4 and code.isdigit() and code[0] != "0"


class SectorObservation(NamedTuple):
    """One value of a partner's trade in one HS chapter (``month`` 0: annual-only)."""

    code: str
    chapter: str
    flow: str
    year: int
    month: int
    value: int
    vintage: int


def flaw(code: object, flow: object, year: object, month: object, value: object,
         chapter: object = None, sector: bool = False) -> str | None:
    """What makes a record impossible (a damaged store, a bad answer), or None for a good one:
    a partner code of Census's shape, flow X or M, a year from 1985 to 2100, a month 0–12, a whole
    number of dollars from 0 to 10¹⁵ − 1, and (``sector``) an HS chapter that exists."""
    if not (code.__class__ is str and CODE_SHAPE.fullmatch(code)):
        return f"the partner code {code!r}"
    if flow not in FLOWS or flow.__class__ is not str:
        return f"the flow {flow!r}"
    if year.__class__ is not int or not FIRST_YEAR <= year <= LAST_YEAR:
        return f"the year {year!r}"
    if month.__class__ is not int or not 0 <= month <= 12:
        return f"the month {month!r}"
    if value.__class__ is not int or not 0 <= value <= MAX_DOLLARS:
        return f"the value {value!r}"
    if sector and (chapter.__class__ is not str or chapter not in CHAPTERS):
        return f"the HS chapter {chapter!r}"
    return None

