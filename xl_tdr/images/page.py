"""The frame every chart shares: a white page with the title and subtitle on top, a legend under
them, the plot, and the notes and source line at the foot — all inside the image, wrapped to its
width, left-aligned (as Datawrapper and FRED lay out a chart)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .output import Size
from .style import INK, MUTED, SIZES

PAD = 0.14  # inches around the page's texts
GAP = 0.05  # inches between two blocks of text


@dataclass
class Texts:
    """What a chart says around its plot."""

    title: str
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = ""


def tall_enough(size: Size, rows: int, pitch: float = 0.13, overhead: float = 2.0) -> Size:
    """``size``, taller when ``rows`` rows of a list chart (``pitch`` inches each) would not fit
    beside its texts (about ``overhead`` inches): a long list grows down, as on a web page."""
    return replace(size, height=max(size.height, overhead + rows * pitch))


def figure(size: Size) -> Figure:
    """A blank page of ``size`` that can measure its text (Agg: no display needed)."""
    fig = Figure(figsize=(size.width, size.height), dpi=size.dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


_WIDTHS: dict[tuple, float] = {}  # (text, points, bold, dpi) → pixels: charts measure the same words


def text_pixels(fig: Figure, text: str, points: float, bold: bool = False) -> float:
    """The width of one line of ``text`` on ``fig``, in pixels (remembered)."""
    key = (text, points, bold, fig.dpi)
    if key not in _WIDTHS:
        if len(_WIDTHS) > 20_000:
            _WIDTHS.clear()
        prop = FontProperties(size=points, weight="bold" if bold else "normal")
        _WIDTHS[key] = fig.canvas.get_renderer().get_text_width_height_descent(text, prop, ismath=False)[0]
    return _WIDTHS[key]


def wrap(fig: Figure, text: str, points: float, width: float, bold: bool = False) -> str:
    """``text`` broken into lines no wider than ``width`` inches at ``points``."""
    limit = width * fig.dpi

    def fits(line: str) -> bool:
        return text_pixels(fig, line, points, bold) <= limit

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and not fits(candidate):
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def _block(fig: Figure, text: str, y: float, role: str, top: bool) -> float:
    """Write one block of text at height ``y`` (inches, from the bottom); its height in inches."""
    width, height = fig.get_size_inches()
    bold = role == "title"
    color = MUTED if role in ("subtitle", "source") else INK
    wrapped = wrap(fig, text, SIZES[role if role != "source" else "small"], width - 2 * PAD, bold)
    artist = fig.text(PAD / width, y / height, wrapped, ha="left", va="top" if top else "bottom",
                      fontsize=SIZES[role if role != "source" else "small"], color=color,
                      fontweight="bold" if bold else "normal", linespacing=1.3)
    return artist.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi


def legend(fig: Figure, handles: list, names: list[str], y: float) -> float:
    """A legend in as few rows as fit the width, read left to right, its rows evenly filled,
    its top at ``y`` inches; its height in inches."""
    width, height = fig.get_size_inches()
    count = len(handles)
    fitting = next(c for c in range(count, 0, -1) if _legend(fig, handles, names, y, c, probe=True) or c == 1)
    rows = -(-count // fitting)
    columns = -(-count // rows)
    order = [k * columns + j for j in range(columns) for k in range(rows) if k * columns + j < count]
    found = _legend(fig, [handles[i] for i in order], [names[i] for i in order], y, columns)
    return found.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi


def _legend(fig: Figure, handles: list, names: list[str], y: float, columns: int, probe: bool = False):
    """A figure legend of ``columns`` columns; with ``probe``, whether it fits the width (removed)."""
    width, height = fig.get_size_inches()
    points = SIZES["body"] if len(handles) <= 6 else SIZES["small"]  # many lines: a smaller legend
    found = fig.legend(handles, names, loc="upper left", bbox_to_anchor=(PAD / width, y / height),
                       ncols=columns, frameon=False, fontsize=points, handlelength=1.6,
                       columnspacing=1.2, handletextpad=0.5, borderaxespad=0.0, borderpad=0.0)
    if not probe:
        return found
    fits = found.get_window_extent(fig.canvas.get_renderer()).width <= (width - 2 * PAD) * fig.dpi
    found.remove()
    return fits


def compose(fig: Figure, texts: Texts, legend_items: tuple[list, list[str]] | None = None) -> None:
    """Put the texts around the plot and fit the axes (with their tick labels) between them."""
    width, height = fig.get_size_inches()
    top = height - PAD
    top -= _block(fig, texts.title, top, "title", True) + GAP
    if texts.subtitle:
        top -= _block(fig, texts.subtitle, top, "subtitle", True) + GAP
    if legend_items and legend_items[0]:
        top -= legend(fig, *legend_items, top) + GAP
    bottom = PAD * 0.7
    if texts.source:
        bottom += _block(fig, texts.source, bottom, "source", False) + GAP * 0.6
    for note in reversed(texts.notes):
        bottom += _block(fig, note, bottom, "small", False) + GAP * 0.6
    fig.tight_layout(rect=(0.0, bottom / height, 1.0, top / height), pad=0.6)
