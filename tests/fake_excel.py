"""A stand-in for the parts of Excel (through xlwings and its ``.api``) that the ribbon actions
use, over openpyxl workbooks (real generated reports), recording everything written.

What it models of Excel, because the actions depend on it:
- an Excel instance (``FakeApp``) holds workbooks; two instances do not share them;
- a string written to a cell becomes what Excel makes of it (a number, a date, a formula), unless
  it starts with an apostrophe;
- a protected sheet refuses writes to its cells and, with its objects protected, to its charts;
- worksheet-function cells (``=TDR(…)``) are recalculated by ``Application.CalculateFull`` only:
  ``Application.Calculate`` skips a function cell whose arguments did not change;
- charts: the value axes' bounds, the series names and the title, over openpyxl's chart objects;
  a series' line colour, dash and marker shape, and a point's marker and fill colours (Excel's
  colours are BGR integers: red is the low byte).
"""

from __future__ import annotations

import re
from datetime import date

from openpyxl.chart.marker import DataPoint, Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName


class FakeComError(Exception):
    """What pywin32 raises when Excel refuses a call."""


PROTECTED = ("The cell or chart you're trying to change is on a protected sheet. To make a change, "
             "unprotect the sheet.")


def as_excel_reads(value):
    """A string written to a cell becomes what Excel makes of it: a number (``0020`` → 20,
    ``2,010`` → 2010), a date serial (``2024-01``) or a formula (``=…``)."""
    if not isinstance(value, str) or value.startswith("="):
        return value
    plain = value.strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.\d*)?", plain):
        return float(plain) if "." in plain else int(plain)
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if month and 1 <= int(month[2]) <= 12:
        return (date(int(month[1]), int(month[2]), 1) - date(1899, 12, 30)).days
    return value


class FakeRange:
    def __init__(self, sheet: FakeSheet, address: str):
        self.sheet, self.address = sheet, address
        bounds = range_boundaries(address if ":" in address else f"{address}:{address}")
        self.min_col, self.min_row, self.max_col, self.max_row = bounds

    @property
    def row(self) -> int:
        return self.min_row

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, f"{get_column_letter(self.max_col)}{self.max_row}")

    @property
    def value(self):
        ws = self.sheet.ws
        rows = [[ws.cell(r, c).value for c in range(self.min_col, self.max_col + 1)]
                for r in range(self.min_row, self.max_row + 1)]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @value.setter
    def value(self, data) -> None:
        self.sheet.refuse_if_protected()
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
        self.sheet.refuse_if_protected()
        self.sheet.book.log.append(("clear", self.sheet.name, self.address))
        for r in range(self.min_row, self.max_row + 1):
            for c in range(self.min_col, self.max_col + 1):
                self.sheet.ws.cell(r, c).value = None


class FakeTable:
    def __init__(self, sheet: FakeSheet, name: str):
        self.sheet, self.name = sheet, name

    @property
    def range(self) -> FakeRange:
        return FakeRange(self.sheet, self.sheet.ws.tables[self.name].ref)

    def resize(self, target: FakeRange) -> None:
        self.sheet.refuse_if_protected()
        self.sheet.book.log.append(("resize", self.name, target.address))
        table = self.sheet.ws.tables[self.name]
        table.ref = f"{get_column_letter(target.min_col)}{target.min_row}:{get_column_letter(target.max_col)}{target.max_row}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref  # ListObject.Resize moves the table's filter with it


class FakeAxis:
    """Excel's Axis: ``MinimumScale``, ``MaximumScale``, ``MajorUnit`` and their ``…IsAuto``."""

    _FIELDS = {"MinimumScale": "min", "MaximumScale": "max"}

    def __init__(self, chart: FakeChartApi, axis):
        object.__setattr__(self, "_chart", chart)
        object.__setattr__(self, "_axis", axis)

    def __getattr__(self, name):
        if name in self._FIELDS:
            return getattr(self._axis.scaling, self._FIELDS[name])
        if name == "MajorUnit":
            return self._axis.majorUnit
        raise AttributeError(name)

    def __setattr__(self, name, value) -> None:
        self._chart.refuse_if_protected()
        self._chart.sheet.book.log.append(("axis", self._chart.sheet.name, name, value))
        auto = name.endswith("IsAuto")
        field = name[: -len("IsAuto")] if auto else name
        if auto and not value:
            return
        value = None if auto else float(value)
        if field in self._FIELDS:
            setattr(self._axis.scaling, self._FIELDS[field], value)
        elif field == "MajorUnit":
            self._axis.majorUnit = value
        else:
            raise AttributeError(name)


