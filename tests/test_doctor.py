"""``xl-tdr doctor`` on broken setups: each check against the thing it looks for, on real files.

A Windows desktop is described with ``doctor.Setup``: folders here, the real add-in built into an
XLSTART folder, a real config file, an Excel executable's header, registry values — and the
configured Python is a stand-in interpreter (a small script that runs this Python, with what a
real install would have or lack: pywin32's pythoncom, another xlwings, a crash, a hang). The
store and key checks run on this machine as they are.
"""

import dataclasses
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings

from xl_tdr.addin import build, doctor, machine
from xl_tdr.data.store import Store

VERSION = xlwings.__version__
ROOT = Path(__file__).resolve().parents[1]
PE_64 = b"MZ" + b"\0" * 58 + (64).to_bytes(4, "little") + b"PE\0\0" + (0x8664).to_bytes(2, "little") + b"\0" * 32
PE_32 = PE_64[:68] + (0x014C).to_bytes(2, "little") + PE_64[70:]


@pytest.fixture(scope="module")
def built_addin(tmp_path_factory):
    return build.build_addin(tmp_path_factory.mktemp("built"))


#: Libraries the stand-in Python lacks: xlwings imports them when present (half a second a probe).
ABSENT = ("pandas", "numpy", "matplotlib", "PIL")


def stand_in(path: Path, lib: Path | None = None, before: str = "", run: str | None = None) -> Path:
    """An executable at ``path`` that starts this Python as a configured Python would start: with
    xlwings and this xl_tdr, plus the modules in ``lib`` (pythoncom…), without pandas, numpy or
    matplotlib; ``run`` replaces it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    absent = library(path.parent / "absent", **{name: "raise ImportError('not in this Python')" for name in ABSENT})
    paths = os.pathsep.join(str(p) for p in (lib, absent, ROOT) if p)
    path.write_text(f"#!/bin/sh\n{before}\nexport PYTHONPATH='{paths}'\n"
                    + (run or f'exec "{sys.executable}" "$@"') + "\n")
    path.chmod(0o755)
    return path


def library(folder: Path, **modules: str) -> Path:
    """A folder of Python modules (name → source) for a stand-in interpreter."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in modules.items():
        (folder / f"{name}.py").write_text(source)
    return folder


@pytest.fixture
def desktop(tmp_path, built_addin):
    """A working Windows setup: Excel (64-bit), Python with pywin32 and the xlwings DLL, its config
    file, the add-in in XLSTART (a trusted location), as `xl-tdr addin install` leaves them."""
    pywin32 = library(tmp_path / "site", pythoncom="")
    python = stand_in(tmp_path / "Programs" / "Python311" / "pythonw.exe", pywin32)
    (python.parent / f"xlwings64-{VERSION}.dll").write_bytes(b"MZ")
    conf = tmp_path / "Users" / "ana" / ".xl_tdr" / "xl_tdr.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(build.conf_bytes(str(python), "cp1252"))
    xlstart = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    (xlstart / build.ADDIN_NAME).write_bytes(built_addin.read_bytes())
    excel = tmp_path / "Office16" / "EXCEL.EXE"
    excel.parent.mkdir()
    excel.write_bytes(PE_64)
    return doctor.Setup(windows=True, python=Path(sys.executable), python_version="3.11.9", bits=64,
                        xlwings_version=VERSION, profile=tmp_path / "Users" / "ana", conf=conf, xlstart=xlstart,
                        code_page="cp1252", excel=machine.Excel(excel, machine.pe_bits(excel), trusted=(str(xlstart),)),
                        built=built_addin, probe_timeout=60)


def by_name(setup):
    return {check.name: check for check in doctor.run(setup)}


