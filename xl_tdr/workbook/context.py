"""What every sheet writer of one report shares: the data, the template and its styles, the
formula kinds, the data sheets' lookups, the sheet titles, and the cells one sheet reads from
another (the dashboard's partners and source line)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .formulas import Expr, Formulas
from .layout import SECTOR_YEAR_NAME, YEAR_NAME
from .model import ReportData
from .sheetdata import SheetData
from .sources import source_line
from .styles import Styles, formula, text
from .template import Template

FULL_YEAR = Expr("0", 0)  # the Data sheet's month of a full year's total


@dataclass
class Context:
    data: ReportData
    template: Template
    styles: Styles
    sheets: SheetData
    f: Formulas
    titles: dict[str, str]
    #: code → (name cell, code cell) of a partner on the dashboard, which Trends follows
    partner_cells: dict[str, tuple[Expr, Expr]] = field(default_factory=dict)
    source_cell: Expr | None = None  # the dashboard's source line (the ribbon's refresh rewrites it)
    focus_cells: tuple[Expr, Expr] | None = None  # the partner chosen on the focus sheet: name, code

    @classmethod
    def of(cls, data: ReportData, template: Template, titles: dict[str, str]) -> Context:
        formulas = Formulas(template.text["na"], template.band_names, data.band_limits)
        return cls(data, template, Styles(template), SheetData(data, template.lang), formulas, titles)

    @property
    def names(self) -> dict[str, str]:
        """Code → partner name in the report's language."""
        return self.sheets.names

    @property
    def source_text(self) -> str:
        """The source line of the report's totals, in its language."""
        return source_line(self.data, self.template)

    @property
    def year(self) -> Expr:
        """The report year's defined name."""
        return Expr(YEAR_NAME, self.data.year)

    def write_source(self, ws, row: int) -> None:
        """The source line in column A of ``row``: the dashboard's (which the ribbon's refresh
        rewrites), or its text when the report has no dashboard."""
        if self.source_cell is not None:
            formula(ws, row, 1, self.source_cell, font=self.styles.small)
        else:
            text(ws, row, 1, self.source_text, font=self.styles.small)

    def data_sum(self, flow: str, code: Expr, year: Expr, month: Expr = FULL_YEAR) -> Expr:
        """A flow summed over the Data sheet for a code, year and month (0: the full year)."""
        found = self.sheets.total(code.value, year.value, month.value)
        return self.f.sumifs(f"tdr_{flow}", [("tdr_code", code.text), ("tdr_year", year.text),
                                             ("tdr_month", month.text)], getattr(found, flow))

    def data_count(self, code: Expr, year: Expr, month: Expr = FULL_YEAR) -> Expr:
        """How many Data rows a code has for a year and month."""
        found = self.sheets.total(code.value, year.value, month.value)
        return self.f.countifs([("tdr_code", code.text), ("tdr_year", year.text), ("tdr_month", month.text)],
                               found.rows)

    def window_sum(self, flow: str, code: Expr, first: int, last: int) -> Expr:
        """A flow summed over the months whose index lies in ``first``..``last``."""
        found = self.sheets.months(code.value, first, last)
        return self.f.sumifs(f"tdr_{flow}", self._window(code, first, last), getattr(found, flow))

    def window_count(self, code: Expr, first: int, last: int) -> Expr:
        found = self.sheets.months(code.value, first, last)
        return self.f.countifs(self._window(code, first, last), found.rows)

    @staticmethod
    def _window(code: Expr, first: int, last: int) -> list[tuple[str, str]]:
        if first == last:
            return [("tdr_code", code.text), ("tdr_mindex", str(first))]
        return [("tdr_code", code.text), ("tdr_mindex", f'">{first - 1}"'), ("tdr_mindex", f'"<={last}"')]

    def sector_sum(self, column: str, code: Expr, chapter: Expr | None = None) -> Expr:
        """Exports, imports or gap over the Sector data sheet for a partner (and chapter) in the
        sector year."""
        found = dict(zip(("exports", "imports", "gap"),
                         self.sheets.sector(code.value, None if chapter is None else chapter.value)))
        where = [("sec_code", code.text)] + ([("sec_chapter", chapter.text)] if chapter is not None else [])
        return self.f.sumifs(f"sec_{column}", where + [("sec_year", SECTOR_YEAR_NAME)], found[column])