def hex_of(bgr: int) -> str:
    """Excel's colour (a BGR integer) as the six hexadecimal digits of the chart XML (RGB)."""
    return f"{bgr & 0xFF:02X}{bgr >> 8 & 0xFF:02X}{bgr >> 16 & 0xFF:02X}"


#: Excel's MsoLineDashStyle and XlMarkerStyle numbers → the chart XML's preset names.
DASHES = {1: None, 4: "dash", 10: "sysDash"}
MARKER_STYLES = {8: "circle", 1: "square", 3: "triangle", 2: "diamond", -4142: "none"}


def write_only(setter, what: str) -> property:
    """A property Excel's object model lets the updater set; reading it is not modelled."""
    def refuse(self):
        raise AttributeError(f"only setting {what} is modelled")

    return property(refuse, setter)


class FakeColor:
    """``….ForeColor``: setting ``RGB`` calls ``paint`` with the colour's hexadecimal digits."""

    def __init__(self, chart: FakeChartApi, paint):
        self._chart, self._paint = chart, paint

    def _set_rgb(self, bgr: int) -> None:
        self._chart.refuse_if_protected()
        self._paint(hex_of(bgr))

    RGB = write_only(_set_rgb, "a colour")


class FakeFormat:
    """``….Format``: ``Fill.ForeColor`` and ``Line.ForeColor`` / ``Line.DashStyle`` of a shape
    properties object (a series' or a point's ``spPr``)."""

    def __init__(self, chart: FakeChartApi, shape):
        self.Fill = type("Fill", (), {})()
        self.Fill.ForeColor = FakeColor(chart, lambda color: setattr(shape(), "solidFill", color))
        self.Line = FakeLine(chart, shape)


class FakeLine:
    def __init__(self, chart: FakeChartApi, shape):
        self._chart, self._shape = chart, shape
        self.ForeColor = FakeColor(chart, lambda color: setattr(shape().line, "solidFill", color))

    def _set_dash(self, style: int) -> None:
        self._chart.refuse_if_protected()
        self._shape().line.prstDash = DASHES[style]

    DashStyle = write_only(_set_dash, "a dash")


class FakePoint:
    """``Series.Points(n)``: the marker's colours (of a line's point) and the fill (of a bar)."""

    def __init__(self, chart: FakeChartApi, series, index: int):
        self._chart, self._series, self._index = chart, series, index
        self.Format = FakeFormat(chart, lambda: self._point().graphicalProperties)

    def _point(self) -> DataPoint:
        found = next((p for p in self._series.dPt if p.idx == self._index), None)
        if found is None:
            found = DataPoint(idx=self._index, spPr=GraphicalProperties())
            self._series.dPt.append(found)
        if found.graphicalProperties is None:
            found.graphicalProperties = GraphicalProperties()
        return found

    def _marker_shape(self) -> GraphicalProperties:
        point = self._point()
        if point.marker is None:
            point.marker = Marker(symbol=self._series.marker.symbol if self._series.marker else None)
        if point.marker.spPr is None:
            point.marker.spPr = GraphicalProperties()
        return point.marker.spPr

    def __setattr__(self, name, value) -> None:
        if name in ("MarkerBackgroundColor", "MarkerForegroundColor"):
            self._chart.refuse_if_protected()
            shape = self._marker_shape()
            if name == "MarkerBackgroundColor":
                shape.solidFill = hex_of(value)
            else:
                shape.line.solidFill = hex_of(value)
            return
        object.__setattr__(self, name, value)