def test_a_working_desktop_passes_every_check(desktop):
    checks = by_name(desktop)
    assert list(checks) == ["Python", "Excel", "Config file", "Not the Store's Python", "Configured Python", "Bitness",
                            "Conda", "xlwings version", "pywin32", "xlwings DLL", "Add-in in XLSTART",
                            "Worksheet functions", "Macro security", "Profile path", "Data store", "Census API key"]
    assert {name: c.status for name, c in checks.items() if c.status != doctor.OK} == {
        "Conda": doctor.NA, "Census API key": doctor.NA}
    assert checks["Configured Python"].detail.startswith(f"Python {sys.version.split()[0]}, 64-bit: ")
    assert checks["Excel"].detail.endswith("EXCEL.EXE, 64-bit") and "12 functions" in checks["Worksheet functions"].detail
    assert doctor.report(list(checks.values())).endswith("Nothing blocks xl_tdr.")


def test_a_configured_python_that_crashes_at_start_up(desktop):
    """The most common cause of "Could not activate Python COM server": doctor starts it and says so."""
    stand_in(desktop_python(desktop), before="export PYTHONHOME=/nonexistent")  # a broken install
    checks = by_name(desktop)
    check = checks["Configured Python"]
    assert check.status == doctor.FAIL and "stopped at start-up (exit code 1): " in check.detail
    assert "Fatal Python error" in check.detail and "Could not activate Python COM server" in check.detail
    assert "-c \"import xl_tdr.udfs\"" in check.fix and "Repair" in check.fix
    for name in ("Bitness", "xlwings version", "pywin32", "Worksheet functions"):
        assert checks[name].status == doctor.NA, name


def desktop_python(setup):
    """The configured Python of a desktop, as its config file names it."""
    settings = dict(line.replace('"', "").split(",", 1) for line in setup.conf.read_text("cp1252").splitlines())
    return Path(settings["INTERPRETER_WIN"])


def test_a_configured_python_that_hangs_is_stopped_after_the_timeout(desktop, tmp_path):
    pid = tmp_path / "pid"
    stand_in(desktop_python(desktop), run=f'echo $$ > "{pid}"\nexec sleep 60')
    check = by_name(dataclasses.replace(desktop, probe_timeout=1))["Configured Python"]
    assert check.status == doctor.FAIL and "did not finish starting within 1 seconds" in check.detail
    assert not Path(f"/proc/{pid.read_text().strip()}").exists()  # stopped, not left running


def test_a_configured_python_without_pywin32(desktop):
    stand_in(desktop_python(desktop))  # xlwings, but no pythoncom
    checks = by_name(desktop)
    assert checks["Configured Python"].status == doctor.OK
    check = checks["pywin32"]
    assert check.status == doctor.FAIL and "No module named 'pythoncom'" in check.detail
    assert check.fix.endswith("-m pip install --force-reinstall pywin32")


def test_the_configured_pythons_xlwings_is_compared_not_doctors(desktop, tmp_path):
    """Doctor runs with xlwings {VERSION}; the Python Excel starts has another one."""
    other = library(tmp_path / "other", pythoncom="", sitecustomize="import xlwings\nxlwings.__version__ = '0.30.0'\n")
    stand_in(desktop_python(desktop), other)
    (desktop_python(desktop).parent / "xlwings64-0.30.0.dll").write_bytes(b"MZ")
    check = by_name(desktop)["xlwings version"]
    assert desktop.xlwings_version == VERSION and check.status == doctor.FAIL
    assert f"built for xlwings {VERSION}, the configured Python has 0.30.0" in check.detail
    assert "xl-tdr addin install` from that Python" in check.fix


def test_a_configured_python_whose_xl_tdr_lacks_a_function_of_the_add_in(desktop, tmp_path):
    older = library(tmp_path / "older", pythoncom="",
                    sitecustomize="import xl_tdr.udfs\nxl_tdr.udfs.UDFS[:] = [s for s in xl_tdr.udfs.UDFS "
                                  "if s.name != 'TDR_INFO']\n")
    stand_in(desktop_python(desktop), older)
    check = by_name(desktop)["Worksheet functions"]
    assert check.status == doctor.FAIL and check.detail.startswith("the add-in calls TDR_INFO, which xl_tdr ")


