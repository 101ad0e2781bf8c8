"""Report build speed: the default 2025 report, with and without the formulas' stored results,
and a full report of every partner and month.

Run: python benchmarks/bench_build.py   (throwaway XL_TDR_HOME and output folder; prints numbers)
Each measurement runs in its own process; peak memory is that process's max RSS. The commands run
``python -m xl_tdr`` of the interpreter running this script (the checkout on PYTHONPATH).
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

WRITE = """
import sys, time
from xl_tdr.report import gather
from xl_tdr.service import Service
from xl_tdr.workbook import load_template, write_report
data = gather(Service(), year=2025, all_months=sys.argv[3] == "1")
start = time.perf_counter()
write_report(data, load_template(None, "en"), sys.argv[1], stored_results=sys.argv[2] == "1")
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


XL_TDR = [sys.executable, "-m", "xl_tdr"]


def run(args: list[str], home: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (of this child alone: it runs under /usr/bin/time when
    available, else the largest child so far), and stdout of a child process."""
    env = {**os.environ, "XL_TDR_HOME": str(home)}
    timed = Path("/usr/bin/time").is_file()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run((["/usr/bin/time", "-f", "%M"] if timed else []) + args, env=env, capture_output=True,
                          text=True, check=True, cwd=WORK)
    wall = time.perf_counter() - start
    peak = int(done.stderr.strip().splitlines()[-1]) if timed else max(
        before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return wall, peak / 1024, done.stdout.strip()


def stored_results(home: Path, all_months: bool = False) -> None:
    """The same report written with and without the stored results (median of 3 each, alternating)."""
    found = {"1": [], "0": []}
    for _ in range(3):
        for flag in found:
            wall, peak, inner = run([sys.executable, "-c", WRITE, str(WORK / f"stored{flag}.xlsx"), flag,
                                     "1" if all_months else "0"], home)
            found[flag].append((float(inner), wall, peak))
    name = "full report (every partner and month)" if all_months else "default 2025 report"
    for flag, label in (("1", "with stored results"), ("0", "without (formulas only)")):
        write, wall, peak = (sorted(values)[1] for values in zip(*found[flag]))
        size = (WORK / f"stored{flag}.xlsx").stat().st_size / 1e6
        print(f"{name}, {label}: write {write:.2f} s, whole process {wall:.2f} s, peak RSS {peak:.0f} MB, "
              f"{size:.2f} MB (median of 3)")


def main() -> None:
    home = WORK / "home"
    wall, _, _ = run([*XL_TDR, "build", "-o", str(WORK / "first.xlsx")], home)
    print(f"xl-tdr build, new data folder (the bundled data), whole command: {wall:.2f} s")
    times = [run([*XL_TDR, "build", "-o", str(WORK / "again.xlsx")], home)[0] for _ in range(3)]
    print(f"xl-tdr build, again, whole command: {sorted(times)[1]:.2f} s (median of 3)")
    stored_results(home)
    stored_results(home, all_months=True)
    chosen = [*XL_TDR, "build", "--year", "2024", "--partners", "Netherlands,Australia,Mexico,China,USMCA",
              "-o", str(WORK / "chosen.xlsx")]
    times = [run(chosen, home)[0] for _ in range(3)]
    print(f"xl-tdr build --partners (true ranks among all countries), whole command: {sorted(times)[1]:.2f} s "
          "(median of 3)")
    top15 = [run([*XL_TDR, "build", "--top", "15", "-o", str(WORK / "top15.xlsx")], home)[0] for _ in range(3)]
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
