"""Build ``xl_tdr.xlam`` from the ribbon add-in template of the installed xlwings, and install it.

Steps: copy ``quickstart_addin_ribbon.xlam``; put in our ribbon (``customUI/customUI.xml`` with
its matching relationship type), an "About" sheet in place of the template's ``_myaddin.conf``
and our own document properties; with pyOpenVBA, drop the template's demo callback module, add
the ribbon callbacks and one VBA wrapper per worksheet function, register them on open, point the
xlwings module's ``PROJECT_NAME`` at ``xl_tdr`` (its settings come from ``xl_tdr.conf``) and
name the VBA project ``xl_tdr``.

The wrappers declare the DLL of the xlwings that built them, so the add-in is rebuilt on every
install and checks at start-up that this DLL sits next to the configured Python.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import xlwings

from .. import config, udfs
from ..errors import SetupError
from . import vba

ADDIN_NAME = "xl_tdr.xlam"
TEMPLATE = "quickstart_addin_ribbon.xlam"
PROJECT_NAME = vba.PROJECT_NAME
ABOUT_SHEET = "About"
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def template_path() -> Path:
    """The ribbon add-in template shipped with the installed xlwings."""
    path = Path(xlwings.__file__).parent / TEMPLATE
    if not path.is_file():
        raise SetupError(f"the installed xlwings {xlwings.__version__} has no {TEMPLATE}")
    return path


def conf_folder() -> Path:
    """Where xlwings' VBA looks for the add-in's settings: ``%USERPROFILE%\\.xl_tdr``."""
    return Path.home() / f".{PROJECT_NAME}"


def conf_path() -> Path:
    return conf_folder() / f"{PROJECT_NAME}.conf"


def xlstart_folder() -> Path:
    """Excel's start-up folder, where ``xlwings addin install`` puts an add-in."""
    return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "Microsoft" / "Excel" / "XLSTART"


def ansi_code_page() -> str:
    """The code page VBA reads and writes text files in (Windows' ANSI code page; 1252 elsewhere)."""
    if os.name == "nt":
        import ctypes

        return f"cp{ctypes.windll.kernel32.GetACP()}"
    return vba.CODE_PAGE


def about_rows() -> list[tuple[str, str]]:
    """What the add-in's one (hidden) sheet says about it."""
    return [("xl_tdr add-in", config.version()),
            ("Built for xlwings", xlwings.__version__),
            ("Settings", rf"%USERPROFILE%\.{PROJECT_NAME}\{PROJECT_NAME}.conf (written by xl-tdr addin install)"),
            ("Worksheet functions", ", ".join(spec.name for spec in udfs.UDFS)),
            ("Something wrong?", vba.DOCTOR_HINT),
            ("Documentation", config.DOCS_URL)]


def _about_parts() -> dict[str, bytes]:
    """The About sheet and its shared strings."""
    rows = about_rows()
    strings = [text for row in rows for text in row]
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{2 * (r - 1)}</v></c><c r="B{r}" t="s"><v>{2 * r - 1}</v></c></row>'
                    for r in range(1, len(rows) + 1))
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{SPREADSHEET_NS}">'
             f'<sheetPr codeName="Sheet2"/><dimension ref="A1:B{len(rows)}"/>'
             '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
             '<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="22" customWidth="1"/>'
             f'<col min="2" max="2" width="90" customWidth="1"/></cols><sheetData>{cells}</sheetData>'
             '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{SPREADSHEET_NS}" '
              f'count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>")
    return {"xl/worksheets/sheet1.xml": sheet.encode(), "xl/sharedStrings.xml": shared.encode()}


def _core_properties() -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>xl_tdr</dc:title><dc:creator>xl_tdr</dc:creator>"
            "<dc:description>The Trade Deficit Ratio in Excel: worksheet functions and the TDR ribbon tab."
            "</dc:description></cp:coreProperties>").encode()


def _edited(part: str, text: str) -> str:
    """The template's workbook and relationships with our names; a template that no longer has
    what is replaced stops the build (a silent no-op would ship the leftovers)."""
    replacements = {  # (pattern, replacement, must the template have it)
        "xl/workbook.xml": [(r'<sheet name="[^"]*"', f'<sheet name="{ABOUT_SHEET}"', True),
                            (r"<mc:AlternateContent.*?</mc:AlternateContent>", "", False)],  # the author's path
        "_rels/.rels": [(r'Type="[^"]*/ui/extensibility"', f'Type="{vba.CUSTOM_UI_RELATIONSHIP}"', True)],
    }
    for pattern, new, required in replacements.get(part, []):
        text, count = re.subn(pattern, new, text, flags=re.S)
        if required and not count:
            raise SetupError(f"the ribbon template of xlwings {xlwings.__version__} has changed ({part}); "
                             "xl_tdr cannot build the add-in from it")
    return text


def _package_edits() -> dict[str, bytes]:
    return {"customUI/customUI.xml": vba.custom_ui().encode("utf-8"),
            "docProps/core.xml": _core_properties(),
            **_about_parts()}


