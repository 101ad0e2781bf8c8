"""The add-in: build xl_tdr.xlam and read it back (VBA with oletools, the package with zipfile,
the VBA project's records with pyOpenVBA) — what Excel on Windows would trip over, proven here."""

import importlib
import inspect
import re
import zipfile
from pathlib import Path

import pytest
import xlwings
from conftest import SHARED, require_shared
from lxml import etree
from oletools.olevba import VBA_Parser
from vba_reading import calls, evaluate, one_line_function, procedures, running_lines

from xl_tdr import udfs
from xl_tdr.addin import build as addin_build
from xl_tdr.addin.vba import (
    BUTTONS,
    CUSTOM_UI_NAMESPACE,
    CUSTOM_UI_RELATIONSHIP,
    PYTHON_UDF_MODULE,
    RIBBON_MODULE,
    UDF_MODULE,
)
from xl_tdr.errors import XlTdrError

CUSTOM_UI = "{" + CUSTOM_UI_NAMESPACE + "}"


@pytest.fixture(scope="module")
def addin(tmp_path_factory):
    path = addin_build.build_addin(tmp_path_factory.mktemp("addin"))
    parser = VBA_Parser(str(path))
    modules = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    with zipfile.ZipFile(path) as archive:
        ui = etree.fromstring(archive.read("customUI/customUI.xml"))
    return path, modules, ui


def test_the_package_is_the_xlwings_ribbon_template_with_our_parts(addin):
    path, modules, _ = addin
    assert path.name == "xl_tdr.xlam"
    with zipfile.ZipFile(path) as ours, zipfile.ZipFile(addin_build.template_path()) as template:
        assert set(ours.namelist()) == set(template.namelist())
    assert {RIBBON_MODULE, UDF_MODULE, "xlwings", "ThisWorkbook"} <= set(modules)
    assert not any(name.lower().startswith("ribbonmyaddin") for name in modules)
    from pyopenvba import check_file

    assert check_file(path).issues == ()


def test_xlwings_module_version_and_project_name(addin):
    _, modules, _ = addin
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in modules["xlwings"]
    assert 'Public Const PROJECT_NAME As String = "xl_tdr"' in modules["xlwings"]


def test_ribbon_tab_and_every_callback(addin):
    _, modules, ui = addin
    tab = ui.find(f".//{CUSTOM_UI}tab")
    assert tab.get("label") == "TDR"
    group = tab.find(f"{CUSTOM_UI}group")
    assert group.get("label") == "Trade data"
    buttons = group.findall(f"{CUSTOM_UI}button")
    assert [b.get("label") for b in buttons] == ["Refresh data", "New report", "Export chart", "Data info", "Help"]
    assert buttons[0].get("size") == "large"
    actions = importlib.import_module("xl_tdr.addin")
    subs = procedures(modules[RIBBON_MODULE])
    for button in buttons:
        module, sub = button.get("onAction").split(".")
        assert module == RIBBON_MODULE and sub in subs, f"no callback {sub}"
        assert re.search(rf"^Sub {sub}\(control As IRibbonControl\)", modules[module], re.M)
        if button.get("label") == "Help":  # VBA only: the button to press when Python does not work
            assert "RunAction" not in " ".join(subs[sub]) and "FollowHyperlink" in " ".join(subs[sub])
            assert "xl-tdr doctor" in " ".join(subs[sub])
            continue
        [line] = subs[sub]
        action = re.fullmatch(r'RunAction "(\w+)", control', line)
        assert action, line
        inspect.signature(getattr(actions, action[1])).bind("Book1")  # takes the calling book's name
    assert len(buttons) == len(BUTTONS)


