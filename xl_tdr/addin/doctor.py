"""``xl-tdr doctor``: the checks a user runs when the add-in or the data do not work.

Each check looks at one thing that xlwings add-ins are known to trip over (the Store's Python,
blank lines in the config file, an add-in built for another xlwings, a profile path VBA cannot
spell…), the store and the Census key, and says how to fix what fails. The add-in's checks apply
on Windows only; elsewhere one line says so. ``Setup`` is what the checks look at: ``Setup.here()``
this machine, or a description of another one (the tests' broken desktops).
"""

from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import XlTdrError
from . import build, vba

OK, WARN, FAIL, NA = "ok", "warn", "fail", "n/a"
MARKS = {OK: "✓", WARN: "!", FAIL: "✗", NA: "–"}
ADDIN_ONLY = "the add-in needs Excel on Windows; the report workbook (xl-tdr build) works everywhere"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Setup:
    """The facts the checks look at."""
    windows: bool
    python: Path
    python_version: str
    bits: int
    xlwings_version: str | None
    profile: Path
    conf: Path
    xlstart: Path
    code_page: str

    @classmethod
    def here(cls) -> "Setup":
        try:
            import xlwings

            xlwings_version = xlwings.__version__
        except Exception:  # not installed, or broken: the check says so
            xlwings_version = None
        return cls(windows=os.name == "nt", python=Path(sys.executable), python_version=sys.version.split()[0],
                   bits=struct.calcsize("P") * 8, xlwings_version=xlwings_version, profile=Path.home(),
                   conf=build.conf_path(), xlstart=build.xlstart_folder(), code_page=build.ansi_code_page())


def _python(setup: Setup) -> Check:
    detail = f"Python {setup.python_version}, {setup.bits}-bit: {setup.python}"
    if setup.windows and setup.bits == 32:
        return Check("Python", WARN, detail + " (works with 32-bit Excel only)",
                     "with 64-bit Excel, install 64-bit Python from python.org")
    return Check("Python", OK, detail)


def _store_python(setup: Setup) -> Check:
    if "windowsapps" in str(setup.python).lower():
        return Check("Not the Store's Python", FAIL, f"{setup.python} is the Microsoft Store's Python, "
                     "which Excel cannot start", "install Python from python.org (or conda), then in it run "
                     "`pip install xl-tdr` and `xl-tdr addin install`")
    return Check("Not the Store's Python", OK, "python.org, conda or another regular install")


def _read_conf(setup: Setup) -> tuple[list[str] | None, Check | None]:
    """The config file's lines as VBA reads them, or the check that says why they cannot be read."""
    name = "Config file"
    if not setup.conf.is_file():
        return None, Check(name, FAIL, f"{setup.conf} does not exist: the add-in does not know which Python to run",
                           "run `xl-tdr addin install` (it writes the file)")
    try:
        data = setup.conf.read_bytes()
    except OSError as exc:
        return None, Check(name, FAIL, f"{setup.conf} cannot be read: {exc.strerror or exc}",
                           "run `xl-tdr addin install` (it rewrites the file)")
    try:
        if not data.isascii() and _decodes(data, "utf-8"):
            raise ValueError("written as UTF-8")
        text = data.decode(setup.code_page)
    except ValueError:  # UnicodeDecodeError included
        return None, Check(name, FAIL, f"{setup.conf} is not in Windows' code page ({setup.code_page}): VBA would "
                           "read another path than the one written", "run `xl-tdr addin install` (it rewrites the file)")
    lines = text.splitlines()
    blank = next((number for number, line in enumerate(lines, 1) if not line.strip()), None)
    if blank:
        return None, Check(name, FAIL, f"{setup.conf} has a blank line (line {blank}): xlwings stops reading "
                           "its settings there", "run `xl-tdr addin install` (it rewrites the file)")
    return lines, None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _settings(lines: list[str]) -> dict[str, str]:
    settings = {}
    for line in lines:
        key, _, value = line.partition(",")
        settings[key.strip().strip('"').upper()] = value.strip().strip('"')
    return settings


