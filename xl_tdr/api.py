"""The Python API: partner + year (+ period, + sector) → numbers and tables, over the local store.

``import xl_tdr; xl_tdr.tdr("Mexico", 2025)``; ``xl_tdr.tdr("Mexico", 2024, sector=87)``.
The API owns one :class:`~xl_tdr.service.Service` over the default store (``use()`` points it
elsewhere). Scalar functions answer from memory in about a microsecond; tables (pandas) are
imported on first use.
"""

from __future__ import annotations

from . import metrics
from .reference.chapters import Chapter
from .reference.chapters import chapters as chapter_registry
from .reference.partners import Partner, registry
from .service import FaceService
from .tables import TOP_CHAPTERS, TOP_PARTNERS

_face = FaceService()
service = _face.get  # the service behind the Python API
use = _face.use  # point the Python API at another store: use(Store(path)); use() re-reads the default


def tdr(partner: object, year: object, period: object = None, sector: object = None) -> float:
    """Trade Deficit Ratio, (imports − exports) / exports, e.g. ``tdr("Mexico", 2025)``;
    ``sector`` is an HS chapter (``87``, ``"vehicles"``) or None for all goods."""
    return service().scalar(metrics.tdr, partner, year, period, sector)


def exports(partner: object, year: object, period: object = None, sector: object = None) -> float:
    """U.S. total exports (F.A.S.) to a partner, in dollars."""
    return service().scalar(metrics.exports, partner, year, period, sector)


def imports(partner: object, year: object, period: object = None, sector: object = None) -> float:
    """U.S. general imports (customs value) from a partner, in dollars."""
    return service().scalar(metrics.imports, partner, year, period, sector)


def deficit(partner: object, year: object, period: object = None, sector: object = None) -> float:
    """U.S. trade deficit with a partner, imports − exports, in dollars."""
    return service().scalar(metrics.deficit, partner, year, period, sector)


def balance(partner: object, year: object, period: object = None, sector: object = None) -> float:
    """U.S. trade balance with a partner, exports − imports (Census's sign), in dollars."""
    return service().scalar(metrics.balance, partner, year, period, sector)


def coverage(partner: object, year: object, period: object = None, sector: object = None) -> float:
    """Export coverage, exports / imports."""
    return service().scalar(metrics.coverage, partner, year, period, sector)


def gl(partner: object, year: object, period: object = None, sector: object = None,
       adjusted: bool = False, bloc: bool = False) -> float:
    """Grubel–Lloyd intra-industry trade index: of one HS chapter, or (no ``sector``) over all
    chapters, trade-weighted; ``adjusted`` corrects it for the partner's overall imbalance.
    Near 1: two-way trade within the same industries (co-production); near 0: one-way trade.
    For a group or the World it pools the member countries' own flows (the aggregate index of the
    literature); ``bloc`` takes the group's flows netted across its members instead."""
    return service().scalar(metrics.gl_metric(adjusted, bloc), partner, year, period, sector)


def partner(query: object) -> Partner:
    """The partner a name, code or alias refers to."""
    return registry().resolve(query)


def chapter(query: object) -> Chapter | None:
    """The HS chapter a code or name refers to (``87``, ``"HS87"``, ``"vehicles"``)."""
    return chapter_registry().resolve(query)


def table(year: object, top: int | None = TOP_PARTNERS, period: object = None, partners: list | None = None,
          sort: str | None = None, band: str | None = None, lang: str = "en"):
    """DataFrame of the ``top`` countries by total trade (or the given ``partners``): rank (place
    among all countries), code, partner, partner_es, exports, imports, deficit, tdr, coverage,
    share, band; ``sort`` by a column, only one ``band`` (e.g. "surplus"); ``lang="es"`` gives
    Spanish names, readings and headings."""
    from . import tables

    return _frame(tables.localized(tables.table(service(), year, top, period, partners, sort, band), lang))


def series(partner: object, start: object, end: object, period: object = None, sector: object = None,
           lang: str = "en"):
    """DataFrame of a partner's exports, imports, deficit and TDR, year by year, with the partner's
    name and code on every row (series of several partners stack); a year that cannot give the
    period is kept, empty, with a note saying why."""
    from . import tables

    return _frame(tables.localized(tables.series(service(), partner, start, end, period, sector), lang))


def sectors(partner: object, year: object, top: int | None = TOP_CHAPTERS, period: object = None, lang: str = "en"):
    """DataFrame of a partner's HS chapters ranked by total trade: chapter, name, name_es,
    exports, imports, deficit, tdr, gl, share (of the partner's trade); ``top=None`` for all."""
    from . import tables

    return _frame(tables.localized(tables.sectors(service(), partner, year, top, period), lang))


def chapters(query: str | None = None):
    """DataFrame of the HS chapters (or those matching ``query``): chapter, name, name_es,
    description, aliases."""
    from . import tables

    return _frame(tables.chapters(query))


def partners(query: str | None = None):
    """DataFrame of the partner registry (or the partners matching ``query``)."""
    from . import tables

    return _frame(tables.partners(query))


def info() -> dict:
    """Store location, sources and vintages, years, latest month, sector years."""
    from . import tables

    return tables.info(service())


def chart(kind: str = "exhibit", **options):
    """A chart image as a matplotlib Figure (needs ``xl-tdr[charts]``): ``kind`` is ``"exhibit"``
    (deficit and exports with the TDR; the default), ``"trend"`` (TDR by year), ``"gl"``
    (Grubel–Lloyd by partner) or ``"sector"`` (a partner's HS chapters). Options: ``partners``,
    ``top``, ``year``, ``period``, ``start``/``end`` (trend), ``sector`` (marked on a sector
    chart), ``lang="es"``, ``guide`` (the TDR's reading bands), ``size`` (``"web"``, ``"social"``,
    ``"print"``), ``width``/``height``, and ``out="chart.png"`` (or .svg, .pdf) with ``scale``
    to write it, e.g. ``chart(top=7, lang="es", out="grafica.png")``."""
    from .images import chart as draw

    return draw(kind, **{"service": service(), **options})


def _frame(found):
    """A table as a pandas DataFrame: whole numbers that may be missing (a group's rank, a year
    that cannot give the period) as nullable integers, the table's facts in ``attrs``."""
    import pandas as pd

    frame = pd.DataFrame(found.rows, columns=found.columns)
    for column in frame.columns:
        values = found.column(column)
        whole = [v for v in values if v is not None]
        if whole and all(type(v) is int for v in whole) and (len(whole) < len(values) or column == "rank"):
            frame[column] = frame[column].astype("Int64")
    frame.attrs.update(found.attrs)
    return frame
