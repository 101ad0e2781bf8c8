"""Axis helpers every chart kind shares: round bounds and their tick labels, quiet frames and
gridlines, category names that fit (wrapped onto two lines, or slanted when they still do not)."""

from __future__ import annotations

import math

from matplotlib.ticker import FixedLocator, FuncFormatter

from ..scales import Bounds
from .page import text_pixels
from .style import GRID, SIZES, ZERO
from .words import MINUS


def decimals(step: float) -> int:
    """How many decimals the tick labels of a step need (0.25 → 2, 0.5 → 1, 1 → 0)."""
    for places in range(4):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 3


def apply_bounds(axis, bounds: Bounds, thousands: bool = False) -> None:
    """Fix a value axis (``ax.yaxis`` or ``ax.xaxis``) to ``bounds`` with a tick at every step,
    labelled with the decimals the step needs (``thousands``: with thousands separators)."""
    low, high, step = bounds
    count = round((high - low) / step)
    axis.set_major_locator(FixedLocator([low + i * step for i in range(count + 1)]))
    places = decimals(step)  # a partner trading under $1M gets 0.2, 0.4, … — not 0, 0, 0

    def label(value: float, _position: object) -> str:
        text = f"{value:,.{places}f}" if thousands else f"{value:.{places}f}"
        return text.replace("-", MINUS) if float(text.replace(",", "")) != 0 else text.lstrip("-")

    axis.set_major_formatter(FuncFormatter(label))
    getattr(axis.axes, f"set_{axis.axis_name}lim")(low, high)


def quiet(ax, grid_axis: str | None = "y") -> None:
    """No box, light gridlines behind the data (along ``grid_axis``, none for None), ticks
    without marks."""
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.grid(False)
    if grid_axis:
        ax.grid(True, axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0, pad=3)


def zero_line(ax, horizontal: bool = True) -> None:
    """The zero of a value axis, drawn darker than the gridlines."""
    (ax.axhline if horizontal else ax.axvline)(0, color=ZERO, linewidth=0.8, zorder=2)


def text_width(fig, text: str, points: float, bold: bool = False) -> float:
    """Width of ``text`` in inches at ``points`` (the widest line)."""
    return max(text_pixels(fig, line, points, bold) for line in text.split("\n")) / fig.dpi


def two_lines(name: str) -> str:
    """A name split at the space nearest its middle (``United\\nKingdom``)."""
    spaces = [i for i, c in enumerate(name) if c == " "]
    if not spaces:
        return name
    middle = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:middle] + "\n" + name[middle + 1:]


def categories(ax, names: list[str], slot: float) -> None:
    """Category names below the plot, one per ``slot`` inches: wrapped onto two lines when that
    makes them fit, slanted when even that does not."""
    fig, size = ax.figure, SIZES["label"]
    ax.set_xticks(range(len(names)))
    if all(text_width(fig, name, size) <= slot * 0.95 for name in names):
        ax.set_xticklabels(names)
        return
    wrapped = [two_lines(name) for name in names]
    if all(text_width(fig, name, size) <= slot * 0.95 for name in wrapped):
        ax.set_xticklabels(wrapped)
        return
    ax.set_xticklabels(names, rotation=30, ha="right", rotation_mode="anchor")


def ceiling(value: float, step: float) -> float:
    """``value`` rounded up to a whole number of steps."""
    return step * math.ceil(value / step - 1e-9)
