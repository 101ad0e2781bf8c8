"""Cell writing and styling helpers shared by the sheet writers."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .formulas import Expr
from .layout import TITLE_CELL
from .package import record
from .template import Template

THIN = Side(style="thin", color="BFBFBF")


def text(ws: Worksheet, row: int, col: int, value: object, **style):
    """Write ``value`` as text — never a formula, whatever it begins with."""
    missing = value is None or value != value  # None or NaN: an empty cell
    cell = ws.cell(row=row, column=col, value=None if missing else str(value))
    if not missing:
        cell.data_type = "s"
    return apply(cell, **style)


RIGHT = Alignment(horizontal="right")


def formula(ws: Worksheet, row: int, col: int, expr: Expr, **style) -> Expr:
    """Write a formula with its stored result; returns the cell as an expression (its address
    and value) for the formulas that read it. A number's cell is right-aligned, so that "n/a"
    stands where its number would."""
    if style.get("fmt") and not style.get("align"):
        style["align"] = RIGHT
    cell = apply(ws.cell(row=row, column=col, value=f"={expr.text}"), **style)
    record(ws, cell.coordinate, expr.value)
    return Expr(cell.coordinate, expr.value)


def number(ws: Worksheet, row: int, col: int, value: float | None, **style):
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


def title(ws: Worksheet, value: str, styles: Styles, subtitle: str | None = None) -> None:
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


def hide_columns(ws: Worksheet, first: int, last: int) -> None:
    """Hide columns ``first``..``last`` (1-based): a chart's source cells."""
    for col in range(first, last + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True


def print_setup(ws: Worksheet, template: Template, title: str, pages_tall: int = 0) -> None:
    """Landscape letter, one page wide (and ``pages_tall`` pages tall, 0: as many as it takes), a
    header with the sheet title and a footer with page numbers. (No print area: a sheet prints
    what it holds, its hidden chart data aside.)"""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_tall
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = template.text["footer"]


#: A letter page in landscape, less its margins, header and footer, in points.
PAGE_WIDTH, PAGE_HEIGHT = 720.0, 520.0


def columns_width(ws: Worksheet, first: int, last: int) -> float:
    """The width of columns ``first``..``last`` in points."""
    total = 0.0
    for col in range(first, last + 1):
        found = ws.column_dimensions.get(get_column_letter(col))  # (indexing would add a column)
        width = found.width if found is not None and found.width else 8.43
        total += 0 if found is not None and found.hidden else (width * 7 + 5) * 0.75  # 7 pixels a character
    return total


def rows_height(ws: Worksheet, first: int, last: int) -> float:
    """The height of rows ``first``..``last`` in points."""
    return sum(ws.row_dimensions[row].height or 15 for row in range(first, last + 1))


def print_pages(ws: Worksheet, template: Template, title: str, last_column: int, pages: list[tuple[int, int]]) -> None:
    """Print the sheet as ``pages`` (first and last row of each), landscape, each page at one
    scale at which every page fits (Excel ignores page breaks when it fits a sheet to pages)."""
    print_setup(ws, template, title)
    width = columns_width(ws, 1, last_column)
    tallest = max(rows_height(ws, first, last) for first, last in pages)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = max(10, min(100, int(100 * min(PAGE_WIDTH / width, PAGE_HEIGHT / tallest))))
    for _, last in pages[:-1]:
        ws.row_breaks.append(Break(id=last))


def column_after(ws: Worksheet, first: int, width_cm: float) -> int:
    """The last column that something ``width_cm`` wide anchored at column ``first`` covers."""
    points, col = width_cm / 2.54 * 72, first
    while True:
        points -= columns_width(ws, col, col)
        if points <= 0:
            return col
        col += 1


def row_below(ws: Worksheet, top: int, height_cm: float) -> int:
    """The first row below something ``height_cm`` tall anchored at row ``top``."""
    points, row = height_cm / 2.54 * 72, top
    while points > 0:
        points -= ws.row_dimensions[row].height or 15
        row += 1
    return row
