"""Ribbon actions, run by the add-in's VBA callbacks through xlwings (``RunPython``).

They work on an xlwings Book (the active workbook by default); tests pass a stand-in that
records what is written. A failure shows one alert with the plain sentence and writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from .. import config
from ..errors import XlTdrError
from ..workbook import layout, source_line
from ..workbook.datasheets import data_rows, provenance_rows
from ..workbook.template import load as load_template

TITLE = "xl_tdr"


def _service():
    """The worksheet functions' service: what the ribbon changes, the cells see at once."""
    from ..udfs import service

    return service()


def _active_book():
    import xlwings as xw

    return xw.books.active


def _status(book, text: str | bool) -> None:
    book.app.status_bar = text


def refresh_data(book=None, run_refresh: Callable | None = None) -> str:
    """Refresh the store; if ``book`` is an xl_tdr report, rewrite its Data sheet and recalculate."""
    book = book if book is not None else _active_book()
    run_refresh = run_refresh or _service().refresh
    try:
        _status(book, "xl_tdr: refreshing Census data…")
        summary = run_refresh(progress=lambda done, total, label: _status(
            book, f"xl_tdr: refreshing Census data… {done}/{total} {label}"))
        if report_facts(book):
            _status(book, "xl_tdr: updating this report…")
            update_report(book)
        book.app.calculate()
        message = summary.sentence()
        _status(book, message)
        return message
    except XlTdrError as exc:
        _status(book, False)
        book.app.alert(str(exc), title=f"{TITLE}: the data were not refreshed")
        return str(exc)
    except Exception:  # a bug: one alert naming the log, the status bar reset — never a traceback dialog
        from ..udfs import internal_error

        message = internal_error("the ribbon's Refresh failed")[len("#N/A "):]
        _status(book, False)
        book.app.alert(f"{message}; the store was left as it was", title=f"{TITLE}: the data were not refreshed")
        return message


def report_facts(book) -> dict[str, str] | None:
    """The report's hidden facts (year, partners, data rows…), or None for another workbook."""
    try:
        sheet = book.sheets[layout.META_SHEET]
    except Exception:  # xlwings raises a COM or key error for a missing sheet
        return None
    rows = sheet.range(layout.META_RANGE).value or []
    facts = {str(key): value for key, value in rows if key}
    return facts if facts.get("kind") == layout.REPORT_KIND else None


_NUMBER_OR_DATE = re.compile(r"[\d\s.,:/+-]+")


def _as_text(value: object) -> object:
    """A string as Excel shows it typed: one that Excel would read as a formula, a number or a
    date (``=…``, ``0020``, ``2024-01``) gets a leading apostrophe, so it stays the text it is."""
    if isinstance(value, str) and value != "-" and (value[:1] in ("=", "+", "-", "@")
                                                    or _NUMBER_OR_DATE.fullmatch(value)):
        return "'" + value
    return value


def update_report(book) -> int:
    """Rewrite the report from the store: the Data sheet (values, table, names, provenance), the
    facts, the source line, and — for a report of "the largest partners" — the dashboard's
    ranking. Returns the last data row."""
    from ..report import gather

    facts = report_facts(book)
    template = load_template(None, str(facts.get("lang") or "en"))
    ranked = str(facts["ranked"]).split(",")
    largest = facts.get("selection") == "largest"
    data = gather(_service(), year=int(facts["year"]), top=len(ranked), partners=None if largest else ranked,
                  first_year=int(facts["first_year"]),
                  all_months=bool(int(facts.get("all_months") or 0)), monthly_too=str(facts["trends"]).split(","))
    names = dict(zip(data.partners["code"], data.partners["name_es" if template.lang == "es" else "name"]))
    last = _write_data(book, str(facts["data_sheet"]), data, names, template, int(facts["data_last_row"]))
    dashboard = book.sheets[str(facts["sheet_dashboard"])] if facts.get("sheet_dashboard") else None
    if dashboard is not None:
        dashboard.range(f"{layout.DASHBOARD_NAME_COLUMN}{layout.DASHBOARD_FIRST_ROW}").value = [
            [_as_text(names[code]), _as_text(code)] for code in data.ranked]
        if facts.get("source_cell"):
            dashboard.range(str(facts["source_cell"])).value = _as_text(source_line(data, template))
    _set_facts(book, data_last_row=last, vintage=data.vintage, ranked=",".join(data.ranked))
    return last


def _write_data(book, sheet_name: str, data, names: dict[str, str], template, old_last: int) -> int:
    """The Data sheet's rows, table, defined names and provenance block; returns the last row."""
    rows = [[_as_text(value) for value in row] for row in data_rows(data, names)]
    sheet = book.sheets[sheet_name]
    first = layout.DATA_FIRST_ROW
    last = first + len(rows) - 1
    sheet.range(f"A{first}").value = rows
    if old_last > last:
        sheet.range(f"A{last + 1}:{layout.DATA_LAST_COLUMN}{old_last}").clear_contents()
    sheet.tables[layout.DATA_TABLE].resize(sheet.range(layout.data_table_range(last)))
    for name in layout.DATA_NAMES:
        book.names[name].refers_to = "=" + layout.data_reference(sheet.name, name, last)
    sheet.range(layout.PROVENANCE_BLOCK).clear_contents()
    sheet.range(layout.PROVENANCE_FIRST).value = [[_as_text(a), _as_text(b)]
                                                  for a, b in provenance_rows(data, template)]
    return last


def _set_facts(book, **values) -> None:
    meta = book.sheets[layout.META_SHEET]
    keys = [row[0] for row in meta.range(layout.META_RANGE).value]
    for key, value in values.items():
        meta.range(f"B{keys.index(key) + 1}").value = _as_text(value) if isinstance(value, str) else value


def new_report(book=None, folder: Path | None = None, opener: Callable | None = None) -> Path | None:
    """Build the report from the current data in the user's language and open it."""
    from ..report import build_report

    book = book if book is not None else _active_book()
    try:
        _status(book, "xl_tdr: building the report…")
        target = _free_name((folder or _documents()) / "tdr_report.xlsx")
        path = build_report(target, lang=config.report_lang(), service=_service())
        (opener or _open_in_excel)(path)
        _status(book, f"xl_tdr: report written to {path}")
        return path
    except XlTdrError as exc:
        _status(book, False)
        book.app.alert(str(exc), title=f"{TITLE}: no report")
        return None


def _documents() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}_{number}{path.suffix}")
    return candidate


def _open_in_excel(path: Path) -> None:
    import xlwings as xw

    xw.Book(str(path))


def data_info(book=None) -> str:
    """Show where the data come from: sources, vintages, latest month, store location."""
    from ..tables import info, info_rows

    book = book if book is not None else _active_book()
    try:
        facts = info(_service())
    except XlTdrError as exc:
        book.app.alert(str(exc), title=TITLE)
        return str(exc)
    lines = [f"{label}: {value}" for label, value in info_rows(facts, config.report_lang())]
    text = "\n".join(lines)
    book.app.alert(text, title=f"{TITLE}: data")
    return text
