"""The saved package: every formula cell with its stored result, written to disk in one step.

openpyxl writes a formula with an empty result (``<f>…</f><v></v>``): a viewer that does not
recalculate — Excel's Protected View, a phone or mail preview, pandas — would show blanks. The
writers record each formula's result as they write it (:func:`record`); :func:`with_results`
puts the results into the sheets' XML (a number, text ``t="str"`` or an error ``t="e"``), and
Excel still recalculates on open (``fullCalcOnLoad``).
"""

from __future__ import annotations

import errno
import gc
import io
import math
import os
import stat
import sys
import tempfile
import uuid
import zipfile
from contextlib import suppress
from pathlib import Path, PurePosixPath
from weakref import WeakKeyDictionary

from lxml import etree
from openpyxl.utils.cell import range_boundaries

from ..errors import OutputError
from .formulas import ExcelError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
C16R3 = "http://schemas.microsoft.com/office/drawing/2017/03/chart"
NA_AS_BLANK_EXTENSION = "{56B9EC1D-385E-4148-901F-78D8002777C0}"
RULE_EXTENSION = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}"
SHEET_FORMATS_EXTENSION = "{78C0D931-6437-407d-A8EE-F0AAD7539E65}"
_RESULTS: WeakKeyDictionary = WeakKeyDictionary()
_SIGNED_BARS: WeakKeyDictionary = WeakKeyDictionary()


def record(ws, coordinate: str, value: object) -> None:
    """Remember the result of the formula written at ``coordinate`` of ``ws``."""
    _RESULTS.setdefault(ws, {})[coordinate] = value


def results(ws) -> dict[str, object]:
    """The results recorded for a worksheet's formula cells (coordinate → value)."""
    return _RESULTS.get(ws, {})


def signed_data_bars(ws, cells: str, color: str, negative: str) -> None:
    """Data bars over ``cells`` that grow left of an axis for negative values in the ``negative``
    colour (Excel 2010's kind; the 2007 kind draws a negative value as a sliver). The caller adds
    the 2007 rule (min to max); the package gets its 2010 extension."""
    _SIGNED_BARS.setdefault(ws, []).append((cells, color, negative))


def extras(wb) -> dict[str, dict]:
    """What each sheet's XML gets after openpyxl wrote it: formula results and signed data bars."""
    return {ws.title: {"results": _RESULTS.get(ws, {}), "bars": _SIGNED_BARS.get(ws, [])} for ws in wb.worksheets}


def cell_values(wb, reference: str) -> tuple[list[object], str]:
    """The values of the cells a chart reference names (``'TDR 2025'!$D$6:$D$10``), as stored —
    a formula cell's recorded result, any other cell's value — and the first cell's number format."""
    sheet, _, cells = reference.rpartition("!")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    ws = wb[sheet]
    low_col, low_row, high_col, high_row = range_boundaries(cells.replace("$", ""))
    found, formats = [], []
    for row in ws.iter_rows(min_row=low_row, max_row=high_row, min_col=low_col, max_col=high_col):
        for cell in row:
            found.append(results(ws).get(cell.coordinate) if cell.data_type == "f" else cell.value)
            formats.append(cell.number_format)
    return found, formats[0] if formats else "General"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → the package part that holds it."""
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship")}
    parts = {}
    for sheet in book.iter(f"{{{MAIN}}}sheet"):
        target = targets[sheet.get(f"{{{RELATIONSHIPS}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return parts


def finished(package: bytes, found: dict[str, dict], stored_results: bool = True) -> bytes:
    """The package with each formula cell carrying its recorded result (unless ``stored_results``
    is off) and the signed data bars' extension, per sheet as :func:`extras` gives them."""
    source = zipfile.ZipFile(io.BytesIO(package))
    parts = {part: found[title] for title, part in sheet_parts(source).items()
             if found.get(title) and (found[title]["bars"] or stored_results and found[title]["results"])}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in parts:
                data = _finish_sheet(data, parts[info.filename], info.filename, stored_results)
            elif info.filename.startswith("xl/charts/chart"):
                data = _na_as_gap(data)
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


