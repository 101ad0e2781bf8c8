"""doctor's checks of the Excel side on Windows: Excel itself, the config file, the Python it
names (started, as Excel starts it: its versions, bitness, conda activation, xlwings, pywin32,
the worksheet functions), the xlwings DLL, the add-in in XLSTART and the macro settings."""

from __future__ import annotations

from pathlib import Path

from . import build, machine, probe, vba
from .doctor_facts import FAIL, NA, OK, WARN, Check, Setup

INSTALL = "run `xl-tdr addin install`"


def windows_checks(setup: Setup) -> list[Check]:
    """The Excel side's checks, in the order a user fixes them."""
    conf, settings = config_file(setup)
    python = probe.excel_python(settings) if settings else None
    found = probe.run(python, settings, setup.probe_timeout, setup.environ) if python and python.is_file() else None
    placed = setup.xlstart / build.ADDIN_NAME
    addin = build.addin_facts(placed) if placed.is_file() else None
    return [excel(setup), conf, store_python(setup, python), configured(found), bitness(setup, found),
            conda(python, settings, found), xlwings_version(found, addin), pywin32(found),
            dll(setup, python, addin, found), in_xlstart(setup, addin), functions(found, addin), macros(setup)]


def _console(python: Path) -> str:
    """The interpreter to type pip commands with (python.exe beside pythonw.exe), quoted."""
    console = python.with_name("python.exe")
    return f'"{console if console.is_file() else python}"'


def excel(setup: Setup) -> Check:
    found = setup.excel
    if found is None:
        return Check("Excel", WARN, "Excel for Windows was not found (no App Paths entry for excel.exe)",
                     "install Excel (Microsoft 365, or Excel 2016 or later), then restart this check")
    where = f"{found.path}" if found.path else "Office from the Microsoft Store"
    bits = f", {found.bits}-bit" if found.bits else ""
    if found.store:
        return Check("Excel", WARN, f"{where}{bits}: Excel from the Microsoft Store, in which add-ins that load "
                     "a DLL (as xlwings does) are known to fail", "if the TDR tab or the functions do not work, "
                     "uninstall it and install Office from office.com (Microsoft 365 > Install apps)")
    return Check("Excel", OK, where + bits)


def _read(setup: Setup) -> tuple[dict[str, str] | None, Check | None]:
    """The config file's settings as VBA reads them, or the check that says why they cannot be read."""
    name, rewrite = "Config file", f"{INSTALL} (it rewrites the file)"
    if not setup.conf.is_file():
        return None, Check(name, FAIL, f"{setup.conf} does not exist: the add-in does not know which Python to run",
                           f"{INSTALL} (it writes the file)")
    try:
        data = setup.conf.read_bytes()
    except OSError as exc:
        return None, Check(name, FAIL, f"{setup.conf} cannot be read: {exc.strerror or exc}", rewrite)
    try:
        if not data.isascii() and _is_utf8(data):
            raise ValueError("written as UTF-8")
        text = data.decode(setup.code_page)
    except ValueError:  # UnicodeDecodeError included
        return None, Check(name, FAIL, f"{setup.conf} is not in Windows' code page ({setup.code_page}): VBA would "
                           "read another path than the one written", rewrite)
    lines = text.splitlines()
    blank = next((number for number, line in enumerate(lines, 1) if not line.strip()), None)
    if blank:
        return None, Check(name, FAIL, f"{setup.conf} has a blank line (line {blank}): xlwings stops reading "
                           "its settings there", rewrite)
    settings = {}
    for line in lines:
        key, _, value = line.partition(",")
        settings[key.strip().strip('"').upper()] = value.strip().strip('"')
    return settings, None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def config_file(setup: Setup) -> tuple[Check, dict[str, str]]:
    settings, problem = _read(setup)
    if problem:
        return problem, {}
    python = probe.excel_python(settings)
    if python is None or not python.is_file():
        named = python or settings.get("INTERPRETER_WIN") or "(none)"
        return Check("Config file", FAIL, f"the Python it names does not exist: {named}",
                     f"{INSTALL} in the Python you want Excel to use"), settings
    if settings.get("ADD_WORKBOOK_TO_PYTHONPATH", "true").lower() != "false":
        return Check("Config file", WARN, f"{setup.conf} puts each workbook's folder on Python's path: a workbook "
                     "on OneDrive or SharePoint then stops the functions (\"Couldn't find your local OneDrive "
                     "file\")", f"{INSTALL} (it writes ADD_WORKBOOK_TO_PYTHONPATH False)"), settings
    return Check("Config file", OK, f"{setup.conf}: Python {python}"), settings


