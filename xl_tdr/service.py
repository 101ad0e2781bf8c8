"""The service: one store, its in-memory indexes, and a bounded memo of answers.

Each face owns a ``Service(store)``. What a face asks becomes a :class:`~xl_tdr.query.Query`
once; the memo keeps answers or error *messages* (a fresh exception is raised every time, so no
traceback grows), keyed by :func:`~xl_tdr.query.canonical` inputs. The index is rebuilt when
the store changes: a write in this process is seen at once, another process's within a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from . import metrics
from .data import store as store_module
from .data.index import Index
from .data.sector_index import SectorIndex
from .data.store import Store
from .errors import DataNotAvailable, StoreError, UndefinedMetric, XlTdrError
from .periods import expand, parse_period, parse_year
from .query import Query, Span, canonical
from .reference.chapters import chapters
from .reference.partner_facts import WORLD
from .reference.partners import registry

STAMP_CHECK_SECONDS = 1.0
MEMO_SIZE = 100_000  # answers kept (least recently used go first): a 250 × 13 table is 3,250
SPAN_SIZE = 4_096
ONE_FLOW = {metrics.exports: "X", metrics.imports: "M"}  # metrics that need one flow only


@dataclass(frozen=True)
class Failure:
    """A remembered error: its type, message and attributes — never the exception object, whose
    traceback would grow with every re-raise."""

    kind: type
    message: str
    attrs: tuple

    @classmethod
    def of(cls, error: XlTdrError, message: str | None = None) -> "Failure":
        return cls(type(error), str(error) if message is None else message, tuple(vars(error).items()))

    def exception(self) -> XlTdrError:
        """A new exception equal to the remembered one."""
        error = self.kind.__new__(self.kind)
        Exception.__init__(error, self.message)
        error.__dict__.update(self.attrs)
        return error


def prefixed(error: XlTdrError, label: str) -> XlTdrError:
    """The same error with ``label: `` before its message (naming the partner it is about)."""
    return Failure.of(error, f"{label}: {error}").exception()


class Service:
    """Answers questions about one store."""

    def __init__(self, store: Store | None = None, memo_size: int = MEMO_SIZE):
        self.store = store or Store()
        self._index: Index | None = None
        self._sectors: SectorIndex | None = None
        self._token: int | None = None
        self._checked = float("-inf")
        self._generation = -1
        self._answer = lru_cache(maxsize=memo_size)(self._compute)
        self._span = lru_cache(maxsize=SPAN_SIZE)(self._make_span)

    # -- freshness ---------------------------------------------------------------------------
    def _fresh(self) -> None:
        now = time.monotonic()
        if self._index is None or now - self._checked > STAMP_CHECK_SECONDS \
                or store_module.GENERATION != self._generation:  # (no index: the last load failed; try again)
            self._checked, self._generation = now, store_module.GENERATION
            if self._index is None or self.store.change_token() != self._token:
                self._reload()

    def _reload(self) -> None:
        self.store.ensure()
        self._token = self.store.change_token()
        self._index = Index(self.store.observations())
        self._sectors = None
        self._answer.cache_clear()
        self._span.cache_clear()

    @property
    def index(self) -> Index:
        """The index of totals, rebuilt if the store changed."""
        self._fresh()
        return self._index  # type: ignore[return-value]

    @property
    def sectors(self) -> SectorIndex:
        """The index of trade by HS chapter (the bundled sector data are added on first use)."""
        self._fresh()
        if self._sectors is None:
            self.store.ensure_sectors()
            self._fresh()  # (seeding changed the store)
            self._sectors = SectorIndex(self.store.sector_rows)
        return self._sectors

    # -- building a query --------------------------------------------------------------------
    def span(self, year: object, period: object = None) -> Span:
        """The months a year and period cover (remembered per index)."""
        self._fresh()
        try:
            return self._span(canonical(year), canonical(period))
        except TypeError:  # an uncacheable input
            return self._make_span(year, period)

    def _make_span(self, year: object, period: object) -> Span:
        number, parsed = parse_year(year), parse_period(period)
        months = expand(parsed, number, self._index.latest_through(number))  # type: ignore[union-attr]
        return Span(number, parsed, tuple(months))

    def query(self, partner: object, year: object, period: object = None, sector: object = None) -> Query:
        """The question a face's inputs ask; raises an XlTdrError naming what is wrong."""
        found = registry().resolve(partner)
        try:
            span = self.span(year, period)
            chapter = chapters().resolve(sector)
        except StoreError:
            raise  # the store's sentence is about the store, not about this partner
        except XlTdrError as exc:
            raise prefixed(exc, found.name) from None
        return Query(found.code, found.name, span, chapter and chapter.code, chapter and chapter.name)

    # -- answering ---------------------------------------------------------------------------
    def flows(self, query: Query) -> tuple[int, int]:
        """(exports, imports) in dollars for a query."""
        try:
            if query.sector:
                return self.sectors.flows(query.code, query.sector, query.span)
            return self.index.flows(query.code, query.span)
        except DataNotAvailable as exc:
            raise prefixed(exc, query.label) from None

    def flow(self, query: Query, flow: str) -> int:
        """One flow (``X`` or ``M``) in dollars for a query: monthly imports by chapter can be
        known where exports by chapter are annual only."""
        try:
            if query.sector:
                return self.sectors.total(query.code, query.sector, flow, query.span)
            return self.index.total(query.code, flow, query.span)
        except DataNotAvailable as exc:
            raise prefixed(exc, query.label) from None

    def by_chapter(self, query: Query) -> dict[str, tuple[int, int]]:
        """Chapter → (exports, imports) for the query's partner and span (its sector ignored)."""
        try:
            return self.sectors.by_chapter(query.code, query.span)
        except DataNotAvailable as exc:
            raise prefixed(exc, query.name) from None

    def pairs(self, query: Query) -> list[tuple[int, int]]:
        """Per-chapter (exports, imports): the query's chapter alone, or every chapter."""
        return [self.flows(query)] if query.sector else list(self.by_chapter(query).values())

    def value(self, metric: Callable, query: Query) -> float:
        """A metric of the query's flows (or, for a sector metric, of its per-chapter pairs)."""
        try:
            if metric in metrics.SECTOR_METRICS:
                return float(metric(self.pairs(query)))
            if metric in ONE_FLOW:
                return float(self.flow(query, ONE_FLOW[metric]))
            return float(metric(*self.flows(query)))
        except UndefinedMetric as exc:
            raise prefixed(exc, f"{query.label} {query.span.year}") from None

    def scalar(self, metric: Callable, partner: object, year: object, period: object = None,
               sector: object = None) -> float:
        """A metric for one question, memoised; raises a fresh XlTdrError for a bad one."""
        self._fresh()
        try:
            found = self._answer(metric, canonical(partner), canonical(year), canonical(period),
                                 canonical(sector))
        except TypeError:  # an uncacheable input (a range): compute without the memo
            found = self._compute(metric, partner, year, period, sector)
        if found.__class__ is Failure:
            raise found.exception()
        return found

    def _compute(self, metric: Callable, partner: object, year: object, period: object,
                 sector: object) -> float | Failure:
        try:
            return self.value(metric, self.query(partner, year, period, sector))
        except XlTdrError as exc:
            return Failure.of(exc)

    def world_total(self, span: Span) -> int:
        """U.S. total trade (exports + imports) with the world over a span."""
        return sum(self.index.flows(WORLD, span))

    def memo_info(self):
        """Hits, misses, size of the answer memo (``functools`` cache info)."""
        return self._answer.cache_info()

    def forget(self) -> None:
        """Drop remembered answers (benchmarks time the uncached path with it)."""
        self._answer.cache_clear()


class FaceService:
    """The service one face owns: made on first use over the default store; ``use`` points the
    face at another store (or, with none, re-reads the default one)."""

    def __init__(self) -> None:
        self.current: Service | None = None

    def get(self) -> Service:
        if self.current is None:
            self.current = Service()
        return self.current

    def use(self, store: Store | None = None) -> Service:
        self.current = Service(store)
        return self.current
