"""Which of the store's vintages a figure comes from: the source line of a report or a chart.

Pure: it reads the vintages ``Service``/``xl_tdr.info()`` hand over (dicts with source,
retrieved, note and the years each supplies).
"""

from __future__ import annotations


def is_sector(vintage: dict) -> bool:
    """A vintage of trade by HS chapter (not of the partners' totals): its ``kind`` where the
    store gives one, else what its note and source say."""
    if "kind" in vintage:
        return vintage["kind"] == "sectors"
    return "chapter" in (vintage.get("note") or "") or "HS2" in vintage["source"]


def is_derived(vintage: dict) -> bool:
    """Sums the store computed from member countries (not a source of their own)."""
    return bool(vintage["derived"]) if "derived" in vintage else vintage["source"].startswith("computed")


def covering(vintages: list[dict], years: list[int], sector: bool = False) -> list[dict]:
    """The vintages the figures of ``years`` come from (of the totals, or with ``sector`` of the
    trade by HS chapter); derived sums are left out."""
    wanted = set(years)
    return [v for v in vintages if wanted & set(v["years"]) and not is_derived(v) and is_sector(v) == sector]


def vintage_text(vintages: list[dict], retrieved: str = "retrieved") -> str:
    """Short provenance, e.g. ``bulk file country.xlsx, retrieved 2026-10``; ``local store`` for none."""
    parts = [f"{v['source'].replace('Census ', '')}, {retrieved} {v['retrieved']}" for v in vintages]
    return "; ".join(parts) or "local store"
