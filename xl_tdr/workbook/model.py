"""What the generator is given: the report's frames and facts (it never reads the store)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..metrics import BAND_LIMITS


@dataclass
class ReportData:
    """Everything a report shows, already fetched.

    ``annual``: code, year, exports, imports (full years only). ``monthly``: code, year, month,
    exports, imports. ``partners``: code, name, name_es, census_name, iso2, iso3, kind, groups.
    """

    year: int
    ranked: list[str]
    summary: list[str]
    trends: list[str]
    annual: pd.DataFrame
    monthly: pd.DataFrame
    partners: pd.DataFrame
    provenance: list[dict]  # every vintage: key, kind, derived, source, retrieved, url, note, years
    recent: list[tuple[int, int]] = field(default_factory=list)
    version: str = ""
    built: str = ""
    all_months: bool = False
    chosen: bool = False  # the user chose the partners (else: the largest, ranked)
    ranks: dict[str, int | None] = field(default_factory=dict)  # place among all countries (None: a group)
    sectors: pd.DataFrame | None = None  # code, chapter, year, exports, imports, gap, rank (None: no sector data)
    sector_year: int | None = None
    chapters: pd.DataFrame | None = None  # chapter, name, name_es
    sector_partners: list[str] = field(default_factory=list)  # whose every chapter is on the sheet
    band_limits: tuple[float, ...] = BAND_LIMITS  # thresholds between the TDR readings


    @property
    def years(self) -> list[int]:
        """Every year with annual data, ascending."""
        return sorted(self.annual["year"].unique().tolist())
