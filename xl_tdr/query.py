"""What a face asks, as one value: a partner, a span of months (or the annual total), a sector.

Pure: no I/O. Faces pass what users typed (text, Excel's floats, booleans, 1×1 ranges);
:func:`canonical` turns each input into the one hashable key every cache uses, and the service
builds a :class:`Query` once from it and passes that down.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .periods import Period, YearMonth


class _Uncacheable:
    """Stands for an input no cache may hold (a range, an unknown type): unhashable on purpose,
    so a cache lookup raises ``TypeError`` and the caller computes without caching."""

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "UNCACHEABLE"


UNCACHEABLE = _Uncacheable()


def canonical(value: object) -> object:
    """The cache key of an input as Excel or Python passes it.

    Equal meanings get one key (``2025.0`` and ``2025``; ``[[2025.0]]``, a one-cell range, and
    ``2025``); different meanings never share one: a boolean becomes ``"TRUE"``/``"FALSE"`` (as
    Excel shows it), never ``1``/``0`` (``TRUE == 1`` in Python would answer January); NaN becomes
    ``"nan"``. Anything else (a larger range, another type) is :data:`UNCACHEABLE`.
    """
    kind = value.__class__
    if kind is str or kind is int or value is None:
        return value
    if kind is float:
        if value.is_integer():  # type: ignore[union-attr]
            return int(value)  # type: ignore[arg-type]
        return "nan" if value != value else value
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if (kind is list or kind is tuple) and len(value) == 1:  # type: ignore[arg-type]
        inner = value[0]  # type: ignore[index]
        if inner.__class__ in (list, tuple):
            return canonical(inner[0]) if len(inner) == 1 else UNCACHEABLE
        return canonical(inner)
    return UNCACHEABLE


@dataclass(frozen=True)
class Span:
    """The months a request covers within (or, for R12, across) calendar years.

    ``annual`` is True when the span is January to December of one year: then an official
    annual total serves where the months are not known. It is decided here and nowhere else.
    """

    year: int
    period: Period
    months: tuple[YearMonth, ...]

    @cached_property
    def annual(self) -> bool:
        return len(self.months) == 12 and self.months[0] == (self.year, 1) and self.months[-1] == (self.year, 12)

    @cached_property
    def _by_year(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {}
        for year, month in self.months:
            found.setdefault(year, []).append(month)
        return found

    def by_year(self) -> dict[int, list[int]]:
        """Year → its months in this span (worked out once per span; not to be changed)."""
        return self._by_year


@dataclass(frozen=True)
class Query:
    """One question: a resolved partner code and name, a span, and an HS chapter (or None for
    all goods)."""

    code: str
    name: str
    span: Span
    sector: str | None = None
    sector_name: str | None = None

    @property
    def label(self) -> str:
        """How error messages name the question: ``Mexico`` or ``Mexico, HS 87``."""
        return f"{self.name}, HS {self.sector}" if self.sector else self.name
