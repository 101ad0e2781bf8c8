"""What the Data, Sector data and Partners sheets hold, looked up the way the report's formulas
look them up (SUMIFS, COUNTIFS, INDEX/MATCH) — the values the stored results are computed from.

Built from the very rows the sheets are written from, so a stored result and Excel's own
recalculation read the same numbers.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import NamedTuple

from .model import ReportData


def name_column(lang: str) -> str:
    """The partners frame's column of names in the report's language."""
    return "name_es" if lang == "es" else "name"


def partner_names(data: ReportData, lang: str) -> dict[str, str]:
    """Code → the partner's name in the report's language (the one mapping every sheet uses)."""
    return dict(zip(data.partners["code"], data.partners[name_column(lang)]))


def chapter_names(data: ReportData, lang: str) -> dict[str, str]:
    """HS chapter → its short name in the report's language."""
    return dict(zip(data.chapters["chapter"], data.chapters[name_column(lang)]))


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order as a reader of either language expects: accents and case aside
    ("México" between "Mauritius" and "Moldova")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return plain.casefold(), name


def partner_rows(data: ReportData, lang: str) -> list[tuple]:
    """The Partners sheet's rows, in alphabetical order of the report's language (the order of
    the focus sheet's dropdown)."""
    rows = list(data.partners.itertuples(index=False))
    return sorted(rows, key=lambda p: sort_key(getattr(p, name_column(lang))))


def data_rows(data: ReportData, names: dict[str, str]):
    """Data rows: full years (month 0) first, then months; month index = year × 12 + month − 1."""
    for r in data.annual.itertuples(index=False):
        yield (r.code, names.get(r.code, r.code), r.year, 0, str(r.year), r.exports, r.imports, None)
    for r in data.monthly.itertuples(index=False):
        yield (r.code, names.get(r.code, r.code), r.year, r.month, f"{r.year}-{r.month:02d}",
               r.exports, r.imports, r.year * 12 + r.month - 1)


class Flows(NamedTuple):
    """Exports and imports summed over the rows that match, and how many rows matched."""

    exports: int
    imports: int
    rows: int


class SectorRow(NamedTuple):
    code: str
    chapter: str
    name: str
    exports: int
    imports: int
    gap: int


class SheetData:
    """The data sheets' contents, indexed as the formulas read them."""

    def __init__(self, data: ReportData, lang: str):
        self.names = partner_names(data, lang)
        self.partners = [(p.code, getattr(p, name_column(lang))) for p in partner_rows(data, lang)]
        self._totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        self._months: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
        for code, _, year, month, _, x, m, index in data_rows(data, self.names):
            found = self._totals[(code, year, month)]
            found[0] += x
            found[1] += m
            found[2] += 1
            if index is not None:
                self._months[code][index] = (x, m)
        self.sector_rows: list[SectorRow] = []
        self._sectors: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
        if data.sectors is not None:
            chapters = chapter_names(data, lang)
            for r in data.sectors.itertuples(index=False):
                self.sector_rows.append(SectorRow(r.code, r.chapter, chapters[r.chapter], r.exports, r.imports, r.gap))
                for key in ((r.code, r.chapter), (r.code, None)):
                    found = self._sectors[key]
                    found[0] += r.exports
                    found[1] += r.imports
                    found[2] += r.gap
        self._first_sector_row = {}
        for index, row in enumerate(self.sector_rows):
            self._first_sector_row.setdefault(row.code, index)

    def total(self, code: str, year: int, month: int = 0) -> Flows:
        """What SUMIFS/COUNTIFS over the Data sheet give for a code, year and month (0: the year)."""
        return Flows(*self._totals.get((code, year, month), (0, 0, 0)))

    def months(self, code: str, first: int, last: int) -> Flows:
        """The months whose index lies in ``first``..``last`` (both included)."""
        found = [flows for index, flows in self._months.get(code, {}).items() if first <= index <= last]
        return Flows(sum(x for x, _ in found), sum(m for _, m in found), len(found))

    def sector(self, code: str, chapter: str | None = None) -> tuple[int, int, int]:
        """Exports, imports and gap of a partner in the sector year (one chapter, or all)."""
        return tuple(self._sectors.get((code, chapter), (0, 0, 0)))  # type: ignore[return-value]

    def ranked_chapter(self, code: str, rank: int) -> SectorRow | None:
        """The partner's chapter ranked ``rank`` — the row ``rank`` − 1 below its first one, as
        INDEX/MATCH finds it — or None when that row is another partner's or past the end."""
        first = self._first_sector_row.get(code)
        if first is None or first + rank - 1 >= len(self.sector_rows):
            return None
        row = self.sector_rows[first + rank - 1]
        return row if row.code.casefold() == code.casefold() else None

    def code_of(self, name: str) -> str:
        """The code of the partner named ``name`` on the Partners sheet ("" for none), as
        MATCH(…, 0) finds it: the first name equal but for case."""
        wanted = name.casefold()
        return next((code for code, shown in self.partners if shown.casefold() == wanted), "")
