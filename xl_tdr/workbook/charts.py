"""Native Excel charts: the TDR combo (columns + TDR markers on a secondary axis), lines, columns.

Lessons from rendering in LibreOffice: data labels need every ``show*`` flag but the value off,
axes need ``delete = False`` explicitly, and a secondary line gets its own hidden category axis.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.axis import TextAxis
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from ..scales import Bounds, aligned_bounds, nice_step

CM = 360000  # EMU per centimetre


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


def _series(ref: Reference, title: str, color: str, line: bool = False) -> Series:
    series = Series(ref, title=title)
    if line:
        series.graphicalProperties.line.solidFill = color
        series.graphicalProperties.line.width = 28575  # 2.25 pt
        series.marker.symbol = "circle"
        series.marker.size = 6
        series.marker.graphicalProperties = None
        series.smooth = False
    else:
        series.graphicalProperties.solidFill = color
        series.graphicalProperties.line.solidFill = color
    return series


def _style_axes(chart, title: str | None, fmt: str) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = title
    chart.y_axis.numFmt = fmt
    chart.y_axis.majorGridlines = chart.y_axis.majorGridlines  # keep default gridlines
    chart.x_axis.txPr = _font(9)
    chart.y_axis.txPr = _font(9)


def _finish(chart, title: str, width_cm: float, height_cm: float) -> None:
    chart.title = title
    chart.title.tx.rich.p[0].pPr = ParagraphProperties(defRPr=CharacterProperties(sz=1200, b=True))
    chart.legend.position = "b"
    chart.width, chart.height = width_cm, height_cm


def _bound(axis, bounds: Bounds | None) -> None:
    if bounds:
        axis.scaling.min, axis.scaling.max, axis.majorUnit = bounds


def tdr_combo(categories: Reference, bars: list[tuple[Reference, str, str]],
              tdr: tuple[Reference, str, str], title: str, values_title: str,
              fmt: str, ratio_fmt: str, size: tuple[float, float] = (24, 12),
              line_bounds: tuple[float, float] | None = None,
              values: tuple[list[float], list[float]] | None = None) -> BarChart:
    """Clustered columns (e.g. deficit and exports) with the TDR as labelled markers on a
    secondary axis (fixed to ``line_bounds`` if given, e.g. 0–1 for an index). With the
    ``values`` the chart is built from (columns, markers), both axes put zero at one height —
    a TDR of 0.5 never sits on the $0 line. Category names stay below the plot, clear of
    negative columns."""
    bar = BarChart()
    bar.type, bar.grouping, bar.gapWidth, bar.overlap = "col", "clustered", 90, -60
    for ref, name, color in bars:
        bar.series.append(_series(ref, name, color))
    bar.set_categories(categories)
    _style_axes(bar, values_title, fmt)
    bar.x_axis.tickLblPos = "low"
    bar_bounds, tdr_bounds = aligned_bounds(*values) if values and not line_bounds else (None, None)
    _bound(bar.y_axis, bar_bounds)

    line = LineChart()
    ref, name, color = tdr
    series = _series(ref, name, color, line=True)
    series.graphicalProperties.line = LineProperties(noFill=True)  # markers only
    series.marker.symbol, series.marker.size = "diamond", 11
    series.marker.graphicalProperties = GraphicalProperties(solidFill=color)
    series.marker.graphicalProperties.line.solidFill = color
    series.dLbls = _labels(ratio_fmt, "t")
    line.series.append(series)
    line.x_axis = TextAxis(axId=500, crossAx=200, delete=True)
    line.y_axis.axId, line.y_axis.crossAx, line.y_axis.crosses = 200, 500, "max"
    line.y_axis.title = name
    line.y_axis.numFmt = ratio_fmt
    line.y_axis.delete = False
    line.y_axis.majorGridlines = None
    line.y_axis.txPr = _font(9)
    if line_bounds:
        line.y_axis.scaling.min, line.y_axis.scaling.max = line_bounds
    _bound(line.y_axis, tdr_bounds)
    bar += line
    _finish(bar, title, *size)
    return bar


def lines(categories: Reference, series: list[tuple[Reference, str, str]], title: str,
          axis_title: str | None, fmt: str, size: tuple[float, float] = (20, 10),
          labels: bool = False, bounds: Bounds | None = None, dashed: dict[int, str] | None = None,
          markers: dict[int, str] | None = None) -> LineChart:
    """A line chart, one series per (ref, name, colour); ``dashed``: series index → dash style
    (e.g. ``"dash"``) for lines that are set apart, such as totals; ``markers``: series index →
    marker symbol (default a circle)."""
    chart = LineChart()
    for index, (ref, name, color) in enumerate(series):
        item = _series(ref, name, color, line=True)
        if markers and index in markers:
            item.marker.symbol = markers[index]
        if labels:
            item.dLbls = _labels(fmt, "t")
        if dashed and index in dashed:
            item.graphicalProperties.line.prstDash = dashed[index]
            item.marker.symbol = "none"
        chart.series.append(item)
    chart.set_categories(categories)
    _style_axes(chart, axis_title, fmt)
    chart.x_axis.tickLblPos = "low"
    _bound(chart.y_axis, bounds)
    _finish(chart, title, *size)
    return chart


def columns(categories: Reference, series: list[tuple[Reference, str, str]], title: str,
            axis_title: str | None, fmt: str, size: tuple[float, float] = (20, 10), horizontal: bool = False,
            bounds: tuple[float, float] | None = None, labels: bool = False) -> BarChart:
    """Clustered columns (or, ``horizontal``, bars), one series per (ref, name, colour); optional
    fixed value-axis ``bounds`` and value labels."""
    chart = BarChart()
    chart.type, chart.grouping, chart.gapWidth = ("bar" if horizontal else "col"), "clustered", 50
    for ref, name, color in series:
        item = _series(ref, name, color)
        if labels:
            item.dLbls = _labels(fmt, "outEnd")
        chart.series.append(item)
    chart.set_categories(categories)
    _style_axes(chart, axis_title, fmt)
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # the first category on top, as in the table
    if bounds:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = bounds
    _finish(chart, title, *size)
    return chart


#: Colour-blind-safe line colours: Okabe & Ito's, then Paul Tol's "muted" ones, no yellow (too
#: light on white); black and grey are kept for totals (USMCA, World), drawn dashed.
PALETTE = ["0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "882255", "117733",
           "999933", "44AA99", "AA4499", "332288"]
TOTAL_COLORS = ("000000", "7F7F7F")
__all__ = ["tdr_combo", "lines", "columns", "aligned_bounds", "nice_step", "PALETTE", "TOTAL_COLORS",
           "Layout", "ManualLayout", "CM"]
