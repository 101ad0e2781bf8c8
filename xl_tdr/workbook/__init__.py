"""The report workbook generator (openpyxl). It receives frames and a template; it never
fetches data or opens the store."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from openpyxl import Workbook

from .dashboard import write_dashboard
from .datasheets import write_about, write_data, write_meta, write_partners
from .focus import write_focus
from .layout import META_SHEET
from .model import ReportData
from .sectors import write_sector_data, write_sectors
from .styles import Styles
from .template import Template
from .template import load as load_template
from .trends import write_trends

__all__ = ["ReportData", "Template", "load_template", "write_report", "sheet_names"]


def sheet_names(template: Template, year: int) -> dict[str, str]:
    """Sheet key → sheet title for this template and year (Excel's 31-character limit)."""
    return {key: template.names[key].format(year=year)[:31] for key in template.names}


def save_atomically(wb: Workbook, path: Path) -> None:
    """Save to a temporary file beside ``path``, then replace it in one step: a failure half-way
    (a full disk, a size limit) leaves the old report, never a broken one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        wb.save(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # as a plain save would (mkstemp's file is private)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_report(data: ReportData, template: Template, path: Path) -> dict:
    """Write the report workbook to ``path``; returns the sheet titles and dashboard layout."""
    wb = Workbook()
    styles = Styles(template)
    titles = sheet_names(template, data.year)
    wanted = [key for key in template.sheets if key in titles
              and (data.sectors is not None or key not in ("sectors", "sector_data"))]
    for key in ("data", "partners"):
        if key not in wanted:
            wanted.append(key)  # the report's formulas and dropdown read these
    sheets = {key: wb.create_sheet(titles[key]) for key in wanted}
    wb.remove(wb.worksheets[0])
    layout = write_data(wb, sheets["data"], data, template, styles)
    partners_last = write_partners(sheets["partners"], data, template, styles)
    where = {}
    if "dashboard" in sheets:
        where = write_dashboard(wb, sheets["dashboard"], data, template, styles)
    if "focus" in sheets:
        write_focus(sheets["focus"], data, template, styles, titles["partners"], partners_last)
    if "trends" in sheets:
        write_trends(sheets["trends"], data, template, styles)
    if "sectors" in sheets and "sector_data" not in sheets:
        sheets["sector_data"] = wb.create_sheet(titles["sector_data"])  # the Sectors formulas read it
    if "sector_data" in sheets:
        write_sector_data(wb, sheets["sector_data"], data, template, styles)
    blocks = {}
    if "sectors" in sheets:
        blocks = write_sectors(wb, sheets["sectors"], data, template, styles, titles["focus"] if "focus" in sheets else None)
    if "about" in sheets:
        write_about(sheets["about"], data, template, styles)
    write_meta(wb.create_sheet(META_SHEET), data, template, layout, {k: titles[k] for k in sheets},
               where.get("source_cell"), blocks)
    wb.active = 0
    save_atomically(wb, Path(path))
    return {"sheets": {k: titles[k] for k in sheets}, "dashboard": where, "data_rows": layout.last_row - 1}