def store_python(setup: Setup, python: Path | None) -> Check:
    python = python or setup.python
    if "windowsapps" in str(python).lower():
        return Check("Not the Store's Python", FAIL, f"{python} is the Microsoft Store's Python, which Excel cannot "
                     "start", "install Python from python.org (or conda), then in it run `pip install xl-tdr` and "
                     "`xl-tdr addin install`")
    return Check("Not the Store's Python", OK, "python.org, conda or another regular install")


def configured(found: probe.Probe | None) -> Check:
    """The configured Python starts, as Excel starts it, and says what it is."""
    name = "Configured Python"
    if found is None:
        return Check(name, NA, "no configured Python to start (see the config file)")
    if not found.started:
        hang = "did not finish" in found.problem
        return Check(name, FAIL, found.problem + ": Excel reports \"Could not activate Python COM server\"",
                     f"start it by hand: {_console(found.python)} -c \"import xl_tdr.udfs\"; "
                     + ("a dialog or an antivirus scan may hold it" if hang else
                        "if it fails there too, repair that Python (its installer > Repair) or reinstall it, "
                        "then `pip install xl-tdr` and `xl-tdr addin install` in it"))
    facts = found.found
    return Check(name, OK, f"Python {facts['python']}, {facts['bits']}-bit: {found.python}"
                 + (f" (xl_tdr {facts['xl_tdr']})" if facts.get("xl_tdr") else ""))


def _unstarted(name: str, found: probe.Probe | None) -> Check | None:
    if found is None or not found.started:
        return Check(name, NA, "the configured Python did not start")
    return None


def bitness(setup: Setup, found: probe.Probe | None) -> Check:
    skipped = _unstarted("Bitness", found)
    if skipped:
        return skipped
    python, excel_bits = found.found["bits"], setup.excel.bits if setup.excel else None
    if not excel_bits:
        return Check("Bitness", NA, f"Python {python}-bit; Excel's bitness is unknown")
    if python != excel_bits:
        return Check("Bitness", FAIL, f"Excel is {excel_bits}-bit, the configured Python {python}-bit: Excel loads "
                     f"xlwings{excel_bits}-….dll, which a {python}-bit Python does not have",
                     f"install {excel_bits}-bit Python from python.org, then in it run `pip install xl-tdr` and "
                     "`xl-tdr addin install`")
    return Check("Bitness", OK, f"Excel and Python are both {python}-bit")


def conda(python: Path | None, settings: dict[str, str], found: probe.Probe | None) -> Check:
    if python is None or not probe.is_conda(python):
        return Check("Conda", NA, "not a conda environment")
    if probe.activated(settings):
        return Check("Conda", OK, f"xlwings activates {settings['CONDA ENV']} before starting it")
    failed = [value for key, value in (found.found if found and found.started else {}).items() if key.endswith("_error")]
    detail = f"{python.parent} is a conda environment that xlwings starts without activating it"
    return Check("Conda", FAIL if failed else WARN,
                 detail + (f": {failed[0]}" if failed else ": packages that load DLLs (pywin32, numpy) may fail in Excel"),
                 f"{INSTALL} from that environment (it sets CONDA PATH and CONDA ENV)")


def xlwings_version(found: probe.Probe | None, addin: build.AddinFacts | None) -> Check:
    name = "xlwings version"
    skipped = _unstarted(name, found)
    if skipped:
        return skipped
    version = found.found.get("xlwings")
    if not version:
        return Check(name, FAIL, f"xlwings is not installed in the configured Python ({found.found.get('xlwings_error')})",
                     f"{_console(found.python)} -m pip install xl-tdr (it brings xlwings), then `xl-tdr addin install`")
    if addin is None:
        return Check(name, NA, f"xlwings {version} (no add-in to compare with)")
    if addin.xlwings != version:
        return Check(name, FAIL, f"the add-in was built for xlwings {addin.xlwings}, the configured Python has "
                     f"{version}: Excel cannot load the functions", f"{INSTALL} from that Python (it rebuilds the "
                     "add-in for its xlwings), then restart Excel")
    return Check(name, OK, f"xlwings {version}, the add-in's")


def pywin32(found: probe.Probe | None) -> Check:
    skipped = _unstarted("pywin32", found)
    if skipped:
        return skipped
    if "pythoncom" not in found.found:
        return Check("pywin32", FAIL, f"pythoncom does not load in the configured Python "
                     f"({found.found.get('pythoncom_error')}): Excel cannot start its COM server",
                     f"{_console(found.python)} -m pip install --force-reinstall pywin32")
    return Check("pywin32", OK, f"pythoncom {found.found['pythoncom']}")


