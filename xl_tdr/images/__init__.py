"""Chart images for the web and print (matplotlib, the optional ``xl-tdr[charts]`` extra).

``chart(kind, …)`` draws one of :data:`KINDS` and returns the matplotlib Figure (writing it
too with ``out=``): the ``exhibit`` (deficit and exports with the TDR), a ``trend`` of TDRs by
year, the all-chapter ``gl`` index by partner, a partner's ``sector`` chapters. Every image
carries its title, subtitle, notes and the source line with the data's vintage, in English or
Spanish. Numbers come from the Python API (or a ``Service`` passed in), never from the store.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SetupError
from ..tables import whole_top
from .request import KINDS, kind_of

__all__ = ["KINDS", "chart", "export_exhibit", "save", "available"]

INSTALL = "chart images need matplotlib: install xl-tdr[charts] (pip install \"xl-tdr[charts]\")"


def available() -> None:
    """Raise one sentence when matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SetupError(INSTALL) from None


def chart(kind: str = "exhibit", *, partners: object = None, top: int | None = None, year: object = None,
          period: object = None, sector: object = None, start: object = None, end: object = None,
          lang: str = "en", guide: bool = False, size: str = "web", width: object = None,
          height: object = None, out: object = None, scale: object = 1.0, service=None):
    """Draw a chart and return its matplotlib Figure; with ``out`` (a .png, .svg or .pdf path) write
    it too. ``partners``: a list or comma list (default the ``top`` largest, 5; for ``sector`` one
    partner); ``year`` (default the latest complete one; for ``trend`` the years ``start``–``end``);
    ``sector``: an HS chapter to mark on a ``sector`` chart; ``guide``: the TDR's reading bands on
    the exhibit; ``size``: ``web`` (1200 × 800 px), ``social`` (1080 px square) or ``print``
    (16 × 10 cm), ``width``/``height`` as pixels or lengths (``6in``, ``16cm``)."""
    available()
    from matplotlib import rc_context

    from . import exhibit, gl, sector as sector_chart, trend
    from .numbers import Numbers
    from .output import format_of, save as write, size as page_size
    from .request import request
    from .style import RC

    wanted = request(kind_of(kind), partners, lang, top=whole_top(top), year=year, period=period, sector=sector,
                     start=start, end=end, guide=bool(guide), size=page_size(size, width, height))
    if out is not None:
        format_of(out)  # a wrong extension is said before the drawing, not after
    draw = {"exhibit": exhibit.draw, "trend": trend.draw, "gl": gl.draw, "sector": sector_chart.draw}[wanted.kind]
    with rc_context(RC):
        fig = draw(wanted, Numbers(service))
    if out is not None:
        write(fig, out, scale)
    return fig


def save(fig, path: object, scale: object = 1.0) -> Path:
    """Write a chart's Figure as PNG (``scale`` × its pixels), SVG or PDF by ``path``'s extension."""
    available()
    from .output import save as write

    return write(fig, path, scale)


def export_exhibit(partners: list[str], year: object, out: object, lang: str = "en",
                   period: object = None, fmt: str = "png", service=None) -> Path:
    """The exhibit of a report's partners, written beside it: ``out`` is the report's path
    (``tdr_report_2025.xlsx`` → ``tdr_report_2025_chart.png``), a folder, or an image's path.
    For the ribbon's "Export chart" button."""
    target = Path(str(out))
    if target.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        target = target.with_name(f"{target.stem}_chart.{fmt}")
    elif target.is_dir():
        target = target / f"tdr_chart_{year}.{fmt}"
    chart("exhibit", partners=partners, year=year, period=period, lang=lang, out=target, service=service)
    return target