class FakeSeries:
    def __init__(self, chart: FakeChartApi, series):
        self._chart, self._series = chart, series
        self.Format = FakeFormat(chart, self._shape)

    def _shape(self) -> GraphicalProperties:
        if self._series.graphicalProperties is None:
            self._series.graphicalProperties = GraphicalProperties()
        return self._series.graphicalProperties

    def Points(self, number: int) -> FakePoint:  # noqa: N802
        return FakePoint(self._chart, self._series, number - 1)

    @property
    def MarkerStyle(self) -> int:  # noqa: N802
        return next(key for key, name in MARKER_STYLES.items() if name == self._series.marker.symbol)

    @MarkerStyle.setter
    def MarkerStyle(self, style: int) -> None:  # noqa: N802
        self._chart.refuse_if_protected()
        self._series.marker.symbol = MARKER_STYLES[style]

    @property
    def Name(self) -> str:  # noqa: N802 — Excel's name
        return self._series.tx.v

    @Name.setter
    def Name(self, text: str) -> None:  # noqa: N802
        self._chart.refuse_if_protected()
        self._series.tx = SeriesLabel(v=text)


class FakeTitle:
    def __init__(self, chart: FakeChartApi):
        self._chart = chart

    @property
    def Text(self) -> str:  # noqa: N802
        return "".join(run.t for p in self._chart.chart.title.tx.rich.p for run in (p.r or []))

    @Text.setter
    def Text(self, text: str) -> None:  # noqa: N802
        self._chart.refuse_if_protected()
        runs = self._chart.chart.title.tx.rich.p[0].r
        runs[0].t = text
        del runs[1:]


class FakeChartApi:
    """Excel's Chart object over an openpyxl chart (with its combined charts)."""

    def __init__(self, sheet: FakeSheet, chart):
        self.sheet, self.chart = sheet, chart

    def refuse_if_protected(self) -> None:
        if self.sheet.api.ProtectDrawingObjects:
            raise FakeComError(PROTECTED)

    def Axes(self, kind: int, group: int = 1) -> FakeAxis:  # noqa: N802
        assert kind == 2, "only value axes are modelled"
        charts = getattr(self.chart, "_charts", None) or [self.chart]
        primary = charts[0].y_axis
        if group == 1:
            return FakeAxis(self, primary)
        secondary = [c.y_axis for c in charts if c.y_axis.axId != primary.axId]
        if not secondary:
            raise FakeComError("Unable to get the Axes property of the Chart class")
        return FakeAxis(self, secondary[0])

    def SeriesCollection(self, number: int) -> FakeSeries:  # noqa: N802
        charts = getattr(self.chart, "_charts", None) or [self.chart]
        return FakeSeries(self, [s for c in charts for s in c.series][number - 1])

    @property
    def ChartTitle(self) -> FakeTitle:  # noqa: N802
        return FakeTitle(self)


class FakeChart:
    def __init__(self, sheet: FakeSheet, chart):
        self.api = (None, FakeChartApi(sheet, chart))  # xlwings: (ChartObject, Chart)


class FakeSheetApi:
    def __init__(self, ws):
        self.ws = ws

    @property
    def ProtectContents(self) -> bool:  # noqa: N802
        return bool(self.ws.protection.sheet)

    @property
    def ProtectDrawingObjects(self) -> bool:  # noqa: N802
        return bool(self.ws.protection.sheet and self.ws.protection.objects)


class FakeSheet:
    def __init__(self, book: FakeBook, ws):
        self.book, self.ws, self.name = book, ws, ws.title
        self.tables = {name: FakeTable(self, name) for name in ws.tables}
        self.api = FakeSheetApi(ws)
        self.charts = [FakeChart(self, chart) for chart in ws._charts]

    def range(self, address: str) -> FakeRange:
        return FakeRange(self, address)

    def refuse_if_protected(self) -> None:
        if self.api.ProtectContents:
            raise FakeComError(PROTECTED)