def test_a_python_of_another_bitness_than_excel(desktop):
    desktop.excel.path.write_bytes(PE_32)
    setup = dataclasses.replace(desktop, excel=dataclasses.replace(desktop.excel, bits=machine.pe_bits(desktop.excel.path)))
    check = by_name(setup)["Bitness"]
    assert check.status == doctor.FAIL and check.detail.startswith("Excel is 32-bit, the configured Python 64-bit")


def test_excel_from_the_microsoft_store_or_no_excel(desktop):
    store = dataclasses.replace(desktop.excel, path=Path(r"C:\Program Files\WindowsApps\Microsoft.Office.Desktop"),
                                bits=None, store=True)
    check = by_name(dataclasses.replace(desktop, excel=store))["Excel"]
    assert check.status == doctor.WARN and "Microsoft Store" in check.detail and "office.com" in check.fix
    checks = by_name(dataclasses.replace(desktop, excel=None))
    assert checks["Excel"].status == doctor.WARN and checks["Macro security"].status == doctor.NA


def test_a_conda_environment_needs_xlwings_to_activate_it(desktop, tmp_path):
    """A conda environment started without activation cannot load its DLLs (here: pywin32's, which
    conda keeps in Library\\bin)."""
    root = tmp_path / "miniconda3"
    (root / "condabin").mkdir(parents=True)
    env = root / "envs" / "trade"
    (env / "conda-meta").mkdir(parents=True)
    (env / "Library" / "bin").mkdir(parents=True)
    dlls = library(tmp_path / "conda-site", pythoncom="", sitecustomize=(
        "import os, sys\n"
        f"if {str(env / 'Library' / 'bin')!r} not in os.environ['PATH'].split(os.pathsep):\n"
        "    class NoDll:\n"
        "        def find_spec(self, name, path=None, target=None):\n"
        "            if name == 'pythoncom':\n"
        "                raise ImportError('DLL load failed while importing pythoncom: '\n"
        "                                  'The specified module could not be found.')\n"
        "    sys.meta_path.insert(0, NoDll())\n"))
    python = stand_in(env / "pythonw.exe", dlls)
    (env / f"xlwings64-{VERSION}.dll").write_bytes(b"MZ")
    desktop.conf.write_bytes(build.conf_bytes(str(python), "cp1252"))  # the plain path: no activation
    checks = by_name(desktop)
    assert checks["Conda"].status == doctor.FAIL and "DLL load failed" in checks["Conda"].detail
    assert "CONDA PATH" in checks["Conda"].fix and checks["pywin32"].status == doctor.FAIL
    desktop.conf.write_bytes(build.conf_bytes(build.interpreter_settings(python), "cp1252"))  # as install writes it
    checks = by_name(desktop)
    assert checks["Conda"].status == doctor.OK and checks["pywin32"].status == doctor.OK
    assert checks["Config file"].detail.endswith(str(python)) and checks["xlwings DLL"].status == doctor.OK


def test_missing_config_file(desktop):
    desktop.conf.unlink()
    checks = by_name(desktop)
    check = checks["Config file"]
    assert check.status == doctor.FAIL and "does not exist" in check.detail and "xl-tdr addin install" in check.fix
    assert checks["Configured Python"].status == doctor.NA


def test_a_blank_line_in_the_config_file(desktop):
    desktop.conf.write_bytes(desktop.conf.read_bytes().replace(b"\r\n", b"\r\n\r\n", 1))
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "blank line (line 2)" in check.detail


def test_a_config_file_written_as_utf8(desktop):
    python = desktop_python(desktop)
    desktop.conf.write_text(build.conf_text(str(python).replace("Programs", "Programación")), encoding="utf-8")
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "not in Windows' code page (cp1252)" in check.detail


