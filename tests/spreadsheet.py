"""LibreOffice headless for the tests: recompute every formula, render sheets to PNG.

Follows ../shared/tools/README.md: a throwaway profile with "recalculate on load: always",
one profile per call, a timeout, and a check that the output exists (soffice exits 0 on failure).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
SINGLE_PAGE = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def soffice() -> str:
    """The soffice binary; skips the test when absent unless XL_TDR_REQUIRE_SOFFICE is set."""
    found = shutil.which("soffice")
    if not found:
        if os.environ.get("XL_TDR_REQUIRE_SOFFICE"):
            pytest.fail("soffice is required (XL_TDR_REQUIRE_SOFFICE) but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(source: Path, target_filter: str, out_dir: Path, suffix: str) -> Path:
    """One LibreOffice conversion with a fresh recalc-always profile; returns the output."""
    return convert_all([source], target_filter, out_dir, suffix)[0]


def convert_all(sources: list[Path], target_filter: str, out_dir: Path, suffix: str) -> list[Path]:
    """Several inputs converted by one LibreOffice start (each start costs seconds). An input
    converted the same way before in this run — another test's identical report, on any worker —
    is copied from the run's conversions (``XL_TDR_LO_CACHE``, set by conftest)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / f"{source.stem}.{suffix}" for source in sources]
    kept = os.environ.get("XL_TDR_LO_CACHE")
    if not kept:
        return _convert(sources, target_filter, suffix, targets)
    from filelock import FileLock

    copies = [Path(kept) / f"{_key(source, target_filter)}.{suffix}" for source in sources]
    locks = [FileLock(f"{copy}.lock") for copy in sorted(set(copies))]  # (in one order: no deadlock)
    for lock in locks:
        lock.acquire()
    try:
        missing = {copy: source for source, copy in zip(sources, copies) if not copy.is_file()}
        if missing:
            parts = [copy.with_suffix(".part") for copy in missing]
            for part, copy in zip(_convert(list(missing.values()), target_filter, suffix, parts), missing):
                part.rename(copy)
    finally:
        for lock in reversed(locks):
            lock.release()
    for copy, target in zip(copies, targets):
        shutil.copy(copy, target)
    return targets


def _key(source: Path, target_filter: str) -> str:
    return hashlib.sha256(source.read_bytes() + target_filter.encode() + RECALC_ALWAYS.encode()).hexdigest()


def _convert(sources: list[Path], target_filter: str, suffix: str, targets: list[Path]) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="xl_tdr_lo_") as work:
        profile = Path(work) / "profile" / "user"
        profile.mkdir(parents=True)
        (profile / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
        staged = [Path(work) / f"input{number}{source.suffix}" for number, source in enumerate(sources)]
        for source, copy in zip(sources, staged):
            shutil.copy(source, copy)
        result = subprocess.run(
            ["timeout", "-k", "10", str(120 + 60 * len(sources)), soffice(),
             f"-env:UserInstallation=file://{Path(work) / 'profile'}",
             "--headless", "--invisible", "--nologo", "--nodefault", "--nolockcheck", "--norestore",
             "--convert-to", target_filter, "--outdir", str(Path(work) / "out"), *map(str, staged)],
            capture_output=True, text=True, stdin=subprocess.DEVNULL)
        for number, target in enumerate(targets):
            produced = Path(work) / "out" / f"input{number}.{suffix}"
            assert produced.is_file() and produced.stat().st_size, f"LibreOffice failed: {result.stderr}"
            shutil.move(produced, target)
    return targets


def recalc(path: Path, out_dir: Path) -> Path:
    """A copy of ``path`` with every formula recomputed by LibreOffice (read it data_only)."""
    return recalc_all([path], out_dir)[0]


def recalc_all(paths: list[Path], out_dir: Path) -> list[Path]:
    """:func:`recalc` of several workbooks, by one LibreOffice start."""
    return convert_all(paths, "xlsx:Calc MS Excel 2007 XML", out_dir, "xlsx")


def render(path: Path, out_dir: Path, dpi: int = 60) -> tuple[Path, list[Path]]:
    """Each sheet as one page of a PDF, and as PNGs (pdftoppm); returns (pdf, pngs)."""
    return render_all([path], out_dir, dpi)[0]


def render_all(paths: list[Path], out_dir: Path, dpi: int = 60) -> list[tuple[Path, list[Path]]]:
    """:func:`render` of several workbooks, by one LibreOffice start."""
    found = []
    for path, pdf in zip(paths, convert_all(paths, SINGLE_PAGE, out_dir, "pdf")):
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / path.stem)],
                       check=True, timeout=240)
        found.append((pdf, sorted(out_dir.glob(f"{path.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))))
    return found


def printed(path: Path, out_dir: Path) -> Path:
    """The workbook printed to PDF as its page setup says (print scale, page breaks, landscape)."""
    return printed_all([path], out_dir)[0]


def printed_all(paths: list[Path], out_dir: Path, pages: int | None = None) -> list[Path]:
    """:func:`printed` of several workbooks, by one LibreOffice start; ``pages``: only the first ones
    (the data sheets of a report run to a hundred pages)."""
    target = f'pdf:calc_pdf_Export:{{"PageRange":{{"type":"string","value":"1-{pages}"}}}}' if pages else "pdf"
    return convert_all(paths, target, out_dir, "pdf")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, layout kept)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=240).stdout
    return text.split("\f")[:-1]


def ink(pdf: Path, page: int) -> float:
    """Share of dark pixels on one PDF page (0 for a blank page), from a grey PGM rendering."""
    pgm = subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True, timeout=120).stdout
    header_end = 0
    for _ in range(4):  # "P5", width, height, maxval — whitespace separated
        while pgm[header_end:header_end + 1].isspace():
            header_end += 1
        while not pgm[header_end:header_end + 1].isspace():
            header_end += 1
    pixels = pgm[header_end + 1:]
    return sum(1 for byte in pixels if byte < 128) / max(1, len(pixels))
