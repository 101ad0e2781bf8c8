"""The add-in's costs: building xl_tdr.xlam, `xl-tdr doctor` (whole command), doctor's start of
the configured Python (the probe), and the ribbon's Refresh of an open report (gather and rewrite,
through the tests' stand-in Excel).

Run: python benchmarks/bench_addin.py   (throwaway folders; prints numbers)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median(run, times: int = 3) -> float:
    taken = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        taken.append(time.perf_counter() - start)
    return sorted(taken)[len(taken) // 2]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="xl_tdr_bench_addin_"))
    os.environ["XL_TDR_HOME"] = str(work / "home")
    from xl_tdr.addin.build import build_addin

    seconds = median(lambda: build_addin(work))
    print(f"build xl_tdr.xlam ({(work / 'xl_tdr.xlam').stat().st_size / 1e3:.0f} KB): {seconds:.2f} s (median of 3, in process)")
    subprocess.run([sys.executable, "-m", "xl_tdr", "tdr", "Mexico", "2025"], capture_output=True, check=True)
    seconds = median(lambda: subprocess.run([sys.executable, "-m", "xl_tdr", "doctor"], capture_output=True))
    print(f"xl-tdr doctor, seeded store, whole command: {seconds:.2f} s (median of 3)")
    probe_this_python()
    refresh_a_report(work)


def probe_this_python() -> None:
    """doctor starts the configured Python and imports xlwings, pythoncom and xl_tdr.udfs in it."""
    from xl_tdr.addin import probe

    answers = []
    seconds = median(lambda: answers.append(probe.run(Path(sys.executable), {}, 60)))
    print(f"doctor's probe of this Python (start, import xlwings and xl_tdr.udfs): {seconds:.2f} s (median of 3; "
          f"{'answered' if answers[-1].started else answers[-1].problem})")


def refresh_a_report(work: Path) -> None:
    """The report part of Refresh: gather from the store, rewrite Data, Sector data, Sectors, charts."""
    import openpyxl

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from fake_excel import FakeBook

    from xl_tdr.addin.updater import update_report
    from xl_tdr.report import build_report

    path = build_report(work / "report.xlsx", year=2025)
    books = [FakeBook(openpyxl.load_workbook(path), "report.xlsx") for _ in range(3)]
    seconds = median(lambda: update_report(books.pop()))
    rows = openpyxl.load_workbook(path, read_only=True)["Data"].max_row
    print(f"Refresh's update of one open report ({rows} Data rows, stand-in Excel): {seconds:.2f} s (median of 3)")


if __name__ == "__main__":
    main()
