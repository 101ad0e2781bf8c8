"""The add-in's one-off costs: building xl_tdr.xlam, and `xl-tdr doctor` (whole command).

Run: python benchmarks/bench_addin.py   (throwaway folders; prints numbers)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="xl_tdr_bench_addin_"))
    from xl_tdr.addin.build import build_addin

    times = []
    for _ in range(3):
        start = time.perf_counter()
        path = build_addin(work)
        times.append(time.perf_counter() - start)
    print(f"build xl_tdr.xlam ({path.stat().st_size / 1e3:.0f} KB): {sorted(times)[1]:.2f} s (median of 3, in process)")
    env = {**os.environ, "XL_TDR_HOME": str(work / "home")}
    subprocess.run([sys.executable, "-m", "xl_tdr", "tdr", "Mexico", "2025"], env=env, capture_output=True, check=True)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xl_tdr", "doctor"], env=env, capture_output=True)
        times.append(time.perf_counter() - start)
    print(f"xl-tdr doctor, seeded store, whole command: {sorted(times)[1]:.2f} s (median of 3)")


if __name__ == "__main__":
    main()
