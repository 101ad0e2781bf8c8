"""The sector view: warm and first sector calls, sectors(), and an #N/A cell recalculated 10,000 times.

Run: python benchmarks/bench_sectors.py   (throwaway XL_TDR_HOME; prints numbers only)
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
import tracemalloc

from bench_core import fresh_process as fresh  # (sets a throwaway XL_TDR_HOME)

import xl_tdr  # noqa: E402
from xl_tdr import udfs  # noqa: E402

PARTNERS = ["Mexico", "Canada", "China", "Japan", "Germany", "USMCA", "World", "EU", "Vietnam", "Korea"]
CHAPTERS = [87, "84", "vehicles", 85.0, "HS27", 30, 90, 39]


def main() -> None:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import xl_tdr; xl_tdr.tdr('Mexico', 2025)"], check=True)
    print(f"first use ever, totals only (seed the store): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import xl_tdr; xl_tdr.tdr('Mexico', 2024, sector=87)"], check=True)
    print(f"first sector call ever (adds the bundled sector data to the store, once): {time.perf_counter() - start:.2f} s")
    totals = fresh("import xl_tdr; xl_tdr.tdr('Mexico', 2025)")
    print(f"fresh process: import xl_tdr; tdr('Mexico', 2025): {totals:.3f} s (median of 5)")
    sector = fresh("import xl_tdr; xl_tdr.tdr('Mexico', 2024, sector=87)")
    print(f"fresh process: first sector call, tdr('Mexico', 2024, sector=87): {sector:.3f} s (median of 5)")

    calls = [(PARTNERS[i % len(PARTNERS)], CHAPTERS[(i * 3) % len(CHAPTERS)]) for i in range(10_000)]
    for partner, chapter in calls:
        xl_tdr.tdr(partner, 2024, None, chapter)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for partner, chapter in calls:
            xl_tdr.tdr(partner, 2024, None, chapter)
        runs.append((time.perf_counter() - start) / len(calls) * 1e6)
    print(f"10,000 warm sector tdr() calls: {statistics.median(runs):.2f} µs per call")
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for partner, chapter in calls:
            udfs.TDR([[partner]], [[2024.0]], [[None]], [[chapter]])
        runs.append((time.perf_counter() - start) / len(calls) * 1e6)
    print(f"  =TDR(partner, 2024, , chapter) as Excel passes it: {statistics.median(runs):.2f} µs per call")

    xl_tdr.sectors("Mexico", 2024)
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        xl_tdr.sectors("Mexico", 2024)
        runs.append((time.perf_counter() - start) * 1e3)
    print(f"sectors('Mexico', 2024) warm: {statistics.median(runs):.2f} ms (median of 20)")

    udfs.TDR("Mexco", 2024)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(10_000):
        udfs.TDR("Mexco", 2024)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"10,000 recalculations of an #N/A cell: memory {after - before:+,} bytes (peak {peak - before:+,})")


if __name__ == "__main__":
    main()
