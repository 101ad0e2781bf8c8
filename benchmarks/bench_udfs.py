"""Excel functions: warm per-call cost, and the array form for 250 partners × 13 years.

Run: python benchmarks/bench_udfs.py   (throwaway XL_TDR_HOME; prints numbers)
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

os.environ["XL_TDR_HOME"] = tempfile.mkdtemp(prefix="xl_tdr_bench_udfs_")

from xl_tdr import udfs  # noqa: E402
from xl_tdr.reference.partners import registry  # noqa: E402


def main() -> None:
    start = time.perf_counter()
    udfs.TDR("Mexico", 2025.0)
    print(f"first call in a fresh process (seed store, build index): {(time.perf_counter() - start) * 1e3:.0f} ms")
    names = [p.name for p in registry().by_code.values()]
    calls = [(names[i % 40], 2013.0 + i % 13) for i in range(10_000)]
    for partner, year in calls:
        udfs.TDR(partner, year)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for partner, year in calls:
            udfs.TDR(partner, year)
        runs.append((time.perf_counter() - start) / len(calls) * 1e6)
    print(f"=TDR(partner, year), 10,000 warm calls: {statistics.median(runs):.2f} µs per call")
    start = time.perf_counter()
    for partner, year in calls:
        udfs.TDR([[partner]], [[year]], [[None]])  # as xlwings passes single cells with ndim=2
    print(f"  same, arguments as 1×1 ranges: {(time.perf_counter() - start) / len(calls) * 1e6:.2f} µs per call")

    partners = [[name] for name in names[:250]]
    years = [[float(y) for y in range(2013, 2026)]]
    colds = []
    for _ in range(10):  # cold: the first recalculation after a refresh (answers not yet memoised)
        udfs.service().forget()
        start = time.perf_counter()
        table = udfs.TDR(partners, years)
        colds.append((time.perf_counter() - start) * 1e3)
    cold = statistics.median(colds)
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        udfs.TDR(partners, years)
        runs.append((time.perf_counter() - start) * 1e3)
    cells = len(table) * len(table[0])
    print(f"=TDR(250 partners, 13 years) array, {cells:,} cells: {statistics.median(runs):.2f} ms warm "
          f"(median of 20), {cold:.1f} ms cold (median of 10)")
    start = time.perf_counter()
    udfs.TDR_TABLE(2025, 20)
    print(f"=TDR_TABLE(2025, 20): {(time.perf_counter() - start) * 1e3:.1f} ms first call (imports pandas)")
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        udfs.TDR_TABLE(2025, 20)
        runs.append((time.perf_counter() - start) * 1e3)
    print(f"=TDR_TABLE(2025, 20) warm: {statistics.median(runs):.2f} ms")


if __name__ == "__main__":
    main()
