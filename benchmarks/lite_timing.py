# Run inside Pyodide by benchmarks/bench_lite.py (through tests/lite/run_pyodide.mjs): times one
# kind of worksheet-function call in a fresh interpreter — the import main.py makes, the first
# call, then warm calls — and leaves the numbers as JSON in RESULT. Pyodide's own start is not
# in these numbers. config.json (beside this file in /home/pyodide) says what to time.
import json
import os
import statistics
import time

config = json.load(open("config.json"))
if config.get("home"):
    os.environ["XL_TDR_HOME"] = config["home"]  # today's store: a SQLite file in Pyodide's memory

started = time.perf_counter()
from xl_tdr import udfs  # noqa: E402 — what the Lite main.py does when the add-in starts

imported = time.perf_counter() - started
partners = [[code] for code in config["partners"]]
years = [[float(year) for year in range(2013, 2026)]]
calls = {"totals": (udfs.TDR, ("Mexico", 2025.0)),
         "sector": (udfs.TDR, ("Mexico", 2024.0, None, 87.0)),
         "array": (udfs.TDR, (partners, years))}
function, args = calls[config["kind"]]

started = time.perf_counter()
answer = function(*args)
first = time.perf_counter() - started
failed = [cell for row in answer for cell in row] if isinstance(answer, list) else [answer]
failed = [cell for cell in failed if isinstance(cell, str) and "internal error" in cell]
repeat = 20 if config["kind"] == "array" else 10_000
warm = []
for _ in range(0 if failed else 5):  # (a failing call is not worth timing: it logs a traceback)
    started = time.perf_counter()
    for _ in range(repeat):
        function(*args)
    warm.append((time.perf_counter() - started) / repeat)
RESULT = json.dumps({"import": imported, "first": first, "warm": statistics.median(warm) if warm else None,
                     "failed": failed[:1]})
