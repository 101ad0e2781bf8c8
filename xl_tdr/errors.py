"""One error hierarchy for the whole package.

Every error a user can cause or meet is an ``XlTdrError``; its kind says whose it is — a bad
argument, a bad setting or template, data that are not there, a failing source or store — and
carries the fields a caller needs. The CLI prints ``error: <message>`` and exits 1; the Excel
functions show ``#N/A <message>`` in the cell. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib


def shown(value: object, limit: int = 24) -> str:
    """What the user (or a source) gave, shortened for a message: a 5,000-digit number stays readable."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 4] + "…"


def closest(query: str, choices: dict[str, str] | list[str], count: int = 3, cutoff: float = 0.7) -> list[str]:
    """The choices closest to ``query``: ``choices`` maps a normalised key to what to show (or
    lists what to show); at most ``count``, without repeats."""
    keys = choices if isinstance(choices, dict) else {choice: choice for choice in choices}
    close = difflib.get_close_matches(query, list(keys), n=count * 3, cutoff=cutoff) if query else []
    return list(dict.fromkeys(keys[key] for key in close))[:count]


def did_you_mean(suggestions: list[str]) -> str:
    """`` — did you mean A or B?`` (empty without suggestions): the one way every face says it."""
    return f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""


class XlTdrError(Exception):
    """Base class: ``str(error)`` is one plain sentence for the user."""


class ArgumentError(XlTdrError):
    """Something the user typed or passed cannot be understood (a year, period, top, sort, month…);
    ``suggestions`` lists what they may have meant."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class UnknownPartner(ArgumentError):
    """A partner name or code that matches nothing; carries the closest suggestions."""

    def __init__(self, query: object, suggestions: list[str]):
        self.query = query
        super().__init__(f'unknown partner "{shown(query, 40)}"{did_you_mean(suggestions)}', suggestions)


class UnknownSector(ArgumentError):
    """A sector (HS chapter) that matches nothing, or a heading where a chapter is needed."""


class PeriodError(ArgumentError):
    """A period or year that cannot be understood (``"Q5"``, ``"13"``, ``"abc"``)."""


class _Naming(XlTdrError):
    """An error that names what it is about in one attribute (``field``)."""

    field = "subject"

    def __init__(self, message: str, subject: str | None = None):
        setattr(self, self.field, subject)
        super().__init__(message)


class ConfigError(_Naming):
    """A setting (an environment variable, ``config.toml``) is wrong; ``setting`` names it."""

    field = "setting"


class TemplateError(_Naming):
    """A report template is wrong; ``source`` names the template."""

    field = "source"


class DataNotAvailable(XlTdrError):
    """The store has no (or only partial) data for the requested partner and period."""


class UndefinedMetric(XlTdrError):
    """A ratio whose denominator is zero (e.g. TDR with no U.S. exports)."""


class StoreError(XlTdrError):
    """The local data store cannot be opened, read or written."""


class OutputError(_Naming):
    """A file cannot be written where the user asked (the report, a chart); ``path`` names it."""

    field = "path"


class SnapshotError(XlTdrError):
    """Input files for the bundled snapshot are missing or malformed, or the bundled data cannot be read."""


class SourceError(XlTdrError):
    """A Census source failed; carries the URL (key redacted) and the HTTP status, if any."""

    def __init__(self, message: str, url: str | None = None, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(message)


class ApiKeyError(SourceError):
    """The Census API key is missing or was rejected."""


class SetupError(XlTdrError):
    """Something this machine lacks or has changed: an optional library (matplotlib), Excel, the
    installed xlwings' templates."""


class RefreshBusy(XlTdrError):
    """Another refresh holds the store's refresh lock."""
