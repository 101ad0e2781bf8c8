"""Native Excel charts: the TDR combo (columns + markers on a secondary axis), lines, columns.

Every series reads its name from a cell (so a legend follows the cells: a re-ranked dashboard, a
line that runs off the axis), every chart carries the values it was built with in its caches
(:func:`fill_caches`: a viewer that draws without recalculating shows them), and a missing value
is a gap — the source cells give #N/A there, never text (which Excel draws as zero).

Lessons from rendering in LibreOffice: data labels need every ``show*`` flag but the value off,
axes need ``delete = False`` explicitly, and a secondary line gets its own hidden category axis.
Excel may draw a title or legend over the plot unless ``overlay`` is explicitly off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.axis import TextAxis
from openpyxl.chart.data_source import (
    AxDataSource,
    NumData,
    NumVal,
    StrData,
    StrRef,
    StrVal,
)
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint, Marker
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from ..palette import LineStyle
from ..scales import Bounds
from .formulas import is_number


class Line(NamedTuple):
    """One series: its values, the cell with its name, its colour (and, for lines, its style)."""

    values: Reference
    name: str  # a reference to the cell holding the series name
    color: str
    style: LineStyle | None = None


def _font(size: int, bold: bool = False, color: str = "404040") -> RichText:
    props = CharacterProperties(sz=size * 100, b=bold, solidFill=color)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _labels(fmt: str, position: str = "t") -> DataLabelList:
    labels = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                           showLegendKey=False, showPercent=False, showLeaderLines=False)
    labels.numFmt = fmt
    labels.position = position
    labels.txPr = _font(9, bold=True)
    labels.spPr = GraphicalProperties(solidFill="FFFFFF")  # readable over columns
    return labels


def _series(item: Line, line: bool = False) -> Series:
    series = Series(item.values)
    series.tx = SeriesLabel(strRef=StrRef(item.name))
    if line:
        series.graphicalProperties.line.solidFill = item.color
        series.graphicalProperties.line.width = 28575  # 2.25 pt
        series.marker.symbol = item.style.marker if item.style else "circle"
        series.marker.size = 6
        series.marker.graphicalProperties = None
        series.smooth = False
        if item.style and item.style.dash:
            series.graphicalProperties.line.prstDash = item.style.dash
    else:
        series.graphicalProperties.solidFill = item.color
        series.graphicalProperties.line.solidFill = item.color
    return series


def _style_axes(chart, title: str | None, fmt: str) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = title
    chart.y_axis.numFmt = fmt
    chart.x_axis.txPr = _font(9)
    chart.y_axis.txPr = _font(9)
    chart.visible_cells_only = False  # the chart's source cells sit in hidden columns


def _finish(chart, title: str, width_cm: float, height_cm: float) -> None:
    """The title — fixed text, or ``=`` and a reference to the cell that holds it — and the legend
    below the plot, neither drawn over it."""
    if title.startswith("="):
        chart.title = Title(tx=Text(strRef=StrRef(title[1:])))
        chart.title.txPr = _font(12, bold=True, color="000000")
    else:
        chart.title = title
        chart.title.tx.rich.p[0].pPr = ParagraphProperties(defRPr=CharacterProperties(sz=1200, b=True))
    chart.title.overlay = False
    chart.legend.position = "b"
    chart.legend.overlay = False
    chart.width, chart.height = width_cm, height_cm


def _bound(axis, bounds: Bounds | None) -> None:
    if bounds:
        axis.scaling.min, axis.scaling.max, axis.majorUnit = bounds


def point_colors(series: Series, colors: list[str], marker: bool = False) -> None:
    """Give each point (a partner) its own colour: its marker, or its bar."""
    for index, color in enumerate(colors):
        point = DataPoint(idx=index)
        if marker:  # (LibreOffice reads a point's marker only when its size differs from the series')
            point.marker = Marker(symbol=series.marker.symbol, size=series.marker.size + 1,
                                  spPr=GraphicalProperties(solidFill=color))
            point.marker.spPr.line.solidFill = color
            point.graphicalProperties = GraphicalProperties(solidFill=color, ln=LineProperties(noFill=True))
        else:
            point.graphicalProperties = GraphicalProperties(solidFill=color)
            point.graphicalProperties.line.solidFill = color
        series.dPt.append(point)


def tdr_combo(categories: Reference, bars: list[Line], tdr: Line, title: str, values_title: str,
              fmt: str, ratio_fmt: str, ratio_title: str, size: tuple[float, float] = (24, 12),
              bounds: tuple[Bounds | None, Bounds | None] = (None, None)) -> BarChart:
    """Clustered columns (e.g. deficit and exports) with a ratio (TDR, GL) as labelled markers on
    a secondary axis. ``bounds``: of the columns' axis and the markers' (e.g. from
    :func:`xl_tdr.scales.aligned_bounds`: both zeros at one height). Category names stay below
    the plot, clear of negative columns."""
    bar = BarChart()
    bar.type, bar.grouping, bar.gapWidth, bar.overlap = "col", "clustered", 90, -60
    for item in bars:
        bar.series.append(_series(item))
    bar.set_categories(categories)
    _style_axes(bar, values_title, fmt)
    bar.x_axis.tickLblPos = "low"
    _bound(bar.y_axis, bounds[0])

    line = LineChart()
    series = _series(tdr, line=True)
    series.graphicalProperties.line = LineProperties(noFill=True)  # markers only
    series.marker.symbol, series.marker.size = "diamond", 10
    series.marker.graphicalProperties = GraphicalProperties(solidFill=tdr.color)
    series.marker.graphicalProperties.line.solidFill = tdr.color
    series.dLbls = _labels(ratio_fmt, "t")
    line.series.append(series)
    line.x_axis = TextAxis(axId=500, crossAx=200, delete=True)
    line.y_axis.axId, line.y_axis.crossAx, line.y_axis.crosses = 200, 500, "max"
    line.y_axis.title = ratio_title
    line.y_axis.numFmt = ratio_fmt
    line.y_axis.delete = False
    line.y_axis.majorGridlines = None
    line.y_axis.txPr = _font(9)
    _bound(line.y_axis, bounds[1])
    bar += line
    _finish(bar, title, *size)
    return bar


def lines(categories: Reference, series: list[Line], title: str, axis_title: str | None, fmt: str,
          size: tuple[float, float] = (20, 10), labels: bool = False, bounds: Bounds | None = None) -> LineChart:
    """A line chart, one series per :class:`Line` (its style: marker shape, dash)."""
    chart = LineChart()
    for item in series:
        line = _series(item, line=True)
        if labels:
            line.dLbls = _labels(fmt, "t")
        chart.series.append(line)
    chart.set_categories(categories)
    _style_axes(chart, axis_title, fmt)
    chart.x_axis.tickLblPos = "low"
    _bound(chart.y_axis, bounds)
    _finish(chart, title, *size)
    return chart


def columns(categories: Reference, series: list[Line], title: str, axis_title: str | None, fmt: str,
            size: tuple[float, float] = (20, 10), horizontal: bool = False,
            bounds: tuple[float, float] | None = None, labels: bool = False) -> BarChart:
    """Clustered columns (or, ``horizontal``, bars), one series per :class:`Line`; optional fixed
    value-axis ``bounds`` and value labels."""
    chart = BarChart()
    chart.type, chart.grouping, chart.gapWidth = ("bar" if horizontal else "col"), "clustered", 50
    for item in series:
        bars = _series(item)
        if labels:
            bars.dLbls = _labels(fmt, "outEnd")
        chart.series.append(bars)
    chart.set_categories(categories)
    _style_axes(chart, axis_title, fmt)
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # the first category on top, as in the table
        chart.y_axis.crosses = "max"  # … and the value axis below the bars, not above them
    if bounds:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = bounds
    _finish(chart, title, *size)
    return chart


def markers(combo: BarChart) -> Series:
    """The marker series (TDR, GL) of a :func:`tdr_combo` chart."""
    return next(part for part in combo._charts if isinstance(part, LineChart)).series[0]


# -- caches: what the chart shows before anything recalculates -----------------------------------
def fill_caches(chart, values: Callable[[str], tuple[list[object], str]]) -> None:
    """Fill the chart's caches from ``values`` (a reference → the values of its cells as stored,
    and their number format): each series' name, values and categories, and a title read from a
    cell. A value that is not a number (#N/A) is left out of a number cache: a gap."""
    title = getattr(chart, "title", None)
    if title is not None and title.tx is not None and title.tx.strRef is not None:
        title.tx.strRef.strCache = _strings(values(title.tx.strRef.f)[0])
    for part in getattr(chart, "_charts", None) or [chart]:
        for series in part.series:
            if series.tx is not None and series.tx.strRef is not None:
                series.tx.strRef.strCache = _strings(values(series.tx.strRef.f)[0])
            series.val.numRef.numCache = _numbers(*values(series.val.numRef.f))
            if series.cat is not None and series.cat.numRef is not None:
                found, fmt = values(series.cat.numRef.f)
                if all(is_number(v) for v in found):
                    series.cat.numRef.numCache = _numbers(found, fmt)
                else:  # names: a string reference
                    series.cat = AxDataSource(strRef=StrRef(series.cat.numRef.f, strCache=_strings(found)))


def _numbers(found: list[object], fmt: str) -> NumData:
    return NumData(formatCode=fmt, ptCount=len(found), pt=[NumVal(idx=i, v=v) for i, v in enumerate(found) if is_number(v)])


def _strings(found: list[object]) -> StrData:
    return StrData(ptCount=len(found), pt=[StrVal(idx=i, v=str(v)) for i, v in enumerate(found) if v is not None])


__all__ = ["Line", "columns", "fill_caches", "lines", "markers", "point_colors", "tdr_combo"]