def _rewrite_package(xlam: Path, edits: dict[str, bytes]) -> None:
    """Rewrite parts of the package (zip), keeping every other entry as it was."""
    staged = xlam.with_suffix(".tmp")
    with zipfile.ZipFile(xlam) as source, zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = edits.get(item.filename)
            if data is None:
                data = source.read(item.filename)
                if item.filename in ("xl/workbook.xml", "_rels/.rels"):
                    data = _edited(item.filename, data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    staged.replace(xlam)


def _renamed_project(project_bin: bytes, name: str) -> bytes:
    """The VBA project renamed: the PROJECTNAME record of the ``dir`` stream and ``Name=`` of the
    ``PROJECT`` stream ([MS-OVBA] 2.3.4.2.1.6, 2.3.1.7); pyOpenVBA keeps both as they were."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(project_bin)
    raw = decompress(cfb.get_stream_in_storage("VBA", "dir"))
    offset = 0
    while offset + 6 <= len(raw):
        record, size = int.from_bytes(raw[offset:offset + 2], "little"), int.from_bytes(raw[offset + 2:offset + 6], "little")
        if record == 0x0004:  # PROJECTNAME
            encoded = name.encode(vba.CODE_PAGE)
            raw = raw[:offset + 2] + len(encoded).to_bytes(4, "little") + encoded + raw[offset + 6 + size:]
            break
        offset += 6 + size
    else:
        raise SetupError("the add-in's VBA project has no name record; xl_tdr cannot build the add-in")
    cfb.write_stream_in_storage("VBA", "dir", compress(raw))
    project = cfb.get_stream("PROJECT").decode(vba.CODE_PAGE)
    cfb.write_stream("PROJECT", re.sub(r'(?m)^Name="[^"]*"', f'Name="{name}"', project).encode(vba.CODE_PAGE))
    return cfb.to_bytes()


def build_addin(out_dir: str | Path | None = None) -> Path:
    """Write ``xl_tdr.xlam`` into ``out_dir`` (default: the current folder); returns its path."""
    from pyopenvba import ExcelFile

    target = Path(out_dir or ".") / ADDIN_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        staged = Path(work) / ADDIN_NAME
        shutil.copyfile(template_path(), staged)
        _rewrite_package(staged, _package_edits())
        coded = Path(work) / f"coded_{ADDIN_NAME}"
        with ExcelFile(staged) as book:
            project = book.vba_project()
            for name in project.module_names():
                if name.lower().startswith("ribbon"):
                    project.delete_module(name)  # the template's demo button
            project.add_module(vba.RIBBON_MODULE, vba.ribbon_module(xlwings.__version__, config.version()))
            project.add_module(vba.UDF_MODULE, vba.udf_module(udfs.UDFS))
            book.set_module("ThisWorkbook", vba.WORKBOOK_OPEN)
            source = book.get_module("xlwings")
            book.set_module("xlwings", re.sub(r'PROJECT_NAME As String = "[^"]*"',
                                              f'PROJECT_NAME As String = "{PROJECT_NAME}"', source))
            book.save(coded)
        with zipfile.ZipFile(coded) as package:
            project_bin = package.read("xl/vbaProject.bin")
        _rewrite_package(coded, {"xl/vbaProject.bin": _renamed_project(project_bin, PROJECT_NAME)})
        shutil.copyfile(coded, target)
    return target


@dataclass(frozen=True)
class AddinFacts:
    """What an xl_tdr add-in says about itself in its VBA."""
    xlwings: str                 # the xlwings whose DLL it declares
    xl_tdr: str                  # the xl_tdr that built it ("" before it said so)
    functions: tuple[str, ...]   # the worksheet functions it wraps


def addin_facts(xlam: Path) -> AddinFacts | None:
    """The facts of an xl_tdr add-in, read from its VBA (None: not an xl_tdr add-in, or damaged)."""
    from pyopenvba import ExcelFile

    try:
        with ExcelFile(xlam) as book:
            xlwings_module = book.get_module("xlwings")
            names = set(book.vba_project().module_names())
            ribbon = book.get_module(vba.RIBBON_MODULE) if vba.RIBBON_MODULE in names else ""
            wrappers = book.get_module(vba.UDF_MODULE) if vba.UDF_MODULE in names else ""
    except Exception:  # not a package, no VBA, no xlwings module: all "not ours"
        return None
    found = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', xlwings_module)
    if not found or not ribbon:
        return None
    version = re.search(r'XL_TDR_VERSION As String = "([^"]*)"', ribbon)
    return AddinFacts(found[1], version[1] if version else "",
                      tuple(re.findall(r"^Function (\w+)\(", wrappers, re.M)))


def built_path() -> Path:
    """Where ``xl-tdr addin install`` builds the add-in before xlwings copies it to XLSTART."""
    return Path(os.environ.get("XL_TDR_HOME") or conf_folder()) / ADDIN_NAME


def conda_settings(prefix: Path, conda_exe: str | None = None) -> dict[str, str]:
    """``CONDA PATH`` and ``CONDA ENV`` for a Python in a conda environment (xlwings then activates
    it before starting Python, so packages that load DLLs find them); {} for any other Python, or
    when conda itself cannot be found."""
    if not (prefix / "conda-meta").is_dir():
        return {}
    if (prefix / "condabin").is_dir():
        return {"CONDA PATH": str(prefix), "CONDA ENV": "base"}
    if prefix.parent.name.lower() == "envs" and (prefix.parent.parent / "condabin").is_dir():
        return {"CONDA PATH": str(prefix.parent.parent), "CONDA ENV": prefix.name}
    root = Path(conda_exe).parent.parent if conda_exe else None
    if root and (root / "condabin").is_dir():
        return {"CONDA PATH": str(root), "CONDA ENV": str(prefix)}  # an environment elsewhere: by its path
    return {}


def interpreter_settings(executable: Path, conda_exe: str | None = None) -> dict[str, str]:
    """The settings that name the Python Excel starts: its ``pythonw.exe``, or for a conda
    environment ``pythonw`` with the environment (xlwings activates it only then)."""
    conda = conda_settings(executable.parent, conda_exe)
    if conda:
        return {"INTERPRETER_WIN": "pythonw", **conda}
    return {"INTERPRETER_WIN": str(executable.with_name("pythonw.exe"))}


def conf_text(interpreter: str | dict[str, str]) -> str:
    """``xl_tdr.conf``: the Python that runs the functions and ribbon — one ``"KEY","value"`` line
    each and no blank line (VBA's ``Input #`` stops at one). The workbook's folder is kept off
    Python's path: the functions need nothing from it, and for a workbook on OneDrive or SharePoint
    xlwings would stop with "Couldn't find your local OneDrive file"."""
    python = {"INTERPRETER_WIN": interpreter} if isinstance(interpreter, str) else interpreter
    settings = {**python, "USE UDF SERVER": "True", "SHOW CONSOLE": "False", "ADD_WORKBOOK_TO_PYTHONPATH": "False"}
    return "".join(f'"{key}","{value}"\r\n' for key, value in settings.items())


def conf_bytes(interpreter: str | dict[str, str], code_page: str | None = None) -> bytes:
    """The config file as VBA reads it: in the ANSI code page, as xlwings' ``config create``
    writes it. A path that code page cannot spell is refused (VBA would read ``?``)."""
    code_page = code_page or ansi_code_page()
    try:
        return conf_text(interpreter).encode(code_page)
    except UnicodeEncodeError as exc:
        line = exc.object.splitlines()[exc.object.count("\n", 0, exc.start)]
        path = line.split('","', 1)[-1].rstrip('"')
        raise SetupError(f"Excel cannot read the Python path {path}: {exc.object[exc.start]!r} is not in Windows' "
                         f"code page ({code_page}); install Python in a folder whose name uses "
                         "only plain letters (e.g. C:\\Python311)") from None


#: What ``xlwings addin install`` prints when it copied the add-in (it prints its errors and exits 0).
INSTALLED = "Successfully installed"


def install_addin(run=None, windows: bool | None = None, xlstart: Path | None = None) -> list[str]:
    """Build the add-in, write its config file and install it (``xlwings addin install -f``), then
    check the copy in XLSTART is the add-in just built; returns the lines to tell the user. Off
    Windows it writes nothing and says why."""
    import subprocess

    if not (os.name == "nt" if windows is None else windows):
        raise SetupError("the xl_tdr add-in needs Excel on Windows, and nothing was written. On a Mac, in Excel "
                         "for the web or in LibreOffice, build the report workbook instead (`xl-tdr build`): "
                         "its formulas are live and work everywhere")
    settings = interpreter_settings(Path(sys.executable), os.environ.get("CONDA_EXE"))
    content = conf_bytes(settings)  # refuses before anything is written
    path = build_addin(built_path().parent)
    conf = conf_path()
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_bytes(content)
    result = (run or subprocess.run)([sys.executable, "-m", "xlwings.cli", "addin", "install", "-f", str(path)],
                                     capture_output=True, text=True)
    said = ((result.stdout or "") + (result.stderr or "")).strip()
    if result.returncode or INSTALLED not in said:
        raise SetupError(f"xlwings could not install the add-in: {said[:300] or 'it gave no reason'}; "
                         f"if Excel is running, close it and run `xl-tdr addin install` again")
    copy = _verified_copy(path, xlstart or xlstart_folder())
    python = settings["INTERPRETER_WIN"] + (f" in conda environment {settings['CONDA ENV']}" if "CONDA ENV" in settings else "")
    return [f"built {path} (for xlwings {xlwings.__version__})", f"wrote {conf} (Python: {python})",
            f"installed {copy}: restart Excel and look for the TDR tab; if it does not work, run `xl-tdr doctor`"]


def _verified_copy(built: Path, xlstart: Path) -> Path:
    """The add-in in XLSTART, checked byte for byte against the one just built."""
    copy = xlstart / ADDIN_NAME
    if not copy.is_file() or copy.read_bytes() != built.read_bytes():
        found = "is missing" if not copy.is_file() else "is not the add-in just built"
        raise SetupError(f"xlwings reported the add-in installed, but {copy} {found}; close Excel, copy {built} "
                         f"into {xlstart} and restart Excel (or run `xl-tdr addin install` again)")
    return copy