def _na_as_gap(xml: bytes) -> bytes:
    """A chart that shows #N/A as an empty cell — a gap, as ``dispBlanksAs`` says, rather than a
    line drawn across it (Excel 2019 and 365; earlier ones skip the point)."""
    root = etree.fromstring(xml)
    chart = root.find(f"{{{CHART}}}chart")
    ext = etree.SubElement(etree.SubElement(chart, f"{{{CHART}}}extLst"), f"{{{CHART}}}ext", uri=NA_AS_BLANK_EXTENSION,
                           nsmap={"c16r3": C16R3})
    etree.SubElement(etree.SubElement(ext, f"{{{C16R3}}}dataDisplayOptions16"), f"{{{C16R3}}}dispNaAsBlank", val="1")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _finish_sheet(xml: bytes, found: dict, part: str, stored_results: bool) -> bytes:
    root = etree.fromstring(xml)
    if stored_results:
        _fill(root, found["results"], part)
    for cells, color, negative in found["bars"]:
        _signed_bar(root, cells, color, negative, f"{part}!{cells}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fill(root, values: dict[str, object], part: str) -> None:
    for cell in root.iter(f"{{{MAIN}}}c"):
        formula = cell.find(f"{{{MAIN}}}f")
        if formula is None:
            continue
        where = cell.get("r")
        if where not in values:
            raise ValueError(f"{part} {where}: a formula without a stored result")  # a writer's bug
        kind, text = _stored(values[where])
        value = cell.find(f"{{{MAIN}}}v")
        if value is None:
            value = etree.SubElement(cell, f"{{{MAIN}}}v")
        value.text = text
        if kind:
            cell.set("t", kind)
        elif "t" in cell.attrib:
            del cell.attrib["t"]


def _signed_bar(root, cells: str, color: str, negative: str, seed: str) -> None:
    """Link the 2007 data bar over ``cells`` to a 2010 one with an axis and a negative colour."""
    wanted = range_boundaries(cells)
    rule = next(found.find(f"{{{MAIN}}}cfRule[@type='dataBar']") for found in root.iter(f"{{{MAIN}}}conditionalFormatting")
                if range_boundaries(found.get("sqref")) == wanted)  # ("F6:F6" is written "F6")
    identifier = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, seed)).upper() + "}"
    ext = etree.SubElement(etree.SubElement(rule, f"{{{MAIN}}}extLst"), f"{{{MAIN}}}ext", uri=RULE_EXTENSION,
                           nsmap={"x14": X14})
    etree.SubElement(ext, f"{{{X14}}}id").text = identifier
    sheet_ext = root.find(f"{{{MAIN}}}extLst")
    if sheet_ext is None:
        sheet_ext = etree.SubElement(root, f"{{{MAIN}}}extLst")  # the worksheet's last child
    ext = etree.SubElement(sheet_ext, f"{{{MAIN}}}ext", uri=SHEET_FORMATS_EXTENSION, nsmap={"x14": X14})
    formats = etree.SubElement(ext, f"{{{X14}}}conditionalFormattings")
    formatting = etree.SubElement(formats, f"{{{X14}}}conditionalFormatting", nsmap={"xm": XM})
    x14_rule = etree.SubElement(formatting, f"{{{X14}}}cfRule", type="dataBar", id=identifier)
    bar = etree.SubElement(x14_rule, f"{{{X14}}}dataBar", minLength="0", maxLength="100", border="1",
                           negativeBarBorderColorSameAsPositive="0", axisPosition="automatic")
    for kind in ("autoMin", "autoMax"):
        etree.SubElement(bar, f"{{{X14}}}cfvo", type=kind)
    for name, rgb in (("borderColor", color), ("negativeFillColor", negative), ("negativeBorderColor", negative),
                      ("axisColor", "000000")):
        etree.SubElement(bar, f"{{{X14}}}{name}", rgb=f"FF{rgb}")
    etree.SubElement(formatting, f"{{{XM}}}sqref").text = cells


def _stored(value: object) -> tuple[str | None, str]:
    """The cell type and text of a result: a number (no type), an error, text or a boolean."""
    if isinstance(value, ExcelError):
        return "e", str(value)
    if isinstance(value, bool):
        return "b", str(int(value))
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"a stored result must be finite, not {value}")
        return None, repr(float(value)) if isinstance(value, float) else str(value)
    return "str", str(value)


def saved(wb) -> bytes:
    """The workbook as openpyxl saves it. openpyxl streams each sheet through a temporary file:
    a full disk or a file-size limit there is an OSError here (not lxml's SerialisationError, nor
    the noise of its half-written streams closing later)."""
    package = io.BytesIO()
    previous = sys.unraisablehook

    def quiet(unraisable) -> None:
        if not isinstance(unraisable.exc_value, etree.SerialisationError):
            previous(unraisable)

    sys.unraisablehook = quiet
    try:
        try:
            wb.save(package)
            return package.getvalue()
        except etree.SerialisationError as exc:
            code = next((getattr(errno, name) for name in ("ENOSPC", "EFBIG", "EDQUOT") if f"IO_{name}" in str(exc)),
                        errno.EIO)
        gc.collect()  # the error's streams, left open, close now (quietly)
    finally:
        sys.unraisablehook = previous
    raise OSError(code, os.strerror(code))


def write_file(package: bytes, path: Path) -> Path:
    """Write ``package`` to ``path`` in one step (a temporary file beside it, then a rename): a
    failure half-way (a full disk, a size limit) leaves the earlier file, never a broken one. A
    symbolic link is written through (the link stays, its target is replaced); anything there
    that is not a regular file is refused. Returns the file written."""
    target = regular_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".xl_tdr.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(package)
        os.chmod(temporary, 0o666 & ~_umask())  # as a plain save would (mkstemp's file is private)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def regular_file(path: Path) -> Path:
    """Where writing ``path`` lands: the path itself, or a link's final target; refuses a device,
    a pipe, a socket, a folder and a link that loops."""
    target = Path(os.path.realpath(path))
    try:
        found = os.stat(target)
    except FileNotFoundError:
        if os.path.islink(path) and not target.parent.is_dir():
            raise OutputError(f"cannot write {shown_path(path)}: it is a link to {shown_path(target)}, whose folder does "
                              "not exist (a drive that is not mounted?)", str(path)) from None
        return target
    except OSError as exc:
        raise OutputError(f"cannot write {shown_path(path)}: {reason(exc)}", str(path)) from None
    if not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file (a device, a pipe or a socket)"
        raise OutputError(f"cannot write {shown_path(path)}: it is {kind}; name a file such as report.xlsx", str(path))
    return target


def shown_path(path: object, limit: int = 100) -> str:
    """A path for a message: whole, or its last ``limit`` characters (the file's name is there)."""
    text = str(path)
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


def reason(exc: OSError) -> str:
    """Why writing failed, in plain words."""
    words = {errno.ELOOP: "its symbolic links loop", errno.ENAMETOOLONG: "the name is too long for the file system",
             errno.ENOSPC: "the disk is full", errno.EFBIG: "the file is larger than this system allows",
             errno.EDQUOT: "the disk quota is used up", errno.EACCES: "permission denied",
             errno.EROFS: "the file system is read-only"}
    return words.get(exc.errno, exc.strerror or str(exc))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
