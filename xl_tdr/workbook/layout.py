"""Where things are in a report: sheets, tables, defined names and anchor cells.

The writer lays a report out by these, and the ribbon's Refresh finds and rewrites an open report
by them; neither knows a cell address of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname

#: Every sheet's title (its subtitle in the cell below).
TITLE_CELL = "A1"

#: The hidden sheet of facts (``key`` in column A, value in B) that identifies a report.
META_SHEET = "_xl_tdr"
META_RANGE = "A1:B60"
REPORT_KIND = "xl_tdr report"


@dataclass(frozen=True)
class TableLayout:
    """A data sheet's Excel Table: its name, first data row (the header row above it), last
    column, and the defined names over its columns (name → column)."""

    name: str
    first_row: int
    last_column: str
    names: dict[str, str]

    def reference(self, sheet: str, name: str, last_row: int) -> str:
        """What the defined name ``name`` refers to, for a sheet whose data end at ``last_row``."""
        column = self.names[name]
        return f"{quote_sheetname(sheet)}!${column}${self.first_row}:${column}${last_row}"

    def range(self, last_row: int) -> str:
        """The table's range, header included, for data ending at ``last_row``."""
        return f"A{self.first_row - 1}:{self.last_column}{max(last_row, self.first_row)}"


#: The Data sheet: a header row, then one row per partner × year × month, as an Excel Table.
#: Formulas on every report sheet read Data through its defined names.
DATA = TableLayout("TDRData", 2, "H", {"tdr_code": "A", "tdr_year": "C", "tdr_month": "D", "tdr_exports": "F",
                                      "tdr_imports": "G", "tdr_mindex": "H"})
DATA_TABLE, DATA_FIRST_ROW, DATA_LAST_COLUMN, DATA_NAMES = DATA.name, DATA.first_row, DATA.last_column, DATA.names
#: The provenance block beside the data: a title in J1, then label/value pairs in J:K.
PROVENANCE_TITLE = "J1"
PROVENANCE_FIRST = "J2"
PROVENANCE_BLOCK = "J2:K80"

#: The dashboard: the report year, then a header row and one row per ranked partner
#: (rank, name, code, then formulas that read the code).
YEAR_CELL = "C3"
YEAR_NAME = "tdr_report_year"
DASHBOARD_HEADER_ROW = 5
DASHBOARD_FIRST_ROW = 6
DASHBOARD_NAME_COLUMN, DASHBOARD_CODE_COLUMN = "B", "C"

#: The Sector data sheet: a header row, then one row per partner × chapter (a partner's chapters
#: together, in rank order), as an Excel Table; notes beside it, the source line second.
#: The Sectors sheet's formulas read Sector data through its defined names.
SECTOR_DATA = TableLayout("TDRSectors", 2, "I", {"sec_code": "A", "sec_chapter": "C", "sec_name": "D", "sec_year": "E",
                                                "sec_exports": "F", "sec_imports": "G", "sec_gap": "H"})
SECTOR_TABLE, SECTOR_FIRST_ROW, SECTOR_LAST_COLUMN, SECTOR_NAMES = (SECTOR_DATA.name, SECTOR_DATA.first_row,
                                                                    SECTOR_DATA.last_column, SECTOR_DATA.names)
#: The one Sector data column that may hold a formula: a country's gap, ABS(exports − imports)
#: (a group's is a value, the sum of its members').
SECTOR_GAP_COLUMN = SECTOR_NAMES["sec_gap"]
SECTOR_NOTES = "K1"
#: Chapters of every partner on Sector data, together and in rank order (its chapter ranked n is
#: n − 1 rows below its first row): the focus partner's table on Sectors shows them all.
SECTOR_CHAPTERS = 10
SECTOR_SOURCE_CELL = "K2"

#: The Sectors sheet: the sector year (named, its formulas read it) and its source line, then
#: blocks whose title rows the writer records in the report's facts (a block's partner rows, name
#: and code, start two rows below its title); the first block starts at a fixed row.
SECTOR_YEAR_CELL = "B3"
SECTOR_YEAR_NAME = "tdr_sector_year"
SECTORS_SOURCE_CELL = "D3"
SECTORS_FIRST_BLOCK = 5
SECTORS_BLOCKS = ("sectors_auto_top", "sectors_gl_top", "sectors_top_top")  # facts: the auto, GL, top-chapter blocks
SECTORS_NAME_COLUMN, SECTORS_CODE_COLUMN = "A", "B"

#: The Partners sheet's column of names in each language (the focus sheet's dropdown lists one).
PARTNER_NAME_COLUMNS = {"en": "B", "es": "C"}

#: Partner focus: the partner chosen in a dropdown, its code looked up beside it, and a yearly
#: table under a header row.
FOCUS_CHOICE = "B3"
FOCUS_CODE = "F3"
FOCUS_HEADER_ROW = 5

#: The Trends sheet: a header row of partner names (a partner of the dashboard's ranking follows
#: its cells there), their codes below, then one row per year of TDR formulas from column B.
TRENDS_HEADER_ROW = 3
TRENDS_FIRST_COLUMN = 2

#: Charts, by their place among a sheet's charts (the order the writer adds them).
DASHBOARD_CHART = 0
TRENDS_CHART = 0
SECTORS_AUTO_CHART, SECTORS_GL_CHART = 0, 1
#: The series drawn in each partner's colour (xl_tdr.palette), by number among its chart's series
#: (as Excel counts them, from 1): one point per partner row — the dashboard's TDR markers and the
#: Sectors auto chart's GL markers (after the two columns' series), the Sectors GL bars; and on
#: Trends every line, one per partner column.
DASHBOARD_PARTNER_SERIES = 3
SECTORS_AUTO_PARTNER_SERIES = 3
SECTORS_GL_PARTNER_SERIES = 1
#: Charts read hidden cells (layout.chart_data_column), whose column the writer records in the
#: report's facts under these keys: the dashboard's (its TDR series' name in the header row,
#: naming an outlier left off the axis) and the Trends sheet's (each line's name in the codes' row,
#: saying when it runs off a capped axis).
DASHBOARD_POINTS = "dashboard_points_column"
TRENDS_POINTS = "trends_points_column"


def address(column: int, row: int) -> str:
    """A cell's address by its column number: ``address(3, 5)`` → ``C5``."""
    return f"{get_column_letter(column)}{row}"


def column_number(letter: str) -> int:
    """A column's number: ``A`` → 1."""
    return column_index_from_string(letter)


def absolute(cell: str) -> str:
    """``C3`` → ``$C$3``."""
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters):]}"


def chart_data_column(last_used: int) -> int:
    """Charts read their values from hidden columns (a number, or #N/A for a gap) right after
    the last column a sheet's tables and charts cover, ``last_used``: hidden, they print as
    nothing, and the sheet needs no print area."""
    return last_used + 1
