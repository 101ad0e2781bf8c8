"""Build ``xl_tdr.xlam`` from the ribbon add-in template of the installed xlwings.

Steps: copy ``quickstart_addin_ribbon.xlam``; replace ``customUI/customUI.xml`` with the TDR tab;
with pyOpenVBA, drop the template's demo callback module, add the ribbon callbacks and one VBA
wrapper per worksheet function, register the functions on open, and point the xlwings module's
``PROJECT_NAME`` at ``xl_tdr`` (so its settings come from ``xl_tdr.conf``).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import xlwings

from ..errors import XlTdrError
from .. import udfs
from . import vba

ADDIN_NAME = "xl_tdr.xlam"
TEMPLATE = "quickstart_addin_ribbon.xlam"
PROJECT_NAME = "xl_tdr"


def template_path() -> Path:
    """The ribbon add-in template shipped with the installed xlwings."""
    path = Path(xlwings.__file__).parent / TEMPLATE
    if not path.is_file():
        raise XlTdrError(f"the installed xlwings {xlwings.__version__} has no {TEMPLATE}")
    return path


def _replace_part(xlam: Path, part: str, content: bytes) -> None:
    """Rewrite one part of the package (zip), keeping every other entry as it was."""
    staged = xlam.with_suffix(".tmp")
    with zipfile.ZipFile(xlam) as source, zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == part else source.read(item.filename))
    staged.replace(xlam)


def build_addin(out_dir: str | Path | None = None) -> Path:
    """Write ``xl_tdr.xlam`` into ``out_dir`` (default: the current folder); returns its path."""
    from pyopenvba import ExcelFile

    target = Path(out_dir or ".") / ADDIN_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        staged = Path(work) / ADDIN_NAME
        shutil.copyfile(template_path(), staged)
        _replace_part(staged, "customUI/customUI.xml", vba.custom_ui().encode("utf-8"))
        with ExcelFile(staged) as book:
            project = book.vba_project()
            for name in project.module_names():
                if name.lower().startswith("ribbon"):
                    project.delete_module(name)  # the template's demo button
            project.add_module(vba.RIBBON_MODULE, vba.ribbon_module())
            project.add_module(vba.UDF_MODULE, vba.udf_module(udfs.UDFS))
            book.set_module("ThisWorkbook", vba.WORKBOOK_OPEN)
            source = book.get_module("xlwings")
            book.set_module("xlwings", re.sub(r'PROJECT_NAME As String = "[^"]*"',
                                              f'PROJECT_NAME As String = "{PROJECT_NAME}"', source))
            book.save(target)
    return target


def conf_text(interpreter: str) -> str:
    """``xl_tdr.conf``: the Python that runs the functions and ribbon, and the UDF module."""
    return (f'"INTERPRETER_WIN","{interpreter}"\n"INTERPRETER_MAC","{interpreter}"\n'
            f'"UDF MODULES","{vba.PYTHON_UDF_MODULE}"\n"SHOW CONSOLE","False"\n')


def install_addin(run=None) -> list[str]:
    """Build the add-in and install it (Windows: ``xlwings addin install -f``); returns the
    lines to tell the user."""
    import os
    import subprocess
    import sys

    folder = Path(os.environ.get("XL_TDR_HOME") or Path.home() / f".{PROJECT_NAME}")
    path = build_addin(folder)
    interpreter = str(Path(sys.executable).with_name("pythonw.exe")) if os.name == "nt" else sys.executable
    conf = Path.home() / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(conf_text(interpreter), encoding="utf-8")
    lines = [f"built {path}", f"wrote {conf} (Python: {interpreter})"]
    if os.name != "nt":
        return lines + ["Excel is not on this machine: on Windows, run `xl-tdr addin install` there, "
                        f"or copy {path.name} and run `xlwings addin install -f {path.name}`."]
    result = (run or subprocess.run)(["xlwings", "addin", "install", "-f", str(path)],
                                     capture_output=True, text=True)
    if result.returncode:
        raise XlTdrError(f"xlwings could not install the add-in: {(result.stderr or result.stdout).strip()[:200]}")
    return lines + ["installed: restart Excel and look for the TDR tab"]
