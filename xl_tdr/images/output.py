"""Sizes and files: the size presets, ``--width/--height``, and writing a figure as PNG, SVG or
PDF by the file's extension — the same bytes on every run (no dates, fixed SVG ids)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArgumentError, OutputError, shown


@dataclass(frozen=True)
class Size:
    """A page: width and height in inches, and the pixels per inch of its PNG."""

    width: float
    height: float
    dpi: float


#: web: 1200 × 800 px; social: a 1080 px square card; print: a report's text column, 16 × 10 cm.
#: Text sizes are in points, so the web and social images carry large text for their pixels:
#: read at phone width (a third of 1200 px), the labels are still about 8 px.
PRESETS = {"web": Size(5.0, 10 / 3, 240), "social": Size(4.5, 4.5, 240), "print": Size(16 / 2.54, 10 / 2.54, 300)}
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
UNITS = {"px": None, "in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4}
SMALLEST, LARGEST = 2.5, 40.0  # inches: smaller is unreadable, larger is not an image for a page
MAX_SCALE = 8.0
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px|in|cm|mm)?\s*$", re.IGNORECASE)


def size(preset: str = "web", width: object = None, height: object = None) -> Size:
    """The page of a preset (``web``, ``social``, ``print``), with ``width``/``height`` given as
    pixels (``1600``) or lengths (``6in``, ``16cm``, ``90mm``) replacing its own."""
    key = str(preset or "web").strip().lower()
    if key not in PRESETS:
        raise ArgumentError(f'unknown size "{shown(preset)}" (choose from {", ".join(PRESETS)})')
    base = PRESETS[key]
    return Size(_inches(width, base.dpi, "width") if width is not None else base.width,
                _inches(height, base.dpi, "height") if height is not None else base.height, base.dpi)


def _inches(value: object, dpi: float, what: str) -> float:
    match = _LENGTH.match(str(value))
    if not match or isinstance(value, bool):
        raise ArgumentError(f'the {what} "{shown(value)}" is not a size (e.g. 1600 for pixels, 6in, 16cm, 90mm)')
    number, unit = float(match[1]), (match[2] or "px").lower()
    inches = number / dpi if UNITS[unit] is None else number * UNITS[unit]
    if not SMALLEST <= inches <= LARGEST:
        raise ArgumentError(f"the {what} {shown(value)} is outside {SMALLEST * dpi:.0f}–{LARGEST * dpi:.0f} px "
                            f"({SMALLEST}–{LARGEST:.0f} in)")
    return inches


def format_of(path: object) -> str:
    """``png``, ``svg`` or ``pdf`` from a file name; one sentence for another extension."""
    suffix = Path(str(path)).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(f'cannot write "{shown(Path(str(path)).name, 40)}": the file name must end with '
                          f"{', '.join(FORMATS)}")
    return FORMATS[suffix]


def check_scale(scale: object) -> float:
    """A PNG's pixel density factor (2 for high-density screens), 0.25–8."""
    try:
        number = float(scale)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(scale, bool) or not 0.25 <= number <= MAX_SCALE:
        raise ArgumentError(f'the scale "{shown(scale)}" must be a number from 0.25 to {MAX_SCALE:g} (2 for '
                            "high-density screens)")
    return number


METADATA = {"png": {"Software": "xl_tdr"}, "svg": {"Date": None, "Creator": "xl_tdr"},
            "pdf": {"CreationDate": None, "ModDate": None, "Creator": "xl_tdr", "Producer": "xl_tdr"}}


def save(fig, path: object, scale: object = 1.0) -> Path:
    """Write ``fig`` to ``path`` in the format its extension names; PNG at ``scale`` × its pixels."""
    from matplotlib import rc_context

    from .style import RC

    target, fmt, factor = Path(str(path)), format_of(path), check_scale(scale)
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {target}: the folder {target.parent} does not exist", str(target))
    with rc_context(RC):
        try:
            fig.savefig(target, format=fmt, dpi=fig.dpi * factor if fmt == "png" else fig.dpi,
                        metadata=METADATA[fmt], facecolor="white")
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}", str(target)) from None
    return target
