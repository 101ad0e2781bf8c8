"""The maintainers' builders of the bundled snapshot (``xl-tdr snapshot build --from DIR``):
totals, trade by HS chapter, and the partner and chapter registries."""

from .totals import build

__all__ = ["build"]
