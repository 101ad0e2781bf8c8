"""Trends: TDR by year for the top partners, USMCA, China and World; recent and rolling months."""

from __future__ import annotations

from openpyxl.chart import Reference
from openpyxl.worksheet.pagebreak import Break

from .. import metrics
from ..scales import Bounds, capped
from . import charts
from .dashboard import flow_sum
from .model import ReportData
from .styles import Styles, formula, number, print_setup, row_below, text, title, widths
from .template import Template

HEADER_ROW = 3


def _ratio(x: str, m: str, na: str) -> str:
    return f'IF({x}=0,"{na}",({m}-{x})/{x})'


def write_trends(ws, data: ReportData, template: Template, styles: Styles) -> None:
    """The yearly TDR matrix with its line chart, then the recent-months blocks."""
    t, s = template.text, styles.s
    na = t["na"].replace('"', '""')
    names = dict(zip(data.partners["code"], data.partners["name_es" if template.lang == "es" else "name"]))
    codes, years = data.trends, data.years
    title(ws, t["trends_title"], styles)
    styles.header_row(ws, HEADER_ROW, 1, [t["year"]] + [names[c] for c in codes])
    ws.row_dimensions[HEADER_ROW].height = 32
    for col, code in enumerate(codes, start=2):
        text(ws, HEADER_ROW + 1, col, code, font=styles.small, align=styles.center)
    first = HEADER_ROW + 2
    for row, year in enumerate(years, start=first):
        number(ws, row, 1, year, font=styles.bold, align=styles.center)
        for col in range(2, len(codes) + 2):
            code = f"{_letter(col)}${HEADER_ROW + 1}"
            x, m = flow_sum("exports", code, f"$A{row}"), flow_sum("imports", code, f"$A{row}")
            formula(ws, row, col, _ratio(x, m, na), font=styles.font, fmt=s["ratio"])
    last = first + len(years) - 1
    bounds, labels = chart_scale(data, codes, names, template)
    colors, dashed, markers = line_styles(codes)
    chart = charts.lines(
        Reference(ws, min_col=1, min_row=first, max_row=last),
        [(Reference(ws, min_col=col, min_row=first, max_row=last), label, color)
         for col, label, color in zip(range(2, len(codes) + 2), labels, colors)],
        t["trends_chart"].format(first=years[0], last=years[-1]), t["tdr"], s["ratio"], size=(24, 12),
        bounds=bounds, dashed=dashed, markers=markers)
    anchor = last + 2
    ws.add_chart(chart, f"A{anchor}")
    top = row_below(ws, anchor, chart.height) + 1
    for row in (anchor - 1, top - 1):  # printed, the chart and the monthly tables each start a page
        ws.row_breaks.append(Break(id=row))
    _recent(ws, data, template, styles, codes, names, top)
    widths(ws, [12] + [header_width(names[code]) for code in codes])
    print_setup(ws, template, t["trends_title"])


TOTALS = {"0020": 0, "-": 1}  # USMCA and World: black and grey, dashed


MARKERS = ("circle", "square", "triangle")  # a colour's first, second and third line


def line_styles(codes: list[str]) -> tuple[list[str], dict[int, str], dict[int, str]]:
    """A colour per line (colour-blind-safe) and, past the palette, another marker shape; the
    totals set apart in black and grey, dashed."""
    colors, dashed, markers, next_color = [], {}, {}, 0
    for index, code in enumerate(codes):
        if code in TOTALS:
            colors.append(charts.TOTAL_COLORS[TOTALS[code]])
            dashed[index] = "dash" if code == "0020" else "sysDash"
        else:
            cycle, place = divmod(next_color, len(charts.PALETTE))
            colors.append(charts.PALETTE[place])
            markers[index] = MARKERS[cycle % len(MARKERS)]
            next_color += 1
    return colors, dashed, markers


def yearly_tdr(data: ReportData, codes: list[str]) -> dict[str, list[float]]:
    """The TDRs the chart draws, as built, by partner."""
    found: dict[str, list[float]] = {code: [] for code in codes}
    for r in data.annual.itertuples(index=False):
        if r.code in found and r.exports:
            found[r.code].append(metrics.tdr(r.exports, r.imports))
    return found


def scale(values: dict[str, list[float]]) -> tuple[Bounds | None, dict[str, float]]:
    """The Trends chart's value axis: capped above the rest when one partner is far off the scale."""
    return capped(values)


def chart_scale(data: ReportData, codes: list[str], names: dict[str, str],
                template: Template) -> tuple[Bounds | None, list[str]]:
    """The Trends chart's value axis and its legend (a partner off the scale says how far), for
    the writer and the ribbon's Refresh alike."""
    bounds, outliers = scale(yearly_tdr(data, codes))
    return bounds, [template.text["off_scale"].format(partner=names[code], value=f"{outliers[code]:.2f}")
                    if code in outliers else names[code] for code in codes]


def header_width(name: str) -> float:
    """A column wide enough for a partner's name on at most two lines of the header."""
    longest_word = max(len(word) for word in name.split())
    return max(11.0, min(24.0, max(longest_word, len(name) / 2) + 3))


def _recent(ws, data: ReportData, template: Template, styles: Styles, codes: list[str],
            names: dict[str, str], top: int) -> None:
    t, s = template.text, styles.s
    na = t["na"].replace('"', '""')
    text(ws, top, 1, t["recent_title"], font=styles.bold)
    if not data.recent:
        text(ws, top + 1, 1, t["no_monthly"], font=styles.small)
        return
    for block, (title, rolling) in enumerate(((t["monthly_tdr"], False), (t["rolling_tdr"], True))):
        start = top + 2 + block * (len(data.recent) + 3)
        text(ws, start - 1, 1, title, font=styles.bold)
        styles.header_row(ws, start, 1, [t["month"]] + [names[c] for c in codes])
        ws.row_dimensions[start].height = 32  # a long name takes two lines
        for row, (year, month) in enumerate(data.recent, start=start + 1):
            text(ws, row, 1, f"{year}-{month:02d}", font=styles.bold, align=styles.center)
            index = year * 12 + month - 1
            for col in range(2, len(codes) + 2):
                code = f"{_letter(col)}${HEADER_ROW + 1}"
                formula(ws, row, col, _month_ratio(code, index, rolling, na), font=styles.font, fmt=s["ratio"])


def _month_ratio(code: str, index: int, rolling: bool, na: str) -> str:
    if not rolling:
        x = f"SUMIFS(tdr_exports,tdr_code,{code},tdr_mindex,{index})"
        m = f"SUMIFS(tdr_imports,tdr_code,{code},tdr_mindex,{index})"
        return _ratio(x, m, na)
    window = f'tdr_code,{code},tdr_mindex,">{index - 12}",tdr_mindex,"<={index}"'
    x, m = f"SUMIFS(tdr_exports,{window})", f"SUMIFS(tdr_imports,{window})"
    return f'IF(COUNTIFS({window})<12,"{na}",{_ratio(x, m, na)})'


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