def test_a_config_file_naming_a_python_that_is_gone(desktop):
    python = desktop_python(desktop)
    python.unlink()
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "does not exist" in check.detail and str(python) in check.detail


def test_an_old_config_file_puts_the_workbook_folder_on_pythons_path(desktop):
    """Written by an earlier install: no ADD_WORKBOOK_TO_PYTHONPATH; its unused UDF MODULES is no problem."""
    python = desktop_python(desktop)
    desktop.conf.write_bytes((f'"INTERPRETER_WIN","{python}"\r\n"UDF MODULES","xl_tdr.udfs"\r\n'
                              '"USE UDF SERVER","True"\r\n').encode("cp1252"))
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.WARN and "OneDrive" in check.detail and "ADD_WORKBOOK_TO_PYTHONPATH" in check.fix
    desktop.conf.write_bytes(desktop.conf.read_bytes().replace(b'"UDF MODULES","xl_tdr.udfs"', b'"UDF MODULES",""')
                             + b'"ADD_WORKBOOK_TO_PYTHONPATH","False"\r\n')
    assert by_name(desktop)["Config file"].status == doctor.OK


def test_the_xlwings_dll_missing_one_folder_up_or_placed_by_pip_user(desktop, tmp_path):
    python = desktop_python(desktop)
    dll = python.parent / f"xlwings64-{VERSION}.dll"
    dll.rename(python.parent.parent / dll.name)  # venv: Scripts\pythonw.exe, the DLL in the venv's root
    assert by_name(desktop)["xlwings DLL"].status == doctor.OK
    (python.parent.parent / dll.name).unlink()
    check = by_name(desktop)["xlwings DLL"]
    assert check.status == doctor.FAIL and f"-m pip install --force-reinstall xlwings=={VERSION}" in check.fix
    user_base = tmp_path / "AppData" / "Roaming" / "Python"  # where pip --user puts xlwings' DLL
    user_base.mkdir(parents=True)
    (user_base / dll.name).write_bytes(b"MZ")
    site = library(tmp_path / "site", pythoncom="", sitecustomize=f"import site\nsite.getuserbase = lambda: {str(user_base)!r}\n")
    stand_in(python, site)
    check = by_name(desktop)["xlwings DLL"]
    assert check.status == doctor.FAIL and "pip --user" in check.detail
    assert check.fix == f'copy "{user_base / dll.name}" "{python.parent}"' and "reinstall" not in check.fix


def test_no_add_in_in_xlstart_a_foreign_one_or_not_the_one_built_last(desktop):
    addin = desktop.xlstart / build.ADDIN_NAME
    addin.write_bytes(b"not a zip")
    assert "not an xl_tdr add-in" in by_name(desktop)["Add-in in XLSTART"].detail
    addin.unlink()
    checks = by_name(desktop)
    assert checks["Add-in in XLSTART"].status == doctor.FAIL and checks["xlwings version"].status == doctor.NA
    other = desktop.xlstart.parent / "other.xlam"  # the same VBA in another package: an older install's
    with zipfile.ZipFile(desktop.built) as source, zipfile.ZipFile(other, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data + b" " if item.filename == "docProps/core.xml" else data)
    addin.write_bytes(other.read_bytes())
    check = by_name(desktop)["Add-in in XLSTART"]
    assert check.status == doctor.WARN and "not the add-in `xl-tdr addin install` built last" in check.detail
    addin.write_bytes(desktop.built.read_bytes())
    assert by_name(desktop)["Add-in in XLSTART"].status == doctor.OK


