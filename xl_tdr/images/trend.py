"""The trend: the TDR year by year for chosen partners (by default, as on the report's Trends
sheet: the largest partners, China, USMCA and the World). As there, one partner far above the rest
caps the axis, and the legend and a note say how high its line goes."""

from __future__ import annotations

import math

from .. import tables
from ..periods import parse_year
from ..scales import capped, nice_step
from . import page
from .axes import apply_bounds, quiet, text_width, zero_line
from .numbers import Numbers
from .request import Request
from .style import SIZES, line_styles
from .words import annual_only, name, ratio, source, when, words



def draw(req: Request, numbers: Numbers):
    """TDR lines of ``req``'s partners over ``start``–``end`` (default: all years to the latest)."""
    last = parse_year(req.end if req.end is not None else req.year) if (req.end or req.year) else numbers.latest_year()
    first = parse_year(req.start) if req.start is not None else numbers.first_year()
    found = [numbers.series(p, first, last, req.period).rows for p in _partners(req, numbers, last)]
    lines = {rows[0]["code"]: rows for rows in found}  # a partner named twice: one line
    years = list(range(first, last + 1))
    values = {code: _tdrs(rows, years) for code, rows in lines.items()}
    names = {code: name(rows[0], req.lang) for code, rows in lines.items()}
    cap, outliers = capped({code: [v for v in vals if v is not None] for code, vals in values.items()})

    fig = page.figure(req.size)
    ax = fig.add_subplot()
    quiet(ax)
    said = words(req.lang)
    handles = []
    for (code, series), style in zip(values.items(), line_styles(list(values))):
        label = said["off_scale_line"].format(partner=names[code], value=ratio(outliers[code], req.lang)) \
            if code in outliers else names[code]
        (line,) = ax.plot(years, [math.nan if v is None else v for v in series], label=label, zorder=3,
                          clip_on=True, **style)
        handles.append(line)
    apply_bounds(ax.yaxis, cap or _bounds(values))
    zero_line(ax)
    ax.set_ylabel(said["tdr_axis"], fontsize=SIZES["label"])
    _year_ticks(ax, years, req.size.width - 1.0)
    texts = _texts(req, numbers, years, values, names, (cap, outliers))
    page.compose(fig, texts, (handles, [h.get_label() for h in handles]))
    return fig


def _partners(req: Request, numbers: Numbers, last: int) -> list:
    if req.partners:
        return req.partners
    largest = numbers.table(last, top=req.top or tables.TOP_PARTNERS).column("code")
    return largest + list(tables.TREND_ALSO)


def _tdrs(rows: list[dict], years: list[int]) -> list[float | None]:
    found = {int(r["year"]): r["tdr"] for r in rows}
    return [None if found.get(y) is None else float(found[y]) for y in years]


def _bounds(values: dict[str, list]) -> tuple[float, float, float]:
    """Round bounds over every value, zero included."""
    known = [v for series in values.values() for v in series if v is not None] or [0.0]
    low, high = min(0.0, *known), max(0.0, *known)
    step = nice_step((high - low) / 5 or 1.0)
    return step * math.floor(low / step + 1e-9), step * math.ceil(high / step - 1e-9) or step, step


def _year_ticks(ax, years: list[int], width: float) -> None:
    """A tick for every year, or every second or fifth when they would crowd."""
    room = width / len(years)
    every = next((n for n in (1, 2, 5) if text_width(ax.figure, "2020", SIZES["label"]) * 1.3 <= room * n), 10)
    ax.set_xticks([y for y in years if (y - years[0]) % every == 0])
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    ax.xaxis.set_major_formatter("{x:.0f}")


def _texts(req: Request, numbers: Numbers, years: list[int], values: dict, names: dict, capping) -> page.Texts:
    said, lang = words(req.lang), req.lang
    info = numbers.info()
    cap, outliers = capping
    notes = [said["off_scale_note"].format(partner=names[code], cap=ratio(cap[1], lang), value=ratio(peak, lang))
             for code, peak in outliers.items()]
    gaps = sorted({y for series in values.values() for y, v in zip(years, series) if v is None})
    if gaps:
        notes.append(said["gaps"].format(years=", ".join(map(str, gaps))))
    annual = annual_only(info, years, lang)
    if annual and req.period is None:
        notes.append(annual)
    return page.Texts(title=said["trend_title"].format(first=years[0], last=years[-1]),
                      subtitle=said["trend_subtitle"].format(when=when(None, req.period, lang)), notes=notes,
                      source=source(info, years, lang))
