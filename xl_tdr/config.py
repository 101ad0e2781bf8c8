"""Where things live and how xl_tdr is set up: the data home, the Census addresses, the HTTP
policy, the user's ``config.toml`` — read from the environment and that one file, in one place.

A bad setting is one :class:`ConfigError` sentence naming it.
"""

from __future__ import annotations

import os
import stat
import sys
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError

CENSUS_API_URL = "https://api.census.gov/data/timeseries/intltrade"
CENSUS_BULK_URL = "https://www.census.gov/foreign-trade/balance/country.xlsx"
DOCS_URL = "https://pypi.org/project/xl-tdr/"
BUNDLED_DIR = Path(__file__).resolve().parent / "_bundled"


@lru_cache(maxsize=1)
def version() -> str:
    """The installed package's version, from its metadata (pyproject.toml is its one source)."""
    try:
        from importlib.metadata import PackageNotFoundError, version as installed

        return installed("xl-tdr")
    except (ImportError, PackageNotFoundError):
        return "0+unknown"



def bundled_dir() -> Path:
    """The folder of the bundled figures (totals and trade by chapter): the package's own, or
    ``XL_TDR_BUNDLED_DIR`` (figures a maintainer rebuilt or a test cut short, tried before they
    replace the package's). The partner and chapter lists always come from the package."""
    explicit = os.environ.get("XL_TDR_BUNDLED_DIR", "").strip()
    return Path(explicit).expanduser() if explicit else BUNDLED_DIR


def home() -> Path:
    """The folder holding the local store: ``XL_TDR_HOME``, or the user's data folder (as
    platformdirs names it: ``%LOCALAPPDATA%\\xl_tdr``, ``~/Library/Application Support/xl_tdr``,
    ``$XDG_DATA_HOME/xl_tdr``)."""
    explicit = os.environ.get("XL_TDR_HOME")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "xl_tdr"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "xl_tdr"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "xl_tdr"


def store_path() -> Path:
    """The SQLite file of the local store."""
    return home() / "store.sqlite"


def memory_store() -> bool:
    """True where there is no data folder to keep a store in: Excel's Python in the browser
    (Pyodide, ``sys.platform == "emscripten"``), or ``XL_TDR_STORE=memory``."""
    return sys.platform == "emscripten" or os.environ.get("XL_TDR_STORE", "").strip().lower() == "memory"


def census_api_url() -> str:
    """Base URL of the Census International Trade API (``XL_TDR_CENSUS_API_URL``)."""
    return _url("XL_TDR_CENSUS_API_URL", CENSUS_API_URL).rstrip("/")


def census_bulk_url() -> str:
    """Full address of the Census bulk file ``country.xlsx`` (``XL_TDR_CENSUS_BULK_URL``)."""
    return _url("XL_TDR_CENSUS_BULK_URL", CENSUS_BULK_URL)


def _url(variable: str, default: str) -> str:
    value = os.environ.get(variable, default).strip()
    if not value.lower().startswith(("http://", "https://")) or len(value) < 10:
        raise ConfigError(f"{variable} must be an http:// or https:// address, not {value[:60]!r}", variable)
    return value


#: name → (environment variable, default, kind, smallest, largest)
HTTP_SETTINGS = {"timeout": ("XL_TDR_HTTP_TIMEOUT", "60", float, 0.1, 3600),
                 "retries": ("XL_TDR_HTTP_RETRIES", "3", int, 0, 10),
                 "backoff": ("XL_TDR_HTTP_BACKOFF", "1.0", float, 0, 600),
                 "deadline": ("XL_TDR_HTTP_DEADLINE", "600", float, 1, 86400),
                 "min_rate": ("XL_TDR_HTTP_MIN_RATE", "1024", float, 0, 1e9)}
REFRESH_DEADLINE = ("XL_TDR_REFRESH_DEADLINE", "3600", float, 1, 7 * 86400)


def _number(variable: str, default: str, kind: type, low: float, high: float) -> float:
    raw = os.environ.get(variable, default).strip()
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or value != value or not low <= value <= high:
        unit = "whole number" if kind is int else "number of bytes a second" if "RATE" in variable \
            else "number of seconds"
        raise ConfigError(f"{variable} must be a {unit} from {low:g} to {high:g}, not {raw[:30]!r}", variable)
    return value


def http_settings() -> dict:
    """Timeout per read (s), retries, backoff base (s), the deadline of one request (s) and the
    slowest transfer tolerated (bytes/s over a read timeout), from the environment."""
    return {name: _number(*setting) for name, setting in HTTP_SETTINGS.items()}


def refresh_deadline() -> float:
    """Seconds a whole refresh may take (``XL_TDR_REFRESH_DEADLINE``, default an hour)."""
    return _number(*REFRESH_DEADLINE)


def config_file() -> Path:
    """The user's settings file, ``config.toml`` in the data home."""
    return home() / "config.toml"


def settings() -> dict:
    """The user's ``config.toml`` as a table (``{}`` when there is none)."""
    path = config_file()
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as exc:  # a loop of links, a folder we may not enter…
        raise ConfigError(f"the settings file {path} cannot be read ({exc.strerror or exc})", str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"the settings file {path} is not a file (a folder or a pipe?); move it aside", str(path))
    return _parsed(str(path), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=4)
def _parsed(path: str, mtime: int, size: int) -> dict:
    import tomllib

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"the settings file {path} cannot be read ({exc.strerror or exc})", path) from None
    try:
        return tomllib.loads(_text(raw, path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the settings file {path} is not valid TOML ({exc})", path) from None
    except RecursionError:
        raise ConfigError(f"the settings file {path} nests tables too deeply to be a settings file", path) from None


def _text(raw: bytes, path: str) -> str:
    """The file's text: UTF-8, with or without the BOM Windows PowerShell 5.1 writes, or UTF-16
    (what PowerShell's ``>`` writes)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"the settings file {path} is not UTF-8 or UTF-16 text; save it as UTF-8", path) from None


def census_api_key(explicit: str | None = None) -> str | None:
    """The Census API key: the argument, ``CENSUS_API_KEY``, or ``census_api_key`` in config.toml."""
    if explicit:
        return explicit.strip()
    if os.environ.get("CENSUS_API_KEY", "").strip():
        return os.environ["CENSUS_API_KEY"].strip()
    value = settings().get("census_api_key")
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"census_api_key in {config_file()} must be text in quotes", "census_api_key")
    return value.strip() or None


def report_lang() -> str:
    """The user's report language: ``XL_TDR_LANG`` or ``lang`` in config.toml (default en)."""
    value = os.environ.get("XL_TDR_LANG") or settings().get("lang")
    return "es" if str(value or "").strip().lower() == "es" else "en"
