"""The exhibit: per partner, the trade deficit and exports as columns ($M, left axis) and the
TDR as labelled diamonds on a right axis whose zero lines up with the left one. A TDR far above
the rest (Vietnam's 9–11) caps the right axis: its diamond becomes a triangle at the top, labelled
with its value, and a note names it."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import tables
from ..periods import parse_year
from ..scales import aligned_bounds, capped_points
from . import page
from .axes import apply_bounds, categories, quiet, text_width, zero_line
from .numbers import Numbers
from .request import Request
from .style import HALO, SIZES, flow_colour, template_style
from .words import annual_only, name, ratio, source, when, words

WIDTH = 0.36  # of a category, per column


def draw(req: Request, numbers: Numbers):
    """The exhibit of ``req``'s partners (or its ``top`` largest, 5 by default)."""
    year = parse_year(req.year) if req.year is not None else numbers.latest_year()
    rows = numbers.table(year, top=None if req.partners else (req.top or tables.TOP_PARTNERS), period=req.period,
                         partners=req.partners or None).rows
    said, lang = words(req.lang), req.lang
    tdrs = {r["code"]: (None if r["tdr"] is None else float(r["tdr"])) for r in rows}
    cap, outliers = capped_points({code: t for code, t in tdrs.items() if t is not None})
    shown = [min(t, cap[1]) if cap and t is not None else t for t in tdrs.values()]
    flows = [r["deficit"] / 1e6 for r in rows] + [r["exports"] / 1e6 for r in rows]
    left_bounds, right_bounds = aligned_bounds(flows, [t for t in shown if t is not None], steps=5)

    fig = page.figure(req.size)
    ax = fig.add_subplot()
    right = ax.twinx()
    _columns(ax, rows)
    _markers(right, rows, tdrs, right_bounds, outliers, lang, _slot(req, rows))
    if req.guide:
        _guide(ax, right, left_bounds, right_bounds)
    apply_bounds(ax.yaxis, left_bounds, thousands=True)
    apply_bounds(right.yaxis, right_bounds)
    ax.set_ylabel(said["millions"], fontsize=SIZES["label"])
    right.set_ylabel(said["tdr_axis"], fontsize=SIZES["label"])
    side = max(0.6, (3 - len(rows)) / 2 + 0.6)  # one or two partners: columns of a usual width
    ax.set_xlim(-side, len(rows) - 1 + side)
    categories(ax, [name(r, lang) for r in rows], _slot(req, rows))
    page.compose(fig, _texts(req, numbers, year, rows, outliers), _legend(said))
    return fig


def _columns(ax, rows: list[dict]) -> None:
    quiet(ax)
    places = range(len(rows))
    ax.bar([p - WIDTH / 2 for p in places], [r["deficit"] / 1e6 for r in rows], WIDTH,
           color=flow_colour("deficit"), zorder=3, gid="deficit")
    ax.bar([p + WIDTH / 2 for p in places], [r["exports"] / 1e6 for r in rows], WIDTH,
           color=flow_colour("exports"), zorder=3, gid="exports")
    zero_line(ax)


def _slot(req: Request, rows: list) -> float:
    """Inches of width per partner (the plot is the page less its axes' labels)."""
    return (req.size.width - 1.3) / max(len(rows), 3)


def _markers(right, rows: list[dict], tdrs: dict, bounds, outliers: dict, lang: str, slot: float) -> None:
    """The TDR diamonds with their labels; an off-scale one as a triangle at the axis' top.
    Labels too wide for their partner's place get smaller and, if still too wide, alternate
    above and below their markers."""
    quiet(right, grid_axis=None)
    colour = flow_colour("tdr")
    texts = [ratio(tdrs[row["code"]], lang) for row in rows]
    points = next((size for size in (SIZES["label"], SIZES["small"] - 0.5)
                   if max(text_width(right.figure, t, size, bold=True) for t in texts) <= slot * 0.9),
                  SIZES["small"] - 0.5)
    stagger = max(text_width(right.figure, t, points, bold=True) for t in texts) > slot * 0.9
    for place, row in enumerate(rows):
        value = tdrs[row["code"]]
        off = row["code"] in outliers
        height = bounds[1] if off else (value if value is not None else 0.0)
        if value is not None:
            right.plot([place], [height], marker="^" if off else "D", markersize=6.5 if off else 5.5,
                       color=colour, markeredgecolor="white", markeredgewidth=0.8, zorder=5, clip_on=False)
        below = stagger and place % 2 == 1 and not off
        right.annotate(texts[place], (place, height), xytext=(0, -6 if below else 5), textcoords="offset points",
                       ha="center", va="top" if below else "bottom", fontsize=points, fontweight="bold",
                       color="#000000", zorder=6, annotation_clip=False, bbox=HALO)


def _guide(ax, right, left_bounds, right_bounds) -> None:
    """The reading bands: the surplus zone shaded (behind the columns: both zeros are at one
    height), dotted lines at 0.50 and 1.00."""
    if left_bounds[0] < 0:
        ax.axhspan(left_bounds[0], 0, color="#" + template_style()["surplus_fill"], zorder=0, linewidth=0)
    high = right_bounds[1]
    for level in (0.5, 1.0):
        if level < high:
            right.axhline(level, color=flow_colour("tdr"), linewidth=0.8, linestyle=(0, (1, 2)), zorder=1)


def _legend(said: dict) -> tuple[list, list[str]]:
    handles = [Patch(color=flow_colour("deficit")), Patch(color=flow_colour("exports")),
               Line2D([], [], marker="D", linestyle="", color=flow_colour("tdr"), markersize=5)]
    return handles, [said["in_millions"].format(said["deficit"]), said["in_millions"].format(said["exports"]),
                     f"{said['tdr']} ({said['tdr_axis_side']})"]


def _texts(req: Request, numbers: Numbers, year: object, rows: list[dict], outliers: dict) -> page.Texts:
    said, lang = words(req.lang), req.lang
    info = numbers.info()
    if req.partners:
        lead = said["exhibit_chosen"]
    else:
        lead = said["exhibit_top"].format(count=len(rows)) if len(rows) > 1 else said["exhibit_top_one"]
    names = {r["code"]: name(r, lang) for r in rows}
    notes = [said["off_scale"].format(partner=names[code], value=ratio(value, lang))
             for code, value in outliers.items()]
    if req.guide:
        notes.append(said["guide"])
    annual = annual_only(info, [year], lang)
    if annual:
        notes.append(annual)
    return page.Texts(title=said["exhibit_title"].format(when=when(year, req.period, lang)),
                      subtitle=f"{lead} {said['exhibit_how']}", notes=notes,
                      source=source(info, [year], lang))

