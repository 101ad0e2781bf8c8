"""Where things are in a report: sheets, tables, defined names and anchor cells.

The writer lays a report out by these, and the ribbon's Refresh finds and rewrites an open report
by them; neither knows a cell address of its own.
"""

from __future__ import annotations

from openpyxl.utils import quote_sheetname

#: The hidden sheet of facts (``key`` in column A, value in B) that identifies a report.
META_SHEET = "_xl_tdr"
META_RANGE = "A1:B60"
REPORT_KIND = "xl_tdr report"

#: The Data sheet: a header row, then one row per partner × year × month, as an Excel Table.
DATA_TABLE = "TDRData"
DATA_FIRST_ROW = 2
DATA_LAST_COLUMN = "H"
#: Defined name → Data column. Formulas on every report sheet read Data through these.
DATA_NAMES = {"tdr_code": "A", "tdr_year": "C", "tdr_month": "D", "tdr_exports": "F",
              "tdr_imports": "G", "tdr_mindex": "H"}
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


def data_reference(sheet: str, name: str, last_row: int) -> str:
    """What the defined name ``name`` refers to, for a Data sheet ending at ``last_row``."""
    column = DATA_NAMES[name]
    return f"{quote_sheetname(sheet)}!${column}${DATA_FIRST_ROW}:${column}${last_row}"


def data_table_range(last_row: int) -> str:
    return f"A{DATA_FIRST_ROW - 1}:{DATA_LAST_COLUMN}{max(last_row, DATA_FIRST_ROW)}"


def absolute(cell: str) -> str:
    """``C3`` → ``$C$3``."""
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters):]}"

#: The Sectors sheet's year of trade by chapter (every Sectors formula reads it by its name).
SECTOR_YEAR_CELL = "B3"
SECTOR_YEAR_NAME = "tdr_sector_year"
#: The Partners sheet's column of names in each language (the focus sheet's dropdown lists one).
PARTNER_NAME_COLUMNS = {"en": "B", "es": "C"}

#: Partner focus: the partner chosen in a dropdown, its code looked up beside it, and a yearly
#: table under a header row.
FOCUS_CHOICE = "B3"
FOCUS_CODE = "F3"
FOCUS_HEADER_ROW = 5

def chart_data_column(last_used: int) -> int:
    """Charts read their values from hidden columns (a number, or #N/A for a gap) right after
    the last column a sheet's tables and charts cover, ``last_used``: hidden, they print as
    nothing, and the sheet needs no print area."""
    return last_used + 1
