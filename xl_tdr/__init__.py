"""xl_tdr — the Trade Deficit Ratio for U.S. bilateral goods trade, in Excel and Python.

    >>> import xl_tdr
    >>> round(xl_tdr.tdr("Mexico", 2025), 2)
    0.58

TDR = (U.S. imports from a partner − U.S. exports to it) / U.S. exports to it. Scalar functions
stay light (no pandas); tables are imported on first use.
"""

from __future__ import annotations

from .api import balance, coverage, deficit, exports, imports, partner, tdr
from .config import VERSION as __version__
from .errors import XlTdrError

__all__ = ["tdr", "exports", "imports", "deficit", "balance", "coverage", "partner",
           "table", "series", "partners", "info", "XlTdrError", "__version__"]

_LAZY = {"table": "tables", "series": "tables", "partners": "tables", "info": "tables"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'xl_tdr' has no attribute {name!r}")
