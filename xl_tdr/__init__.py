"""xl_tdr — the Trade Deficit Ratio for U.S. bilateral goods trade, in Excel and Python.

    >>> import xl_tdr
    >>> round(xl_tdr.tdr("Mexico", 2025), 2)
    0.58
    >>> round(xl_tdr.gl("Canada", 2024, sector="vehicles"), 2)
    0.94

TDR = (U.S. imports from a partner − U.S. exports to it) / U.S. exports to it; GL is the
Grubel–Lloyd index of two-way trade within HS chapters. Scalar functions need the standard
library only; tables are pandas DataFrames (pandas is imported on first use).
"""

from __future__ import annotations

from .api import (balance, chapter, chapters, chart, coverage, deficit, exports, gl, imports, info, partner, partners,
                  sectors, series, table, tdr)
from .errors import (ApiKeyError, ArgumentError, ConfigError, DataNotAvailable, OutputError, PeriodError, RefreshBusy,
                     SetupError, SourceError, StoreError, TemplateError, UndefinedMetric, UnknownPartner, UnknownSector,
                     XlTdrError)

__all__ = ["tdr", "exports", "imports", "deficit", "balance", "coverage", "gl", "partner", "chapter",
           "table", "series", "sectors", "chapters", "partners", "info", "chart", "__version__",
           "XlTdrError", "ArgumentError", "UnknownPartner", "UnknownSector", "PeriodError", "DataNotAvailable",
           "UndefinedMetric", "ConfigError", "TemplateError", "StoreError", "SourceError", "ApiKeyError", "OutputError",
           "SetupError", "RefreshBusy"]


def __getattr__(name: str) -> str:
    if name == "__version__":  # read from the package metadata on first use (off the import path)
        from .config import version

        return version()
    raise AttributeError(f"module 'xl_tdr' has no attribute {name!r}")
