"""The maintainers' builders of the bundled snapshot (``xl-tdr snapshot build --from DIR``):
totals, trade by HS chapter, and the partner and chapter registries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import config
from .sectors import build_sectors
from .totals import build_totals

__all__ = ["build"]


def build(source_dir: Path, out_dir: Path = config.BUNDLED_DIR, sectors_from: Path | None = None) -> dict:
    """Build the totals and partner registry from ``source_dir``, then the sector pack and chapter
    registry from ``sectors_from`` (by default the sibling folder ``census_hs``, when present)."""
    built = date.today().isoformat()
    summary, observations, registry = build_totals(source_dir, out_dir, built)
    sectors_dir = source_dir.parent / "census_hs" if sectors_from is None else sectors_from
    if sectors_dir.is_dir():
        summary["sectors"] = build_sectors(sectors_dir, observations, registry, out_dir, built)
    return summary