def test_one_wrapper_per_worksheet_function(addin):
    _, modules, _ = addin
    code = modules[UDF_MODULE]
    functions = re.findall(r"^Function (\w+)\((.*?)\)", code, re.M)
    assert [name for name, _ in functions] == [spec.name for spec in udfs.UDFS]
    assert {"TDR", "TDR_EXPORTS", "TDR_IMPORTS", "TDR_DEFICIT", "TDR_BALANCE", "TDR_COVERAGE", "TDR_GL",
            "TDR_TABLE", "TDR_SECTORS", "TDR_SERIES", "TDR_PARTNERS", "TDR_INFO"} == {name for name, _ in functions}
    assert dict(functions)["TDR"] == "partner, year, Optional period, Optional sector"
    assert dict(functions)["TDR_SECTORS"] == "partner, year, Optional top, Optional period, Optional lang"
    for name, signature in functions:
        python = getattr(importlib.import_module(PYTHON_UDF_MODULE), name)
        parameters = inspect.signature(python).parameters
        expected = [("Optional " if p.default is not inspect.Parameter.empty else "") + p.name
                    for p in parameters.values()]
        assert [part.strip() for part in signature.split(",") if part.strip()] == expected
        call = f'{name} = XLPy.CallUDF("{PYTHON_UDF_MODULE}", "{name}", Array({", ".join(parameters)}), ActiveWorkbook, Application.Caller)'
        assert call in code


def test_function_wizard_descriptions(addin):
    _, modules, _ = addin
    code = modules[UDF_MODULE]
    assert "xl_tdr_udfs.RegisterFunctions" in modules["ThisWorkbook"] and "Workbook_Open" in modules["ThisWorkbook"]
    for spec in udfs.UDFS:
        line = next(line for line in code.splitlines() if f"!{spec.name}\", Description:=" in line)
        assert 'Category:="xl_tdr"' in line
        for text in re.findall(r'"((?:[^"]|"")*)"', line):
            assert len(text.replace('""', '"')) <= 255
        assert len(spec.description) <= 255 and spec.description


def test_the_ribbon_namespace_and_its_relationship_type_are_one_pair(addin):
    path, _, ui = addin
    assert ui.tag == CUSTOM_UI + "customUI"
    with zipfile.ZipFile(path) as archive:
        rels = etree.fromstring(archive.read("_rels/.rels"))
    ribbon = [r for r in rels if r.get("Target") == "customUI/customUI.xml"]
    assert [r.get("Type") for r in ribbon] == [CUSTOM_UI_RELATIONSHIP]
    assert CUSTOM_UI_NAMESPACE.endswith("/2009/07/customui") and "/2007/relationships/" in CUSTOM_UI_RELATIONSHIP


def test_the_python_buttons_run_behind_the_guard_and_an_error_handler(addin):
    """Issue 20, items 3 and 7: the stand-in before RunPython, an error handler around it (xlwings
    calls its DLL before its own handler), the stand-in closed on both paths."""
    _, modules, _ = addin
    subs = procedures(modules[RIBBON_MODULE])
    assert subs["StandInWorkbook"][-1] == "If ActiveWorkbook Is Nothing Then Set StandInWorkbook = Workbooks.Add"
    body = subs["RunAction"]
    run = next(i for i, line in enumerate(body) if line.startswith("RunPython "))
    handler = body.index("On Error GoTo failed")
    assert handler < body.index("Set standIn = StandInWorkbook()") < run
    assert not [line for line in body[handler + 1:run] if line.startswith("On Error")]  # nothing unsets it
    failed, done = body.index("failed:"), body.index("done:")
    assert run < done < failed and body[failed + 1:] == ["PythonFailed Err.Description", "Resume done"]
    assert body[done + 1:failed] == ["On Error Resume Next", "If Not standIn Is Nothing Then standIn.Close "
                                     "SaveChanges:=False", "Exit Sub"]
    message = " ".join(subs["PythonFailed"])
    assert "Application.StatusBar = False" in message and "xl-tdr doctor" in message and "MsgBox" in message
    callers = {name for name, lines in subs.items() if any(line.startswith("RunPython") for line in lines)}
    assert callers == {"RunAction"}
    assert "RunPython" not in modules["ThisWorkbook"] and "RunPython" not in modules[UDF_MODULE]


