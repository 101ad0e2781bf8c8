"""The add-in: build xl_tdr.xlam and read it back with oletools."""

import importlib
import inspect
import re
import zipfile

import pytest
import xlwings
from lxml import etree
from oletools.olevba import VBA_Parser

from xl_tdr import udfs
from xl_tdr.addin import build as addin_build
from xl_tdr.addin.vba import BUTTONS, PYTHON_UDF_MODULE, RIBBON_MODULE, UDF_MODULE

CUSTOM_UI = "{http://schemas.microsoft.com/office/2006/01/customui}"


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
    assert [b.get("label") for b in buttons] == ["Refresh data", "New report", "Data info", "Help"]
    assert buttons[0].get("size") == "large"
    actions = importlib.import_module("xl_tdr.addin")
    for button in buttons:
        module, sub = button.get("onAction").split(".")
        assert module == RIBBON_MODULE
        body = re.search(rf"Sub {sub}\(control As IRibbonControl\)\s*\n(.*?)\nEnd Sub", modules[module], re.S)
        assert body, f"no callback {sub}"
        target = re.fullmatch(r'\s*RunPython "import xl_tdr\.addin; xl_tdr\.addin\.(\w+)\(\)"\s*', body[1])
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
        line = next(line for line in code.splitlines() if f'Macro:="{spec.name}"' in line)
        assert 'Category:="xl_tdr"' in line
        for text in re.findall(r'"((?:[^"]|"")*)"', line):
            assert len(text.replace('""', '"')) <= 255
        assert len(spec.description) <= 255 and spec.description


def test_install_on_a_machine_without_excel(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XL_TDR_HOME", str(tmp_path / "home"))
    lines = addin_build.install_addin(run=lambda *a, **k: pytest.fail("no installer on Linux"))
    assert (tmp_path / "home" / "xl_tdr.xlam").is_file()
    conf = (tmp_path / ".xl_tdr" / "xl_tdr.conf").read_text()
    assert '"UDF MODULES","xl_tdr.udfs"' in conf
    assert "on Windows" in lines[-1]
