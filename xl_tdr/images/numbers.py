"""Where a chart's numbers come from: the public Python API (``xl_tdr.table``, ``series``,
``sectors``, ``gl``, ``info``) or, for an application with its own, a ``Service`` passed in.
Never the store."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import DataNotAvailable


@dataclass
class Rows:
    """A table's rows as dicts (an undefined number is None), with its facts in ``attrs``."""

    rows: list[dict]
    attrs: dict = field(default_factory=dict)


def rows_of(found) -> Rows:
    """Rows of what the API or the service answered: a DataFrame or a table of plain rows."""
    if hasattr(found, "to_dict"):  # a pandas DataFrame: its missing values become None
        records = found.astype(object).where(found.notna(), None).to_dict("records")
        return Rows(records, dict(found.attrs))
    return Rows([dict(row) for row in found.rows], dict(found.attrs))


class Numbers:
    """The questions a chart asks, answered by the Python API or by ``service``."""

    def __init__(self, service=None):
        self.service = service
        self._info: dict | None = None

    def table(self, year: object, top: int | None = 5, period: object = None, partners: list | None = None) -> Rows:
        """The partners' table (``xl_tdr.table``)."""
        if self.service is None:
            from .. import api

            return rows_of(api.table(year, top=top, period=period, partners=partners))
        from .. import tables

        return rows_of(tables.table(self.service, year, top, period, partners))

    def series(self, partner: object, start: object, end: object, period: object = None) -> Rows:
        """A partner's years (``xl_tdr.series``)."""
        if self.service is None:
            from .. import api

            return rows_of(api.series(partner, start, end, period))
        from .. import tables

        return rows_of(tables.series(self.service, partner, start, end, period))

    def sectors(self, partner: object, year: object, top: int | None = 10, period: object = None) -> Rows:
        """A partner's HS chapters (``xl_tdr.sectors``)."""
        if self.service is None:
            from .. import api

            return rows_of(api.sectors(partner, year, top, period))
        from .. import tables

        return rows_of(tables.sectors(self.service, partner, year, top, period))

    def gl(self, partner: object, year: object, period: object = None) -> float:
        """The all-chapter Grubel–Lloyd index (``xl_tdr.gl``)."""
        if self.service is None:
            from .. import api

            return api.gl(partner, year, period)
        from .. import metrics

        return self.service.scalar(metrics.grubel_lloyd, partner, year, period)

    def info(self) -> dict:
        """Sources, vintages, years (``xl_tdr.info``), asked once per chart."""
        if self._info is None:
            if self.service is None:
                from .. import api

                self._info = api.info()
            else:
                from .. import tables

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
