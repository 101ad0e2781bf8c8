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


def tdr_combo(categories: Reference, bars: list[tuple[Reference, str, str]],
              tdr: tuple[Reference, str, str], title: str, values_title: str,
              fmt: str, ratio_fmt: str, size: tuple[float, float] = (24, 12),
              line_bounds: tuple[float, float] | None = None) -> BarChart:
    """Clustered columns (e.g. deficit and exports) with the TDR as labelled markers on a
    secondary axis (fixed to ``line_bounds`` if given, e.g. 0–1 for an index)."""
    bar = BarChart()
    bar.type, bar.grouping, bar.gapWidth, bar.overlap = "col", "clustered", 60, -10
    for ref, name, color in bars:
        bar.series.append(_series(ref, name, color))
    bar.set_categories(categories)
    _style_axes(bar, values_title, fmt)

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
    bar += line
    _finish(bar, title, *size)
    return bar


def lines(categories: Reference, series: list[tuple[Reference, str, str]], title: str,
          axis_title: str | None, fmt: str, size: tuple[float, float] = (20, 10),
          labels: bool = False) -> LineChart:
    """A line chart, one series per (ref, name, colour)."""
    chart = LineChart()
    for ref, name, color in series:
        item = _series(ref, name, color, line=True)
        if labels:
            item.dLbls = _labels(fmt, "t")
        chart.series.append(item)
    chart.set_categories(categories)
    _style_axes(chart, axis_title, fmt)
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


PALETTE = ["1F77B4", "D62728", "2CA02C", "9467BD", "FF7F0E", "8C564B", "E377C2", "17BECF",
           "7F7F7F", "BCBD22", "393B79", "AD494A"]
__all__ = ["tdr_combo", "lines", "columns", "PALETTE", "Layout", "ManualLayout", "CM"]
