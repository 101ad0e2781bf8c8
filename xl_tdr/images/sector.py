"""A partner's HS chapters: exports and imports as paired bars ($M), the TDR and GL of each
chapter in two columns beside them; a chapter asked for (``sector=87``) is marked and always
shown."""

from __future__ import annotations

from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from ..errors import ArgumentError, DataNotAvailable
from .. import tables
from ..periods import parse_year
from ..reference.chapters import chapters
from ..reference.partners import registry
from ..scales import nice_step
from . import page
from .axes import apply_bounds, ceiling, quiet, text_width
from .numbers import Numbers
from .request import Request
from .style import GRID, SIZES, flow_colour
from .words import ratio, source, when, words

HEIGHT = 0.38  # of a chapter's row, per bar


def draw(req: Request, numbers: Numbers):
    """The largest chapters (``top``, 10 by default) of ``req``'s one partner."""
    if len(req.partners) != 1:
        raise ArgumentError(f"a sector chart shows one partner (e.g. Mexico), not {len(req.partners) or 'none'}")
    year = parse_year(req.year) if req.year is not None else numbers.latest_sector_year()
    table = numbers.sectors(req.partners[0], year, None, req.period)
    rows, marked = _rows(table, req, year)
    said, es = words(req.lang), req.lang == "es"

    fig = page.figure(page.tall_enough(req.size, len(rows)))
    ax = fig.add_subplot()
    quiet(ax, grid_axis="x")
    places = list(range(len(rows)))
    for flow, shift in (("exports", -HEIGHT / 2), ("imports", HEIGHT / 2)):
        ax.barh([p + shift for p in places], [r[flow] / 1e6 for r in rows], HEIGHT, color=flow_colour(flow), zorder=3)
    labels = [f"{r['chapter']} {r['name_es'] if es else r['name']}" for r in rows]
    ax.set_yticks(places, labels)
    for place, row in enumerate(rows):
        if row["chapter"] == marked:
            ax.get_yticklabels()[place].set_fontweight("bold")
            ax.axhspan(place - 0.5, place + 0.5, color=GRID, alpha=0.5, zorder=0, linewidth=0)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    top = max(max(r["exports"], r["imports"]) for r in rows) / 1e6
    step = nice_step(top / 4)
    apply_bounds(ax.xaxis, (0.0, ceiling(top, step), step), thousands=True)
    ax.set_xlabel(said["millions"], fontsize=SIZES["label"])
    _ratios(ax, rows, req.lang, said)
    partner = registry().by_code[table.attrs["code"]].display("es" if es else "en")
    legend = ([Patch(color=flow_colour("exports")), Patch(color=flow_colour("imports"))],
              [said["in_millions"].format(said["exports"]), said["in_millions"].format(said["imports"])])
    texts = page.Texts(title=said["sector_title"].format(partner=partner, when=when(year, req.period, req.lang)),
                       subtitle=said["sector_subtitle"].format(count=len(rows)),
                       source=source(numbers.info(), [year], req.lang, sector=True))
    page.compose(fig, texts, legend)
    return fig


def _rows(table, req: Request, year: int) -> tuple[list[dict], str | None]:
    """The ``top`` chapters, and the one asked for (marked) when it is not among them."""
    everything = table.rows
    rows = list(everything[: req.top or tables.TOP_CHAPTERS])
    chapter = chapters().resolve(req.sector)
    if chapter is None:
        return rows, None
    if chapter.code not in {r["chapter"] for r in everything}:
        raise DataNotAvailable(f"{table.attrs['partner']} has no trade in HS {chapter.code} in {year}")
    if chapter.code not in {r["chapter"] for r in rows}:
        rows.append(next(r for r in everything if r["chapter"] == chapter.code))
    return rows, chapter.code


def _ratios(ax, rows: list[dict], lang: str, said: dict) -> None:
    """The TDR and GL columns right of the plot, headed like a table (right-aligned numbers)."""
    fig = ax.figure
    column = max(text_width(fig, said["tdr"], SIZES["label"], bold=True),
                 text_width(fig, "−00.00", SIZES["label"])) * 72 + 8  # points
    at = blended_transform_factory(ax.transAxes, ax.transData)
    for offset, (key, heading) in enumerate((("tdr", said["tdr"]), ("gl", said["gl_short"]))):
        shift = ((offset + 1) * column, 0)
        ax.annotate(heading, (1.0, -0.6), xycoords=at, xytext=shift, textcoords="offset points", ha="right",
                    va="bottom", fontsize=SIZES["label"], fontweight="bold", annotation_clip=False)
        for place, row in enumerate(rows):
            ax.annotate(ratio(row[key], lang), (1.0, place), xycoords=at, xytext=shift, textcoords="offset points",
                        ha="right", va="center", fontsize=SIZES["label"], annotation_clip=False)

