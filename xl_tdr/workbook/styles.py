"""Cell writing and styling helpers shared by the sheet writers."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .layout import TITLE_CELL
from .template import Template

THIN = Side(style="thin", color="BFBFBF")


def text(ws: Worksheet, row: int, col: int, value: object, **style):
    """Write ``value`` as text — never a formula, whatever it begins with."""
    missing = value is None or value != value  # None or NaN: an empty cell
    cell = ws.cell(row=row, column=col, value=None if missing else str(value))
    if not missing:
        cell.data_type = "s"
    return apply(cell, **style)


def formula(ws: Worksheet, row: int, col: int, expression: str, **style):
    """Write a formula (``expression`` without the leading ``=``)."""
    return apply(ws.cell(row=row, column=col, value=f"={expression}"), **style)


def number(ws: Worksheet, row: int, col: int, value: float | int | None, **style):
    """Write a number (or leave the cell empty for ``None``)."""
    return apply(ws.cell(row=row, column=col, value=value), **style)


def apply(cell, font: Font | None = None, fill: PatternFill | None = None, fmt: str | None = None,
          align: Alignment | None = None, border: Border | None = None):
    """Set the given style attributes on a cell and return it."""
    for name, value in (("font", font), ("fill", fill), ("number_format", fmt),
                        ("alignment", align), ("border", border)):
        if value is not None:
            setattr(cell, name, value)
    return cell


def title(ws: Worksheet, value: str, styles: "Styles", subtitle: str | None = None) -> None:
    """The sheet title (layout.TITLE_CELL, its row tall enough for its font) and an optional
    subtitle below it."""
    cell = ws[TITLE_CELL]
    text(ws, cell.row, cell.column, value, font=styles.title)
    ws.row_dimensions[cell.row].height = styles.s["title_size"] * 1.8
    if subtitle:
        text(ws, cell.row + 1, cell.column, subtitle, font=styles.subtitle)


class Styles:
    """Fonts, fills and formats of a template, built once per report."""

    def __init__(self, template: Template):
        s = template.style
        self.s = s
        self.font = Font(name=s["font"], size=s["size"])
        self.bold = Font(name=s["font"], size=s["size"], bold=True)
        self.small = Font(name=s["font"], size=s["size"] - 2, italic=True, color="595959")
        self.title = Font(name=s["font"], size=s["title_size"], bold=True, color=s["accent"])
        self.subtitle = Font(name=s["font"], size=s["size"], italic=True, color="404040")
        self.header = Font(name=s["font"], size=s["size"], bold=True, color=s["header_font"])
        self.header_fill = PatternFill("solid", fgColor=s["header_fill"])
        self.band_fill = PatternFill("solid", fgColor=s["band_fill"])
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.box = Border(bottom=THIN)

    def header_row(self, ws: Worksheet, row: int, col: int, labels: list[str]) -> None:
        """A row of column headers in the template's header colours."""
        for offset, label in enumerate(labels):
            text(ws, row, col + offset, label, font=self.header, fill=self.header_fill, align=self.center)


def widths(ws: Worksheet, sizes: dict[str, float] | list[float]) -> None:
    """Set column widths by letter (dict) or from column A on (list)."""
    items = sizes.items() if isinstance(sizes, dict) else (
        (get_column_letter(i + 1), w) for i, w in enumerate(sizes))
    for letter, width in items:
        ws.column_dimensions[letter].width = width


def print_setup(ws: Worksheet, template: Template, title: str, landscape: bool = True) -> None:
    """Landscape, fit to one page wide, header with the sheet title, footer with page numbers."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = template.text["footer"]


def row_below(ws: Worksheet, top: int, height_cm: float) -> int:
    """The first row below something ``height_cm`` tall anchored at row ``top``."""
    points, row = height_cm / 2.54 * 72, top
    while points > 0:
        points -= ws.row_dimensions[row].height or 15
        row += 1
    return row
