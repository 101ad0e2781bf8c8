"""Which of the store's vintages a figure comes from: the source line of a report or a chart.

Pure: it reads the vintages ``Service``/``xl_tdr.info()`` hand over (dicts with source,
retrieved, note and the years each supplies).
"""

from __future__ import annotations


def is_sector(vintage: dict) -> bool:
    """A vintage of trade by HS chapter (not of the partners' totals)."""
    return "chapter" in (vintage.get("note") or "") or "HS2" in vintage["source"]


def covering(vintages: list[dict], years: list[int], sector: bool = False) -> list[dict]:
    """The vintages the figures of ``years`` come from (of the totals, or with ``sector`` of the
    trade by HS chapter); sums the store computed from member countries are left out."""
    wanted = set(years)
    return [v for v in vintages if wanted & set(v["years"]) and not v["source"].startswith("computed")
            and is_sector(v) == sector]


def vintage_text(vintages: list[dict], retrieved: str = "retrieved") -> str:
    """Short provenance, e.g. ``bulk file country.xlsx, retrieved 2026-10``; ``local store`` for none."""
    parts = [f"{v['source'].replace('Census ', '')}, {retrieved} {v['retrieved']}" for v in vintages]
    return "; ".join(parts) or "local store"
