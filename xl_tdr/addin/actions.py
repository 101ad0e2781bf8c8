"""Ribbon actions, run by the add-in's VBA callbacks through xlwings (``RunPython``).

They work on an xlwings Book (the active workbook by default); tests pass a stand-in that
records what is written. A failure shows one alert with the plain sentence and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .. import config
from ..errors import XlTdrError
from ..periods import span_text
from ..workbook.datasheets import DATA_NAMES, META_SHEET, REPORT_KIND, data_rows, provenance_rows
from ..workbook.template import load as load_template

TITLE = "xl_tdr"
DATA_COLUMNS = "H"
PROVENANCE_ROWS = 80


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
    from ..refresh import refresh

    book = book if book is not None else _active_book()
    run_refresh = run_refresh or (lambda **kw: refresh(store=_service().store, **kw))
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
        sheet = book.sheets[META_SHEET]
    except Exception:  # xlwings raises a COM or key error for a missing sheet
        return None
    rows = sheet.range("A1:B60").value or []
    facts = {str(key): value for key, value in rows if key}
    return facts if facts.get("kind") == REPORT_KIND else None


def _as_text(value: object) -> object:
    """Text that Excel would read as a formula gets a leading apostrophe (shown as text)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value != "-":
        return "'" + value
    return value


def update_report(book) -> int:
    """Rewrite the report's Data sheet (values, table, names, provenance) from the store."""
    from ..report import gather

    facts = report_facts(book)
    template = load_template(None, str(facts.get("lang") or "en"))
    data = gather(_service(), year=int(facts["year"]), partners=str(facts["ranked"]).split(","),
                  first_year=int(facts["first_year"]), all_months=bool(int(facts.get("all_months") or 0)))
    column = "name_es" if template.lang == "es" else "name"
    names = dict(zip(data.partners["code"], data.partners[column]))
    rows = [[_as_text(value) for value in row] for row in data_rows(data, names)]
    sheet = book.sheets[str(facts["data_sheet"])]
    first, old_last = int(facts["data_first_row"]), int(facts["data_last_row"])
    last = first + len(rows) - 1
    sheet.range(f"A{first}").value = rows
    if old_last > last:
        sheet.range(f"A{last + 1}:{DATA_COLUMNS}{old_last}").clear_contents()
    sheet.tables["TDRData"].resize(sheet.range(f"A{first - 1}:{DATA_COLUMNS}{last}"))
    for name, letter in DATA_NAMES.items():
        book.names[name].refers_to = f"='{sheet.name}'!${letter}${first}:${letter}${last}"
    sheet.range(f"J2:K{PROVENANCE_ROWS}").clear_contents()
    sheet.range("J2").value = [[_as_text(a), _as_text(b)] for a, b in provenance_rows(data, template)]
    meta = book.sheets[META_SHEET]
    keys = [row[0] for row in meta.range("A1:B60").value if row[0]]
    meta.range(f"B{keys.index('data_last_row') + 1}").value = last
    meta.range(f"B{keys.index('vintage') + 1}").value = data.vintage
    if facts.get("source_cell"):
        dashboard = book.sheets[str(facts["sheet_dashboard"])]
        dashboard.range(str(facts["source_cell"])).value = _as_text(
            template.text["source"].format(vintage=data.vintage))
    return last


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
    from ..tables import info

    book = book if book is not None else _active_book()
    try:
        facts = info(_service())
    except XlTdrError as exc:
        book.app.alert(str(exc), title=TITLE)
        return str(exc)
    lines = [f"Latest month: {facts['latest_month']} (monthly data through {facts['monthly_through']})"]
    lines += [f"Last refresh ({name}): {when}" for name, when in facts["refreshes"].items()]
    lines += [f"{v['source']} — {span_text(v['years'])}, retrieved {v['retrieved']}"
              for v in facts["vintages"] if v["years"]]
    lines.append(f"Store: {facts['store']}")
    text = "\n".join(lines)
    book.app.alert(text, title=f"{TITLE}: data")
    return text
