"""Core speed: warm scalar calls, a fresh process's first answer, and table().

Run: python benchmarks/bench_core.py   (uses a throwaway XL_TDR_HOME; prints numbers only)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="xl_tdr_bench_"))
os.environ["XL_TDR_HOME"] = str(HOME)

import xl_tdr  # noqa: E402
from xl_tdr import api  # noqa: E402

PARTNERS = ["Mexico", "Canada", "China", "Taiwan", "Germany", "Japan", "Vietnam", "MX", "USMCA",
            "World", "EU", "South Korea", "India", "Brazil", "2010", "United Kingdom"]
YEARS = list(range(2013, 2026))


def per_call(calls: list[tuple], repeat: int = 5) -> float:
    """Median microseconds per tdr() call over ``calls``."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for partner, year in calls:
            xl_tdr.tdr(partner, year)
        runs.append((time.perf_counter() - start) / len(calls) * 1e6)
    return statistics.median(runs)


def fresh_process(code: str = "import xl_tdr; xl_tdr.tdr('Mexico', 2025)", repeat: int = 5) -> float:
    """Median seconds for a new process to run ``code`` (by default: import xl_tdr and answer
    tdr('Mexico', 2025)) in this benchmark's XL_TDR_HOME."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=os.environ)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import xl_tdr; xl_tdr.tdr('Mexico', 2025)"], check=True)
    print(f"first use ever (seed store + answer), new process: {time.perf_counter() - start:.3f} s")
    print(f"fresh process, seeded store: import + tdr('Mexico', 2025): {fresh_process():.3f} s (median of 5)")
    start = time.perf_counter()
    for _ in range(5):
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    print(f"  (bare python start: {(time.perf_counter() - start) / 5:.3f} s)")

    calls = [(PARTNERS[i % len(PARTNERS)], YEARS[(i * 7) % len(YEARS)]) for i in range(10_000)]
    start = time.perf_counter()
    xl_tdr.tdr("Mexico", 2025)
    print(f"in-process first call (build index): {(time.perf_counter() - start) * 1e3:.1f} ms")
    print(f"10,000 warm tdr() calls, mixed partners/years: {per_call(calls):.2f} µs per call")
    uncached = 0.0
    for _ in range(3):
        api.service().forget()
        start = time.perf_counter()
        for partner, year in calls[:208]:  # 16 partners × 13 years: every key once
            xl_tdr.tdr(partner, year)
        uncached += (time.perf_counter() - start) / 208 / 3 * 1e6
    print(f"uncached tdr() (resolve partner + index lookup): {uncached:.2f} µs per call")

    xl_tdr.table(2025)
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        xl_tdr.table(2025, top=5)
        runs.append((time.perf_counter() - start) * 1e3)
    print(f"table(2025, top=5) warm: {statistics.median(runs):.2f} ms (median of 20)")


if __name__ == "__main__":
    main()
