"""Ribbon actions, run by the add-in's VBA callbacks through xlwings (``RunPython``).

The VBA passes the name of the workbook whose ribbon was clicked; the action finds it in the
Excel that called (``xlwings.Book.caller()``: the workbook the VBA handed over, so never another
Excel instance's active book). Tests pass a stand-in Book instead. A failure shows one alert with
the plain sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import config
from ..errors import XlTdrError
from .updater import ReportLocked, report_facts, service, update_report

TITLE = "xl_tdr"


def calling_book(book=None, caller=None):
    """The workbook the ribbon was clicked in: ``book`` itself, or by its name (from the VBA) in
    the Excel of ``caller`` (default ``xlwings.Book.caller()``); "" or a name no longer open: the
    caller (the active workbook, or the blank stand-in when none was open)."""
    if book is not None and not isinstance(book, str):
        return book
    if caller is None:
        import xlwings as xw

        caller = xw.Book.caller()
    if book:
        try:
            return caller.app.books[book]
        except Exception:  # noqa: BLE001 — closed in the meantime: the caller will do
            return caller
    return caller


def _status(app, text: str | bool) -> None:
    app.status_bar = text


def open_reports(app) -> list[tuple[object, dict]]:
    """The xl_tdr reports open in this Excel, whichever is active, with their facts (read once:
    each read crosses to Excel)."""
    return [(book, facts) for book in app.books for facts in [report_facts(book)] if facts]


def refresh_data(book=None, run_refresh: Callable | None = None, caller=None) -> str:
    """Refresh the store, then update every xl_tdr report open in this Excel and recalculate every
    formula (``=TDR()`` cells included). Returns the status-bar sentence (or the failure's)."""
    app = calling_book(book, caller).app
    summary, failure = _refresh_store(app, run_refresh)
    if failure:
        return failure
    updated, problems, rebuild = [], [], False
    for report, facts in open_reports(app):
        try:
            update_report(report, facts)
            updated.append(report.name)
        except ReportLocked as exc:
            problems.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — the other reports are still updated
            problems.append(_not_updated(report, exc))
            rebuild = True
    calculate_fully(app)
    message = summary.sentence() + (f"; {_reports(len(updated))} updated" if updated else "")
    _status(app, message)
    if problems:
        app.alert("The data were refreshed and the formulas recalculated, but:\n" + "\n".join(problems)
                  + ("\nNew report builds a fresh one from the current data." if rebuild else ""),
                  title=f"{TITLE}: a report was not updated")
    return message


def _not_updated(report, exc: Exception) -> str:
    """One sentence for a report the refresh could not finish (a bug is logged with its traceback)."""
    reason = str(exc) if isinstance(exc, XlTdrError) else _bug("the ribbon could not update a report")
    return f"{report.name} was not fully updated: {reason}"


def _bug(what: str) -> str:
    """The sentence for a bug, its traceback logged: what failed and where the log is (called
    within ``except``)."""
    from ..udfs import internal_error

    return internal_error(what)[len("#N/A "):]


def _refresh_store(app, run_refresh: Callable | None) -> tuple[object, str | None]:
    """The refresh itself: (its summary, None), or (None, the sentence shown in one alert)."""
    run_refresh = run_refresh or service().refresh
    try:
        _status(app, "xl_tdr: refreshing Census data…")
        return run_refresh(progress=lambda done, total, label: _status(
            app, f"xl_tdr: refreshing Census data… {done}/{total} {label}")), None
    except XlTdrError as exc:
        message = str(exc)
    except Exception:  # noqa: BLE001 — a bug: one alert naming the log, never a traceback dialog
        message = _bug("the ribbon's Refresh failed") + "; the store was left as it was"
    _status(app, False)
    app.alert(message, title=f"{TITLE}: the data were not refreshed")
    return None, message


def _reports(count: int) -> str:
    return f"{count} open report{'s' if count != 1 else ''}"


def calculate_fully(app) -> None:
    """Excel's full recalculation: ``Application.Calculate`` skips a worksheet function whose
    arguments did not change — every ``=TDR()`` cell after a refresh."""
    app.api.CalculateFull()


def new_report(book=None, folder: Path | None = None, opener: Callable | None = None, caller=None) -> Path | None:
    """Build the report from the current data in the user's language and open it in this Excel."""
    from ..report import build_report

    app = calling_book(book, caller).app
    try:
        _status(app, "xl_tdr: building the report…")
        target = _free_name((folder or documents_folder(app)) / "tdr_report.xlsx")
        path = build_report(target, lang=config.report_lang(), service=service())
        (opener or (lambda made: app.books.open(str(made))))(path)
        _status(app, f"xl_tdr: report written to {path}")
        return path
    except XlTdrError as exc:
        message = str(exc)
    except Exception:  # noqa: BLE001 — a bug (or Excel refusing to open it): one alert, never a traceback
        message = _bug("the ribbon's New report failed")
    _status(app, False)
    app.alert(message, title=f"{TITLE}: no report")
    return None


def documents_folder(app) -> Path:
    """Where a new report goes: Excel's default file location (File > Options > Save), else the
    Documents folder Windows knows (OneDrive's when it is redirected there), else the home folder."""
    import platformdirs

    try:
        chosen = str(app.api.DefaultFilePath or "")
    except Exception:  # noqa: BLE001 — not Excel on Windows
        chosen = ""
    for candidate in (chosen, platformdirs.user_documents_dir()):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}_{number}{path.suffix}")
    return candidate


def export_chart(book=None, caller=None, fmt: str = "png") -> Path | None:
    """Write the exhibit of the report's partners (deficit and exports with the TDR), in its
    language and year, beside the report: ``tdr_report_2025.xlsx`` → ``tdr_report_2025_chart.png``
    (a report never saved: in the folder New report uses)."""
    from ..images import export_exhibit

    report = calling_book(book, caller)
    app = report.app
    facts = report_facts(report)
    if facts is None:
        app.alert("Export chart draws the chart of an xl_tdr report: open one (New report builds it), "
                  "then click Export chart in its window.", title=f"{TITLE}: no chart")
        return None
    saved = Path(str(getattr(report, "fullname", "") or report.name))
    target = saved if saved.parent.is_dir() and saved.is_absolute() else documents_folder(app) / f"{saved.stem}.xlsx"
    try:
        _status(app, "xl_tdr: drawing the chart…")
        path = export_exhibit(str(facts["ranked"]).split(","), int(facts["year"]), target,
                              lang=str(facts.get("lang") or "en"), fmt=fmt, service=service())
    except XlTdrError as exc:
        message = str(exc)
    except Exception:  # noqa: BLE001 — a bug: one alert naming the log, never a traceback dialog
        message = _bug("the ribbon's Export chart failed")
    else:
        _status(app, f"xl_tdr: chart written to {path}")
        return path
    _status(app, False)
    app.alert(message, title=f"{TITLE}: no chart")
    return None


def data_info(book=None, caller=None) -> str:
    """Show where the data come from: sources, vintages, latest month, store location."""
    from ..tables import info, info_rows

    app = calling_book(book, caller).app
    title = f"{TITLE}: data"
    try:
        text = "\n".join(f"{label}: {value}" for label, value in info_rows(info(service()), config.report_lang()))
    except XlTdrError as exc:
        text, title = str(exc), TITLE
    except Exception:  # noqa: BLE001 — a bug: one alert naming the log, never a traceback dialog
        text, title = _bug("the ribbon's Data info failed"), TITLE
    app.alert(text, title=title)
    return text
