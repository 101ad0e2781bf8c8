"""How every chart image looks: the font, text sizes, colours, line styles and the settings that
make a render the same on any machine (Agg, matplotlib's own DejaVu Sans, fixed SVG ids, no dates).

Colours: the flows (deficit, exports, imports) and the TDR take the report template's series
colours (``workbook_templates/en.toml`` [style]), so the images match the workbook's charts; a
partner takes its colour from :mod:`xl_tdr.palette`, as on every face.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from ..palette import LineStyle, colour, styles

FONT = "DejaVu Sans"  # shipped inside matplotlib: the same glyphs on every machine
SIZES = {"title": 11.0, "subtitle": 8.5, "body": 8.0, "label": 7.5, "small": 7.0}
INK, MUTED, GRID, ZERO = "#222222", "#555555", "#D9D9D9", "#333333"

#: A white ground that keeps a label readable over columns and lines (a box, not a path effect:
#: a stroked outline would turn the SVG's text into paths).
HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}

#: rcParams every chart is built and saved under.
RC = {
    "font.family": FONT,
    "font.size": SIZES["body"],
    "text.color": INK,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": SIZES["label"],
    "ytick.labelsize": SIZES["label"],
    "axes.unicode_minus": True,
    "svg.fonttype": "none",  # text stays text: searchable and editable
    "svg.hashsalt": "xl_tdr",  # the same element ids on every run
    "pdf.fonttype": 42,  # TrueType: the PDF's text can be selected and searched
    "path.simplify": False,
    "text.parse_math": False,  # "$1.50" is money, not mathematics
}

#: matplotlib's markers and dashes for the palette's names (the workbook's OOXML names).
MARKERS = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "none": ""}
DASHES = {None: "-", "dash": (0, (5, 2)), "sysDash": (0, (1.5, 1.5))}


@lru_cache(maxsize=1)
def template_style() -> dict[str, str]:
    """The shipped English template's [style] table (the Spanish one has the same colours)."""
    text = resources.files("xl_tdr.workbook_templates").joinpath("en.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["style"]


def flow_colour(flow: str) -> str:
    """``#RRGGBB`` of a series: ``deficit``, ``exports``, ``imports``, ``tdr`` or ``gl``."""
    return "#" + template_style()[f"{flow}_color"]


def partner_colour(code: str) -> str:
    """``#RRGGBB`` of a partner (:func:`xl_tdr.palette.colour`)."""
    return "#" + colour(code)


def line_styles(codes: list[str]) -> list[dict]:
    """matplotlib keyword arguments for one line per partner (:func:`xl_tdr.palette.styles`)."""
    return [_line(style) for style in styles(codes)]


def _line(style: LineStyle) -> dict:
    return {"color": "#" + style.color, "marker": MARKERS[style.marker], "linestyle": DASHES[style.dash],
            "linewidth": 1.8 if style.dash is None else 1.4, "markersize": 3.6}