def test_xlwings_runs_its_dll_before_its_own_error_handler(addin):
    """The premise of the handler above, read from the installed xlwings' own RunPython."""
    _, modules, _ = addin
    body = procedures(modules["xlwings"])["RunPython"]
    first_dll_call = next(i for i, line in enumerate(body) if "XLPy." in line)
    assert first_dll_call < body.index("On Error GoTo err_handling")


@pytest.mark.parametrize("name", ["Book1", "Informe O'Brien.xlsx", "C'est l'été 2025.xlsx", "R&D; (final).xlsx",
                                  "back\\slash's.xlsx"])
def test_the_calling_book_is_passed_by_name_as_python_reads_it(addin, name):
    """Issue 20, item 7: the command VBA builds is Python that calls the action with the book's name."""
    import ast

    _, modules, _ = addin
    code = modules[RIBBON_MODULE]
    subs = procedures(code)
    assert "bookName = CallingBookName(control)" in subs["RunAction"]
    assert 'If TypeName(control.Context) = "Window" Then CallingBookName = control.Context.Parent.Name' in \
        subs["CallingBookName"]
    line = next(line for line in subs["RunAction"] if line.startswith("RunPython "))
    command = evaluate(line[len("RunPython "):], {"action": "refresh_data", "bookName": name},
                       {"PythonString": one_line_function(code, "PythonString")})
    tree = ast.parse(command)
    assert isinstance(tree.body[0], ast.Import) and tree.body[0].names[0].name == "xl_tdr.addin"
    call = tree.body[1].value
    assert ast.unparse(call.func) == "xl_tdr.addin.refresh_data" and ast.literal_eval(call.args[0]) == name


def test_the_start_up_check_reads_the_users_config_file_only(addin):
    """Issue 20, item 1: with no workbook open, nothing CheckSetup runs may read ActiveWorkbook
    (xlwings' GetConfig reads the active workbook's folder unless asked for the user's file)."""
    _, modules, _ = addin
    xlwings_code = procedures(modules["xlwings"])
    check = running_lines(procedures(modules[RIBBON_MODULE])["CheckSetup"], {"Mac": False})
    assert check and not [line for line in check if "ActiveWorkbook" in line]
    config_calls = re.findall(r"GetConfig\(([^)]*)\)", " ".join(check))
    assert len(config_calls) == 3 and all(args.endswith(', "user"') for args in config_calls)

    def reads_active_workbook(name, known, seen):
        lines = running_lines(xlwings_code[name], known)
        if any("ActiveWorkbook" in line for line in lines):
            return True
        seen.add(name)
        return any(reads_active_workbook(called, {"App": "Microsoft Excel", "Mac": False}, seen)
                   for called in calls(lines, set(xlwings_code)) - seen)

    windows_excel = {"App": "Microsoft Excel", "Mac": False}
    assert not reads_active_workbook("GetConfig", {**windows_excel, "source": "user"}, set())
    assert reads_active_workbook("GetConfig", {**windows_excel, "source": ""}, set())  # what the check did before


@pytest.mark.parametrize("env", ["base", "trade", r"D:\envs\trade"])
def test_the_start_up_check_finds_a_conda_python_where_doctor_and_xlwings_do(addin, env):
    from pathlib import PureWindowsPath

    from xl_tdr.addin import probe

    _, modules, _ = addin
    known = {"Mac": False, "condaPath": r"C:\miniconda3", "condaEnv": env, "python": "pythonw",
             "InStr": lambda text, part: text.find(part) + 1}
    lines = running_lines(procedures(modules[RIBBON_MODULE])["CheckSetup"], known)
    [assignment] = [line for line in lines if line.startswith("python = ") and "GetConfig" not in line]
    found = evaluate(assignment[len("python = "):], {k: v for k, v in known.items() if isinstance(v, str)})
    expected = probe.excel_python({"INTERPRETER_WIN": "pythonw", "CONDA PATH": known["condaPath"], "CONDA ENV": env})
    assert found == str(PureWindowsPath(str(expected)))


