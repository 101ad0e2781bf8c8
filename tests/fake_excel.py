"""A stand-in for the parts of the xlwings Book API the ribbon actions use, over an openpyxl
workbook (a real generated report), recording everything written."""

from __future__ import annotations

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName


def as_excel_reads(value):
    """A string written to a cell becomes what Excel makes of it: a number (``0020`` → 20,
    ``2,010`` → 2010) or a date serial (``2024-01``); a formula is not modelled (never written)."""
    import re
    from datetime import date

    if not isinstance(value, str):
        return value
    plain = value.strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.\d*)?", plain):
        return float(plain) if "." in plain else int(plain)
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if month and 1 <= int(month[2]) <= 12:
        return (date(int(month[1]), int(month[2]), 1) - date(1899, 12, 30)).days
    return value


class FakeRange:
    def __init__(self, sheet: "FakeSheet", address: str):
        self.sheet, self.address = sheet, address
        bounds = range_boundaries(address if ":" in address else f"{address}:{address}")
        self.min_col, self.min_row, self.max_col, self.max_row = bounds

    @property
    def value(self):
        ws = self.sheet.ws
        rows = [[ws.cell(r, c).value for c in range(self.min_col, self.max_col + 1)]
                for r in range(self.min_row, self.max_row + 1)]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @value.setter
    def value(self, data) -> None:
        self.sheet.book.log.append(("write", self.sheet.name, self.address))
        rows = data if isinstance(data, list) and data and isinstance(data[0], list) else [[data]]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = self.sheet.ws.cell(self.min_row + r, self.min_col + c)
                if isinstance(value, str) and value.startswith("'"):
                    cell.value, cell.data_type = value[1:], "s"  # Excel's text prefix
                else:
                    cell.value = as_excel_reads(value)

    def clear_contents(self) -> None:
        self.sheet.book.log.append(("clear", self.sheet.name, self.address))
        for r in range(self.min_row, self.max_row + 1):
            for c in range(self.min_col, self.max_col + 1):
                self.sheet.ws.cell(r, c).value = None


class FakeTable:
    def __init__(self, sheet: "FakeSheet", name: str):
        self.sheet, self.name = sheet, name

    def resize(self, target: FakeRange) -> None:
        self.sheet.book.log.append(("resize", self.name, target.address))
        self.sheet.ws.tables[self.name].ref = (f"{get_column_letter(target.min_col)}{target.min_row}:"
                                                f"{get_column_letter(target.max_col)}{target.max_row}")


class FakeSheet:
    def __init__(self, book: "FakeBook", ws):
        self.book, self.ws, self.name = book, ws, ws.title
        self.tables = {name: FakeTable(self, name) for name in ws.tables}

    def range(self, address: str) -> FakeRange:
        return FakeRange(self, address)


class FakeName:
    def __init__(self, book: "FakeBook", name: str):
        self.book, self.name = book, name

    @property
    def refers_to(self) -> str:
        return "=" + self.book.wb.defined_names[self.name].attr_text

    @refers_to.setter
    def refers_to(self, formula: str) -> None:
        self.book.log.append(("name", self.name, formula))
        self.book.wb.defined_names[self.name] = DefinedName(self.name, attr_text=formula.lstrip("="))


class FakeApp:
    def __init__(self):
        self.status_history, self.alerts, self.calculations = [], [], 0

    @property
    def status_bar(self):
        return self.status_history[-1] if self.status_history else False

    @status_bar.setter
    def status_bar(self, text) -> None:
        self.status_history.append(text)

    def alert(self, prompt: str, title: str | None = None, **kwargs) -> None:
        self.alerts.append((title, prompt))

    def calculate(self) -> None:
        self.calculations += 1


class FakeSheets:
    def __init__(self, book: "FakeBook"):
        self.book = book

    def __getitem__(self, name: str) -> FakeSheet:
        return FakeSheet(self.book, self.book.wb[name])  # KeyError for a missing sheet, like xlwings


class FakeNames:
    def __init__(self, book: "FakeBook"):
        self.book = book

    def __getitem__(self, name: str) -> FakeName:
        if name not in self.book.wb.defined_names:
            raise KeyError(name)
        return FakeName(self.book, name)


class FakeBook:
    """``FakeBook(openpyxl_workbook)``: ``.sheets``, ``.names``, ``.app`` and a ``log`` of writes."""

    def __init__(self, wb):
        self.wb, self.log, self.app = wb, [], FakeApp()
        self.sheets, self.names = FakeSheets(self), FakeNames(self)
