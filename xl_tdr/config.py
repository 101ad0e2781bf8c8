"""Where things live: the data home and the Census base URLs, from the environment."""

from __future__ import annotations

import os
from pathlib import Path

CENSUS_API_URL = "https://api.census.gov/data/timeseries/intltrade"
CENSUS_BULK_URL = "https://www.census.gov/foreign-trade/balance/country.xlsx"
BUNDLED_DIR = Path(__file__).resolve().parent / "_bundled"


def home() -> Path:
    """The folder holding the local store: ``XL_TDR_HOME`` or the user data dir."""
    explicit = os.environ.get("XL_TDR_HOME")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("xl_tdr", appauthor=False))


def store_path() -> Path:
    """The SQLite file of the local store."""
    return home() / "store.sqlite"


def census_api_url() -> str:
    """Base URL of the Census International Trade API (``XL_TDR_CENSUS_API_URL``)."""
    return os.environ.get("XL_TDR_CENSUS_API_URL", CENSUS_API_URL).rstrip("/")


def census_bulk_url() -> str:
    """Full address of the Census bulk file ``country.xlsx`` (``XL_TDR_CENSUS_BULK_URL``)."""
    return os.environ.get("XL_TDR_CENSUS_BULK_URL", CENSUS_BULK_URL)