def _conf(setup: Setup) -> tuple[Check, dict[str, str]]:
    lines, problem = _read_conf(setup)
    if problem:
        return problem, {}
    settings = _settings(lines)
    interpreter = settings.get("INTERPRETER_WIN", "")
    if not interpreter or not Path(interpreter).is_file():
        return Check("Config file", FAIL, f"the Python it names does not exist: {interpreter or '(none)'}",
                     "run `xl-tdr addin install` in the Python you want Excel to use"), settings
    if vba.PYTHON_UDF_MODULE not in settings.get("UDF MODULES", ""):
        return Check("Config file", FAIL, f"UDF MODULES does not name {vba.PYTHON_UDF_MODULE}: the TDR functions "
                     "are not found", "run `xl-tdr addin install`"), settings
    return Check("Config file", OK, f"{setup.conf}: Python {interpreter}"), settings


def _addin(setup: Setup) -> tuple[Check, Check]:
    """The add-in in XLSTART, and the xlwings it was built for against the installed one."""
    path = setup.xlstart / build.ADDIN_NAME
    built = build.built_for_xlwings(path) if path.is_file() else None
    if not path.is_file():
        placed = Check("Add-in in XLSTART", FAIL, f"{path} does not exist: Excel does not load the add-in",
                       "run `xl-tdr addin install`, then restart Excel")
    elif built is None:
        placed = Check("Add-in in XLSTART", FAIL, f"{path} is not an xl_tdr add-in, or is damaged",
                       "run `xl-tdr addin install`, then restart Excel")
    else:
        placed = Check("Add-in in XLSTART", OK, str(path))
    if setup.xlwings_version is None:
        version = Check("xlwings version", FAIL, "xlwings is not installed in this Python",
                        "run `pip install xl-tdr` (it brings xlwings), then `xl-tdr addin install`")
    elif built and built != setup.xlwings_version:
        version = Check("xlwings version", FAIL, f"the add-in was built for xlwings {built}, this Python has "
                        f"{setup.xlwings_version}: Excel cannot load the functions",
                        "run `xl-tdr addin install` (it rebuilds the add-in for this xlwings), then restart Excel")
    else:
        version = Check("xlwings version", OK if built else NA, f"xlwings {setup.xlwings_version}"
                        + (", the add-in's" if built else " (no add-in to compare with)"))
    return placed, version


def _dll(setup: Setup, settings: dict[str, str]) -> Check:
    """The xlwings DLL where the add-in's VBA looks: next to the configured Python or one folder up."""
    if not setup.xlwings_version:
        return Check("xlwings DLL", NA, "xlwings is not installed")
    python = Path(settings.get("INTERPRETER_WIN") or setup.python)
    dll = f"xlwings{setup.bits}-{setup.xlwings_version}.dll"
    for folder in (python.parent, python.parent.parent):
        if (folder / dll).is_file():
            return Check("xlwings DLL", OK, str(folder / dll))
    return Check("xlwings DLL", FAIL, f"{dll} is neither in {python.parent} nor in {python.parent.parent}",
                 f"in that Python run `pip install --force-reinstall xlwings=={setup.xlwings_version}`")


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
    from ..data.store import Store
    from ..service import Service
    from ..tables import info

    store = Store()
    if not store.path.exists():
        return Check("Data store", OK, f"{store.path} is not created yet: the first formula or command "
                     "builds it from the bundled Census data")
    try:
        facts = info(Service(store))
    except XlTdrError as exc:
        return Check("Data store", FAIL, str(exc), "move the file aside; xl_tdr builds a fresh one from the "
                     "bundled data, and `xl-tdr refresh` brings it up to date")
    sources = len([v for v in facts["vintages"] if v["years"]])
    return Check("Data store", OK, f"{store.path}: data through {facts['latest_month']}, "
                 f"{sources} vintage{'s' if sources != 1 else ''} (`xl-tdr info` lists them)")


def _key() -> Check:
    from ..refresh.run import check_key

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
    conf, settings = _conf(setup)
    placed, version = _addin(setup)
    return [_python(setup), _store_python(setup), version, _dll(setup, settings), conf, placed,
            _profile(setup), _store(), _key()]


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
