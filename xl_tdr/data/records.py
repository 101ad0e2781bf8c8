"""Records: one value per partner, flow, year and month (and HS chapter, for sector data).

``month`` 0 marks an annual-only total (a year whose months are not known). Values are whole
U.S. dollars. Flow ``X`` is total exports F.A.S., ``M`` general imports (customs value).
"""

from __future__ import annotations

from typing import NamedTuple

FLOWS = ("X", "M")


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
