"""One error hierarchy for the whole package.

Every error a user can cause or meet (bad input, missing data, a failing source) is an
``XlTdrError``. The CLI prints ``error: <message>`` and exits 1; the Excel functions show
``#N/A <message>`` in the cell. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


def shown(value: object, limit: int = 24) -> str:
    """What the user (or a source) gave, shortened for a message: a 5,000-digit number stays readable."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 4] + "…"


class XlTdrError(Exception):
    """Base class: ``str(error)`` is one plain sentence for the user."""


class UnknownPartner(XlTdrError):
    """A partner name or code that matches nothing; carries the closest suggestions."""

    def __init__(self, query: object, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f'unknown partner "{shown(query, 40)}"{hint}')


class UnknownSector(XlTdrError):
    """A sector (HS chapter) that matches nothing, or a heading where a chapter is needed."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class PeriodError(XlTdrError):
    """A period or year that cannot be understood (``"Q5"``, ``"13"``, ``"abc"``)."""


class DataNotAvailable(XlTdrError):
    """The store has no (or only partial) data for the requested partner and period."""


class UndefinedMetric(XlTdrError):
    """A ratio whose denominator is zero (e.g. TDR with no U.S. exports)."""


class StoreError(XlTdrError):
    """The local data store cannot be opened, read or written."""


class SnapshotError(XlTdrError):
    """Input files for the bundled snapshot are missing or malformed."""


class SourceError(XlTdrError):
    """A Census source failed; carries the URL (key redacted) and the HTTP status, if any."""

    def __init__(self, message: str, url: str | None = None, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(message)


class ApiKeyError(SourceError):
    """The Census API key is missing or was rejected."""


class RefreshBusy(XlTdrError):
    """Another refresh holds the store's refresh lock."""
