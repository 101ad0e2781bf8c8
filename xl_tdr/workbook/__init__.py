"""The report workbook generator (openpyxl). It receives frames and a template; it never
fetches data or opens the store."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from . import charts
from .context import Context
from .dashboard import write_dashboard
from .datasheets import write_about, write_data, write_meta, write_partners
from .focus import write_focus
from .layout import DASHBOARD_POINTS, META_SHEET
from .model import ReportData
from .package import cell_values, extras, finished, saved, write_file
from .sectors import write_sector_data, write_sectors
from .sources import source_line
from .template import Template
from .template import load as load_template
from .trends import write_trends

__all__ = ["ReportData", "Template", "load_template", "sheet_names", "source_line", "write_report"]


def sheet_names(template: Template, year: int) -> dict[str, str]:
    """Sheet key → sheet title for this template and year (Excel's 31-character limit)."""
    return {key: template.names[key].format(year=year)[:31] for key in template.names}


def write_report(data: ReportData, template: Template, path: Path, stored_results: bool = True) -> dict:
    """Write the report workbook to ``path`` (a link is written through); returns the sheet titles,
    the dashboard layout and the file written. ``stored_results``: every formula cell and chart
    carries its result (off only to measure what that costs)."""
    wb = Workbook()
    titles = sheet_names(template, data.year)
    wanted = [key for key in template.sheets if key in titles
              and (data.sectors is not None or key not in ("sectors", "sector_data"))]
    for key in ("data", "partners"):
        if key not in wanted:
            wanted.append(key)  # the report's formulas and dropdown read these
    if "sectors" in wanted and "sector_data" not in wanted:
        wanted.append("sector_data")  # the Sectors formulas read it
    sheets = {key: wb.create_sheet(titles[key]) for key in wanted}
    wb.remove(wb.worksheets[0])
    ctx = Context.of(data, template, {k: titles[k] for k in sheets})
    layout = write_data(ctx, wb, sheets["data"])
    partners_last = write_partners(ctx, sheets["partners"])
    where = write_dashboard(ctx, wb, sheets["dashboard"]) if "dashboard" in sheets else {}
    if "focus" in sheets:
        write_focus(ctx, sheets["focus"], titles["partners"], partners_last)
    places = {DASHBOARD_POINTS: where["points_column"]} if where else {}  # for the facts
    if "trends" in sheets:
        places.update(write_trends(ctx, sheets["trends"]))
    if "sector_data" in sheets:
        write_sector_data(ctx, wb, sheets["sector_data"])
    if "sectors" in sheets:
        places.update(write_sectors(ctx, wb, sheets["sectors"]))
    if "about" in sheets:
        write_about(ctx, sheets["about"])
    write_meta(wb.create_sheet(META_SHEET), data, template, layout, {k: titles[k] for k in sheets},
               where.get("source_cell"), places)
    wb.active = 0
    if stored_results:
        for ws in wb.worksheets:
            for chart in ws._charts:
                charts.fill_caches(chart, lambda reference: cell_values(wb, reference))
    written = write_file(finished(saved(wb), extras(wb), stored_results), Path(path))
    return {"sheets": {k: titles[k] for k in sheets}, "dashboard": where, "data_rows": layout.last_row - 1,
            "path": written}
