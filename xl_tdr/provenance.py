"""Which of the store's vintages a figure comes from, and how a source line names them — the one
wording of the report's source lines and provenance and of the chart images, in English and
Spanish (the names themselves are :data:`xl_tdr.labels.SOURCES`).

Pure: it reads the vintages ``Service``/``xl_tdr.info()`` hand over (dicts with key, kind,
derived, source, retrieved, note and the years each supplies).
"""

from __future__ import annotations

from . import labels


def covering(vintages: list[dict], years: list[int], sector: bool = False) -> list[dict]:
    """The vintages the figures of ``years`` come from (of the totals, or with ``sector`` of the
    trade by HS chapter, by each vintage's ``kind``); sums of member countries are left out."""
    wanted = set(years)
    return [v for v in vintages
            if wanted & set(v["years"]) and not v["derived"] and (v["kind"] == "sectors") == sector]


def described(vintage: dict, lang: str = "en") -> str:
    """One vintage in ``lang``: ``Census bulk file country.xlsx, retrieved 2026-10``
    (``archivo masivo country.xlsx del Census, obtenido 2026-10``)."""
    lang = labels.lang_of(lang)
    return f"{labels.source_name(vintage, lang)}, {labels.INFO[lang]['retrieved']} {vintage['retrieved']}"


def vintage_text(vintages: list[dict], lang: str = "en") -> str:
    """The ``vintages`` of a source line, joined with ``; ``; for none (data typed in by hand,
    an old store) ``the local data``."""
    lang = labels.lang_of(lang)
    return "; ".join(described(v, lang) for v in vintages) or labels.NO_VINTAGE[lang]


def source_vintage(vintages: list[dict], years: list[int], lang: str = "en", sector: bool = False) -> str:
    """What a source line says of the figures of ``years``: :func:`vintage_text` of :func:`covering`."""
    return vintage_text(covering(vintages, years, sector), lang)