@pytest.mark.parametrize("policy, trusted, status, words", [
    ({"RequireAddinSig": 1}, True, doctor.FAIL, "signed by a trusted publisher"),
    ({"VBAWarnings": 4, "AllLocationsDisabled": 1}, True, doctor.FAIL, "trusted locations are turned off"),
    ({"VBAWarnings": 3}, False, doctor.FAIL, "is not a trusted location and macros are disabled"),
    ({"VBAWarnings": 2}, False, doctor.WARN, "asks before enabling"),
    ({"VBAWarnings": 1}, False, doctor.OK, "macros are enabled"),
    ({"VBAWarnings": 4}, True, doctor.OK, "is a trusted location"),
])
def test_macro_settings(desktop, policy, trusted, status, words):
    locations = (str(desktop.xlstart),) if trusted else (str(desktop.xlstart.parent / "Templates"),)
    excel = dataclasses.replace(desktop.excel, policy=policy, trusted=locations)
    check = by_name(dataclasses.replace(desktop, excel=excel))["Macro security"]
    assert check.status == status and words in check.detail


def test_the_bitness_of_an_executable_from_its_header(tmp_path):
    for data, bits in ((PE_64, 64), (PE_32, 32), (b"MZ" + b"\0" * 100, None), (b"#!/bin/sh\n", None)):
        (tmp_path / "x.exe").write_bytes(data)
        assert machine.pe_bits(tmp_path / "x.exe") == bits
    assert machine.pe_bits(tmp_path / "missing.exe") is None


def test_the_microsoft_store_python(desktop):
    store = desktop.profile / "AppData" / "Local" / "Microsoft" / "WindowsApps" / "pythonw.exe"
    stand_in(store, library(store.parent / "site", pythoncom=""))
    desktop.conf.write_bytes(build.conf_bytes(str(store), "cp1252"))
    check = by_name(desktop)["Not the Store's Python"]
    assert check.status == doctor.FAIL and "python.org" in check.fix and str(store) in check.detail


def test_profile_paths_with_accents_or_outside_the_code_page(desktop):
    assert by_name(dataclasses.replace(desktop, profile=desktop.profile.with_name("José")))["Profile path"].status \
        == doctor.WARN
    check = by_name(dataclasses.replace(desktop, profile=desktop.profile.with_name("Дмитрий")))["Profile path"]
    assert check.status == doctor.FAIL and "cp1252" in check.detail


def doctor_command(**env):
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "doctor"], capture_output=True, text=True,
                            env={**os.environ, **env})
    assert "Traceback" not in result.stderr
    return result


def test_the_command_here_reports_the_add_in_as_windows_only_and_exits_0(private_home):
    result = doctor_command(CENSUS_API_KEY="")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("✓ Python") and any(l.startswith("– Excel add-in") and "Windows" in l for l in lines)
    assert any(l.startswith("✓ Data store") and "data through 2025-12" in l for l in lines)
    assert lines[-1] == "Nothing blocks xl_tdr."


def test_a_damaged_store_is_a_failure_with_its_fix(private_home):
    Store().path.write_bytes(b"this is not a database" * 100)
    result = doctor_command()
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "Data store" in l)
    assert line.startswith("✗") and "is damaged" in line
    assert "fix: move the file aside" in result.stdout and "1 problem to fix" in result.stdout


def test_a_bad_key_shape_fails_without_showing_the_key(private_home):
    key = "abc123-not-a-key-" + "9" * 10
    result = doctor_command(CENSUS_API_KEY=key)
    assert result.returncode == 1 and key not in result.stdout + result.stderr
    line = next(l for l in result.stdout.splitlines() if "Census API key" in l)
    assert line.startswith("✗") and "40 hexadecimal characters" in line
    good = doctor_command(CENSUS_API_KEY="0123456789abcdef0123456789abcdef01234567")
    assert good.returncode == 0 and "0123456789abcdef" not in good.stdout and "(not shown)" in good.stdout


def test_the_report_under_a_narrow_code_page(private_home):
    result = subprocess.run([sys.executable, "-m", "xl_tdr", "doctor"], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert result.stdout.decode("cp1252").splitlines()[0].startswith("ok Python")
