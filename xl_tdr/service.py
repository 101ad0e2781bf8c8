"""The service: the one road from the data to every face.

Each face owns a ``Service(store)``; it alone holds the store and the view of the data (the
bundled snapshot with the store's months over it, :mod:`xl_tdr.data.view`). What a face asks
becomes a :class:`~xl_tdr.query.Query` once; the memo keeps answers or error *messages* (a fresh
exception is raised every time, so no traceback grows), keyed by :func:`~xl_tdr.query.canonical`
inputs. The view is read again when the store changes: a write in this process is seen at once,
another process's within a second; an answer never mixes two versions of the store.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from . import metrics
from .data import store as store_module
from .data.bundle import Bundle, bundle
from .data.sector_index import by_chapter as chapters_of
from .data.store import Store
from .data.view import Stale, View, missing
from .errors import ConfigError, DataNotAvailable, StoreError, UndefinedMetric, XlTdrError
from .periods import expand, parse_period, parse_year
from .query import Query, Span, canonical
from .reference.chapters import chapters
from .reference.partner_facts import WORLD
from .reference.partners import registry

STAMP_CHECK_SECONDS = 1.0
MEMO_SIZE = 100_000  # answers kept (least recently used go first): a 250 × 13 table is 3,250
SPAN_SIZE = 4_096
ONE_FLOW = {metrics.exports: "X", metrics.imports: "M"}  # metrics that need one flow only
RETRIES = 3  # reads of a new view when the store changes in the middle of an answer
SIMPLE_YEARS = (int, float)  # a year as Python or Excel passes it (2025.0 means 2025; NaN is never found)
SIMPLE_SECTORS = (type(None), str, int, float)  # (Excel passes 87.0; never a bool: True == 1 would find chapter 01)


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


def pooled_members(code: str) -> list[str]:
    """The member countries whose own flows a pooled index of ``code`` adds up: none for a
    country, or for a group whose members are not listed (OPEC, OECD, NATO: their own flows)."""
    return registry().members(code)


class Service:
    """Answers questions about one store (and the bundled data under it)."""

    def __init__(self, store: Store | None = None, memo_size: int = MEMO_SIZE, data: Bundle | None = None):
        self._store = store or Store()
        self._bundle = data or bundle()
        self._view: View | None = None
        self._token: int | None = None
        self._checked = float("-inf")
        self._generation = -1
        self._pinned = 0
        self._answer = lru_cache(maxsize=memo_size)(self._compute)
        self._simple: dict[tuple, float | Failure] = {}  # (metric, partner, year, sector) → answer: the common question
        self._memo_size = memo_size
        self._span = lru_cache(maxsize=SPAN_SIZE)(self._make_span)

    # -- the view ----------------------------------------------------------------------------
    def _fresh(self) -> View:
        now = time.monotonic()
        if self._view is None or (not self._pinned and (now - self._checked > STAMP_CHECK_SECONDS
                                                        or store_module.GENERATION != self._generation)):
            self._checked, self._generation = now, store_module.GENERATION
            if self._view is None or self._store.change_token() != self._token:
                self._reload()
        return self._view  # type: ignore[return-value]

    def _reload(self) -> None:
        had = self._view is not None and self._view.exists
        self._token = self._store.change_token()
        view = View(self._store, self._bundle)
        if had and not view.exists:
            raise missing(self._store)
        self._view = view
        self.forget()
        self._span.cache_clear()

    def _retry(self, read: Callable[[View], object]) -> object:
        """``read(view)``, again over a new view when the store changed in the middle."""
        for attempt in range(RETRIES):
            view = self._fresh()
            try:
                return read(view)
            except Stale:
                if self._pinned:
                    raise  # within consistent(): the whole block is read again (retrying)
                if attempt == RETRIES - 1:
                    raise StoreError("the data store kept changing while it was read; try again") from None
                self._reload()
        raise AssertionError("unreachable")

    @contextmanager
    def consistent(self) -> Iterator["Service"]:
        """Within the block, every answer comes from one version of the store (a report reads
        many): the view is not read again. Raises Stale (from a read) when the store changed —
        :meth:`retrying` runs a whole block again then."""
        self._fresh()
        self._pinned += 1
        try:
            yield self
        finally:
            self._pinned -= 1

    def retrying(self, work: Callable[["Service"], object]) -> object:
        """``work(self)`` within :meth:`consistent`, again when the store changed meanwhile."""
        for attempt in range(RETRIES):
            try:
                with self.consistent():
                    return work(self)
            except Stale:
                if attempt == RETRIES - 1:
                    raise StoreError("the data store kept changing while it was read; try again") from None
                self._reload()
        raise AssertionError("unreachable")

    # -- building a query --------------------------------------------------------------------
    def span(self, year: object, period: object = None) -> Span:
        """The months a year and period cover (remembered per view)."""
        self._fresh()
        try:
            return self._span(canonical(year), canonical(period))
        except TypeError:  # an uncacheable input
            return self._make_span(year, period)

    def _make_span(self, year: object, period: object) -> Span:
        number, parsed = parse_year(year), parse_period(period)
        months = expand(parsed, number, self._view.totals.publication.latest_through(number))  # type: ignore[union-attr]
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
        return self._retry(lambda view: self._flows(view, query))  # type: ignore[return-value]

    def _flows(self, view: View, query: Query) -> tuple[int, int]:
        try:
            if query.sector:
                return view.sectors.flows(query.code, query.sector, query.span)
            return view.totals.flows(query.code, query.span)
        except DataNotAvailable as exc:
            raise prefixed(exc, query.label) from None

    def flow(self, query: Query, flow: str) -> int:
        """One flow (``X`` or ``M``) in dollars for a query: monthly imports by chapter can be
        known where exports by chapter are annual only."""
        def read(view: View) -> int:
            try:
                if query.sector:
                    return view.sectors.total(query.code, query.sector, flow, query.span)
                return view.totals.total(query.code, flow, query.span)
            except DataNotAvailable as exc:
                raise prefixed(exc, query.label) from None

        return self._retry(read)  # type: ignore[return-value]

    def by_chapter(self, query: Query) -> dict[str, tuple[int, int]]:
        """Chapter → (exports, imports) for the query's partner and span (its sector ignored)."""
        return self._retry(lambda view: self._by_chapter(view, query))  # type: ignore[return-value]

    @staticmethod
    def _by_chapter(view: View, query: Query) -> dict[str, tuple[int, int]]:
        try:
            return view.sectors.by_chapter(query.code, query.span)
        except DataNotAvailable as exc:
            raise prefixed(exc, query.name) from None

    def pairs(self, query: Query, pooled: bool = True) -> list[tuple[int, int]]:
        """Per-chapter (exports, imports): the query's chapter alone, or every chapter. For a group
        or the World, ``pooled`` gives each member country's own pairs (the aggregate index of the
        literature: flows are not netted across members); else — or for a group without listed
        members — the group's own flows (the bloc). Read from one version of the store."""
        def of(view: View, one: Query) -> list[tuple[int, int]]:
            return [self._flows(view, one)] if one.sector else list(self._by_chapter(view, one).values())

        def read(view: View) -> list[tuple[int, int]]:
            own = of(view, query)  # (the group's data exist, else: why not)
            members = pooled_members(query.code) if pooled else []
            if not members:
                return own
            return [pair for code in members
                    for pair in of(view, Query(code, query.name, query.span, query.sector, query.sector_name))]

        return self._retry(read)  # type: ignore[return-value]

    def value(self, metric: Callable, query: Query) -> float:
        """A metric of the query's flows (or, for a sector metric, of its per-chapter pairs)."""
        try:
            if metric in metrics.SECTOR_METRICS:
                return float(metric(self.pairs(query, pooled=metric not in metrics.BLOC_METRICS)))
            if metric in ONE_FLOW:
                return float(self.flow(query, ONE_FLOW[metric]))
            return float(metric(*self.flows(query)))
        except UndefinedMetric as exc:
            raise prefixed(exc, f"{query.label} {query.span.year}") from None

    def scalar(self, metric: Callable, partner: object, year: object, period: object = None,
               sector: object = None) -> float:
        """A metric for one question, memoised; raises a fresh XlTdrError for a bad one."""
        if self._view is None or store_module.GENERATION != self._generation \
                or time.monotonic() - self._checked > STAMP_CHECK_SECONDS:
            self._fresh()
        if period is None and partner.__class__ is str and year.__class__ in SIMPLE_YEARS \
                and sector.__class__ in SIMPLE_SECTORS:  # (a text partner, a year, perhaps a chapter)
            found = self._simple.get((metric, partner, year, sector))
            if found is None:
                found = self._simple[(metric, partner, year, sector)] = self._answered(metric, partner, year, None,
                                                                                       sector)
                if len(self._simple) > self._memo_size:
                    self._simple.clear()
        else:
            found = self._answered(metric, partner, year, period, sector)
        if found.__class__ is Failure:
            raise found.exception()
        return found

    def _answered(self, metric: Callable, partner: object, year: object, period: object,
                  sector: object) -> float | Failure:
        try:
            return self._answer(metric, canonical(partner), canonical(year), canonical(period), canonical(sector))
        except TypeError:  # an uncacheable input (a range): compute without the memo
            return self._compute(metric, partner, year, period, sector)

    def _compute(self, metric: Callable, partner: object, year: object, period: object,
                 sector: object) -> float | Failure:
        try:
            return self.value(metric, self.query(partner, year, period, sector))
        except XlTdrError as exc:
            return Failure.of(exc)

    def memo_info(self):
        """Hits, misses, size of the answer memo (``functools`` cache info)."""
        return self._answer.cache_info()

    def forget(self) -> None:
        """Drop remembered answers (benchmarks time the uncached path with it)."""
        self._answer.cache_clear()
        self._simple.clear()

    @staticmethod
    def band_limits() -> tuple[float, ...]:
        """The thresholds between the TDR reading bands, for every face: ``band_limits`` in
        config.toml (three increasing numbers), else the defaults."""
        from .config import config_file, settings

        value = settings().get("band_limits")
        if value is None:
            return metrics.BAND_LIMITS
        numbers = [v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)] \
            if isinstance(value, list) else []
        if len(numbers) != len(metrics.BAND_LIMITS) or len(value) != len(numbers) or numbers != sorted(set(numbers)):
            raise ConfigError(f"band_limits in {config_file()} must be {len(metrics.BAND_LIMITS)} increasing "
                              f"numbers, e.g. [0.0, 0.25, 1.0], not {str(value)[:40]}", "band_limits")
        return tuple(float(v) for v in numbers)

    # -- what the data cover -----------------------------------------------------------------
    def country_flows(self, span: Span) -> dict[str, tuple[int, int]]:
        """(exports, imports) over ``span`` of every country with data for it."""
        totals = self._fresh().totals
        found = {}
        for partner in registry().by_code.values():
            if partner.kind == "country":
                try:
                    found[partner.code] = totals.flows(partner.code, span)
                except DataNotAvailable:
                    continue
        return found

    def world_total(self, span: Span) -> int:
        """U.S. total trade (exports + imports) with the world over a span."""
        return sum(self.flows(Query(WORLD, "World", span)))

    def coverage(self) -> dict:
        """Years with totals, the latest month covered, the latest monthly figures, sector years."""
        view = self._fresh()
        published = view.totals.publication
        return {"years": published.years, "latest": published.latest, "latest_monthly": published.latest_monthly(),
                "sector_years": self._retry(lambda v: v.sectors.years)}

    def latest_full_year(self) -> int:
        """The last year whose 12 months (or annual total) are published for both flows."""
        published = self._fresh().totals.publication
        full = [year for year in published.years if len(published.both(year)) == 12]
        if not full:
            raise DataNotAvailable("the store holds no complete year")
        return full[-1]

    def monthly_months(self, year: int) -> list[int]:
        """The months of ``year`` with monthly figures for both flows."""
        return sorted(self._fresh().totals.publication.both(year, monthly_only=True))

    def annual_rows(self, first: int, last: int) -> list[tuple[str, int, int, int]]:
        """(code, year, exports, imports) of every partner and full year from ``first`` to ``last``."""
        return self._fresh().totals.full_years(first, last)

    def monthly_rows(self, codes: list[str] | None, first: int, last: int) -> list[tuple[str, int, int, int, int]]:
        """(code, year, month, exports, imports) of ``codes`` (every partner with None) in the months
        with monthly figures for both flows; a group without a month's figures is left out."""
        totals = self._fresh().totals
        wanted = sorted(set(codes) if codes is not None else {code for code, _, _ in totals.monthly})
        rows = []
        for year in range(first, last + 1):
            for month in self.monthly_months(year):
                span = Span(year, parse_period(month), ((year, month),))
                for code in wanted:
                    try:
                        rows.append((code, year, month, *totals.flows(code, span)))
                    except DataNotAvailable:
                        continue
        return rows

    def sector_year(self, year: int) -> dict[str, dict[str, tuple[int, int, int]]]:
        """Code → chapter → (exports, imports, gap) for the full ``year`` of every partner with
        trade by chapter (a group without a flow is left out). The gap is |X − M| of a country, and
        for a group or the World the sum of its member countries' gaps (the pooled index)."""
        def read(view: View) -> dict:
            span = Span(year, parse_period(None), tuple((year, m) for m in range(1, 13)))
            found = {}
            for code, sectors in view.sector_year(year).items():
                try:
                    found[code] = chapters_of(view.sectors.publication, sectors, code, span)
                except DataNotAvailable:
                    continue
            return {code: {chapter: (x, m, self._gap(found, code, chapter)) for chapter, (x, m) in flows.items()}
                    for code, flows in found.items()}

        return self._retry(read)  # type: ignore[return-value]

    @staticmethod
    def _gap(found: dict, code: str, chapter: str) -> int:
        members = pooled_members(code)
        if not members:
            x, m = found[code][chapter]
            return abs(x - m)
        return sum(abs(x - m) for member in members for x, m in [found.get(member, {}).get(chapter, (0, 0))])

    def vintages(self) -> list[dict]:
        """Every vintage with the years it supplies; bundled ones have negative ids."""
        return self._retry(lambda view: view.vintages)  # type: ignore[return-value]

    def facts(self) -> dict:
        """Where the data are and how recent: the store, the refreshes, coverage and vintages."""
        view = self._fresh()
        refreshes = {source: f"{facts.get('time')}" + (f" (vintage {facts['vintage']})" if facts.get("vintage") else "")
                     for source, facts in view.refreshes.items() if facts}
        return {"store": str(self._store.path), "store_exists": view.exists, "refreshes": refreshes,
                **self.coverage(), "vintages": self.vintages()}

    def revisions(self, query: Query) -> list[dict]:
        """What changed between vintages for the query's partner and year (and chapter)."""
        def read(view: View) -> list[dict]:
            sources = {v["id"]: v for v in view.vintages}
            rows = view.history(query.code, query.span.year, bool(query.sector))
            return [{**row, "current": self._current(view, query, row), "old_source": sources.get(row["old_vintage"], {}),
                     "new_source": sources.get(row["replaced_by"], {})}
                    for row in rows if not query.sector or row["chapter"] == query.sector]

        return self._retry(read)  # type: ignore[return-value]

    @staticmethod
    def _current(view: View, query: Query, row: dict) -> int | None:
        """The value a history row's month has now."""
        year, month, flow = query.span.year, row["month"], row["flow"]
        if query.sector:
            sectors = view.sectors.partner(query.code)
            return (sectors.monthly.get((query.sector, flow, year)) or [None] * 12)[month - 1] if month \
                else sectors.annual.get((query.sector, flow, year))
        if month:
            return (view.totals.monthly.get((query.code, flow, year)) or [None] * 12)[month - 1]
        return view.totals.annual.get((query.code, flow, year))

    # -- changing the data -------------------------------------------------------------------
    def refresh(self, **options) -> object:
        """Refresh this service's store from the Census (see :func:`xl_tdr.refresh.refresh`)."""
        from .refresh import refresh

        try:
            return refresh(store=self._store, data=self._bundle, **options)
        finally:
            self._view = None  # read the new data on the next question


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
