"""Where a chart's numbers come from: the tables and scalars of a :class:`~xl_tdr.service.Service`
(the Python API's, the command line's or a new one over the default store). Never the store."""

from __future__ import annotations

from .. import metrics, tables
from ..errors import DataNotAvailable


class Numbers:
    """The questions a chart asks, answered by ``service`` (by default one over the default store)."""

    def __init__(self, service=None):
        if service is None:
            from ..service import Service

            service = Service()
        self.service = service
        self._info: dict | None = None

    def table(self, year: object, top: int | None = tables.TOP_PARTNERS, period: object = None,
              partners: list | None = None) -> tables.Table:
        """The partners' table (as ``xl_tdr.table``)."""
        return tables.table(self.service, year, top, period, partners)

    def series(self, partner: object, start: object, end: object, period: object = None) -> tables.Table:
        """A partner's years (as ``xl_tdr.series``)."""
        return tables.series(self.service, partner, start, end, period)

    def sectors(self, partner: object, year: object, top: int | None = tables.TOP_CHAPTERS,
                period: object = None) -> tables.Table:
        """A partner's HS chapters (as ``xl_tdr.sectors``)."""
        return tables.sectors(self.service, partner, year, top, period)

    def gl(self, partner: object, year: object, period: object = None) -> float:
        """The all-chapter Grubel–Lloyd index (as ``xl_tdr.gl``)."""
        return self.service.scalar(metrics.grubel_lloyd, partner, year, period)

    def info(self) -> dict:
        """Sources, vintages, years (as ``xl_tdr.info``), asked once per chart."""
        if self._info is None:
            self._info = tables.info(self.service)
        return self._info

    def latest_year(self) -> int:
        """The latest complete year (as the report takes it)."""
        return self.service.latest_full_year()

    def first_year(self) -> int:
        """The first year of data."""
        return _last_or_first(self.service.coverage()["years"], 0, "the store holds no data")

    def latest_sector_year(self) -> int:
        """The latest year with trade by HS chapter."""
        return _last_or_first(self.service.coverage()["sector_years"], -1, "the store holds no trade by HS chapter")


def _last_or_first(years: list[int], at: int, missing: str) -> int:
    if not years:
        raise DataNotAvailable(missing)
    return years[at]
