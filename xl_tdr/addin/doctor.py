"""``xl-tdr doctor``: the checks a user runs when the add-in or the data do not work.

Each check looks at one thing that xlwings add-ins are known to trip over, and says how to fix
what fails. On Windows it starts the Python the config file names, as Excel starts it (with a
timeout), to see that it runs and has xlwings, pywin32 and the worksheet functions; it compares
that Python with Excel (bitness) and with the add-in in XLSTART (xlwings version, functions),
and reads Excel's macro settings (``excel_checks``). Everywhere: the store and the Census key.
The add-in's checks apply on Windows only; elsewhere one line says so.
"""

from __future__ import annotations

import os

from .. import config
from ..errors import XlTdrError
from .doctor_facts import FAIL, MARKS, NA, OK, WARN, Check, Setup
from .excel_checks import windows_checks

__all__ = ["Check", "Setup", "run", "report", "blocking", "OK", "WARN", "FAIL", "NA"]
ADDIN_ONLY = "the add-in needs Excel on Windows; the report workbook (xl-tdr build) works everywhere"


def _python(setup: Setup) -> Check:
    return Check("Python", OK, f"Python {setup.python_version}, {setup.bits}-bit: {setup.python}"
                 + (f", xlwings {setup.xlwings_version}" if setup.xlwings_version else ""))


def _profile(setup: Setup) -> Check:
    text = str(setup.profile)
    if text.isascii():
        return Check("Profile path", OK, text)
    try:
        text.encode(setup.code_page)
    except UnicodeEncodeError:
        return Check("Profile path", FAIL, f"{text} has characters outside Windows' code page ({setup.code_page}): "
                     "VBA cannot find the config file in it", "use a Windows account whose folder name has plain "
                     "letters, or ask IT for one")
    return Check("Profile path", WARN, f"{text} has non-ASCII characters: xlwings add-ins are known to fail "
                 "with such paths", "if the functions show errors, install Python in a plain folder "
                 "(e.g. C:\\Python311) and run `xl-tdr addin install` from it")


def _store() -> Check:
    from ..service import Service
    from ..tables import info

    try:
        facts = info(Service())
    except XlTdrError as exc:
        return Check("Data store", FAIL, str(exc), "move the file aside; xl_tdr answers from the bundled data, "
                     "and `xl-tdr refresh` brings it up to date")
    if not facts["store_exists"]:
        return Check("Data store", OK, f"{facts['store']} is not created yet: the bundled Census data answer, "
                     f"data through {facts['latest_month']}, until the first `xl-tdr refresh`")
    sources = len([v for v in facts["vintages"] if v["years"]])
    return Check("Data store", OK, f"{facts['store']}: data through {facts['latest_month']}, "
                 f"{sources} vintage{'s' if sources != 1 else ''} (`xl-tdr info` lists them)")


def _key() -> Check:
    from ..refresh.plan import check_key

    try:
        key = config.census_api_key()
        if key:
            check_key(key)
    except XlTdrError as exc:
        return Check("Census API key", FAIL, str(exc), "fix the key in CENSUS_API_KEY or in "
                     f"{config.config_file()} (census_api_key = \"…\")")
    if not key:
        return Check("Census API key", NA, "none: Refresh uses the Census bulk file (totals only; sector data "
                     "need a key)", "optional: get a free key at api.census.gov/data/key_signup.html")
    source = "CENSUS_API_KEY" if os.environ.get("CENSUS_API_KEY", "").strip() else str(config.config_file())
    return Check("Census API key", OK, f"set in {source}, 40 hexadecimal characters (not shown)")


def run(setup: Setup | None = None) -> list[Check]:
    """Every check, in the order a user fixes them."""
    setup = setup or Setup.here()
    if not setup.windows:
        return [_python(setup), Check("Excel add-in", NA, ADDIN_ONLY), _store(), _key()]
    return [_python(setup), *windows_checks(setup), _profile(setup), _store(), _key()]


def blocking(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.status == FAIL]


def report(checks: list[Check]) -> str:
    """The table a user reads: a mark, the check, what was found, and the fix under a failure."""
    width = max(len(check.name) for check in checks)
    lines = []
    for check in checks:
        lines.append(f"{MARKS[check.status]} {check.name:<{width}}  {check.detail}")
        if check.fix and check.status in (FAIL, WARN):
            lines.append(f"  {'':<{width}}  fix: {check.fix}")
    failed = blocking(checks)
    lines.append(f"{len(failed)} problem{'s' if len(failed) != 1 else ''} to fix (✗) before xl_tdr works in Excel."
                 if failed else "Nothing blocks xl_tdr.")
    return "\n".join(lines)