def dll(setup: Setup, python: Path | None, addin: build.AddinFacts | None, found: probe.Probe | None) -> Check:
    """The xlwings DLL the add-in declares, where its VBA looks: beside the Python or one folder up."""
    version = addin.xlwings if addin else (found.found.get("xlwings") if found and found.started else None)
    if python is None or not version:
        return Check("xlwings DLL", NA, "no configured Python or xlwings version to look for")
    bits = (setup.excel.bits if setup.excel else None) or (found.found["bits"] if found and found.started else setup.bits)
    name = f"xlwings{bits}-{version}.dll"
    for folder in (python.parent, python.parent.parent):
        if (folder / name).is_file():
            return Check("xlwings DLL", OK, str(folder / name))
    detail = f"{name} is neither in {python.parent} nor in {python.parent.parent}"
    user_base = Path(found.found.get("user_base", "")) if found and found.started else None
    if user_base and (user_base / name).is_file():
        return Check("xlwings DLL", FAIL, f"{detail}: xlwings was installed with pip --user, which put it in "
                     f"{user_base}, where Excel does not look", f'copy "{user_base / name}" "{python.parent}"')
    return Check("xlwings DLL", FAIL, detail, f"in a Command Prompt (as administrator if that Python is installed "
                 f"for all users): {_console(python)} -m pip install --force-reinstall xlwings=={version}")


def in_xlstart(setup: Setup, addin: build.AddinFacts | None) -> Check:
    name, path = "Add-in in XLSTART", setup.xlstart / build.ADDIN_NAME
    if not path.is_file():
        return Check(name, FAIL, f"{path} does not exist: Excel does not load the add-in", f"{INSTALL}, then restart Excel")
    if addin is None:
        return Check(name, FAIL, f"{path} is not an xl_tdr add-in, or is damaged", f"{INSTALL}, then restart Excel")
    built = f"{path} (built by xl_tdr {addin.xl_tdr or '?'} for xlwings {addin.xlwings})"
    if setup.built and setup.built.is_file() and setup.built.read_bytes() != path.read_bytes():
        return Check(name, WARN, f"{built} is not the add-in `xl-tdr addin install` built last ({setup.built})",
                     f"{INSTALL}, then restart Excel")
    return Check(name, OK, built)


def functions(found: probe.Probe | None, addin: build.AddinFacts | None) -> Check:
    """The worksheet functions load in the configured Python, and the add-in wraps exactly those."""
    name = "Worksheet functions"
    skipped = _unstarted(name, found)
    if skipped:
        return skipped
    if "functions" not in found.found:
        return Check(name, FAIL, f"xl_tdr's functions do not load in the configured Python: "
                     f"{found.found.get('functions_error')}", f"{_console(found.python)} -m pip install xl-tdr, "
                     "then `xl-tdr addin install` in that Python")
    have, version = set(found.found["functions"]), found.found.get("xl_tdr", "?")
    if addin is not None and set(addin.functions) - have:
        missing = ", ".join(sorted(set(addin.functions) - have))
        return Check(name, FAIL, f"the add-in calls {missing}, which xl_tdr {version} in the configured Python lacks",
                     f"{INSTALL} from that Python, then restart Excel")
    if addin is not None and have - set(addin.functions):
        return Check(name, WARN, f"the add-in lacks {', '.join(sorted(have - set(addin.functions)))} of xl_tdr "
                     f"{version} (it was built by xl_tdr {addin.xl_tdr or '?'})", f"{INSTALL}, then restart Excel")
    return Check(name, OK, f"{len(have)} functions of xl_tdr {version} load from {vba.PYTHON_UDF_MODULE}")


def macros(setup: Setup) -> Check:
    """Whether Excel runs the add-in's VBA: XLSTART is a trusted location unless a policy says
    otherwise; outside one, the Trust Center's macro setting decides."""
    name, found = "Macro security", setup.excel
    if found is None:
        return Check(name, NA, "Excel not found")
    policy = found.policy
    if policy.get("RequireAddinSig") == 1:
        return Check(name, FAIL, "a policy lets Excel run only add-ins signed by a trusted publisher; xl_tdr.xlam "
                     "is not signed", "ask IT to allow the add-in (or to trust its folder)")
    listed = machine.is_trusted(setup.xlstart, found.trusted)
    trusted = policy.get("AllLocationsDisabled") != 1 and listed is not False
    warnings = policy.get("VBAWarnings", 2)
    if trusted or warnings == 1:
        return Check(name, OK, f"{setup.xlstart} is a trusted location" if trusted else "macros are enabled")
    where = (f"{setup.xlstart} is not a trusted location" if listed is False
             else "trusted locations are turned off by a policy")
    fix = (f"File > Options > Trust Center > Trust Center Settings > Trusted Locations: add {setup.xlstart} "
           "(or ask IT)")
    if warnings in (3, 4):
        return Check(name, FAIL, f"{where} and macros are disabled: the add-in's VBA never runs", fix)
    return Check(name, WARN, f"{where}: Excel asks before enabling the add-in's macros at each start", fix)
