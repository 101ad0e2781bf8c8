"""Who co-produces: the all-chapter Grubel–Lloyd index by partner, as bars in each partner's
colour, highest first (near 1: two-way trade inside the same industries; near 0: one-way)."""

from __future__ import annotations

from ..periods import parse_year
from . import page
from .axes import apply_bounds, quiet
from .numbers import Numbers
from .request import Request
from .style import HALO, SIZES, partner_colour
from .words import name, ratio, source, when, words


def draw(req: Request, numbers: Numbers):
    """GL bars of ``req``'s partners (default: the 10 largest) in a year with trade by HS chapter."""
    year = parse_year(req.year) if req.year is not None else numbers.latest_sector_year()
    table = numbers.table(year, top=None if req.partners else (req.top or 10), partners=req.partners or None)
    rows = [(r["code"], name(r, req.lang), numbers.gl(r["code"], year, req.period)) for r in table.rows]
    rows.sort(key=lambda row: -row[2])
    said = words(req.lang)

    fig = page.figure(page.tall_enough(req.size, len(rows), pitch=0.11))
    ax = fig.add_subplot()
    quiet(ax, grid_axis="x")
    places = range(len(rows))
    ax.barh(places, [gl for _, _, gl in rows], 0.7, color=[partner_colour(code) for code, _, _ in rows], zorder=3)
    for place, (_, _, gl) in zip(places, rows):
        ax.annotate(ratio(gl, req.lang), (gl, place), xytext=(3, 0), textcoords="offset points", va="center",
                    ha="left", fontsize=SIZES["label"], fontweight="bold", bbox=HALO, zorder=4)
    ax.set_yticks(list(places), [label for _, label, _ in rows])
    ax.set_ylim(max(len(rows), 4) - 0.4, -0.6)  # the highest on top; a few partners keep slim bars
    apply_bounds(ax.xaxis, (0.0, 1.0, 0.25))
    ax.set_xlim(0, 1.08)  # room for a label after a bar of 1
    ax.set_xlabel(said["gl_axis"], fontsize=SIZES["label"])
    texts = page.Texts(title=said["gl_title"].format(when=when(year, req.period, req.lang)),
                       subtitle=said["gl_subtitle"], source=source(numbers.info(), [year], req.lang, sector=True))
    page.compose(fig, texts)
    return fig
