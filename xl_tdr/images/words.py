"""A chart's words in its language (from :mod:`xl_tdr.labels`): the period as a title says it,
numbers as the labels show them, the source line with the data's vintage, the notes."""

from __future__ import annotations

from .. import labels, provenance
from ..periods import parse_period, parse_year

MINUS = "\u2212"  # a typographic minus, as the axes' tick labels have it


def words(lang: str) -> dict[str, str]:
    """The chart words of ``lang``."""
    return labels.CHART[labels.lang_of(lang)]


def name(row, lang: str) -> str:
    """A partner's name in ``lang`` from a table or series row."""
    return row["partner_es"] if labels.lang_of(lang) == "es" else row["partner"]


def when(year: object, period: object, lang: str) -> str:
    """The period as a title says it: ``2025``, ``Q1 2024``, ``January–November 2024``; with
    ``year`` None, the period alone (``full years``, ``Q1``)."""
    lang = labels.lang_of(lang)
    parsed = parse_period(period)
    months = labels.MONTHS[lang]
    index = parsed.last // (parsed.last - parsed.first + 1)
    texts = labels.PERIODS if year is not None else labels.PERIODS_ALONE
    return texts[lang][parsed.kind].format(year=parse_year(year) if year is not None else "",
                                           first=months[parsed.first - 1], last=months[parsed.last - 1], index=index)


def ratio(value: float | None, lang: str) -> str:
    """A TDR or GL as labelled: two decimals, a true minus, never ``-0.00``; ``n/a`` for none."""
    if value is None or value != value:
        return words(lang)["na"]
    return f"{round(value, 2) + 0.0:.2f}".replace("-", MINUS)


def source(info: dict, years: list[int], lang: str, sector: bool = False) -> str:
    """The source line with the vintages the figures of ``years`` come from."""
    vintage = provenance.source_vintage(info["vintages"], years, lang, sector)
    return words(lang)["sector_source" if sector else "source"].format(vintage=vintage)


def annual_only(info: dict, years: list[int], lang: str) -> str | None:
    """A note when some of ``years`` have annual totals only (no month of them is in the store)."""
    through = info.get("monthly_through")
    last_monthly = int(through[:4]) if through else None
    annual = [year for year in years if last_monthly is None or year > last_monthly]
    if not annual:
        return None
    text = str(annual[0]) if len(annual) == 1 else f"{annual[0]}–{annual[-1]}"
    return words(lang)["annual_only"].format(years=text)
