"""The Python API: partner + year (+ period) → numbers and tables, over the local store.

``import xl_tdr; xl_tdr.tdr("Mexico", 2025)``. Scalar functions answer from an in-memory index
and a memo of earlier answers, so warm calls cost well under a microsecond of lookup; the index
is rebuilt when the store's stamp changes (checked at most once a second).
"""

from __future__ import annotations

import time
from typing import Callable

from . import metrics
from .errors import UnknownPartner, XlTdrError
from .index import Index
from .registry import Partner, registry
from .partner_facts import WORLD
from .periods import Period, YearMonth, expand, parse_period, parse_year
from .store import Store

STAMP_CHECK_SECONDS = 1.0
MEMO_LIMIT = 200_000


class Service:
    """One store, its index, and the memo of scalar answers."""

    def __init__(self, store: Store | None = None):
        self.store = store or Store()
        self._index: Index | None = None
        self._token = None
        self._checked = 0.0
        self.memo: dict[tuple, float | XlTdrError] = {}
        self._spans: dict[tuple, tuple] = {}

    @property
    def index(self) -> Index:
        """The current index, rebuilt if the store changed since it was built."""
        now = time.monotonic()
        if self._index is None or now - self._checked > STAMP_CHECK_SECONDS:
            self._checked = now
            self._reload_if_changed()
        return self._index

    def invalidate(self) -> None:
        """Re-read the store on the next call (after this process changed it)."""
        self._checked = float("-inf")

    def _reload_if_changed(self) -> None:
        token = self.store.change_token()
        if self._index is None or token != self._token:
            self.store.ensure()
            self._token = self.store.change_token()
            self._index = Index(self.store.observations())
            self.memo.clear()
            self._spans.clear()

    def months(self, year: object, period: object = None) -> tuple[int, Period, list[YearMonth]]:
        """The year, parsed period and months a request covers (remembered per index)."""
        index = self.index
        cacheable = bool not in (year.__class__, period.__class__)  # True == 1 would hit January
        try:
            if cacheable:
                return self._spans[(year, period)]
        except (KeyError, TypeError):
            pass
        number, parsed = parse_year(year), parse_period(period)
        span = number, parsed, expand(parsed, number, index.latest_through(number))
        if cacheable and len(self._spans) < 10_000:
            try:
                self._spans[(year, period)] = span
            except TypeError:
                pass
        return span

    def flows_for(self, code: str, year: int, period: Period, months: list[YearMonth]) -> tuple[int, int]:
        """(exports, imports) for a resolved code over expanded months."""
        index = self.index
        if period.kind == "year" and (code, year) in index.full_year:
            return index.full_year[(code, year)]
        return index.total(code, "X", months), index.total(code, "M", months)

    def scalar(self, metric: Callable[[float, float], float], partner: object, year: object,
               period: object = None) -> float:
        """A metric of (exports, imports), memoised per (metric, partner, year, period)."""
        if time.monotonic() - self._checked > STAMP_CHECK_SECONDS:
            self.index  # noqa: B018 — when the store changed, this rebuilds it and clears the memo
        key = (metric, partner, year, period)
        cacheable = bool not in (partner.__class__, year.__class__, period.__class__)  # TRUE == 1: not January
        try:
            found = self.memo.get(key) if cacheable else None
        except TypeError:  # unhashable input (e.g. a list)
            found, cacheable = None, False
        if found is None:
            found = self._compute(metric, partner, year, period)
            if cacheable:
                if len(self.memo) >= MEMO_LIMIT:
                    self.memo.clear()
                self.memo[key] = found
        if isinstance(found, XlTdrError):
            raise found
        return found

    def _compute(self, metric, partner, year, period) -> float | XlTdrError:
        try:
            found = registry().resolve(partner)
            x, m = self.flows_for(found.code, *self.months(year, period))
        except XlTdrError as exc:
            return exc if isinstance(exc, UnknownPartner) else type(exc)(f"{found.name}: {exc}")
        try:
            return float(metric(x, m))
        except XlTdrError as exc:
            return type(exc)(f"{found.name} {year}: {exc}")

    def world_total(self, year: int, period: Period, months: list[YearMonth]) -> int:
        """U.S. total trade (exports + imports) with the world."""
        return sum(self.flows_for(WORLD, year, period, months))


_service: Service | None = None


def service() -> Service:
    """The process-wide service over the default store."""
    global _service
    if _service is None:
        _service = Service()
    return _service


def reset(store: Store | None = None) -> Service:
    """Point the API at another store (or re-read the default one)."""
    global _service
    _service = Service(store)
    return _service


def exports_of(x: float, m: float) -> float:
    """The exports of an (exports, imports) pair — a metric, for the scalar memo."""
    return x


def imports_of(x: float, m: float) -> float:
    """The imports of an (exports, imports) pair."""
    return m


def tdr(partner: object, year: object, period: object = None) -> float:
    """Trade Deficit Ratio, (imports − exports) / exports, e.g. ``tdr("Mexico", 2025)``."""
    return service().scalar(metrics.tdr, partner, year, period)


def exports(partner: object, year: object, period: object = None) -> float:
    """U.S. total exports (F.A.S.) to a partner, in dollars."""
    return service().scalar(exports_of, partner, year, period)


def imports(partner: object, year: object, period: object = None) -> float:
    """U.S. general imports (customs value) from a partner, in dollars."""
    return service().scalar(imports_of, partner, year, period)


def deficit(partner: object, year: object, period: object = None) -> float:
    """U.S. trade deficit with a partner, imports − exports, in dollars."""
    return service().scalar(metrics.deficit, partner, year, period)


def balance(partner: object, year: object, period: object = None) -> float:
    """U.S. trade balance with a partner, exports − imports (Census's sign), in dollars."""
    return service().scalar(metrics.balance, partner, year, period)


def coverage(partner: object, year: object, period: object = None) -> float:
    """Export coverage, exports / imports."""
    return service().scalar(metrics.coverage, partner, year, period)


def partner(query: object) -> Partner:
    """The partner a name, code or alias refers to."""
    return registry().resolve(query)
