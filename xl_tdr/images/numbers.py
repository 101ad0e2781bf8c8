"""Where a chart's numbers come from: the tables and scalars of a :class:`~xl_tdr.service.Service`
(the Python API's, the command line's or a new one over the default store). Never the store."""

from __future__ import annotations

import re

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

    def table(self, year: object, top: int | None = 5, period: object = None, partners: list | None = None) -> tables.Table:
        """The partners' table (as ``xl_tdr.table``)."""
        return tables.table(self.service, year, top, period, partners)

    def series(self, partner: object, start: object, end: object, period: object = None) -> tables.Table:
        """A partner's years (as ``xl_tdr.series``)."""
        return tables.series(self.service, partner, start, end, period)

    def sectors(self, partner: object, year: object, top: int | None = 10, period: object = None) -> tables.Table:
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
        """The latest complete year (its December is published, monthly or as an annual total)."""
        latest = self.info()["latest_month"]
        if not latest:
            raise DataNotAvailable("the store holds no data")
        year, month = (int(part) for part in latest.split("-"))
        return year if month == 12 else year - 1

    def first_year(self) -> int:
        """The first year of data."""
        return _years(self.info()["years"], "the store holds no data")[0]

    def latest_sector_year(self) -> int:
        """The latest year with trade by HS chapter."""
        return _years(self.info()["sector_years"], "the store holds no trade by HS chapter")[-1]


def _years(text: str, missing: str) -> list[int]:
    """``"2013–2025"`` → ``[2013, 2025]`` (info's years as text)."""
    found = [int(year) for year in re.findall(r"\d{4}", text or "")]
    if not found:
        raise DataNotAvailable(missing)
    return found
