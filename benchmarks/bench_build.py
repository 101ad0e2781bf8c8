"""Report build speed: the default 2025 report, and a full report of every partner and month.

Run: python benchmarks/bench_build.py   (throwaway XL_TDR_HOME and output folder; prints numbers)
Each measurement runs in its own process; peak memory is that process's max RSS.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="xl_tdr_bench_build_"))

FULL = """
import sys, time
from xl_tdr.report import build_report
start = time.perf_counter()
build_report(sys.argv[1], year=2025, all_months=True)
print(time.perf_counter() - start)
"""

BARE = """
import sys, time
from openpyxl import Workbook
from xl_tdr.report import gather
from xl_tdr.workbook.datasheets import data_rows
from xl_tdr.service import Service
data = gather(Service(), year=2025, all_months=True)
names = dict(zip(data.partners["code"], data.partners["name"]))
start = time.perf_counter()
wb = Workbook()
ws = wb.active
for row in data_rows(data, names):
    ws.append(row)
wb.save(sys.argv[1])
print(time.perf_counter() - start)
"""


def run(args: list[str], home: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout of a child process."""
    env = {**os.environ, "XL_TDR_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=WORK).stdout
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, out.strip()


def main() -> None:
    home = WORK / "home"
    wall, _, _ = run(["xl-tdr", "build", "-o", str(WORK / "first.xlsx")], home)
    print(f"xl-tdr build, fresh store (seed + 2025 report), whole command: {wall:.2f} s")
    times = [run(["xl-tdr", "build", "-o", str(WORK / "again.xlsx")], home)[0] for _ in range(3)]
    print(f"xl-tdr build, seeded store, whole command: {sorted(times)[1]:.2f} s (median of 3)")
    chosen = ["xl-tdr", "build", "--year", "2024", "--partners", "Netherlands,Australia,Mexico,China,USMCA",
              "-o", str(WORK / "chosen.xlsx")]
    times = [run(chosen, home)[0] for _ in range(3)]
    print(f"xl-tdr build --partners (true ranks among all countries), whole command: {sorted(times)[1]:.2f} s "
          "(median of 3)")
    top15 = [run(["xl-tdr", "build", "--top", "15", "-o", str(WORK / "top15.xlsx")], home)[0] for _ in range(3)]
    print(f"xl-tdr build --top 15, whole command: {sorted(top15)[1]:.2f} s (median of 3)")
    wall, peak, inner = run([sys.executable, "-c", FULL, str(WORK / "full.xlsx")], home)
    size = (WORK / "full.xlsx").stat().st_size / 1e6
    print(f"full report (every partner, every month; {size:.1f} MB): {float(inner):.2f} s to build, "
          f"{wall:.2f} s whole process, peak RSS {peak:.0f} MB")
    _, _, bare = run([sys.executable, "-c", BARE, str(WORK / "bare.xlsx")], home)
    print(f"bare openpyxl writing the same Data cells: {float(bare):.2f} s "
          f"-> full report / bare Data = {float(inner) / float(bare):.2f}x")


if __name__ == "__main__":
    main()
