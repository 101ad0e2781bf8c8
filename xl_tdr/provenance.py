"""Which of the store's vintages a figure comes from: the source line of a report or a chart.

Pure: it reads the vintages ``Service``/``xl_tdr.info()`` hand over (dicts with source,
retrieved, note and the years each supplies).
"""

from __future__ import annotations


def covering(vintages: list[dict], years: list[int], sector: bool = False) -> list[dict]:
    """The vintages the figures of ``years`` come from (of the totals, or with ``sector`` of the
    trade by HS chapter, by each vintage's ``kind``); sums of member countries are left out."""
    wanted = set(years)
    return [v for v in vintages
            if wanted & set(v["years"]) and not v["derived"] and (v["kind"] == "sectors") == sector]


def vintage_text(vintages: list[dict], retrieved: str = "retrieved") -> str:
    """Short provenance, e.g. ``bulk file country.xlsx, retrieved 2026-10``; ``local store`` for none."""
    parts = [f"{v['source'].replace('Census ', '')}, {retrieved} {v['retrieved']}" for v in vintages]
    return "; ".join(parts) or "local store"
