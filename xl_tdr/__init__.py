"""xl_tdr — the Trade Deficit Ratio for U.S. bilateral goods trade, in Excel and Python.

    >>> import xl_tdr
    >>> round(xl_tdr.tdr("Mexico", 2025), 2)
    0.58
    >>> round(xl_tdr.gl("Canada", 2024, sector="vehicles"), 2)
    0.94

TDR = (U.S. imports from a partner − U.S. exports to it) / U.S. exports to it; GL is the
Grubel–Lloyd index of two-way trade within HS chapters. Scalar functions stay light (no
pandas); tables import pandas on first use.
"""

from __future__ import annotations

from .api import (
           balance,
           chapter,
           chart,
           chapters,
           coverage,
           deficit,
           exports,
           gl,
           imports,
           info,
           partner,
           partners,
           sectors,
           series,
           table,
           tdr,
)
from .config import VERSION as __version__
from .errors import XlTdrError

__all__ = ["tdr", "exports", "imports", "deficit", "balance", "coverage", "gl", "partner", "chapter", "chart",
           "table", "series", "sectors", "chapters", "partners", "info", "XlTdrError", "__version__"]