def test_function_descriptions_are_registered_with_the_add_in_shown_as_a_workbook(addin):
    """Issue 20, item 2: MacroOptions on a hidden workbook (an add-in) raises 1004; the add-in is
    made a workbook for the calls and made an add-in again on every path, marked saved."""
    _, modules, _ = addin
    subs = procedures(modules[UDF_MODULE])
    body = subs["RegisterFunctions"]
    options = [i for i, line in enumerate(body) if line.startswith("Application.MacroOptions")]
    assert len(options) == len(udfs.UDFS)
    assert body.index("On Error GoTo failed") < body.index("ThisWorkbook.IsAddin = False") < options[0]
    assert body.index("wasAddin = ThisWorkbook.IsAddin") < body.index("ThisWorkbook.IsAddin = False")
    restore, failed = body.index("restore:"), body.index("failed:")
    assert options[-1] < restore < failed and body[restore + 1] == "On Error Resume Next"
    restoring = body[restore:failed]
    assert {"ThisWorkbook.IsAddin = wasAddin", "ThisWorkbook.Saved = True", "Exit Sub"} <= set(restoring)
    assert body[failed + 1:] == ["refusal = Err.Description", "Resume restore"]  # the failure restores too
    shown = next(line for line in restoring if line.startswith("Application.StatusBar = "))
    assert restoring.index('If refusal <> "" Then') < restoring.index(shown)
    later = next(line for line in restoring if line.startswith("Application.OnTime"))
    assert f"'!{UDF_MODULE}.ClearStatus" in later and "TimeSerial(0, 0, 15)" in later
    clear = re.fullmatch(r'If Left\$\(CStr\(Application\.StatusBar\), (\d+)\) = "([^"]+)" Then '
                         r"Application\.StatusBar = False", subs["ClearStatus"][-1])
    assert clear and len(clear[2]) == int(clear[1]) and shown.startswith(f'Application.StatusBar = "{clear[2]}')
    assert re.search(r"^Sub ClearStatus\(\)", modules[UDF_MODULE], re.M)  # public: OnTime can call it


def test_every_vba_string_is_in_code_page_1252_and_no_description_reads_a_question_mark(addin):
    path, modules, _ = addin
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        assert book.vba_project().code_page == 1252
    for name in (RIBBON_MODULE, UDF_MODULE, "ThisWorkbook"):
        modules[name].encode("cp1252")
        assert max(map(len, modules[name].splitlines())) <= 1023  # VBA's longest line
    code = modules[UDF_MODULE]
    for spec in udfs.UDFS:
        line = next(line for line in code.splitlines() if f"!{spec.name}\", Description:=" in line)
        description = re.search(r'Description:="((?:[^"]|"")*)"', line)[1]
        assert "?" not in description and description.replace("-", "−").replace("−", "-") == \
            spec.description.replace("−", "-").replace("–", "-")
    assert "imports - exports" in code  # the minus sign, as Excel's dialog can show it


def test_macro_options_are_qualified(addin):
    _, modules, _ = addin
    body = procedures(modules[UDF_MODULE])["RegisterFunctions"]
    calls_ = [line for line in body if "MacroOptions" in line]
    assert len(calls_) == len(udfs.UDFS)
    for spec, call in zip(udfs.UDFS, calls_):
        assert call.startswith(f"Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{spec.name}\", ")


