"""Excel-shaped calls of the worksheet functions, run alike in CPython and in Pyodide.

``tests/test_lite.py`` runs :func:`report` in both runtimes and compares the answers. The inputs
are what xlwings passes: floats for years, ``[[v]]`` for one cell of a function whose arguments
are 2-D (``ndim=2``), 2-D lists for ranges, None for a blank cell and, for an error cell, the
text ``err_to_str=True`` gives (``"#DIV/0!"``). Only the standard library and xl_tdr are used:
this file is copied into Pyodide's file system as it is.
"""

from __future__ import annotations

import inspect
import sys

PARTNERS = [["Mexico"], ["Canada"], ["China"]]
YEARS = [[2023.0, 2024.0, 2025.0]]

CASES = {
    "TDR scalars": ("TDR", "Mexico", 2025.0),
    "TDR 1x1 ranges": ("TDR", [["Mexico"]], [[2025.0]], [[None]], [[None]]),
    "TDR spills a 3x3 table": ("TDR", PARTNERS, YEARS),
    "TDR a column and a row of periods": ("TDR", "Mexico", YEARS, [["Q1", "H1", None]]),
    "TDR blank period and sector": ("TDR", "MX", 2024.0, None, None),
    "TDR blank partner": ("TDR", None, 2025.0),
    "TDR error cell": ("TDR", "Mexico", "#DIV/0!"),
    "TDR error cell inside a range": ("TDR", [["Mexico"], ["#N/A"], [None]], 2025.0),
    "TDR unknown partner": ("TDR", "Mexco", 2025.0),
    "TDR quarter": ("TDR", "Mexico", 2024.0, "Q1"),
    "TDR annual totals only": ("TDR", "Mexico", 2025.0, "Q1"),
    "TDR sector": ("TDR", "Mexico", 2024.0, None, 87.0),
    "TDR_EXPORTS scalars": ("TDR_EXPORTS", "MX", 2024.0, "Q1"),
    "TDR_EXPORTS Census code": ("TDR_EXPORTS", 2010.0, 2024.0, 3.0),
    "TDR_EXPORTS sector over a range": ("TDR_EXPORTS", [["Mexico"], ["Canada"]], 2024.0, None, [["vehicles"]]),
    "TDR_GL sector": ("TDR_GL", "Canada", 2024.0, None, 87.0),
    "TDR_GL all chapters, 1x1 ranges": ("TDR_GL", [["Mexico"]], [[2024.0]]),
    "TDR_GL spills": ("TDR_GL", PARTNERS, [[2023.0, 2024.0]]),
    "TDR_GL no sector data": ("TDR_GL", "Mexico", 2022.0),
    "TDR_TABLE": ("TDR_TABLE", 2025.0, 5.0),
    "TDR_TABLE blanks": ("TDR_TABLE", 2025.0, None, None, None),
    "TDR_TABLE Spanish, 1x1 ranges": ("TDR_TABLE", [[2025.0]], [[3.0]], None, "es"),
    "TDR_TABLE period": ("TDR_TABLE", 2024.0, 3.0, "Q1"),
    "TDR_TABLE bad top": ("TDR_TABLE", 2025.0, 0.0),
    "TDR_SECTORS": ("TDR_SECTORS", "Mexico", 2024.0, 5.0),
    "TDR_SECTORS Spanish": ("TDR_SECTORS", "México", 2024.0, 3.0, None, "es"),
    "TDR_SECTORS no sector data": ("TDR_SECTORS", "Mexico", 2025.0),
    "TDR_SERIES": ("TDR_SERIES", "Mexico", 2013.0, 2025.0),
    "TDR_SERIES period": ("TDR_SERIES", "Mexico", 2023.0, 2025.0, "1-11"),
    "TDR_SERIES unknown partner": ("TDR_SERIES", "Mexco", 2013.0, 2025.0),
    "TDR_PARTNERS": ("TDR_PARTNERS", "korea"),
    "TDR_PARTNERS all": ("TDR_PARTNERS",),
    "TDR_PARTNERS none": ("TDR_PARTNERS", "zzzz"),
    "TDR_INFO": ("TDR_INFO",),
    "TDR_INFO Spanish": ("TDR_INFO", "es"),
}


def call(function, *args) -> object:
    """A function's answer, or what it raised (worksheet functions must never raise)."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 — reported and compared, not hidden
        return {"raised": f"{type(error).__name__}: {error}"}


def big_table(udfs) -> tuple[list[list], list[list]]:
    """250 partners (a column of Census codes) and the 13 years 2013–2025 (a row)."""
    codes = [row[0] for row in udfs.TDR_PARTNERS()[1:251]]
    return [[code] for code in codes], [[float(year) for year in range(2013, 2026)]]


def registration(udfs) -> dict:
    """What a runtime's ``func``/``arg`` decorators receive for each function, and how Lite's
    raising functions answer. xlwings' own Lite decorators are not used (their licence is not
    this project's); these record what they are given, as xlwings' documented API takes it."""
    calls: dict[str, dict] = {}

    def func(**options):
        def mark(function):
            calls.setdefault(function.__name__, {"args": []})["func"] = options
            return function
        return mark

    def arg(name, **options):
        def mark(function):
            calls.setdefault(function.__name__, {"args": []})["args"].append([name, options])
            return function
        return mark

    marked = udfs.register(func, arg, raising=True)
    for name, function in marked.items():
        calls[name].update(doc=function.__doc__, signature=str(inspect.signature(function)))
    calls["answers in Lite"] = {label: call(marked["TDR"], *args) for label, args in (
        ("a number", ("Mexico", 2025.0)), ("an unknown partner", ("Mexco", 2025.0)),
        ("an error cell", ("Mexico", "#DIV/0!")), ("a range with a bad cell", (PARTNERS + [["Mexco"]], 2025.0)))}
    calls["answers in Lite"]["a table that fails"] = call(marked["TDR_TABLE"], 2025.0, 0.0)
    return calls


def report(udfs, main=None) -> dict:
    """Every case's answer, the 250 × 13 table, the registration data and, given the Lite
    ``main`` module, which worksheet functions it exposes."""
    answers = {label: call(getattr(udfs, name), *args) for label, (name, *args) in CASES.items()}
    answers["TDR 250x13"] = call(udfs.TDR, *big_table(udfs))
    outcome = {"answers": answers, "registration": registration(udfs), "python": sys.version.split()[0],
               "platform": sys.platform}
    if main is not None:
        outcome["main exposes"] = sorted(name for name in udfs.__all__ if getattr(main, name, None) is getattr(udfs, name))
    return outcome
