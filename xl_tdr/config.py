"""Where things live: the data home and the Census base URLs, from the environment."""

from __future__ import annotations

import os
from pathlib import Path

VERSION = "0.1.0"
CENSUS_API_URL = "https://api.census.gov/data/timeseries/intltrade"
CENSUS_BULK_URL = "https://www.census.gov/foreign-trade/balance/country.xlsx"
DOCS_URL = "https://pypi.org/project/xl-tdr/"
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
    return _url("XL_TDR_CENSUS_API_URL", CENSUS_API_URL).rstrip("/")


def census_bulk_url() -> str:
    """Full address of the Census bulk file ``country.xlsx`` (``XL_TDR_CENSUS_BULK_URL``)."""
    return _url("XL_TDR_CENSUS_BULK_URL", CENSUS_BULK_URL)


def _url(variable: str, default: str) -> str:
    from .errors import XlTdrError

    value = os.environ.get(variable, default).strip()
    if not value.lower().startswith(("http://", "https://")) or len(value) < 10:
        raise XlTdrError(f"{variable} must be an http:// or https:// address, not {value[:60]!r}")
    return value


#: name → (environment variable, default, kind, smallest, largest)
HTTP_SETTINGS = {"timeout": ("XL_TDR_HTTP_TIMEOUT", "60", float, 0.1, 3600),
                 "retries": ("XL_TDR_HTTP_RETRIES", "3", int, 0, 10),
                 "backoff": ("XL_TDR_HTTP_BACKOFF", "1.0", float, 0, 600),
                 "deadline": ("XL_TDR_HTTP_DEADLINE", "600", float, 1, 86400)}


def http_settings() -> dict:
    """Timeout per read (s), retries, backoff base (s) and the overall deadline of one request
    (s), from the environment; a bad value is one plain sentence naming the variable."""
    from .errors import XlTdrError

    settings = {}
    for name, (variable, default, kind, low, high) in HTTP_SETTINGS.items():
        raw = os.environ.get(variable, default).strip()
        try:
            value = kind(raw)
        except ValueError:
            value = None
        if value is None or value != value or not low <= value <= high:
            unit = "whole number" if kind is int else "number of seconds"
            raise XlTdrError(f"{variable} must be a {unit} from {low:g} to {high:g}, not {raw[:30]!r}")
        settings[name] = value
    return settings


def config_file() -> Path:
    """The user's settings file, ``config.toml`` in the data home."""
    return home() / "config.toml"


def census_api_key(explicit: str | None = None) -> str | None:
    """The Census API key: the argument, ``CENSUS_API_KEY``, or ``census_api_key`` in config.toml."""
    if explicit:
        return explicit.strip()
    if os.environ.get("CENSUS_API_KEY", "").strip():
        return os.environ["CENSUS_API_KEY"].strip()
    path = config_file()
    if path.is_file():
        import tomllib

        from .errors import XlTdrError

        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("census_api_key")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise XlTdrError(f"the settings file {path} cannot be read: {exc}") from None
        return str(value).strip() or None if value else None
    return None


def report_lang() -> str:
    """The user's report language: ``XL_TDR_LANG`` or ``lang`` in config.toml (default en)."""
    value = os.environ.get("XL_TDR_LANG")
    path = config_file()
    if not value and path.is_file():
        import tomllib

        try:
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("lang")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            value = None
    return "es" if str(value or "").strip().lower() == "es" else "en"