def test_no_template_leftovers(addin):
    path, modules, _ = addin
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        assert book.vba_project().name == "xl_tdr"
    from pyopenvba.cfb import CFB

    project = CFB.from_bytes(zipfile.ZipFile(path).read("xl/vbaProject.bin")).get_stream("PROJECT").decode("cp1252")
    assert 'Name="xl_tdr"' in project and "MyAddin" not in project
    with zipfile.ZipFile(path) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist() if not name.endswith(".bin"))
    assert b"myaddin" not in text.lower() and b"felix" not in text.lower()
    assert not any("myaddin" in code.lower() for code in modules.values())
    workbook = etree.fromstring(zipfile.ZipFile(path).read("xl/workbook.xml"))
    sheets = [s.get("name") for s in workbook.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet")]
    assert sheets == ["About"]


def test_start_up_checks_the_xlwings_dll_it_was_built_for(addin):
    path, modules, _ = addin
    version = xlwings.__version__
    assert addin_build.addin_facts(path).xlwings == version
    check = "\n".join(procedures(modules[RIBBON_MODULE])["CheckSetup"])
    assert f'"xlwings64-{version}.dll"' in check and f'"xlwings32-{version}.dll"' in check
    assert 'GetConfig("INTERPRETER_WIN"' in check and "xl-tdr addin install" in check
    assert f'Lib "xlwings64-{version}.dll"' in modules["xlwings"]  # what the check stands for
    assert modules["ThisWorkbook"].index("CheckSetup") < modules["ThisWorkbook"].index("RegisterFunctions")
    assert addin_build.addin_facts(addin_build.template_path().with_name("nothing.xlam")) is None


@pytest.mark.parametrize("tool", ["validate.py", "checks.py"])
def test_the_add_in_is_a_valid_office_package(addin, tool):
    import subprocess
    import sys

    require_shared()
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "ooxml" / tool), str(addin[0])],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "customui14.xsd" in result.stdout or tool == "checks.py"


def test_the_config_file_is_read_by_vba_in_the_ansi_code_page():
    interpreter = r"C:\Users\José Núñez\AppData\Local\Programs\Python\Python311\pythonw.exe"
    data = addin_build.conf_bytes(interpreter, "cp1252")
    text = data.decode("cp1252")
    assert '"INTERPRETER_WIN","C:\\Users\\José Núñez' in text
    lines = text.split("\r\n")
    assert lines[-1] == "" and all(line.strip() for line in lines[:-1])  # no blank line: Input # stops there
    assert all(re.fullmatch(r'"[A-Z_ ]+","[^"]*"', line) for line in lines[:-1])
    assert '"USE UDF SERVER","True"' in lines
    with pytest.raises(XlTdrError, match=r"Python path C:\\Users\\Дмитрий.*not in Windows' code page"):
        addin_build.conf_bytes(r"C:\Users\Дмитрий\python\pythonw.exe", "cp1252")


def test_the_workbook_folder_stays_off_pythons_path_and_no_unused_setting_is_written():
    """Issue 20, item 9: xlwings would look up a OneDrive/SharePoint workbook's local folder (and
    stop with "Couldn't find your local OneDrive file"); the wrappers name xl_tdr.udfs themselves."""
    lines = addin_build.conf_text(r"C:\Python311\pythonw.exe").split("\r\n")
    assert '"ADD_WORKBOOK_TO_PYTHONPATH","False"' in lines
    assert not any(line.startswith('"UDF MODULES"') for line in lines)


