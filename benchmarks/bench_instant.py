"""Instant answers (issue 21): a scalar from the command line, a brand-new data folder, warm calls.

Run: python benchmarks/bench_instant.py   (throwaway data folders; prints numbers only)

It measures the Python that runs it. For a user's figures, run it with the Python of a virtual
environment holding a plain install, from outside the checkout (so ``-m xl_tdr`` is the
installed package): ``python3 -m venv /tmp/v && /tmp/v/bin/pip install . && (cd /tmp &&
/tmp/v/bin/python $OLDPWD/benchmarks/bench_instant.py)``. An editable install or a Python whose
site-packages run .pth hooks at start-up (``python -c pass`` well above 10 ms) adds the same
milliseconds to every process, pandas' import included.

Every whole-process figure is the median of interleaved runs, side by side with
``python -c "import pandas"`` measured in the same loop; peak memory is the child's maximum RSS.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def run(argv: list[str], home: Path) -> tuple[float, float]:
    """Seconds and peak MB of one process."""
    env = {**os.environ, "XL_TDR_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(after, before) / 1024


def peak(argv: list[str], home: Path) -> float:
    """The peak RSS (MB) of one run, measured alone (getrusage keeps the maximum of all children)."""
    code = ("import resource, subprocess, sys, os; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *argv], check=True, capture_output=True, text=True,
                         env={**os.environ, "XL_TDR_HOME": str(home)}).stdout
    return int(out) / 1024


def refreshed_home() -> Path:
    """A data folder whose store holds 2024 as a refresh writes it (the usual state after a refresh)."""
    home = Path(tempfile.mkdtemp(prefix="xl_tdr_bench_"))
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); from stores import store_year; "
            "store_year(2024)")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "XL_TDR_HOME": str(home)})
    subprocess.run([sys.executable, "-m", "xl_tdr", "tdr", "Mexico", "2025"], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "XL_TDR_HOME": str(home)})  # (the kept index is written once)
    return home


def side_by_side() -> None:
    home = refreshed_home()
    commands = {
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        "xl-tdr tdr Mexico 2025": [sys.executable, "-m", "xl_tdr", "tdr", "Mexico", "2025"],
        "xl-tdr tdr Mexico 2024 --sector 87": [sys.executable, "-m", "xl_tdr", "tdr", "Mexico", "2024", "--sector", "87"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    times = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, argv in commands.items():
            times[name].append(run(argv, home)[0])
    pandas = statistics.median(times["python -c 'import pandas'"])
    print(f"whole commands, a data folder with a store (median of {RUNS} interleaved runs):")
    for name, argv in commands.items():
        median = statistics.median(times[name])
        print(f"  {name:<40} {median:6.3f} s  {median / pandas:5.2f}× pandas' import  peak {peak(argv, home):5.1f} MB")


def brand_new() -> None:
    first = {"first tdr('Mexico', 2025)": "import xl_tdr; xl_tdr.tdr('Mexico', 2025)",
             "first tdr('Mexico', 2024, sector=87)": "import xl_tdr; xl_tdr.tdr('Mexico', 2024, sector=87)"}
    print(f"a brand-new data folder (median of {RUNS}):")
    for name, code in first.items():
        runs = [run([sys.executable, "-c", code], Path(tempfile.mkdtemp(prefix="xl_tdr_new_")) / "home")[0]
                for _ in range(RUNS)]
        memory = peak([sys.executable, "-c", code], Path(tempfile.mkdtemp(prefix="xl_tdr_new_")) / "home")
        print(f"  {name:<40} {statistics.median(runs):6.3f} s  peak {memory:5.1f} MB")


def array_first_call() -> None:
    home = refreshed_home()
    code = ("import time; from xl_tdr import udfs, tables\n"
            "partners = [[r['name']] for r in tables.partners().rows[:250]]; years = [list(range(2013, 2026))]\n"
            "start = time.perf_counter(); udfs.TDR(partners, years); print(time.perf_counter() - start)")
    runs = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                                 env={**os.environ, "XL_TDR_HOME": str(home)}).stdout) for _ in range(RUNS)]
    print(f"=TDR(250 partners, 13 years), first call in a fresh process: {statistics.median(runs) * 1e3:.1f} ms")


def warm() -> None:
    os.environ["XL_TDR_HOME"] = tempfile.mkdtemp(prefix="xl_tdr_warm_")
    import xl_tdr

    table = {("Mexico", 2025): 0.58}

    def lookup(partner, year, period=None, sector=None):
        return table[(partner, year)]

    cases = {"dict lookup behind a function": lambda: lookup("Mexico", 2025),
             "tdr('Mexico', 2025)": lambda: xl_tdr.tdr("Mexico", 2025),
             "tdr('Mexico', 2024, sector=87)": lambda: xl_tdr.tdr("Mexico", 2024, sector=87),
             "tdr('Mexico', 2024, 'Q1')": lambda: xl_tdr.tdr("Mexico", 2024, "Q1")}
    print("warm calls (best of 7 × 200,000):")
    for name, call in cases.items():
        call()
        best = min(_timed(call) for _ in range(7))
        print(f"  {name:<40} {best * 1e6:.3f} µs")


def _timed(call, n: int = 200_000) -> float:
    start = time.perf_counter()
    for _ in range(n):
        call()
    return (time.perf_counter() - start) / n


if __name__ == "__main__":
    side_by_side()
    brand_new()
    array_first_call()
    warm()