class FakeName:
    def __init__(self, book: FakeBook, name: str):
        self.book, self.name = book, name

    @property
    def refers_to(self) -> str:
        return "=" + self.book.wb.defined_names[self.name].attr_text

    @refers_to.setter
    def refers_to(self, formula: str) -> None:
        self.book.log.append(("name", self.name, formula))
        self.book.wb.defined_names[self.name] = DefinedName(self.name, attr_text=formula.lstrip("="))


class FakeAppApi:
    """``Application`` as the actions reach it through ``app.api``."""

    def __init__(self, app: FakeApp, default_file_path: str = ""):
        self.app, self.DefaultFilePath = app, default_file_path

    def CalculateFull(self) -> None:  # noqa: N802
        self.app.full_calculations += 1
        for book in self.app.books:
            book.recalculate_functions()


class FakeBooks:
    def __init__(self, app: FakeApp):
        self.app, self.items = app, []

    def __iter__(self):
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, name: str) -> FakeBook:
        for book in self.items:
            if book.name.lower() == name.lower():
                return book
        raise KeyError(name)  # as xlwings does for a book that is not open

    def open(self, path) -> FakeBook:
        from pathlib import Path

        import openpyxl

        self.app.opened.append(Path(path))
        return FakeBook(openpyxl.load_workbook(path), Path(path).name, self.app, str(path))

    @property
    def active(self) -> FakeBook:
        return self.items[-1]


class FakeApp:
    """One Excel instance: its workbooks, status bar, alerts and calculations."""

    def __init__(self, default_file_path: str = ""):
        self.status_history, self.alerts, self.opened = [], [], []
        self.calculations = self.full_calculations = 0
        self.books = FakeBooks(self)
        self.api = FakeAppApi(self, default_file_path)

    @property
    def status_bar(self):
        return self.status_history[-1] if self.status_history else False

    @status_bar.setter
    def status_bar(self, text) -> None:
        self.status_history.append(text)

    def alert(self, prompt: str, title: str | None = None, **kwargs) -> None:
        self.alerts.append((title, prompt))

    def calculate(self) -> None:
        """``Application.Calculate``: a function cell whose arguments did not change is skipped."""
        self.calculations += 1


class FakeSheets:
    def __init__(self, book: FakeBook):
        self.book = book

    def __getitem__(self, name: str) -> FakeSheet:
        return FakeSheet(self.book, self.book.wb[name])  # KeyError for a missing sheet, like xlwings


class FakeNames:
    def __init__(self, book: FakeBook):
        self.book = book

    def __getitem__(self, name: str) -> FakeName:
        if name not in self.book.wb.defined_names:
            raise KeyError(name)
        return FakeName(self.book, name)


class FakeBook:
    """``FakeBook(openpyxl_workbook, name, app)``: ``.sheets``, ``.names``, ``.app``, a ``log``
    of writes, and the worksheet-function cells with the values Excel shows."""

    def __init__(self, wb, name: str = "Book1", app: FakeApp | None = None, fullname: str | None = None):
        self.wb, self.name, self.log = wb, name, []
        self.fullname = str(fullname or name)  # xlwings: the path of a saved book, the name of a new one
        self.app = app or FakeApp()
        self.app.books.items.append(self)
        self.sheets, self.names = FakeSheets(self), FakeNames(self)
        self.functions: dict[tuple[str, str], tuple[str, tuple]] = {}
        self.shown: dict[tuple[str, str], object] = {}

    def enter_function(self, sheet: str, address: str, function: str, *args) -> object:
        """Type ``=FUNCTION(args…)`` into a cell: Excel calculates it once, on entry."""
        self.functions[(sheet, address)] = (function, args)
        self.wb[sheet][address].value = f"={function}(" + ",".join(map(repr, args)) + ")"
        return self._calculate(sheet, address)

    def recalculate_functions(self) -> None:
        for sheet, address in self.functions:
            self._calculate(sheet, address)

    def _calculate(self, sheet: str, address: str) -> object:
        from xl_tdr import udfs

        function, args = self.functions[(sheet, address)]
        self.shown[(sheet, address)] = getattr(udfs, function)(*args)
        return self.shown[(sheet, address)]