def test_a_conda_environment_is_activated_by_xlwings(tmp_path):
    """xlwings activates conda only with INTERPRETER_WIN "pythonw" and CONDA PATH/ENV set."""
    root = tmp_path / "miniconda3"
    (root / "condabin").mkdir(parents=True)
    (root / "conda-meta").mkdir()
    env = root / "envs" / "trade"
    (env / "conda-meta").mkdir(parents=True)
    elsewhere = tmp_path / "projects" / "env"
    (elsewhere / "conda-meta").mkdir(parents=True)
    assert addin_build.interpreter_settings(root / "python.exe") == {
        "INTERPRETER_WIN": "pythonw", "CONDA PATH": str(root), "CONDA ENV": "base"}
    assert addin_build.interpreter_settings(env / "python.exe") == {
        "INTERPRETER_WIN": "pythonw", "CONDA PATH": str(root), "CONDA ENV": "trade"}
    assert addin_build.interpreter_settings(elsewhere / "python.exe", str(root / "Scripts" / "conda.exe")) == {
        "INTERPRETER_WIN": "pythonw", "CONDA PATH": str(root), "CONDA ENV": str(elsewhere)}
    assert addin_build.interpreter_settings(elsewhere / "python.exe") == {
        "INTERPRETER_WIN": str(elsewhere / "pythonw.exe")}  # conda not found: the plain path
    plain = tmp_path / "Python311" / "python.exe"
    assert addin_build.interpreter_settings(plain) == {"INTERPRETER_WIN": str(plain.with_name("pythonw.exe"))}
    text = addin_build.conf_text(addin_build.interpreter_settings(env / "python.exe"))
    assert text.startswith(f'"INTERPRETER_WIN","pythonw"\r\n"CONDA PATH","{root}"\r\n"CONDA ENV","trade"\r\n')


def test_install_off_windows_writes_nothing_and_points_to_the_report(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "home"))
    with pytest.raises(XlTdrError, match="needs Excel on Windows, and nothing was written.*xl-tdr build"):
        addin_build.install_addin(run=lambda *a, **k: pytest.fail("no installer on Linux"))
    assert list(tmp_path.iterdir()) == []


def xlwings_installer(xlstart, said="Successfully installed the xlwings add-in! Please restart Excel.", copy=True,
                      damage=False):
    """``xlwings addin install -f FILE`` as it behaves: it copies FILE to XLSTART and prints what
    happened, exiting 0 even when the copy failed."""
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        if copy:
            xlstart.mkdir(parents=True, exist_ok=True)
            data = Path(command[-1]).read_bytes()
            (xlstart / Path(command[-1]).name).write_bytes(data[:100] if damage else data)
        return type("Done", (), {"returncode": 0, "stdout": said + "\n", "stderr": ""})()
    return run, calls


def test_install_on_windows_builds_writes_the_config_runs_xlwings_and_checks_the_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "home"))
    xlstart = tmp_path / "XLSTART"
    run, calls = xlwings_installer(xlstart)
    lines = addin_build.install_addin(run=run, windows=True, xlstart=xlstart)
    built = tmp_path / "home" / "xl_tdr.xlam"
    assert addin_build.addin_facts(built).xlwings == xlwings.__version__
    conf = (tmp_path / ".xl_tdr" / "xl_tdr.conf").read_bytes().decode("cp1252")
    assert conf.startswith('"INTERPRETER_WIN","') and "pythonw.exe" in conf
    assert calls[0][1:] == ["-m", "xlwings.cli", "addin", "install", "-f", str(built)]
    assert lines[-1].startswith(f"installed {xlstart / 'xl_tdr.xlam'}") and "xl-tdr doctor" in lines[-1]


@pytest.mark.parametrize("said, copy, damage, reason", [
    ("Error: Failed to install the add-in: If Excel is running, quit Excel and try again.", False, False,
     "xlwings could not install the add-in: Error: Failed to install the add-in"),
    ("PermissionError(13, 'Permission denied')", False, False, "xlwings could not install the add-in: PermissionError"),
    ("Successfully installed the xlwings add-in! ", False, False, "xl_tdr.xlam is missing"),
    ("Successfully installed the xlwings add-in! ", True, True, "xl_tdr.xlam is not the add-in just built"),
])
def test_install_reports_a_failed_copy_that_xlwings_called_a_success(tmp_path, monkeypatch, said, copy, damage, reason):
    """Issue 20, item 6: xlwings prints its error and exits 0; the copy is checked byte for byte."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "home"))
    run, _ = xlwings_installer(tmp_path / "XLSTART", said, copy, damage)
    with pytest.raises(XlTdrError, match=re.escape(reason)):
        addin_build.install_addin(run=run, windows=True, xlstart=tmp_path / "XLSTART")
