"""The add-in: build xl_tdr.xlam and read it back (VBA with oletools, the package with zipfile,
the VBA project's records with pyOpenVBA) — what Excel on Windows would trip over, proven here."""

import importlib
import inspect
import re
import zipfile

import pytest
import xlwings
from conftest import SHARED, require_shared
from lxml import etree
from oletools.olevba import VBA_Parser

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


def _subs(code: str) -> dict[str, str]:
    """Every Sub/Function of a module: name → body."""
    return {m[2]: m[3] for m in re.finditer(r"^(Public |Private )?(?:Sub|Function) (\w+)\(.*?\).*?\n(.*?)^End (?:Sub|Function)",
                                            code, re.S | re.M)}


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
    assert [b.get("label") for b in buttons] == ["Refresh data", "New report", "Data info", "Help"]
    assert buttons[0].get("size") == "large"
    actions = importlib.import_module("xl_tdr.addin")
    for button in buttons:
        module, sub = button.get("onAction").split(".")
        assert module == RIBBON_MODULE
        body = re.search(rf"Sub {sub}\(control As IRibbonControl\)\s*\n(.*?)\nEnd Sub", modules[module], re.S)
        assert body, f"no callback {sub}"
        target = re.search(r'RunPython "import xl_tdr\.addin; xl_tdr\.addin\.(\w+)\(\)"', body[1])
        if button.get("label") == "Help":  # VBA only: the button to press when Python does not work
            assert not target and "FollowHyperlink" in body[1] and "xl-tdr doctor" in body[1]
            continue
        assert target, body[1]
        assert callable(getattr(actions, target[1]))
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


def test_a_guard_before_every_run_python(addin):
    _, modules, _ = addin
    subs = _subs(modules[RIBBON_MODULE])
    assert "ActiveWorkbook Is Nothing" in subs["StandInWorkbook"] and "Workbooks.Add" in subs["StandInWorkbook"]
    callers = {name: body for name, body in subs.items() if 'RunPython "' in body}
    assert len(callers) == sum(1 for b in BUTTONS if b.action) == 3
    for name, body in callers.items():
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        run = next(i for i, line in enumerate(lines) if line.startswith("RunPython"))
        assert "Set standIn = StandInWorkbook()" in lines[:run], name
        assert lines[run + 1] == "If Not standIn Is Nothing Then standIn.Close SaveChanges:=False", name
    assert "RunPython" not in modules["ThisWorkbook"] and "RunPython" not in modules[UDF_MODULE]


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


def test_macro_options_are_qualified_and_a_refusal_is_shown(addin):
    _, modules, _ = addin
    body = _subs(modules[UDF_MODULE])["RegisterFunctions"]
    calls = [line.strip() for line in body.splitlines() if "MacroOptions" in line]
    assert len(calls) == len(udfs.UDFS)
    for spec, call in zip(udfs.UDFS, calls):
        assert call.startswith(f"Application.MacroOptions Macro:=\"'\" & ThisWorkbook.Name & \"'!{spec.name}\", ")
    assert "On Error Resume Next" not in body and "On Error GoTo failed" in body
    assert re.search(r"failed:\s*Application\.StatusBar = .*Err\.Description", body)


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
    assert addin_build.built_for_xlwings(path) == version
    check = _subs(modules[RIBBON_MODULE])["CheckSetup"]
    assert f'"xlwings64-{version}.dll"' in check and f'"xlwings32-{version}.dll"' in check
    assert 'GetConfig("INTERPRETER_WIN"' in check and "xl-tdr addin install" in check
    assert f'Lib "xlwings64-{version}.dll"' in modules["xlwings"]  # what the check stands for
    assert modules["ThisWorkbook"].index("CheckSetup") < modules["ThisWorkbook"].index("RegisterFunctions")
    assert addin_build.built_for_xlwings(addin_build.template_path().with_name("nothing.xlam")) is None


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
    assert '"UDF MODULES","xl_tdr.udfs"' in lines and '"USE UDF SERVER","True"' in lines
    with pytest.raises(XlTdrError, match="not in Windows' code page"):
        addin_build.conf_bytes(r"C:\Users\Дмитрий\python\pythonw.exe", "cp1252")


def test_install_off_windows_writes_nothing_and_points_to_the_report(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "home"))
    with pytest.raises(XlTdrError, match="needs Excel on Windows, and nothing was written.*xl-tdr build"):
        addin_build.install_addin(run=lambda *a, **k: pytest.fail("no installer on Linux"))
    assert list(tmp_path.iterdir()) == []


def test_install_on_windows_builds_writes_the_config_and_runs_xlwings(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "home"))
    calls = []

    def installer(command, **kwargs):
        calls.append(command)
        return type("Done", (), {"returncode": 0, "stdout": "", "stderr": ""})()
    lines = addin_build.install_addin(run=installer, windows=True)
    built = tmp_path / "home" / "xl_tdr.xlam"
    assert addin_build.built_for_xlwings(built) == xlwings.__version__
    conf = (tmp_path / ".xl_tdr" / "xl_tdr.conf").read_bytes().decode("cp1252")
    assert conf.startswith('"INTERPRETER_WIN","') and "pythonw.exe" in conf
    assert calls[0][1:] == ["-m", "xlwings.cli", "addin", "install", "-f", str(built)]
    assert "xl-tdr doctor" in lines[-1]
