"""``xl-tdr doctor`` on broken setups: each check against the thing it looks for, on real files.

A Windows desktop is described with ``doctor.Setup`` (folders here, the real add-in built into an
XLSTART folder, a real config file); the store and key checks run on this machine as they are.
"""

import dataclasses
import subprocess
import sys

import pytest
import xlwings

from xl_tdr.addin import build, doctor
from xl_tdr.data.store import Store

VERSION = xlwings.__version__


@pytest.fixture(scope="module")
def built_addin(tmp_path_factory):
    return build.build_addin(tmp_path_factory.mktemp("built"))


@pytest.fixture
def desktop(tmp_path, built_addin):
    """A working Windows setup: Python with the xlwings DLL, its config file, the add-in in XLSTART."""
    python = tmp_path / "Programs" / "Python311" / "pythonw.exe"
    python.parent.mkdir(parents=True)
    python.write_bytes(b"MZ")
    (python.parent / f"xlwings64-{VERSION}.dll").write_bytes(b"MZ")
    conf = tmp_path / "Users" / "ana" / ".xl_tdr" / "xl_tdr.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(build.conf_bytes(str(python), "cp1252"))
    xlstart = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    xlstart.mkdir(parents=True)
    (xlstart / build.ADDIN_NAME).write_bytes(built_addin.read_bytes())
    return doctor.Setup(windows=True, python=python, python_version="3.11.9", bits=64, xlwings_version=VERSION,
                        profile=tmp_path / "Users" / "ana", conf=conf, xlstart=xlstart, code_page="cp1252")


def by_name(setup):
    return {check.name: check for check in doctor.run(setup)}


def test_a_working_desktop_passes_every_check(desktop):
    checks = by_name(desktop)
    assert [c.name for c in checks.values()] == ["Python", "Not the Store's Python", "xlwings version", "xlwings DLL",
                                                 "Config file", "Add-in in XLSTART", "Profile path", "Data store",
                                                 "Census API key"]
    assert {name: c.status for name, c in checks.items() if c.status != doctor.OK} == {"Census API key": doctor.NA}
    assert doctor.blocking(list(checks.values())) == []
    assert doctor.report(list(checks.values())).endswith("Nothing blocks xl_tdr.")


def test_missing_config_file(desktop):
    desktop.conf.unlink()
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "does not exist" in check.detail and "xl-tdr addin install" in check.fix


def test_a_blank_line_in_the_config_file(desktop):
    desktop.conf.write_bytes(desktop.conf.read_bytes().replace(b"\r\n", b"\r\n\r\n", 1))
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "blank line (line 2)" in check.detail


def test_a_config_file_written_as_utf8(desktop):
    python = desktop.python.parent / "pythonw.exe"
    desktop.conf.write_text(build.conf_text(str(python).replace("Programs", "Programación")), encoding="utf-8")
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "not in Windows' code page (cp1252)" in check.detail


def test_a_config_file_naming_a_python_that_is_gone(desktop):
    desktop.python.unlink()
    check = by_name(desktop)["Config file"]
    assert check.status == doctor.FAIL and "does not exist" in check.detail and str(desktop.python) in check.detail


def test_an_add_in_built_for_another_xlwings(desktop):
    newer = dataclasses.replace(desktop, xlwings_version="99.0.0")
    (desktop.python.parent / "xlwings64-99.0.0.dll").write_bytes(b"MZ")
    checks = by_name(newer)
    assert checks["xlwings version"].status == doctor.FAIL
    assert f"built for xlwings {VERSION}, this Python has 99.0.0" in checks["xlwings version"].detail
    assert "rebuilds the add-in" in checks["xlwings version"].fix and checks["xlwings DLL"].status == doctor.OK


def test_the_xlwings_dll_missing_or_one_folder_up_in_a_virtualenv(desktop):
    dll = desktop.python.parent / f"xlwings64-{VERSION}.dll"
    dll.rename(desktop.python.parent.parent / dll.name)  # venv: Scripts\pythonw.exe, the DLL in the venv's root
    assert by_name(desktop)["xlwings DLL"].status == doctor.OK
    (desktop.python.parent.parent / dll.name).unlink()
    check = by_name(desktop)["xlwings DLL"]
    assert check.status == doctor.FAIL and f"pip install --force-reinstall xlwings=={VERSION}" in check.fix


def test_no_add_in_in_xlstart_or_a_foreign_one(desktop):
    addin = desktop.xlstart / build.ADDIN_NAME
    addin.write_bytes(b"not a zip")
    assert "not an xl_tdr add-in" in by_name(desktop)["Add-in in XLSTART"].detail
    addin.unlink()
    checks = by_name(desktop)
    assert checks["Add-in in XLSTART"].status == doctor.FAIL and checks["xlwings version"].status == doctor.NA


def test_the_microsoft_store_python(desktop):
    store = desktop.profile / "AppData" / "Local" / "Microsoft" / "WindowsApps" / "python.exe"
    check = by_name(dataclasses.replace(desktop, python=store))["Not the Store's Python"]
    assert check.status == doctor.FAIL and "python.org" in check.fix


def test_profile_paths_with_accents_or_outside_the_code_page(desktop):
    assert by_name(dataclasses.replace(desktop, profile=desktop.profile.with_name("José")))["Profile path"].status \
        == doctor.WARN
    check = by_name(dataclasses.replace(desktop, profile=desktop.profile.with_name("Дмитрий")))["Profile path"]
    assert check.status == doctor.FAIL and "cp1252" in check.detail


def test_32_bit_python_is_a_warning(desktop):
    check = by_name(dataclasses.replace(desktop, bits=32))["Python"]
    assert check.status == doctor.WARN and "32-bit Excel" in check.detail


def doctor_command(**env):
    import os

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
    import os

    result = subprocess.run([sys.executable, "-m", "xl_tdr", "doctor"], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert result.stdout.decode("cp1252").splitlines()[0].startswith("ok Python")
